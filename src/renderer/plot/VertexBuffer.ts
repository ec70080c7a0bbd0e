import type { Rgba } from './color';

/**
 * A growable pair of typed arrays — positions (n, 2) and colours (n, 4) — that views fill from
 * their data once per response (never per frame, never per-vertex React state) and hand to
 * `PlotLines`, `PlotPoints` or `PlotTriangles`.
 */
export class VertexBuffer {
  positions: Float32Array;
  colors: Float32Array;
  sizes: Float32Array | null;
  count = 0;

  constructor(capacity = 1024, withSizes = false) {
    this.positions = new Float32Array(capacity * 2);
    this.colors = new Float32Array(capacity * 4);
    this.sizes = withSizes ? new Float32Array(capacity) : null;
  }

  reserve(extra: number): void {
    const need = this.count + extra;
    if (need * 2 <= this.positions.length) return;
    const cap = Math.max(need, Math.ceil((this.positions.length / 2) * 1.6));
    const p = new Float32Array(cap * 2);
    p.set(this.positions.subarray(0, this.count * 2));
    const c = new Float32Array(cap * 4);
    c.set(this.colors.subarray(0, this.count * 4));
    this.positions = p;
    this.colors = c;
    if (this.sizes) {
      const s = new Float32Array(cap);
      s.set(this.sizes.subarray(0, this.count));
      this.sizes = s;
    }
  }

  push(x: number, y: number, c: Rgba, size = 0): void {
    if (this.count * 2 >= this.positions.length) this.reserve(1);
    const i = this.count++;
    this.positions[2 * i] = x;
    this.positions[2 * i + 1] = y;
    this.colors[4 * i] = c[0];
    this.colors[4 * i + 1] = c[1];
    this.colors[4 * i + 2] = c[2];
    this.colors[4 * i + 3] = c[3];
    if (this.sizes) this.sizes[i] = size;
  }

  /** One line segment (2 vertices, for `PlotLines`). */
  segment(x0: number, y0: number, x1: number, y1: number, c: Rgba): void {
    this.push(x0, y0, c);
    this.push(x1, y1, c);
  }

  /** A filled axis-aligned rectangle (6 vertices, for `PlotTriangles`). */
  rect(x0: number, y0: number, x1: number, y1: number, c: Rgba): void {
    this.push(x0, y0, c);
    this.push(x1, y0, c);
    this.push(x1, y1, c);
    this.push(x0, y0, c);
    this.push(x1, y1, c);
    this.push(x0, y1, c);
  }

  /** The outline of a rectangle (4 segments, for `PlotLines`). */
  frame(x0: number, y0: number, x1: number, y1: number, c: Rgba): void {
    this.segment(x0, y0, x1, y0, c);
    this.segment(x1, y0, x1, y1, c);
    this.segment(x1, y1, x0, y1, c);
    this.segment(x0, y1, x0, y0, c);
  }

  /** Exact-length views of the filled part. */
  finish(): { positions: Float32Array; colors: Float32Array; sizes: Float32Array | null; count: number } {
    return {
      positions: this.positions.subarray(0, this.count * 2),
      colors: this.colors.subarray(0, this.count * 4),
      sizes: this.sizes ? this.sizes.subarray(0, this.count) : null,
      count: this.count,
    };
  }
}

/** What the geometry components draw: positions (n, 2) and colours (n, 4). */
export interface VertexData {
  positions: Float32Array;
  colors: Float32Array;
  sizes?: Float32Array | null;
  count: number;
}

export const EMPTY_VERTICES: VertexData = { positions: new Float32Array(0), colors: new Float32Array(0), count: 0 };
