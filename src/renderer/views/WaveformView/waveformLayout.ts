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

export interface WaveformGeometry {
  lines: VertexData;
  meanLines: VertexData;
  guides: VertexData;
  bounds: Rect;
  labels: PlotLabel[];
  /** One box per channel in world coordinates (hit test of ctrl+click). */
  boxes: ChannelBox[];
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
export function buildWaveformGeometry(
  data: WaveformsData,
  channelPositions: Float32Array,
  channelLabels: Int32Array,
  display: WaveformDisplay,
): WaveformGeometry {
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

  const boxIndex = new Map<number, Box>();
  for (const b of boxes) boxIndex.set(b.ch, b);
  const nClusters = data.clusters.length;
  const ns = data.nSamples;
  const w = boxW * display.widthScale;
  // Exact sizes up front: growing buffers of ~10^5–10^6 vertices costs more than filling them.
  const isAverage = data.kind !== 'waveforms';
  let nLines = 0;
  let nMean = 0;
  for (const c of data.clusters) {
    const nCh = c.channelIds.length;
    const nSpikes = Math.floor(c.data.length / Math.max(1, ns * nCh));
    const perChannel = Math.max(0, ns - 1) * 2;
    if (isAverage) nMean += nCh * nSpikes * perChannel;
    else {
      nLines += nCh * nSpikes * perChannel;
      if (display.showMean) nMean += nCh * perChannel;
    }
  }
  const lines = new VertexBuffer(Math.max(1, nLines));
  const meanLines = new VertexBuffer(Math.max(1, nMean));
  const guides = new VertexBuffer(256);
  const guideColor: [number, number, number, number] = [1, 1, 1, 0.18];

  const sub = display.overlap ? w : w / Math.max(1, nClusters);
  const sampleX = (b: Box, k: number, t: number) => b.x - w / 2 + (display.overlap ? 0 : k * sub) + (t / Math.max(1, ns - 1)) * sub * 0.94;

  for (const b of boxes) guides.segment(b.x - w / 2, b.y, b.x + w / 2, b.y, guideColor);

  data.clusters.forEach((c, k) => {
    const nCh = c.channelIds.length;
    const nSpikes = Math.floor(c.data.length / Math.max(1, ns * nCh));
    const alpha = isAverage ? 1 : Math.max(0.12, Math.min(0.5, 12 / Math.max(1, nSpikes)));
    const color = selectionRgba(k, alpha);
    const target = isAverage ? meanLines : lines;
    for (let j = 0; j < nCh; j++) {
      const b = boxIndex.get(c.channelIds[j]);
      if (!b) continue;
      for (let s = 0; s < nSpikes; s++) {
        const base = s * ns * nCh + j;
        let px = sampleX(b, k, 0);
        let py = b.y + c.data[base] * yScale;
        for (let t = 1; t < ns; t++) {
          const x = sampleX(b, k, t);
          const y = b.y + c.data[base + t * nCh] * yScale;
          target.segment(px, py, x, y, color);
          px = x;
          py = y;
        }
      }
      if (!isAverage && display.showMean && c.mean.length >= ns * nCh) {
        const mc = selectionRgba(k, 1);
        const light: [number, number, number, number] = [mc[0] * 0.5 + 0.5, mc[1] * 0.5 + 0.5, mc[2] * 0.5 + 0.5, 1];
        let px = sampleX(b, k, 0);
        let py = b.y + c.mean[j] * yScale;
        for (let t = 1; t < ns; t++) {
          const x = sampleX(b, k, t);
          const y = b.y + c.mean[t * nCh + j] * yScale;
          meanLines.segment(px, py, x, y, light);
          px = x;
          py = y;
        }
      }
    }
  });

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
  return { lines: lines.finish(), meanLines: meanLines.finish(), guides: guides.finish(), bounds, labels, boxes: hitBoxes };
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
