/**
 * Per-cluster spike-train statistics: refractory-period violations (for the CorrelogramView
 * readout and the cluster table), the ISI histogram and the firing rate over time.
 * Times are samples (`Float64Array`), rates in Hz, durations in seconds.
 */

/** Refractory statistics of one spike train. */
export interface RefractoryCounts {
  nSpikes: number;
  /** Consecutive-spike intervals strictly shorter than the refractory period. */
  nViolations: number;
  /** nViolations / (nSpikes − 1), 0 when fewer than 2 spikes. */
  violationRate: number;
  /**
   * Estimated contamination c (Hill, Mehta & Kleinfeld 2011, censored period 0): solves
   * `nViolations = 2 · τR · N² · c · (1 − c) / T`, clipped to [0, 1] (1 when no solution).
   */
  contamination: number;
}

/**
 * Refractory statistics of the spikes `spikeIds` (ascending) with times `spikeTimes[spikeIds]`
 * in samples. `refractoryPeriod` and `duration` in seconds.
 */
export function refractoryStats(
  spikeTimes: ArrayLike<number>,
  spikeIds: ArrayLike<number>,
  sampleRate: number,
  refractoryPeriod: number,
  duration: number,
): RefractoryCounts {
  const n = spikeIds.length;
  const limit = refractoryPeriod * sampleRate;
  let nViolations = 0;
  for (let k = 1; k < n; k++) {
    if (spikeTimes[spikeIds[k]] - spikeTimes[spikeIds[k - 1]] < limit) nViolations++;
  }
  return refractoryCounts(n, nViolations, refractoryPeriod, duration);
}

/**
 * {@link refractoryStats} of a train given as its own times (`times` (nSpikes,) samples,
 * non-decreasing): the same counts without indirection, for callers that already gathered them.
 */
export function refractoryStatsOfTimes(times: Float64Array, sampleRate: number, refractoryPeriod: number, duration: number): RefractoryCounts {
  const n = times.length;
  const limit = refractoryPeriod * sampleRate;
  let nViolations = 0;
  for (let k = 1; k < n; k++) if (times[k] - times[k - 1] < limit) nViolations++;
  return refractoryCounts(n, nViolations, refractoryPeriod, duration);
}

/** The {@link RefractoryCounts} of a train of `nSpikes` with `nViolations` short intervals. */
function refractoryCounts(nSpikes: number, nViolations: number, refractoryPeriod: number, duration: number): RefractoryCounts {
  return {
    nSpikes,
    nViolations,
    violationRate: nSpikes > 1 ? nViolations / (nSpikes - 1) : 0,
    contamination: contaminationEstimate(nViolations, nSpikes, refractoryPeriod, duration),
  };
}

/** Hill et al. (2011) contamination from the violation count (see {@link RefractoryCounts}). */
export function contaminationEstimate(nViolations: number, nSpikes: number, refractoryPeriod: number, duration: number): number {
  if (nViolations === 0 || nSpikes < 2 || refractoryPeriod <= 0 || duration <= 0) return 0;
  const k = (nViolations * duration) / (2 * refractoryPeriod * nSpikes * nSpikes);
  if (k >= 0.25) return 1;
  return Math.min(1, Math.max(0, (1 - Math.sqrt(1 - 4 * k)) / 2));
}

/**
 * ISI histogram of one train: counts of consecutive-spike intervals in bins of `binSize` seconds
 * over [0, max) — `nBins = round(max / binSize)` (Float32Array, counts). Intervals ≥ max are
 * not counted.
 */
export function isiHistogram(
  spikeTimes: ArrayLike<number>,
  spikeIds: ArrayLike<number>,
  sampleRate: number,
  binSize: number,
  max: number,
  out?: Float32Array,
): Float32Array {
  const nBins = Math.max(1, Math.round(max / binSize));
  const h = out ?? new Float32Array(nBins);
  const binSamples = binSize * sampleRate;
  for (let k = 1; k < spikeIds.length; k++) {
    const b = Math.floor((spikeTimes[spikeIds[k]] - spikeTimes[spikeIds[k - 1]]) / binSamples);
    if (b >= 0 && b < nBins) h[b]++;
  }
  return h;
}

/**
 * Firing rate over time of one train: `nBins` equal bins over [0, duration] s, values in Hz
 * (spikes in the bin / bin width). Spikes at or after `duration` go to the last bin.
 */
export function firingRateHistogram(
  spikeTimes: ArrayLike<number>,
  spikeIds: ArrayLike<number>,
  sampleRate: number,
  duration: number,
  nBins: number,
  out?: Float32Array,
): Float32Array {
  const h = out ?? new Float32Array(nBins);
  const binSeconds = duration / nBins;
  if (!(binSeconds > 0)) return h;
  const binSamples = binSeconds * sampleRate;
  for (let k = 0; k < spikeIds.length; k++) {
    const b = Math.min(nBins - 1, Math.max(0, Math.floor(spikeTimes[spikeIds[k]] / binSamples)));
    h[b]++;
  }
  for (let b = 0; b < nBins; b++) h[b] /= binSeconds;
  return h;
}

/** Histograms of several clusters at once (ISIView, FiringRateView). */
export interface ClusterHistograms {
  nBins: number;
  /** Seconds. */
  start: number;
  /** Seconds. */
  binSize: number;
  /** (nClusters, nBins): counts (ISI) or Hz (firing rate). */
  values: Float32Array;
}

/**
 * ISI histograms (`kind: 'isi'`, bins of `binSize` s up to `max` s) or firing rates over the
 * recording (`'firingRate'`, `nBins` bins of `duration / nBins` s) of each list of spike ids.
 * O(spikes in the lists); `onCluster` runs after each cluster (cancellation checks).
 */
export function clusterHistograms(
  kind: 'isi' | 'firingRate',
  spikeTimes: ArrayLike<number>,
  lists: ArrayLike<number>[],
  opts: { sampleRate: number; duration: number; binSize: number; max: number; nBins: number },
  onCluster: () => void = () => undefined,
): ClusterHistograms {
  if (kind === 'isi') {
    const nBins = Math.max(1, Math.round(opts.max / opts.binSize));
    const values = new Float32Array(lists.length * nBins);
    lists.forEach((ids, k) => {
      isiHistogram(spikeTimes, ids, opts.sampleRate, opts.binSize, opts.max, values.subarray(k * nBins, (k + 1) * nBins));
      onCluster();
    });
    return { nBins, start: 0, binSize: opts.binSize, values };
  }
  const nBins = Math.max(1, opts.nBins);
  const values = new Float32Array(lists.length * nBins);
  lists.forEach((ids, k) => {
    firingRateHistogram(spikeTimes, ids, opts.sampleRate, opts.duration, nBins, values.subarray(k * nBins, (k + 1) * nBins));
    onCluster();
  });
  return { nBins, start: 0, binSize: opts.duration / nBins, values };
}
