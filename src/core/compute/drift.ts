/**
 * DriftView's computations: every spike's depth (once per dataset), the (time, depth) density
 * image of all spikes, and the spike (and cluster) a click lands on.
 *
 * Depth follows what Kilosort and SpikeInterface draw in a drift map: the sorter's per-spike
 * position when there is one (Kilosort 4, `kilosort/plots.py: plot_drift_scatter`:
 * `y = st0[:, 1]`, the spike's depth in µm, the y column of `spike_positions.npy`;
 * SpikeInterface, `widgets/motion.py: DriftRasterMapWidget` (`plot_drift_raster_map`): the `y`
 * of `spike_locations`), else the spike's template position, the centre of mass of the
 * unwhitened template's peak-to-peak over the channels' depths (`templateCentreOfMass`, the
 * position the drift metrics use too). Neither
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
 * `spike_positions.npy`, (nSpikes, 2) x, y µm (y = depth), or a SpikeInterface analyzer's
 * `spike_locations` (the `locations` attribute, records x, y). Null when absent or with fewer
 * than two columns. The one rule for "the dataset has spike positions" (drift metrics, DriftView).
 */
export function spikePositionsAttribute(spikeAttributes: readonly SpikeAttribute[]): SpikeAttribute | null {
  return spikeAttributes.find((a) => (a.name === 'positions' || a.name === 'locations') && a.nColumns >= 2) ?? null;
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

/** One of `count` equal shares of a range's spikes (one worker thread's part of an image). */
export interface DriftPart {
  index: number;
  count: number;
}

/** Sums part images into the first (in place) and returns it. */
export function sumDensities(parts: DriftDensity[]): DriftDensity {
  const out = parts[0];
  for (let p = 1; p < parts.length; p++) {
    const c = parts[p].counts;
    for (let k = 0; k < c.length; k++) out.counts[k] += c[k];
    out.nSpikes += parts[p].nSpikes;
  }
  let maxCount = 0;
  for (let k = 0; k < out.counts.length; k++) if (out.counts[k] > maxCount) maxCount = out.counts[k];
  out.maxCount = maxCount;
  return out;
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
 * `check` is called every 2^20 spikes (a worker's cancel check). `part`: only that share of the
 * range's spikes (images of all parts sum, by {@link sumDensities}, to the whole one).
 */
export function driftDensity(
  spikeTimes: ArrayLike<number>,
  depths: ArrayLike<number>,
  sampleRate: number,
  grid: DriftGrid,
  check?: () => void,
  part?: DriftPart,
): DriftDensity {
  const { nTimeBins: nt, nDepthBins: nd } = grid;
  const counts = new Uint32Array(nt * nd);
  const s0 = grid.t0 * sampleRate;
  const s1 = grid.t1 * sampleRate;
  let first = lowerBound(spikeTimes, s0);
  let last = upperBound(spikeTimes, s1);
  if (part) {
    // This part's share of the range's spikes: its images sum to the whole one.
    const n = last - first;
    [first, last] = [first + Math.floor((n * part.index) / part.count), first + Math.floor((n * (part.index + 1)) / part.count)];
  }
  // Bins per sample and per µm; a zero-width range puts everything in bin 0.
  const perSample = s1 > s0 ? nt / (s1 - s0) : 0;
  const perUm = grid.d1 > grid.d0 ? nd / (grid.d1 - grid.d0) : 0;
  const { d0, d1 } = grid;
  let n = 0;
  // Chunks of 2^20 spikes between cancel checks. Offsets are ≥ 0 inside the range, so `| 0`
  // truncates as Math.floor would (half the cost per spike at 10 M spikes); bins are < 2^12.
  for (let c0 = first; c0 < last; c0 += 1 << 20) {
    check?.();
    const c1 = Math.min(last, c0 + (1 << 20));
    for (let i = c0; i < c1; i++) {
      const d = depths[i];
      if (!(d >= d0 && d <= d1)) continue;
      const tb = ((spikeTimes[i] - s0) * perSample) | 0;
      const db = ((d - d0) * perUm) | 0;
      counts[(db < nd ? db : nd - 1) * nt + (tb < nt ? tb : nt - 1)]++;
      n++;
    }
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
 * Calls `visit(spike, d2)` for every spike with a finite depth within `radiusPixels` of the click
 * (d2: squared distance in pixels as drawn), in spike order; only the spikes of the time window
 * [time − r, time + r] are looked at.
 */
function forSpikesNearClick(spikeTimes: ArrayLike<number>, depths: ArrayLike<number>, sampleRate: number, click: DriftClick, visit: (spike: number, d2: number) => void): void {
  const rt = click.radiusPixels * click.secondsPerPixel;
  const first = lowerBound(spikeTimes, (click.time - rt) * sampleRate);
  const last = upperBound(spikeTimes, (click.time + rt) * sampleRate);
  const pxPerSample = 1 / (click.secondsPerPixel * sampleRate);
  const pxPerUm = 1 / click.umPerPixel;
  const ts = click.time * sampleRate;
  const r2 = click.radiusPixels * click.radiusPixels;
  for (let i = first; i < last; i++) {
    const dy = (depths[i] - click.depth) * pxPerUm;
    if (!(Math.abs(dy) <= click.radiusPixels)) continue;
    const dx = (spikeTimes[i] - ts) * pxPerSample;
    const d2 = dx * dx + dy * dy;
    if (d2 <= r2) visit(i, d2);
  }
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
  let best = -1;
  let bestD2 = Infinity;
  forSpikesNearClick(spikeTimes, depths, sampleRate, click, (i, d2) => {
    if (d2 < bestD2 && include(i)) {
      bestD2 = d2;
      best = i;
    }
  });
  return best;
}

/**
 * What a click on the density means: of the spikes within `radiusPixels` of the click (pixels as
 * drawn), the cluster that has the most of them — the unit that makes that spot of the image
 * bright — and that cluster's spike nearest to the click; -1 when no spike is that near. Ties
 * between clusters: the one whose nearest spike is nearer, then the lower cluster id.
 *
 * Why not simply the nearest spike: where units overlap in depth (most of a Neuropixels probe)
 * the nearest of thousands of spikes belongs to whichever unit fired there by chance, so a click
 * on a band would select a neighbour as often as the band's own unit. `clusterOf(spikeId)`: the
 * live cluster of a spike.
 */
export function spikeOfDensestCluster(
  spikeTimes: ArrayLike<number>,
  depths: ArrayLike<number>,
  clusterOf: (spikeId: number) => number,
  sampleRate: number,
  click: DriftClick,
): number {
  // Per cluster: spikes near the click, and its nearest one.
  const near = new Map<number, { n: number; d2: number; spike: number }>();
  forSpikesNearClick(spikeTimes, depths, sampleRate, click, (i, d2) => {
    const c = clusterOf(i);
    const e = near.get(c);
    if (!e) near.set(c, { n: 1, d2, spike: i });
    else {
      e.n++;
      if (d2 < e.d2) {
        e.d2 = d2;
        e.spike = i;
      }
    }
  });
  let best: { c: number; n: number; d2: number; spike: number } | null = null;
  for (const [c, e] of near) {
    if (!best || e.n > best.n || (e.n === best.n && (e.d2 < best.d2 || (e.d2 === best.d2 && c < best.c)))) best = { c, ...e };
  }
  return best ? best.spike : -1;
}
