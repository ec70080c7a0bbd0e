/**
 * Amplitude-distribution quality metrics, as SpikeInterface defines them
 * (`spikeinterface/metrics/quality/misc_metrics.py`, commit a5f7dbb). `amplitudes` are one
 * cluster's spike amplitudes in spike order (spikedock passes `amplitudes.npy`, the template
 * scaling factors: SpikeInterface's `spike_amplitudes` extension would give µV on the peak
 * channel; the metrics below are ratios or in the amplitudes' own unit).
 */
import { lowerBound } from '../search';
import { gaussianFilter1dNearest, histogramUniformOfParts, mean, median, percentile, std } from './stats';

/**
 * `amplitude_median` (`compute_amplitude_medians`): the median of the amplitudes (NumPy median,
 * in the amplitudes' unit). NaN without spikes.
 */
export function amplitudeMedian(amplitudes: ArrayLike<number>): number {
  return median(amplitudes);
}

/**
 * Defaults of `amplitude_cutoff`: `AmplitudeCutoff.metric_params` (100 bins — the low-level
 * `amplitude_cutoff` function's own default of 500 is not what `compute_quality_metrics` uses),
 * smoothing σ = 3 bins, at least 5 spikes per bin.
 */
export const AMPLITUDE_CUTOFF_DEFAULTS = { numHistogramBins: 100, histogramSmoothingValue: 3, amplitudesBinsMinRatio: 5 };

/**
 * `amplitude_cutoff` (`compute_amplitude_cutoffs` + `amplitude_cutoff`, after Hill et al. and the
 * Allen Institute's ecephys code): amplitudes are negated when their median is negative; the
 * histogram (100 bins over [min, max]) is smoothed by a Gaussian of σ = 3 bins (SciPy keeps the
 * histogram's integer dtype, so the smoothed counts are truncated); G = the last bin whose
 * smoothed count is ≥ that of the first bin; missing = Σ pdf[G+1…];
 * fraction = min(missing / (N + missing), 0.5). NaN with fewer than 5 × 100 spikes.
 */
export function amplitudeCutoff(amplitudes: ArrayLike<number>, opts: Partial<typeof AMPLITUDE_CUTOFF_DEFAULTS> = {}): number {
  return amplitudeCutoffOfParts([amplitudes], opts);
}

/**
 * {@link amplitudeCutoff} of the concatenation of `parts` (a merge's union: its clusters'
 * amplitudes, in any order — the metric reads their distribution only), without concatenating
 * them. The median's sign is {@link medianIsNegative}'s (one pass, no sorted copy).
 */
export function amplitudeCutoffOfParts(parts: readonly ArrayLike<number>[], opts: Partial<typeof AMPLITUDE_CUTOFF_DEFAULTS> = {}): number {
  const { numHistogramBins, histogramSmoothingValue, amplitudesBinsMinRatio } = { ...AMPLITUDE_CUTOFF_DEFAULTS, ...opts };
  let n = 0;
  for (const p of parts) n += p.length;
  if (n / numHistogramBins < amplitudesBinsMinRatio) return NaN;
  let amps: readonly ArrayLike<number>[] = parts;
  if (medianIsNegative(parts)) amps = parts.map((p) => Float64Array.from(p, (a) => -a));
  const h = histogramUniformOfParts(amps, numHistogramBins);
  const pdf = gaussianFilter1dNearest(h, histogramSmoothingValue, true);
  const cutoff = pdf[0];
  let g = 0;
  for (let i = 0; i < pdf.length; i++) if (pdf[i] >= cutoff) g = i;
  let missing = 0;
  for (let i = g + 1; i < pdf.length; i++) missing += pdf[i];
  return Math.min(missing / (n + missing), 0.5);
}

/**
 * Whether NumPy's median of the concatenated `parts` is negative (false with a NaN, as the
 * median is then NaN), from one pass: the count of negative values, the largest negative and the
 * smallest non-negative one. With n values and c negative, the middle order statistics are
 * both negative when c > ⌊n/2⌋ (and the median too), both ≥ 0 when c < ⌈n/2⌉; for even n and
 * c = n/2 they are exactly the largest negative and the smallest non-negative value, averaged
 * with `stats.ts: medianInPlace`'s own expression so the sign is the same to the last bit. O(n), no
 * copy: the median itself sorted a copy by selection (a third of a merge preview's time).
 */
export function medianIsNegative(parts: readonly ArrayLike<number>[]): boolean {
  let n = 0;
  let neg = 0;
  let maxNeg = -Infinity;
  let minNonNeg = Infinity;
  for (const p of parts) {
    n += p.length;
    for (let i = 0; i < p.length; i++) {
      const v = p[i];
      if (v < 0) {
        neg++;
        if (v > maxNeg) maxNeg = v;
      } else if (v >= 0) {
        if (v < minNonNeg) minNonNeg = v;
      } else return false; // NaN
    }
  }
  if (n === 0) return false;
  if (n % 2 === 1) return neg > (n - 1) / 2;
  if (neg !== n / 2) return neg > n / 2;
  return maxNeg + (minNonNeg - maxNeg) * 0.5 < 0;
}

/** Defaults of `amplitude_cv` (`AmplitudeCV.metric_params`). */
export const AMPLITUDE_CV_DEFAULTS = { averageNumSpikesPerBin: 50, percentiles: [5, 95] as [number, number], minNumBins: 10 };

/** `amplitude_cv_median` and `amplitude_cv_range` (SpikeInterface's `amplitude_cv` metric has these two columns). */
export interface AmplitudeCv {
  amplitude_cv_median: number;
  amplitude_cv_range: number;
}

/**
 * `amplitude_cv` (`compute_amplitude_cv_metrics`): bins of ⌊50 / fr · fs⌋ samples from 0 (edges
 * `arange(0, T + 1, bin)`, so the tail after the last edge is left out); per bin,
 * std(amplitudes in bin) / |mean(all amplitudes)|; `amplitude_cv_median` = the median of these,
 * `amplitude_cv_range` = their 95th − 5th percentile. NaN without spikes or with fewer than 10
 * bins; NaN too when a bin holds no spike (NumPy's std of nothing is NaN and the median keeps
 * it — SpikeInterface's behaviour, kept so the values agree).
 */
export function amplitudeCv(
  spikeTimes: ArrayLike<number>,
  amplitudes: ArrayLike<number>,
  totalSamples: number,
  sampleRate: number,
  opts: Partial<typeof AMPLITUDE_CV_DEFAULTS> = {},
): AmplitudeCv {
  const { averageNumSpikesPerBin, percentiles, minNumBins } = { ...AMPLITUDE_CV_DEFAULTS, ...opts };
  const nan = { amplitude_cv_median: NaN, amplitude_cv_range: NaN };
  const n = spikeTimes.length;
  if (n === 0 || !(totalSamples > 0)) return nan;
  const fr = n / (totalSamples / sampleRate);
  const binSamples = Math.floor((averageNumSpikesPerBin / fr) * sampleRate);
  if (!(binSamples > 0)) return nan;
  const ampMean = Math.abs(mean(amplitudes));
  const spreads: number[] = [];
  let i0 = 0;
  // Edge k = k · bin; bounds = searchsorted(times, edges, 'left') (times sorted, as spikes are).
  i0 = lowerBound(spikeTimes, 0);
  for (let e = binSamples; e <= totalSamples; e += binSamples) {
    const i1 = lowerBound(spikeTimes, e, i0);
    const bin = Array.prototype.slice.call(amplitudes, i0, i1) as number[];
    spreads.push(std(bin) / ampMean);
    i0 = i1;
  }
  if (spreads.length < minNumBins) return nan;
  const hasNaN = spreads.some((v) => Number.isNaN(v));
  return {
    amplitude_cv_median: median(spreads),
    amplitude_cv_range: hasNaN ? NaN : percentile(spreads, percentiles[1]) - percentile(spreads, percentiles[0]),
  };
}
