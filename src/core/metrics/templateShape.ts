/**
 * Single-channel template shape metrics with SpikeInterface's names and definitions
 * (`spikeinterface/postprocessing/template_metrics.py` as of commit e9dedc1, July 2025 — the
 * version that still has these names; `metrics/template/metrics.py` renamed them since, e.g.
 * `peak_to_valley` → `peak_to_trough_duration`). The template is upsampled 10× first
 * (`scipy.signal.resample_poly`, reproduced by {@link resamplePoly}); durations are in seconds,
 * slopes in template units per second.
 */
import { linregressSlope } from './stats';

/** Defaults (`ComputeTemplateMetrics` and `_default_function_kwargs`). */
export const TEMPLATE_METRICS_DEFAULTS = { upsamplingFactor: 10, recoveryWindowMs: 0.7, peakRelativeThreshold: 0.2, peakWidthMs: 0.1 };

/** Names of the metrics {@link templateMetrics} returns, in SpikeInterface's order. */
export const TEMPLATE_METRIC_NAMES = [
  'peak_to_valley',
  'peak_trough_ratio',
  'half_width',
  'repolarization_slope',
  'recovery_slope',
  'num_positive_peaks',
  'num_negative_peaks',
] as const;

/** One value per {@link TEMPLATE_METRIC_NAMES} entry. */
export type TemplateMetrics = Record<(typeof TEMPLATE_METRIC_NAMES)[number], number>;

/** Modified Bessel function I₀ (power series; converges fast for the Kaiser β = 5 used here). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/**
 * `scipy.signal.resample_poly(x, up, 1)` with its defaults: the low-pass FIR
 * `firwin(2·half + 1, 1 / up, window=("kaiser", 5.0))` (half = 10 · up taps each side, windowed
 * sinc scaled to unit DC gain) times `up`, applied to x zero-stuffed by `up`, zero-padded at the
 * ends, aligned so output sample j·up falls on input sample j:
 * y[j] = Σₖ x[k] · h[half + j − up·k], j < n · up.
 */
export function resamplePoly(x: ArrayLike<number>, up: number): Float64Array {
  const n = x.length;
  if (up <= 1) return Float64Array.from(x);
  const half = 10 * up;
  const nTaps = 2 * half + 1;
  const cutoff = 1 / up;
  const beta = 5;
  const h = new Float64Array(nTaps);
  let s = 0;
  const i0b = besselI0(beta);
  for (let i = 0; i < nTaps; i++) {
    const m = i - half;
    const r = (2 * i) / (nTaps - 1) - 1;
    const w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0b;
    h[i] = cutoff * sinc(cutoff * m) * w;
    s += h[i];
  }
  for (let i = 0; i < nTaps; i++) h[i] = (h[i] / s) * up;
  const y = new Float64Array(n * up);
  for (let j = 0; j < y.length; j++) {
    // Only the k with |half + j − up·k| ≤ half contribute.
    const kLo = Math.max(0, Math.ceil((j - half) / up));
    const kHi = Math.min(n - 1, Math.floor((j + half) / up));
    let acc = 0;
    for (let k = kLo; k <= kHi; k++) acc += x[k] * h[half + j - up * k];
    y[j] = acc;
  }
  return y;
}

/**
 * `get_trough_and_peak_idx`: the trough is the first minimum (argmin); the peak is the first
 * maximum at or after the trough.
 */
export function troughAndPeak(t: ArrayLike<number>): { trough: number; peak: number } {
  let trough = 0;
  for (let i = 1; i < t.length; i++) if (t[i] < t[trough]) trough = i;
  let peak = trough;
  for (let i = trough + 1; i < t.length; i++) if (t[i] > t[peak]) peak = i;
  return { trough, peak };
}

/**
 * `scipy.signal.find_peaks(x, height=minHeight, width=minWidth)` (wlen and rel_height at their
 * defaults: prominence over the whole signal, width at half prominence): local maxima (a flat
 * top counts once, at its middle; the first and last samples are never peaks) with
 * x ≥ minHeight and a width (interpolated, in samples) ≥ minWidth. Returns their indices.
 */
export function findPeaks(x: ArrayLike<number>, minHeight: number, minWidth: number): number[] {
  const n = x.length;
  const candidates: number[] = [];
  let i = 1;
  while (i < n - 1) {
    if (x[i - 1] < x[i]) {
      let ahead = i + 1;
      while (ahead < n - 1 && x[ahead] === x[i]) ahead++;
      if (x[ahead] < x[i]) {
        candidates.push((i + ahead - 1) >> 1);
        i = ahead;
        continue;
      }
    }
    i++;
  }
  const out: number[] = [];
  for (const p of candidates) {
    if (!(x[p] >= minHeight)) continue;
    // Prominence: the lowest point on each side before a higher sample; the higher of the two.
    let leftMin = x[p];
    let leftBase = p;
    for (let k = p; k >= 0 && x[k] <= x[p]; k--) {
      if (x[k] < leftMin) {
        leftMin = x[k];
        leftBase = k;
      }
    }
    let rightMin = x[p];
    let rightBase = p;
    for (let k = p; k < n && x[k] <= x[p]; k++) {
      if (x[k] < rightMin) {
        rightMin = x[k];
        rightBase = k;
      }
    }
    const prominence = x[p] - Math.max(leftMin, rightMin);
    const height = x[p] - prominence * 0.5;
    let k = p;
    while (leftBase < k && x[k] > height) k--;
    let leftIp = k;
    if (x[k] < height) leftIp += (height - x[k]) / (x[k + 1] - x[k]);
    k = p;
    while (k < rightBase && height < x[k]) k++;
    let rightIp = k;
    if (x[k] < height) rightIp -= (height - x[k]) / (x[k - 1] - x[k]);
    if (rightIp - leftIp >= minWidth) out.push(p);
  }
  return out;
}

/**
 * `peak_to_valley` (`get_peak_to_valley`): (peak − trough) / fs, seconds, on the upsampled
 * template (fs × upsampling).
 */
export function peakToValley(t: ArrayLike<number>, fs: number): number {
  const { trough, peak } = troughAndPeak(t);
  return (peak - trough) / fs;
}

/** `peak_trough_ratio` (`get_peak_trough_ratio`): template[peak] / template[trough]. */
export function peakTroughRatio(t: ArrayLike<number>): number {
  const { trough, peak } = troughAndPeak(t);
  return t[peak] / t[trough];
}

/**
 * `half_width` (`get_half_width`), seconds: with threshold = trough value / 2, the samples below
 * it before the trough and from the trough on; half width = ((last such sample after the
 * trough) + 1 − ((first such sample before the trough) − 1)) / fs — SpikeInterface takes the
 * first sample before the trough (its comment says "last"), and so do we. NaN when the peak is
 * at sample 0 or no sample before the trough is below the threshold.
 */
export function halfWidth(t: ArrayLike<number>, fs: number): number {
  const { trough, peak } = troughAndPeak(t);
  if (peak === 0) return NaN;
  const thr = 0.5 * t[trough];
  let firstPre = -1;
  for (let i = 0; i < trough; i++) {
    if (t[i] < thr) {
      firstPre = i;
      break;
    }
  }
  let lastPost = -1;
  for (let i = trough; i < t.length; i++) if (t[i] < thr) lastPost = i - trough;
  if (firstPre < 0 || lastPost < 0) return NaN;
  return (lastPost + 1 + trough - (firstPre - 1)) / fs;
}

/**
 * `repolarization_slope` (`get_repolarization_slope`): the least-squares slope of the template
 * against time from the trough up to (excluded) the first sample ≥ 0 after it, units/s. NaN when
 * the trough is sample 0, the template never returns to 0, or that stretch has fewer than 3
 * samples.
 */
export function repolarizationSlope(t: ArrayLike<number>, fs: number): number {
  const { trough } = troughAndPeak(t);
  if (trough === 0) return NaN;
  let ret = -1;
  for (let i = trough; i < t.length; i++) {
    if (t[i] >= 0) {
      ret = i;
      break;
    }
  }
  if (ret < 0 || ret - trough < 3) return NaN;
  return slopeOver(t, fs, trough, ret);
}

/**
 * `recovery_slope` (`get_recovery_slope`): the least-squares slope from the peak over the next
 * ⌊0.7 ms · fs⌋ samples (clipped to the template), units/s. NaN when the peak is sample 0 or
 * fewer than 2 samples remain.
 */
export function recoverySlope(t: ArrayLike<number>, fs: number, recoveryWindowMs = TEMPLATE_METRICS_DEFAULTS.recoveryWindowMs): number {
  const { peak } = troughAndPeak(t);
  if (peak === 0) return NaN;
  const end = Math.min(Math.floor(peak + (recoveryWindowMs / 1000) * fs), t.length);
  return slopeOver(t, fs, peak, end);
}

function slopeOver(t: ArrayLike<number>, fs: number, from: number, to: number): number {
  const xs = Float64Array.from({ length: Math.max(0, to - from) }, (_, i) => (from + i) / fs);
  const ys = Float64Array.from({ length: Math.max(0, to - from) }, (_, i) => t[from + i]);
  return linregressSlope(xs, ys);
}

/**
 * `num_positive_peaks` / `num_negative_peaks` (`get_num_positive_peaks`,
 * `get_num_negative_peaks`): peaks of the template (of its negation) at least 0.2 × max|template|
 * high and at least ⌊0.1 ms · fs⌋ samples wide ({@link findPeaks}).
 */
export function numPeaks(t: ArrayLike<number>, fs: number, sign: 1 | -1, opts: Partial<typeof TEMPLATE_METRICS_DEFAULTS> = {}): number {
  const { peakRelativeThreshold, peakWidthMs } = { ...TEMPLATE_METRICS_DEFAULTS, ...opts };
  let maxAbs = 0;
  for (let i = 0; i < t.length; i++) maxAbs = Math.max(maxAbs, Math.abs(t[i]));
  const x = sign === 1 ? t : Float64Array.from(t, (v) => -v);
  return findPeaks(x, peakRelativeThreshold * maxAbs, Math.floor((peakWidthMs / 1000) * fs)).length;
}

/**
 * All the single-channel metrics of one template waveform `t` (its main channel, sampled at
 * `sampleRate` Hz): upsampled `upsamplingFactor` times, then each metric above on the upsampled
 * waveform at the upsampled rate (as `ComputeTemplateMetrics._compute_metrics` does).
 */
export function templateMetrics(t: ArrayLike<number>, sampleRate: number, opts: Partial<typeof TEMPLATE_METRICS_DEFAULTS> = {}): TemplateMetrics {
  const o = { ...TEMPLATE_METRICS_DEFAULTS, ...opts };
  const up = o.upsamplingFactor > 1 ? resamplePoly(t, o.upsamplingFactor) : Float64Array.from(t);
  const fs = sampleRate * Math.max(1, o.upsamplingFactor);
  if (up.length === 0) {
    return Object.fromEntries(TEMPLATE_METRIC_NAMES.map((k) => [k, NaN])) as TemplateMetrics;
  }
  return {
    peak_to_valley: peakToValley(up, fs),
    peak_trough_ratio: peakTroughRatio(up),
    half_width: halfWidth(up, fs),
    repolarization_slope: repolarizationSlope(up, fs),
    recovery_slope: recoverySlope(up, fs, o.recoveryWindowMs),
    num_positive_peaks: numPeaks(up, fs, 1, o),
    num_negative_peaks: numPeaks(up, fs, -1, o),
  };
}
