import type { ChannelFeature, FeaturesData, SpikeDim, SpikeSet } from '../../../shared/ipc/contract';
import { BoxLayout } from '../../plot/BoxLayout';
import { GREY } from '../../plot/color';
import type { PlotLabel } from '../../plot/Overlay';
import { quantileExtent, type Rect } from '../../plot/rect';
import { VertexBuffer, type VertexData } from '../../plot/VertexBuffer';
import { selectionRgba } from '../viewColors';
import { pcLetter } from '../featureChannels';

/** One axis of the grid: a PC on a channel, or time. */
export type FeatureDim = { kind: 'time' } | { kind: 'pc'; slot: 0 | 1; pc: number };

/**
 * phy's 4×4 grid: dims = [ch0·A, ch1·A, ch0·B, ch1·B]; cell (i, j) plots dim j (x) against dim i
 * (y), and the diagonal plots time against dim i. With a single PC the grid is 2×2.
 */
export function featureDims(nPcs: number): FeatureDim[] {
  const dims: FeatureDim[] = [
    { kind: 'pc', slot: 0, pc: 0 },
    { kind: 'pc', slot: 1, pc: 0 },
  ];
  if (nPcs >= 2) dims.push({ kind: 'pc', slot: 0, pc: 1 }, { kind: 'pc', slot: 1, pc: 1 });
  return dims;
}

export interface FeatureGrid {
  layout: BoxLayout;
  dims: FeatureDim[];
  /** Data rectangle of cell (i, j), row-major. */
  cellRects: Rect[];
  points: VertexData;
  background: VertexData;
  frames: VertexData;
  labels: PlotLabel[];
}

function dimValue(set: SpikeSet, k: number, dim: FeatureDim, nPcs: number): number {
  if (dim.kind === 'time') return set.times[k];
  return set.features[k * 2 * nPcs + dim.slot * nPcs + dim.pc];
}

/** x dim of cell (i, j). */
export function cellXDim(dims: FeatureDim[], i: number, j: number): FeatureDim {
  return i === j ? { kind: 'time' } : dims[j];
}

/** The contract's SpikeDim of a grid dim, for lasso splits evaluated on all spikes. */
export function toSpikeDim(dim: FeatureDim, channelIds: [number, number]): SpikeDim {
  return dim.kind === 'time' ? { type: 'time' } : { type: 'pc', channelId: channelIds[dim.slot], pc: dim.pc };
}

/**
 * phy's alt+click on a subplot (FeatureView.on_mouse_click): the left button (0) picks the
 * cell's x dimension, the right button (2) its y dimension, as the feature AmplitudeView shows.
 * `'time'` when that dimension is time (the diagonal's x); null outside the cells or for another
 * button. `wx`, `wy` are world coordinates of the grid.
 */
export function clickedFeature(grid: Pick<FeatureGrid, 'layout' | 'dims'>, channelIds: [number, number], wx: number, wy: number, button: number): ChannelFeature | 'time' | null {
  const cell = grid.layout.cellAt(wx, wy);
  if (!cell || (button !== 0 && button !== 2)) return null;
  const dim = button === 0 ? cellXDim(grid.dims, cell.row, cell.col) : grid.dims[cell.row];
  return dim.kind === 'pc' ? { channelId: channelIds[dim.slot], pc: dim.pc } : 'time';
}

export function buildFeatureGrid(data: FeaturesData, duration: number, channelLabels: Int32Array, scale: number): FeatureGrid {
  const nPcs = data.nPcs;
  const dims = featureDims(nPcs);
  const n = dims.length;
  const layout = new BoxLayout(n, n, 0.035);
  const sets = [...(data.background ? [data.background] : []), ...data.clusters];

  // Symmetric range per PC dim (zero in the middle, as in phy), robust to outliers.
  const dimRange = dims.map((dim) => {
    if (dim.kind === 'time') return [0, duration] as [number, number];
    let m = 0;
    for (const s of sets) {
      const [lo, hi] = quantileExtent(s.features, 0.002, 2 * nPcs, dim.slot * nPcs + dim.pc);
      if (Number.isFinite(lo)) m = Math.max(m, Math.abs(lo), Math.abs(hi));
    }
    m = (m || 1) * 1.15 / scale;
    return [-m, m] as [number, number];
  });
  const timeRange: [number, number] = [0, duration > 0 ? duration : 1];

  const cellRects: Rect[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const xr = i === j ? timeRange : dimRange[j];
      cellRects.push({ x0: xr[0], x1: xr[1], y0: dimRange[i][0], y1: dimRange[i][1] });
    }

  const total = sets.reduce((a, s) => a + s.times.length, 0);
  const points = new VertexBuffer(Math.max(1, (total - (data.background?.times.length ?? 0)) * n * n));
  const background = new VertexBuffer(Math.max(1, (data.background?.times.length ?? 0) * n * n));
  const draw = (set: SpikeSet, color: [number, number, number, number], target: VertexBuffer) => {
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const r = cellRects[i * n + j];
        const c = layout.cell(i, j);
        const xd = cellXDim(dims, i, j);
        const yd = dims[i];
        const sx = (c.x1 - c.x0) / (r.x1 - r.x0);
        const sy = (c.y1 - c.y0) / (r.y1 - r.y0);
        for (let k = 0; k < set.times.length; k++) {
          const wx = c.x0 + (dimValue(set, k, xd, nPcs) - r.x0) * sx;
          const wy = c.y0 + (dimValue(set, k, yd, nPcs) - r.y0) * sy;
          // Points outside the cell would bleed into neighbours: clip them (phy clips per box).
          if (wx < c.x0 || wx > c.x1 || wy < c.y0 || wy > c.y1) continue;
          target.push(wx, wy, color);
        }
      }
  };
  if (data.background) draw(data.background, GREY, background);
  data.clusters.forEach((s, k) => draw(s, selectionRgba(k, 0.85), points));

  const frames = new VertexBuffer(n * n * 12);
  const frameColor: [number, number, number, number] = [1, 1, 1, 0.35];
  const axisColor: [number, number, number, number] = [1, 1, 1, 0.16];
  const labels: PlotLabel[] = [];
  const dimName = (d: FeatureDim) => (d.kind === 'time' ? 'time' : `${channelLabels[data.channelIds[d.slot]] ?? data.channelIds[d.slot]}${pcLetter(d.pc)}`);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const c = layout.cell(i, j);
      const r = cellRects[i * n + j];
      frames.frame(c.x0, c.y0, c.x1, c.y1, frameColor);
      const [zx, zy] = layout.toWorld(i, j, r, 0, 0);
      if (i !== j && zx > c.x0 && zx < c.x1) frames.segment(zx, c.y0, zx, c.y1, axisColor);
      if (zy > c.y0 && zy < c.y1) frames.segment(c.x0, zy, c.x1, zy, axisColor);
      labels.push({ x: c.x1, y: c.y1, text: dimName(dims[i]), align: 'end', baseline: 'top', dx: -4, dy: 3, color: '#d8d8d8' });
      labels.push({ x: (c.x0 + c.x1) / 2, y: c.y0, text: dimName(cellXDim(dims, i, j)), align: 'middle', baseline: 'bottom', dy: -3, color: '#d8d8d8' });
    }
  return { layout, dims, cellRects, points: points.finish(), background: background.finish(), frames: frames.finish(), labels };
}
