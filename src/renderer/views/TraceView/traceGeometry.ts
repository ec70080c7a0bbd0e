import type { TracesData } from '../../../shared/ipc/contract';
import { hslToRgb, type Rgba } from '../../plot/color';
import { VertexBuffer, type VertexData } from '../../plot/VertexBuffer';
import type { PlotLabel } from '../../plot/Overlay';
import { clusterRgba } from '../viewColors';

/** Rows of channels around a spike's best channel that show it in the cluster's colour. */
const SPIKE_ROWS = 2;
/** Half width of the coloured stretch around each spike, seconds (≈ a template's half length). */
const SPIKE_HALF_WIDTH = 0.001;

/** phy's channel gradient: purple at the bottom of the probe, teal at the top. */
function channelColor(row: number, nRows: number): Rgba {
  const f = nRows > 1 ? row / (nRows - 1) : 0;
  const [r, g, b] = hslToRgb(275 - 100 * f, 0.4, 0.5);
  return [r, g, b, 1];
}

/** Robust amplitude of the traces: the 99th percentile of |value| over a sample. */
export function traceAmplitude(data: TracesData): number {
  const n = data.data.length;
  const step = Math.max(1, Math.floor(n / 50000));
  const sample = new Float64Array(Math.ceil(n / step));
  for (let i = 0, k = 0; i < n; i += step) sample[k++] = Math.abs(data.data[i]);
  sample.sort();
  return sample[Math.floor(sample.length * 0.99)] || 1;
}

export interface TraceLines {
  traces: VertexData;
  labels: PlotLabel[];
  nRows: number;
  /** World units per data unit (the robust amplitude, times the gain). */
  scale: number;
}

export interface TraceSpikes {
  spikes: VertexData;
  /** Spikes in world coordinates (x: s from t0, y: row) for ctrl+click picking. */
  spikeX: Float32Array;
  spikeY: Float32Array;
  spikeClusters: Int32Array;
  /** What was drawn: (spike index, selection index or -1) pairs; equal layers draw the same. */
  drawn: Int32Array;
}

/** Whether two spike layers of the same window draw exactly the same (so no redraw is needed). */
export function sameSpikeLayer(a: TraceSpikes, b: TraceSpikes): boolean {
  if (a.spikeClusters !== b.spikeClusters || a.drawn.length !== b.drawn.length) return false;
  for (let i = 0; i < a.drawn.length; i++) if (a.drawn[i] !== b.drawn[i]) return false;
  return true;
}

export type TraceGeometry = TraceLines & TraceSpikes;

function rowPlacement(data: TracesData, originTop: boolean | undefined) {
  const nCh = data.channelIds.length;
  // phy's alt+o: the first channel at the bottom (default) or at the top.
  const yOf = originTop ? (c: number) => nCh - 1 - c : (c: number) => c;
  const envelope = data.mode === 'envelope';
  const value = (i: number, c: number, which = 0) => (envelope ? data.data[(i * nCh + c) * 2 + which] : data.data[i * nCh + c]);
  return { nCh, yOf, envelope, value };
}

/**
 * Traces stacked by channel (row 0 at the bottom, as in phy), x in seconds from the window
 * start (keeps float32 vertex positions precise far into long recordings). `originTop` puts the
 * first channel at the top instead (phy's alt+o). Independent of the selection, so a cluster
 * switch never rebuilds (or re-uploads) the traces.
 */
export function buildTraceLines(data: TracesData, channelLabels: Int32Array, options: { gain: number; originTop?: boolean }): TraceLines {
  const { nCh, yOf, envelope, value } = rowPlacement(data, options.originTop);
  const nT = data.nTimes;
  // The 99th percentile of a channel spans ±0.35 rows at gain 1: spikes overlap neighbours a little, noise does not.
  const scale = (0.35 / traceAmplitude(data)) * options.gain;
  const traces = new VertexBuffer(nCh * nT * 2);
  for (let c = 0; c < nCh; c++) {
    const color = channelColor(c, nCh);
    if (envelope) {
      for (let i = 0; i < nT; i++) {
        const x = i * data.dt;
        traces.segment(x, yOf(c) + value(i, c, 0) * scale, x, yOf(c) + value(i, c, 1) * scale, color);
      }
    } else {
      for (let i = 1; i < nT; i++) traces.segment((i - 1) * data.dt, yOf(c) + value(i - 1, c) * scale, i * data.dt, yOf(c) + value(i, c) * scale, color);
    }
  }
  const labels: PlotLabel[] = [];
  const every = Math.max(1, Math.ceil(nCh / 48));
  for (let c = 0; c < nCh; c += every) labels.push({ x: 0, y: yOf(c), text: String(channelLabels[data.channelIds[c]] ?? data.channelIds[c]), dx: 2, color: '#e6e6e6', halo: true });
  return { traces: traces.finish(), labels, nRows: nCh, scale };
}

/**
 * The spikes of the window drawn over the traces in their cluster's colour, on the best channel
 * and its neighbours (all spikes, or the selected clusters' only); `scale` from `buildTraceLines`.
 */
export function buildTraceSpikes(data: TracesData, selected: readonly number[], scale: number, options: { allSpikes: boolean; originTop?: boolean }): TraceSpikes {
  const { nCh, yOf, envelope, value } = rowPlacement(data, options.originTop);
  const nT = data.nTimes;
  const rowOf = new Map<number, number>();
  data.channelIds.forEach((ch, row) => rowOf.set(ch, row));
  const sp = data.spikes;
  const spikes = new VertexBuffer(1024);
  const spikeX = new Float32Array(sp.times.length);
  const spikeY = new Float32Array(sp.times.length);
  const half = Math.max(1, Math.round(SPIKE_HALF_WIDTH / data.dt));
  const drawn: number[] = [];
  for (let k = 0; k < sp.times.length; k++) {
    const clusterId = sp.clusterIds[k];
    const isSelected = selected.includes(clusterId);
    const row = rowOf.get(sp.channels[k]) ?? -1;
    const x = sp.times[k] - data.t0;
    spikeX[k] = x;
    spikeY[k] = row < 0 ? -1 : yOf(row);
    if (row < 0 || (!options.allSpikes && !isSelected)) continue;
    drawn.push(k, selected.indexOf(clusterId));
    const color = clusterRgba(clusterId, selected, 1, 0.62);
    const i0 = Math.round(x / data.dt);
    for (let r = Math.max(0, row - SPIKE_ROWS); r <= Math.min(nCh - 1, row + SPIKE_ROWS); r++) {
      if (envelope) {
        // Columns are narrower than a spike here: colour every column the spike covers (≥ 1).
        for (let i = Math.max(0, i0 - half); i <= Math.min(nT - 1, i0 + half); i++)
          spikes.segment(i * data.dt, yOf(r) + value(i, r, 0) * scale, i * data.dt, yOf(r) + value(i, r, 1) * scale, color);
      } else {
        for (let i = Math.max(1, i0 - half); i <= Math.min(nT - 1, i0 + half); i++) spikes.segment((i - 1) * data.dt, yOf(r) + value(i - 1, r) * scale, i * data.dt, yOf(r) + value(i, r) * scale, color);
      }
    }
  }
  return { spikes: spikes.finish(), spikeX, spikeY, spikeClusters: sp.clusterIds, drawn: Int32Array.from(drawn) };
}

/** Both layers at once (tests, and any caller that redraws everything). */
export function buildTraceGeometry(
  data: TracesData,
  channelLabels: Int32Array,
  selected: readonly number[],
  options: { gain: number; allSpikes: boolean; originTop?: boolean },
): TraceGeometry {
  const lines = buildTraceLines(data, channelLabels, options);
  return { ...lines, ...buildTraceSpikes(data, selected, lines.scale, options) };
}
