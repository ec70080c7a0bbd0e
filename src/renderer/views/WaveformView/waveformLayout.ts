import type { WaveformsData } from '../../../shared/ipc/contract';
import { VertexBuffer, type VertexData } from '../../plot/VertexBuffer';
import type { Rect } from '../../plot/rect';
import type { PlotLabel } from '../../plot/Overlay';
import { selectionRgba } from '../viewColors';

export interface WaveformDisplay {
  /** Draw every cluster in the same box (phy's `o`), instead of side by side. */
  overlap: boolean;
  /** Amplitude scale (ctrl+up/down). */
  ampScale: number;
  /** Box width scale (ctrl+left/right). */
  widthScale: number;
  /** Waveforms drawn with the mean on top. */
  showMean: boolean;
}

/** Where the waveforms go: one box per channel, the bounds, labels and scales (no lines). */
export interface WaveformLayout {
  guides: VertexData;
  bounds: Rect;
  labels: PlotLabel[];
  /** One box per channel in world coordinates (hit test of ctrl+click). */
  boxes: ChannelBox[];
  /** World units per data unit (y). */
  yScale: number;
  /** Box width (world units). */
  w: number;
  /** Width of one cluster's slot in a box (the box when overlapping). */
  sub: number;
}

export interface WaveformGeometry extends WaveformLayout {
  lines: VertexData;
  meanLines: VertexData;
}

/** A channel's box: centre (x, y), full width w and height h, in world units. */
export interface ChannelBox {
  ch: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Box {
  ch: number;
  x: number;
  y: number;
}

/**
 * Lays the waveforms out on the probe geometry (phy's WaveformView): one box per channel at its
 * position, positions rescaled so that neighbouring columns and rows are 1 unit apart (probes
 * are ~10× taller than wide; µm would squash the boxes), box height = the gap to the nearest
 * channel above or below in the same column.
 */
export function layoutWaveforms(
  data: WaveformsData,
  channelPositions: Float32Array,
  channelLabels: Int32Array,
  display: WaveformDisplay,
): WaveformLayout {
  const channels: number[] = [];
  const seen = new Set<number>();
  for (const c of data.clusters)
    for (const ch of c.channelIds)
      if (!seen.has(ch)) {
        seen.add(ch);
        channels.push(ch);
      }

  const xs = channels.map((ch) => channelPositions[2 * ch] ?? 0);
  const ys = channels.map((ch) => channelPositions[2 * ch + 1] ?? 0);
  const unit = (values: number[]) => {
    const u = [...new Set(values)].sort((a, b) => a - b);
    let d = Infinity;
    for (let i = 1; i < u.length; i++) d = Math.min(d, u[i] - u[i - 1]);
    return { min: u[0] ?? 0, step: Number.isFinite(d) && d > 0 ? d : 1 };
  };
  const ux = unit(xs);
  const uy = unit(ys);
  const boxes: Box[] = channels.map((ch, i) => ({ ch, x: (xs[i] - ux.min) / ux.step, y: (ys[i] - uy.min) / uy.step }));

  const boxW = 0.92;
  let gapY = Infinity;
  for (const a of boxes) for (const b of boxes) if (a !== b && Math.abs(a.x - b.x) < boxW && b.y !== a.y) gapY = Math.min(gapY, Math.abs(b.y - a.y));
  if (!Number.isFinite(gapY)) gapY = 1;
  const boxH = gapY * 0.9;

  // One amplitude scale for every channel and cluster: the largest mean deflection fills half a box.
  let vmax = 0;
  for (const c of data.clusters) for (let i = 0; i < c.mean.length; i++) vmax = Math.max(vmax, Math.abs(c.mean[i]));
  if (vmax === 0) for (const c of data.clusters) for (let i = 0; i < c.data.length; i++) vmax = Math.max(vmax, Math.abs(c.data[i]));
  if (vmax === 0) vmax = 1;
  const yScale = ((boxH / 2) * display.ampScale) / vmax;

  const nClusters = data.clusters.length;
  const w = boxW * display.widthScale;
  const sub = display.overlap ? w : w / Math.max(1, nClusters);
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x - w / 2);
    x1 = Math.max(x1, b.x + w / 2);
    y0 = Math.min(y0, b.y - boxH / 2);
    y1 = Math.max(y1, b.y + boxH / 2);
  }
  const padX = 0.06 * Math.max(1, x1 - x0);
  const bounds = boxes.length ? { x0: x0 - padX, x1: x1 + padX * 0.3, y0: y0 - boxH * 0.15, y1: y1 + boxH * 0.15 } : { x0: 0, x1: 1, y0: 0, y1: 1 };
  const labels: PlotLabel[] = boxes.map((b) => ({ x: b.x - w / 2, y: b.y, text: String(channelLabels[b.ch] ?? b.ch), align: 'end', dx: -3, color: '#cfcfcf', halo: true }));
  const hitBoxes = boxes.map((b) => ({ ch: b.ch, x: b.x, y: b.y, w, h: boxH }));
  const guides = new VertexBuffer(Math.max(1, boxes.length * 2));
  const guideColor: [number, number, number, number] = [1, 1, 1, 0.18];
  for (const b of boxes) guides.segment(b.x - w / 2, b.y, b.x + w / 2, b.y, guideColor);
  return { guides: guides.finish(), bounds, labels, boxes: hitBoxes, yScale, w, sub };
}

/**
 * The layout ({@link layoutWaveforms}) and the lines drawn in it ({@link buildWaveformLines}),
 * at full resolution unless `pixelsPerUnit` is given.
 */
export function buildWaveformGeometry(
  data: WaveformsData,
  channelPositions: Float32Array,
  channelLabels: Int32Array,
  display: WaveformDisplay,
  pixelsPerUnit?: number,
): WaveformGeometry {
  const layout = layoutWaveforms(data, channelPositions, channelLabels, display);
  return { ...layout, ...buildWaveformLines(data, layout, display, pixelsPerUnit) };
}

/**
 * The pixel columns a trace of `nSamples` spans at `pixelsPerUnit` device pixels per world
 * unit (x), or `nSamples` when the pixels can show every sample (no decimation): a trace spans
 * `width` world units.
 */
export function traceColumns(nSamples: number, width: number, pixelsPerUnit: number | undefined): number {
  if (pixelsPerUnit === undefined || !(pixelsPerUnit > 0)) return nSamples;
  const px = Math.floor(width * pixelsPerUnit);
  // Two vertices per column (its minimum and maximum) only pay when a column holds 3+ samples.
  return px * 3 <= nSamples ? Math.max(2, px) : nSamples;
}

/**
 * The waveform lines (and, with `showMean`, the mean drawn over them) in a layout. With
 * `pixelsPerUnit` (device pixels per world unit along x, from the canvas size and zoom), each
 * trace narrower than a third of its samples in pixels is decimated to its pixel columns: per
 * column the minimum and the maximum of its samples, in time order (min-max decimation, which
 * keeps every peak and trough a pixel can show), so a 1,500-cluster probe view never sends more
 * line vertices than the pixels can show. Without it, every sample is a vertex.
 */
export function buildWaveformLines(
  data: WaveformsData,
  layout: WaveformLayout,
  display: WaveformDisplay,
  pixelsPerUnit?: number,
): { lines: VertexData; meanLines: VertexData } {
  const { yScale, w, sub } = layout;
  const ns = data.nSamples;
  const isAverage = data.kind !== 'waveforms';
  const span = sub * 0.94;
  const cols = traceColumns(ns, span, pixelsPerUnit);
  const decimated = cols < ns;
  // Segments of one trace: every sample joined, or per column min → max plus the step to the next column.
  const perTrace = decimated ? cols * 2 - 1 : Math.max(0, ns - 1);
  const boxIndex = new Map<number, ChannelBox>();
  for (const b of layout.boxes) boxIndex.set(b.ch, b);
  // Exact sizes up front: growing buffers of ~10^5–10^6 vertices costs more than filling them.
  let nLines = 0;
  let nMean = 0;
  for (const c of data.clusters) {
    const nCh = c.channelIds.length;
    const nSpikes = Math.floor(c.data.length / Math.max(1, ns * nCh));
    if (isAverage) nMean += nCh * nSpikes * perTrace * 2;
    else {
      nLines += nCh * nSpikes * perTrace * 2;
      if (display.showMean) nMean += nCh * perTrace * 2;
    }
  }
  const lines = new VertexBuffer(Math.max(1, nLines));
  const meanLines = new VertexBuffer(Math.max(1, nMean));
  const colX = new Float64Array(decimated ? cols : ns);
  const colY = new Float64Array(decimated ? cols * 2 : ns);

  /** One trace (`values[base + t * stride]`, t < ns) drawn at box `b`, slot `k`. */
  const trace = (target: VertexBuffer, b: ChannelBox, k: number, values: ArrayLike<number>, base: number, stride: number, color: [number, number, number, number]) => {
    const x0 = b.x - w / 2 + (display.overlap ? 0 : k * sub);
    if (!decimated) {
      let px = x0;
      let py = b.y + values[base] * yScale;
      for (let t = 1; t < ns; t++) {
        const x = x0 + (t / Math.max(1, ns - 1)) * span;
        const y = b.y + values[base + t * stride] * yScale;
        target.segment(px, py, x, y, color);
        px = x;
        py = y;
      }
      return;
    }
    // Column q holds samples [floor(q·ns/cols), floor((q+1)·ns/cols)); its x is its centre.
    for (let q = 0; q < cols; q++) {
      const t0 = Math.floor((q * ns) / cols);
      const t1 = Math.max(t0 + 1, Math.floor(((q + 1) * ns) / cols));
      let lo = Infinity;
      let hi = -Infinity;
      let tLo = t0;
      let tHi = t0;
      for (let t = t0; t < t1; t++) {
        const v = values[base + t * stride];
        if (v < lo) {
          lo = v;
          tLo = t;
        }
        if (v > hi) {
          hi = v;
          tHi = t;
        }
      }
      colX[q] = x0 + (((t0 + t1 - 1) / 2) / Math.max(1, ns - 1)) * span;
      // In time order: the extreme reached first comes first.
      colY[2 * q] = b.y + (tLo <= tHi ? lo : hi) * yScale;
      colY[2 * q + 1] = b.y + (tLo <= tHi ? hi : lo) * yScale;
    }
    for (let q = 0; q < cols; q++) {
      target.segment(colX[q], colY[2 * q], colX[q], colY[2 * q + 1], color);
      if (q + 1 < cols) target.segment(colX[q], colY[2 * q + 1], colX[q + 1], colY[2 * q + 2], color);
    }
  };

  data.clusters.forEach((c, k) => {
    const nCh = c.channelIds.length;
    const nSpikes = Math.floor(c.data.length / Math.max(1, ns * nCh));
    const alpha = isAverage ? 1 : Math.max(0.12, Math.min(0.5, 12 / Math.max(1, nSpikes)));
    const color = selectionRgba(k, alpha);
    const target = isAverage ? meanLines : lines;
    for (let j = 0; j < nCh; j++) {
      const b = boxIndex.get(c.channelIds[j]);
      if (!b) continue;
      for (let s = 0; s < nSpikes; s++) trace(target, b, k, c.data, s * ns * nCh + j, nCh, color);
      if (!isAverage && display.showMean && c.mean.length >= ns * nCh) {
        const mc = selectionRgba(k, 1);
        const light: [number, number, number, number] = [mc[0] * 0.5 + 0.5, mc[1] * 0.5 + 0.5, mc[2] * 0.5 + 0.5, 1];
        trace(meanLines, b, k, c.mean, j, nCh, light);
      }
    }
  });
  return { lines: lines.finish(), meanLines: meanLines.finish() };
}

/** The channel whose box contains world point (x, y), else the nearest box centre within one box size; null when none. */
export function waveformChannelAt(boxes: readonly ChannelBox[], x: number, y: number): number | null {
  let best: number | null = null;
  let bestD = Infinity;
  for (const b of boxes) {
    const dx = Math.abs(x - b.x) / (b.w / 2);
    const dy = Math.abs(y - b.y) / (b.h / 2);
    if (dx <= 1 && dy <= 1) return b.ch;
    const d = Math.max(dx, dy);
    if (d < 2 && d < bestD) {
      bestD = d;
      best = b.ch;
    }
  }
  return best;
}
