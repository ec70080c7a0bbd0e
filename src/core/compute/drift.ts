/**
 * DriftView's computations: every spike's depth (once per dataset), the (time, depth) density
 * image of all spikes, and the spike a click lands on.
 *
 * Depth follows what Kilosort and SpikeInterface draw in a drift map: the sorter's per-spike
 * position when there is one (Kilosort 4 `plot_drift_scatter`: `y = st0[:, 1]`, the spike's
 * depth in µm; SpikeInterface `DriftRasterMapWidget`: the `y` of `spike_locations`), else the
 * spike's template position, the centre of mass of the unwhitened template's peak-to-peak over
 * the channels' depths (`templateCentreOfMass`, the position the drift metrics use too). Neither
 * scales the depth by amplitude: amplitude only sets a point's colour there (Kilosort clips it to
 * 10–100 and greys it on a log scale; SpikeInterface's `color_amplitude`). So depth here is never
 * scaled by amplitude; the density image counts spikes.
 */
import { lowerBound, upperBound } from '../search';
import type { SpikeAttribute } from '../dataset/Dataset';

/**
 * Where spike depths come from: the sorter's per-spike positions (`spike_positions.npy`, its y
 * column), each spike's template position, or none (no positions and no templates: Kwik).
 */
export type DriftDepthSource = 'spike_positions' | 'template_positions' | 'none';

/**
 * The sorter's per-spike positions among a dataset's spike attributes: Kilosort 4's
 * `spike_positions.npy`, (nSpikes, 2) x, y µm (y = depth). Null when absent or with fewer than
 * two columns. The one rule for "the dataset has spike positions" (drift metrics, DriftView).
 */
export function spikePositionsAttribute(spikeAttributes: readonly SpikeAttribute[]): SpikeAttribute | null {
  return spikeAttributes.find((a) => a.name === 'positions' && a.nColumns >= 2) ?? null;
}

/** The depth source of a dataset: its spike positions, else its templates (with each spike's template), else none. */
export function driftDepthSource(spikeAttributes: readonly SpikeAttribute[], hasTemplates: boolean): DriftDepthSource {
  return spikePositionsAttribute(spikeAttributes) ? 'spike_positions' : hasTemplates ? 'template_positions' : 'none';
}

/**
 * A unit's location from its template: the centre of mass of the peak-to-peak amplitude over
 * the channels' positions, `{ x, y }` µm (SpikeInterface's `center_of_mass` localisation, and the
 * position the drift metrics and DriftView give each spike without `spike_positions.npy`). `channels` (k,)
 * channel indices, `ptp` (k,) their peak-to-peak, `channelPositions` (nChannels, 2) µm. NaN for an
 * all-zero template.
 */
export function templateCentreOfMass(channels: ArrayLike<number>, ptp: ArrayLike<number>, channelPositions: ArrayLike<number>): { x: number; y: number } {
  let w = 0;
  let sx = 0;
  let sy = 0;
  for (let k = 0; k < channels.length; k++) {
    w += ptp[k];
    sx += ptp[k] * channelPositions[2 * channels[k]];
    sy += ptp[k] * channelPositions[2 * channels[k] + 1];
  }
  return w > 0 ? { x: sx / w, y: sy / w } : { x: NaN, y: NaN };
}

/**
 * The rectangle and resolution of a density image: seconds [t0, t1] × µm [d0, d1], both ends
 * included (a spike exactly at t1 or d1 falls in the last bin).
 */
export interface DriftGrid {
  /** Seconds. */
  t0: number;
  t1: number;
  /** µm. */
  d0: number;
  d1: number;
  nTimeBins: number;
  nDepthBins: number;
}

/** The density image of {@link driftDensity}. */
export interface DriftDensity {
  /** (nDepthBins, nTimeBins) uint32, row 0 at the shallowest depth d0: spikes per bin. */
  counts: Uint32Array;
  /** Spikes counted (those inside the grid's rectangle with a finite depth). */
  nSpikes: number;
  /** The largest count of one bin (0 when empty): the colour scale's top. */
  maxCount: number;
}

/**
 * Counts the spikes in each (time, depth) bin of `grid`. `spikeTimes` (nSpikes,) samples,
 * non-decreasing; `depths` (nSpikes,) µm (NaN: no depth, not counted). Only the spikes of the
 * time range are visited (two binary searches), so a zoomed-in grid costs what it shows.
 * `check` is called every 2^20 spikes (a worker's cancel check).
 */
export function driftDensity(spikeTimes: ArrayLike<number>, depths: ArrayLike<number>, sampleRate: number, grid: DriftGrid, check?: () => void): DriftDensity {
  const { nTimeBins: nt, nDepthBins: nd } = grid;
  const counts = new Uint32Array(nt * nd);
  const s0 = grid.t0 * sampleRate;
  const s1 = grid.t1 * sampleRate;
  const first = lowerBound(spikeTimes, s0);
  const last = upperBound(spikeTimes, s1);
  // Bins per sample and per µm; a zero-width range puts everything in bin 0.
  const perSample = s1 > s0 ? nt / (s1 - s0) : 0;
  const perUm = grid.d1 > grid.d0 ? nd / (grid.d1 - grid.d0) : 0;
  let n = 0;
  for (let i = first; i < last; i++) {
    if (check && ((i - first) & 0xfffff) === 0) check();
    const d = depths[i];
    if (!(d >= grid.d0 && d <= grid.d1)) continue;
    const tb = Math.min(nt - 1, Math.floor((spikeTimes[i] - s0) * perSample));
    const db = Math.min(nd - 1, Math.floor((d - grid.d0) * perUm));
    counts[db * nt + tb]++;
    n++;
  }
  let maxCount = 0;
  for (let k = 0; k < counts.length; k++) if (counts[k] > maxCount) maxCount = counts[k];
  return { counts, nSpikes: n, maxCount };
}

/**
 * Each spike's depth from its template's: `out[i] = templateDepths[spikeTemplates[i]]`, NaN for a
 * template id outside `templateDepths`. `from`/`to` bound the spikes filled (chunks between
 * cancel checks). `out` (nSpikes,) µm.
 */
export function spikeDepthsFromTemplates(spikeTemplates: ArrayLike<number>, templateDepths: ArrayLike<number>, out: Float32Array, from = 0, to = out.length): void {
  const n = templateDepths.length;
  for (let i = from; i < to; i++) {
    const t = spikeTemplates[i];
    out[i] = t >= 0 && t < n ? templateDepths[t] : NaN;
  }
}

/** Finite min and max of `values` ([NaN, NaN] when none is finite). */
export function finiteRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}

/** Where a click landed and how far a spike may be from it, for {@link nearestSpike}. */
export interface DriftClick {
  /** Seconds and µm. */
  time: number;
  depth: number;
  /** Scale of the plot as drawn: seconds and µm per CSS pixel. */
  secondsPerPixel: number;
  umPerPixel: number;
  /** Pixels: spikes farther than this from the click are not picked. */
  radiusPixels: number;
}

/**
 * The spike nearest to a click in screen distance (pixels on the plot as drawn, so that time and
 * depth weigh as the curator sees them), within `radiusPixels`; -1 when none is. Only spikes
 * with a finite depth and `include(spikeId)` true are candidates (e.g. spikes of a live
 * cluster). Visits the spikes of the time window [time − r, time + r] only. Ties: the lower
 * spike id.
 */
export function nearestSpike(
  spikeTimes: ArrayLike<number>,
  depths: ArrayLike<number>,
  sampleRate: number,
  click: DriftClick,
  include: (spikeId: number) => boolean = () => true,
): number {
  const rt = click.radiusPixels * click.secondsPerPixel;
  const first = lowerBound(spikeTimes, (click.time - rt) * sampleRate);
  const last = upperBound(spikeTimes, (click.time + rt) * sampleRate);
  const pxPerSample = 1 / (click.secondsPerPixel * sampleRate);
  const pxPerUm = 1 / click.umPerPixel;
  const ts = click.time * sampleRate;
  let best = -1;
  let bestD2 = click.radiusPixels * click.radiusPixels;
  for (let i = first; i < last; i++) {
    const dy = (depths[i] - click.depth) * pxPerUm;
    if (!(Math.abs(dy) <= click.radiusPixels)) continue;
    const dx = (spikeTimes[i] - ts) * pxPerSample;
    const d2 = dx * dx + dy * dy;
    if (d2 < bestD2 || (d2 === bestD2 && best < 0)) {
      if (!include(i)) continue;
      bestD2 = d2;
      best = i;
    }
  }
  return best;
}
