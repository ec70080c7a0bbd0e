import type { Rect } from './rect';

/**
 * A grid of subplots inside one canvas (phy's Grid): world coordinates are [0, nCols] ×
 * [0, nRows], row 0 at the top; each box maps its own data rectangle into its cell with a
 * margin. Views fill vertex buffers through `toWorld`, and the lasso converts back with
 * `toData`, so a polygon drawn in any cell becomes data coordinates of that cell.
 */
export class BoxLayout {
  constructor(
    readonly nRows: number,
    readonly nCols: number,
    /** Fraction of a cell left empty on each side. */
    readonly margin = 0.04,
  ) {}

  get bounds(): Rect {
    return { x0: 0, x1: this.nCols, y0: 0, y1: this.nRows };
  }

  /** The world rectangle drawn for cell (row, col), margins excluded. */
  cell(row: number, col: number): Rect {
    const m = this.margin;
    const y1 = this.nRows - row;
    return { x0: col + m, x1: col + 1 - m, y0: y1 - 1 + m, y1: y1 - m };
  }

  /** Maps data (x, y) in a box whose data rectangle is `data` to world coordinates. */
  toWorld(row: number, col: number, data: Rect, x: number, y: number): [number, number] {
    const c = this.cell(row, col);
    return [c.x0 + ((x - data.x0) / (data.x1 - data.x0)) * (c.x1 - c.x0), c.y0 + ((y - data.y0) / (data.y1 - data.y0)) * (c.y1 - c.y0)];
  }

  /** Inverse of `toWorld`. */
  toData(row: number, col: number, data: Rect, wx: number, wy: number): [number, number] {
    const c = this.cell(row, col);
    return [data.x0 + ((wx - c.x0) / (c.x1 - c.x0)) * (data.x1 - data.x0), data.y0 + ((wy - c.y0) / (c.y1 - c.y0)) * (data.y1 - data.y0)];
  }

  /** The cell under a world point, or null outside the grid. */
  cellAt(wx: number, wy: number): { row: number; col: number } | null {
    const col = Math.floor(wx);
    const row = this.nRows - 1 - Math.floor(wy);
    if (col < 0 || col >= this.nCols || row < 0 || row >= this.nRows) return null;
    return { row, col };
  }
}
