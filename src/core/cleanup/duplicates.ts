/**
 * Duplicate spikes (issue #14): Kilosort sometimes detects one event twice, a few samples apart,
 * in the same cluster (or assigns it to two clusters). We follow SpikeInterface's
 * `remove_duplicated_spikes` (spikeinterface `src/spikeinterface/curation/remove_duplicated_spikes.py`
 * and `curation_tools.py: find_duplicated_spikes`, method "keep_first"): the interval in samples is
 * `int(round(interval_ms · 1e-3 · fs))`, two spikes are duplicates when their times differ by at
 * most that (`np.diff(spike_train) <= censored_period`), and the later spike of each such pair is
 * the duplicate (not iterative: of a triplet A, B, C with B − A and C − B within it, B and C go).
 */

/** Defaults of the duplicate search: 0.2 ms (SpikeInterface's own default is 0.3 ms). */
export const DUPLICATE_DEFAULTS = { intervalMs: 0.2 };

/** The interval in whole samples, rounded as SpikeInterface does: `int(round(ms · 1e-3 · fs))`. */
export function censoredSamples(intervalMs: number, sampleRate: number): number {
  return Math.round(intervalMs * 1e-3 * sampleRate);
}

/**
 * Indices into `times` ((n,) non-decreasing spike times of ONE cluster, samples) of its
 * duplicates: each spike at most `censored` samples after the previous one ("keep_first").
 */
export function duplicatesWithin(times: ArrayLike<number>, censored: number): Int32Array {
  const out = new Int32Array(countDuplicatesWithin(times, censored));
  for (let i = 1, k = 0; i < times.length; i++) if (times[i] - times[i - 1] <= censored) out[k++] = i;
  return out;
}

/**
 * How many spikes `duplicatesWithin` would return, without allocating: the number of ISIs of
 * at most `censored` samples (CorrelogramView's label beside the ACG's centre bin).
 */
export function countDuplicatesWithin(times: ArrayLike<number>, censored: number): number {
  let n = 0;
  for (let i = 1; i < times.length; i++) if (times[i] - times[i - 1] <= censored) n++;
  return n;
}

/**
 * Indices into `timesB` of the spikes of a second cluster that are the same event as a spike of
 * the first: within `censored` samples (either side) of some spike of `timesA`. Both arrays are
 * non-decreasing spike times in samples; one merge-like pass, O(nA + nB). The first cluster keeps
 * its spikes, as "keep_first" keeps the first of a pair.
 */
export function duplicatesAcross(timesA: ArrayLike<number>, timesB: ArrayLike<number>, censored: number): Int32Array {
  const hits: number[] = [];
  let a = 0;
  for (let j = 0; j < timesB.length; j++) {
    const t = timesB[j];
    // The first spike of A not more than `censored` before t; A's pointer only moves forward.
    while (a < timesA.length && timesA[a] < t - censored) a++;
    if (a < timesA.length && timesA[a] <= t + censored) hits.push(j);
  }
  return Int32Array.from(hits);
}
