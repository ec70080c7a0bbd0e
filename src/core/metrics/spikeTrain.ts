/**
 * Spike-train quality metrics, as SpikeInterface defines them (`spikeinterface/metrics/quality/
 * misc_metrics.py` and `metrics/spiketrain/metrics.py`, read at commit a5f7dbb, July 2026). One
 * segment: `totalSamples` is the recording's length in samples (SpikeInterface's
 * `get_total_samples()`), spike times are in samples, ascending.
 */
import { histogramOfSorted, percentile } from './stats';

/**
 * SpikeInterface's bin edges over one segment (`metrics/utils.py: compute_bin_edges_per_unit`,
 * no periods): 0, b, 2b, … up to the last whole bin (`arange(0, ⌊T/b⌋·b + 1, b)`), b =
 * ⌊binSeconds · fs⌋ samples. A tail shorter than a bin is left out.
 */
export function binEdges(totalSamples: number, binSamples: number): Float64Array {
  if (!(binSamples > 0)) return new Float64Array(0);
  const n = Math.floor(totalSamples / binSamples);
  return Float64Array.from({ length: n + 1 }, (_, i) => i * binSamples);
}

/**
 * `firing_rate` (`spiketrain/metrics.py: compute_firing_rates`): spikes / recording duration,
 * Hz. NaN for a cluster without spikes (SpikeInterface's rule) or a zero duration.
 */
export function firingRate(nSpikes: number, durationSeconds: number): number {
  if (nSpikes === 0 || !(durationSeconds > 0)) return NaN;
  return nSpikes / durationSeconds;
}

/** Defaults of `presence_ratio` (`PresenceRatio.metric_params`). */
export const PRESENCE_RATIO_DEFAULTS = { binDurationSeconds: 60, meanFrRatioThresh: 0 };

/**
 * `presence_ratio` (`misc_metrics.py: compute_presence_ratios` + `presence_ratio`): the fraction
 * of 60 s bins in which the cluster fires more than ⌊fr · bin · meanFrRatioThresh⌋ spikes (0 by
 * default, so "at least one spike"). NaN when the recording is shorter than one bin or the
 * cluster has no spikes.
 */
export function presenceRatio(
  spikeTimes: ArrayLike<number>,
  totalSamples: number,
  sampleRate: number,
  opts: Partial<typeof PRESENCE_RATIO_DEFAULTS> = {},
): number {
  const { binDurationSeconds, meanFrRatioThresh } = { ...PRESENCE_RATIO_DEFAULTS, ...opts };
  const binSamples = Math.floor(binDurationSeconds * sampleRate);
  if (totalSamples < binSamples || spikeTimes.length === 0) return NaN;
  const edges = binEdges(totalSamples, binSamples);
  if (edges.length < 2) return 0;
  const fr = spikeTimes.length / (totalSamples / sampleRate);
  const thresh = Math.floor(fr * binDurationSeconds * meanFrRatioThresh);
  const h = histogramOfSorted(spikeTimes, edges);
  let active = 0;
  for (let i = 0; i < h.length; i++) if (h[i] > thresh) active++;
  return active / h.length;
}

/** Defaults of `isi_violation` (`ISIViolation.metric_params`). */
export const ISI_VIOLATION_DEFAULTS = { isiThresholdMs: 1.5, minIsiMs: 0 };

/** `isi_violations_ratio` and `isi_violations_count`. */
export interface IsiViolations {
  isi_violations_ratio: number;
  isi_violations_count: number;
}

/**
 * Hill/UMS ISI violations (`misc_metrics.py: compute_isi_violations` + `isi_violations`):
 * count = consecutive ISIs < 1.5 ms; with N spikes over T seconds,
 * ratio = (count / (2 · N · (thr − minIsi))) / (N / T) — the rate of the hypothetical
 * contaminating neuron relative to the cluster's rate. No spikes: ratio NaN and count −1
 * (SpikeInterface's values); one spike: 0 and 0.
 */
export function isiViolations(
  spikeTimes: ArrayLike<number>,
  sampleRate: number,
  durationSeconds: number,
  opts: Partial<typeof ISI_VIOLATION_DEFAULTS> = {},
): IsiViolations {
  const { isiThresholdMs, minIsiMs } = { ...ISI_VIOLATION_DEFAULTS, ...opts };
  const n = spikeTimes.length;
  if (n === 0) return { isi_violations_ratio: NaN, isi_violations_count: -1 };
  const thr = isiThresholdMs / 1000;
  let count = 0;
  // SpikeInterface compares ISIs in seconds (times / fs), so do we: the same float comparisons.
  for (let i = 1; i < n; i++) if (spikeTimes[i] / sampleRate - spikeTimes[i - 1] / sampleRate < thr) count++;
  const violationTime = 2 * n * (thr - minIsiMs / 1000);
  const totalRate = n / durationSeconds;
  return { isi_violations_ratio: count / violationTime / totalRate, isi_violations_count: count };
}

/** Defaults of `rp_violation` (`RPViolation.metric_params`). */
export const RP_VIOLATION_DEFAULTS = { refractoryPeriodMs: 1.0, censoredPeriodMs: 0.0 };

/** `rp_contamination` and `rp_violations`. */
export interface RpViolations {
  rp_contamination: number;
  rp_violations: number;
}

/**
 * Llobet et al. 2022 refractory-period contamination (`misc_metrics.py:
 * compute_refrac_period_violations`, `_compute_nb_violations_numba`,
 * `_compute_rp_contamination_one_unit`). Violations = pairs of spikes (not only consecutive
 * ones) at most t_r = round(1 ms · fs) samples apart, ties included (three spikes within t_r
 * make 3). With N spikes, T samples and t_c = round(censored · fs):
 * rp_contamination = 1 − √(1 − n_v · (T − 2 N t_c) / (N² (t_r − t_c))), 1 when the root's
 * argument is negative. No spikes: NaN and −1; one spike: NaN and 0. (SpikeInterface does not
 * use t_c when counting; neither do we.)
 */
export function rpViolations(
  spikeTimes: ArrayLike<number>,
  sampleRate: number,
  totalSamples: number,
  opts: Partial<typeof RP_VIOLATION_DEFAULTS> = {},
): RpViolations {
  const { refractoryPeriodMs } = { ...RP_VIOLATION_DEFAULTS, ...opts };
  const n = spikeTimes.length;
  if (n === 0) return { rp_contamination: NaN, rp_violations: -1 };
  const tr = Math.round(refractoryPeriodMs * sampleRate * 1e-3);
  let nv = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (spikeTimes[j] - spikeTimes[i] > tr) break;
      nv++;
    }
  }
  return { rp_contamination: rpContaminationOfCount(nv, n, sampleRate, totalSamples, opts), rp_violations: nv };
}

/**
 * Llobet's `rp_contamination` of a train of `n` spikes over `totalSamples` with `violations`
 * pairs ≤ t_r apart (the formula of {@link rpViolations}, for a caller that counted the pairs
 * itself: a merge's union has the parts' violations plus the cross pairs). NaN for n ≤ 1.
 */
export function rpContaminationOfCount(violations: number, n: number, sampleRate: number, totalSamples: number, opts: Partial<typeof RP_VIOLATION_DEFAULTS> = {}): number {
  const { refractoryPeriodMs, censoredPeriodMs } = { ...RP_VIOLATION_DEFAULTS, ...opts };
  if (n <= 1) return NaN;
  const tc = Math.round(censoredPeriodMs * sampleRate * 1e-3);
  const tr = Math.round(refractoryPeriodMs * sampleRate * 1e-3);
  const denom = 1 - (violations * (totalSamples - 2 * n * tc)) / (n * n * (tr - tc));
  return denom < 0 ? 1 : 1 - Math.sqrt(denom);
}

/** Defaults of `firing_range` (`FiringRange.metric_params`). */
export const FIRING_RANGE_DEFAULTS = { binSizeSeconds: 5, percentiles: [5, 95] as [number, number] };

/**
 * `firing_range` (`misc_metrics.py: compute_firing_ranges`): firing rates in consecutive 5 s
 * bins (the last partial bin left out), then their 95th − 5th percentile (NumPy's linear
 * interpolation), Hz. NaN without spikes or when the recording is shorter than one bin.
 */
export function firingRange(
  spikeTimes: ArrayLike<number>,
  totalSamples: number,
  sampleRate: number,
  opts: Partial<typeof FIRING_RANGE_DEFAULTS> = {},
): number {
  const { binSizeSeconds, percentiles } = { ...FIRING_RANGE_DEFAULTS, ...opts };
  const binSamples = Math.floor(binSizeSeconds * sampleRate);
  if (spikeTimes.length === 0 || totalSamples < binSamples) return NaN;
  const h = histogramOfSorted(spikeTimes, binEdges(totalSamples, binSamples));
  const rates = Float64Array.from(h, (c) => c / binSizeSeconds);
  return percentile(rates, percentiles[1]) - percentile(rates, percentiles[0]);
}
