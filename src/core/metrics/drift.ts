/**
 * Drift metrics (`spikeinterface/metrics/quality/misc_metrics.py: compute_drift_metrics`, commit
 * a5f7dbb). SpikeInterface reads spike positions from its `spike_locations` extension; spikedock
 * passes the sorter's per-spike positions (`spike_positions.npy`) when the dataset has them, else
 * each spike's template position (see `clusterMetrics.ts`).
 */
import { binEdges } from './spikeTrain';
import { median, std, withoutNaN } from './stats';

export { templateCentreOfMass } from '../compute/drift';

/** Defaults of `drift` (`Drift.metric_params`). */
export const DRIFT_DEFAULTS = { intervalSeconds: 60, minSpikesPerInterval: 100, minFractionValidIntervals: 0.5, minNumBins: 2 };

/** `drift_ptp`, `drift_std`, `drift_mad`, µm. */
export interface DriftMetrics {
  drift_ptp: number;
  drift_std: number;
  drift_mad: number;
}

/**
 * Positions along depth (`direction="y"`), one per spike, are grouped in 60 s intervals (the
 * presence-ratio bins); an interval's position is the median of its spikes' when it has at least
 * 100 spikes, NaN otherwise; drift = interval position − the median of all the cluster's
 * positions. `drift_ptp` = max − min, `drift_std` = population std, `drift_mad` = median |d −
 * median d| of the non-NaN drifts. NaN with fewer than 2 intervals in the recording, or when
 * more than half the intervals are NaN.
 */
export function driftMetrics(
  spikeTimes: ArrayLike<number>,
  positions: ArrayLike<number>,
  totalSamples: number,
  sampleRate: number,
  opts: Partial<typeof DRIFT_DEFAULTS> = {},
): DriftMetrics {
  const { intervalSeconds, minSpikesPerInterval, minFractionValidIntervals, minNumBins } = { ...DRIFT_DEFAULTS, ...opts };
  const nan = { drift_ptp: NaN, drift_std: NaN, drift_mad: NaN };
  const edges = binEdges(totalSamples, Math.floor(intervalSeconds * sampleRate));
  const nBins = edges.length - 1;
  if (nBins < minNumBins) return nan;
  const reference = median(positions);
  const diffs = new Float64Array(nBins).fill(NaN);
  const n = spikeTimes.length;
  let i0 = 0;
  while (i0 < n && spikeTimes[i0] < edges[0]) i0++;
  for (let b = 0; b < nBins; b++) {
    let i1 = i0;
    while (i1 < n && spikeTimes[i1] < edges[b + 1]) i1++;
    if (i1 - i0 >= minSpikesPerInterval) diffs[b] = median(Array.prototype.slice.call(positions, i0, i1) as number[]) - reference;
    i0 = i1;
  }
  const valid = withoutNaN(diffs);
  if (nBins - valid.length > minFractionValidIntervals * nBins || valid.length === 0) return nan;
  let lo = Infinity;
  let hi = -Infinity;
  for (const d of valid) {
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
  }
  const m = median(valid);
  return { drift_ptp: hi - lo, drift_std: std(valid), drift_mad: median(Float64Array.from(valid, (d) => Math.abs(d - m))) };
}
