/**
 * The few numeric helpers the metrics need, each matching the NumPy/SciPy function that
 * SpikeInterface calls (named in each comment), so a metric here and its SpikeInterface original
 * agree on the same input.
 */
import { inverseNormalCdf } from '../random';
import { lowerBound, upperBound } from '../search';

/** Values sorted ascending as float64 (the input is not modified). */
function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * `np.percentile(values, q)` with NumPy's default linear interpolation: position q/100 · (n − 1)
 * in the sorted values. NaN for no values. `q` in [0, 100].
 */
export function percentile(values: ArrayLike<number>, q: number): number {
  return percentileOfSorted(sortedCopy(values), q);
}

/** {@link percentile} of values already sorted ascending. */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (q / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const f = pos - lo;
  return sorted[lo] + (sorted[hi] - sorted[lo]) * f;
}

/** `np.median`: NaN for no values, and NaN when any value is NaN (NumPy propagates it). */
export function median(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) return NaN;
  return medianInPlace(Float64Array.from(values));
}

/**
 * The median of `a` (no NaN), reordering `a`: {@link percentile}(a, 50) by selection instead of
 * a sort — O(n), the same value (the same two order statistics and the same interpolation). The
 * noise levels take 2 medians of 15,000 samples per channel and chunk: 7,680 × 2 for a
 * 384-channel probe, 8 s sorted, 0.5 s selected.
 */
export function medianInPlace(a: Float64Array): number {
  const n = a.length;
  if (n === 0) return NaN;
  const pos = 0.5 * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  selectKth(a, lo);
  const low = a[lo];
  let high = low;
  if (hi !== lo) {
    // After selecting lo, everything right of it is ≥ a[lo]: the next order statistic is their minimum.
    high = a[hi];
    for (let i = hi + 1; i < n; i++) if (a[i] < high) high = a[i];
  }
  return low + (high - low) * (pos - lo);
}

/**
 * Reorders `a` so that a[k] is its k-th smallest value, smaller or equal ones before, larger or
 * equal after (no NaN). Floyd and Rivest's selection (CACM 18(3), 1975, algorithm 489): above
 * 600 elements it first selects within a sample-sized window around where k's value should
 * fall, so the partition that follows puts k near its final place and most elements are
 * compared about 1.5 times, against ~3 for plain median-of-three quickselect. The noise levels
 * of a 384-channel probe select 30,720 medians of 15,000 values.
 */
export function selectKth(a: Float64Array, k: number, left = 0, right = a.length - 1): void {
  while (right > left) {
    if (right - left > 600) {
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      selectKth(a, k, Math.max(left, Math.floor(k - (m * s) / n + sd)), Math.min(right, Math.floor(k + ((n - m) * s) / n + sd)));
    }
    const t = a[k];
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right] > t) swap(a, right, left);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i] < t) i++;
      while (a[j] > t) j--;
    }
    if (a[left] === t) swap(a, left, j);
    else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** `np.mean`: NaN for no values. */
export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/** `np.std` (population, ddof = 0): NaN for no values. */
export function std(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < n; i++) s += (values[i] - m) ** 2;
  return Math.sqrt(s / n);
}

/** The values that are not NaN (for NumPy's `nan*` functions). */
export function withoutNaN(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) out.push(values[i]);
  return Float64Array.from(out);
}

/**
 * Least-squares slope of y on x (`scipy.stats.linregress(x, y).slope`): cov(x, y) / var(x).
 * NaN for fewer than 2 points or constant x.
 */
export function linregressSlope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxx === 0 ? NaN : sxy / sxx;
}

/** ln Γ(z) for z > 0 (Lanczos, g = 7, 9 terms: ~1e-15 relative). */
function logGamma(z: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const x = z - 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Regularized lower incomplete gamma P(a, x) (Numerical Recipes' series for x < a + 1, Lentz's
 * continued fraction otherwise; ~1e-14).
 */
export function regularizedGammaP(a: number, x: number): number {
  if (!(x > 0)) return 0;
  if (x === Infinity) return 1;
  const lga = logGamma(a);
  if (x < a + 1) {
    let ap = a;
    let sum = 1 / a;
    let del = sum;
    for (let n = 0; n < 1000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-16) break;
    }
    return sum * Math.exp(-x + a * Math.log(x) - lga);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return 1 - Math.exp(-x + a * Math.log(x) - lga) * h;
}

/** `scipy.stats.chi2.cdf(x, dof)` = P(dof / 2, x / 2). */
export function chi2Cdf(x: number, dof: number): number {
  return regularizedGammaP(dof / 2, x / 2);
}

/**
 * `scipy.stats.chi2.ppf(p, dof)`: the x with χ²_cdf(x, dof) = p, for 0 < p < 1 (0 at p = 0,
 * Infinity at p = 1). Wilson–Hilferty's cube-root normal approximation starts Newton's method on
 * the regularized incomplete gamma (derivative: the χ² density), kept inside a bracket that
 * bisects when a step leaves it; converges to ~1e-12 relative in a handful of steps (table values
 * in the unit test: χ²₀.₉₉₉(3) = 16.266, χ²₀.₉₉₉(12) = 32.909, χ²₀.₉₅(1) = 3.841).
 */
export function chi2Ppf(p: number, dof: number): number {
  if (!(dof > 0) || Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  const k = dof / 2;
  const c = 2 / (9 * dof);
  const wh = dof * Math.pow(1 - c + inverseNormalCdf(p) * Math.sqrt(c), 3);
  let x = wh > 0 ? wh : Math.pow(p * Math.exp(logGamma(k + 1)), 1 / k) * 2; // small-x limit P ≈ (x/2)^k / Γ(k+1)
  let lo = 0;
  let hi = Infinity;
  const logNorm = k * Math.LN2 + logGamma(k);
  for (let i = 0; i < 200; i++) {
    const f = chi2Cdf(x, dof) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const pdf = Math.exp((k - 1) * Math.log(x) - x / 2 - logNorm);
    let next = x - f / pdf;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = hi === Infinity ? x * 2 : (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-13 * x) return next;
    x = next;
  }
  return x;
}

/**
 * `scipy.ndimage.gaussian_filter1d(h, sigma, mode="nearest")` with its default `truncate=4.0`
 * (kernel radius ⌊4σ + 0.5⌋, weights exp(−x²/2σ²) normalised to sum 1; edges repeat the end
 * values). `integerOutput`: SciPy writes the result in the input's dtype, so an integer
 * histogram (what `np.histogram` returns) comes back truncated toward zero — pass true to do the same.
 */
export function gaussianFilter1dNearest(h: ArrayLike<number>, sigma: number, integerOutput = false): Float64Array {
  const n = h.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const radius = Math.floor(4 * sigma + 0.5);
  const w = new Float64Array(2 * radius + 1);
  let sw = 0;
  for (let k = -radius; k <= radius; k++) {
    w[k + radius] = Math.exp((-0.5 * k * k) / (sigma * sigma));
    sw += w[k + radius];
  }
  for (let k = 0; k < w.length; k++) w[k] /= sw;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = -radius; k <= radius; k++) {
      const j = Math.min(n - 1, Math.max(0, i + k));
      s += w[k + radius] * h[j];
    }
    out[i] = integerOutput ? Math.trunc(s) : s;
  }
  return out;
}

/**
 * `np.histogram(values, bins=edges)[0]`: counts in [e_i, e_{i+1}), the last bin closed
 * [e_{n−1}, e_n]. `edges` ascending.
 */
export function histogramWithEdges(values: ArrayLike<number>, edges: ArrayLike<number>): Int32Array {
  const nb = edges.length - 1;
  const out = new Int32Array(Math.max(nb, 0));
  if (nb <= 0) return out;
  for (let i = 0; i < values.length; i++) {
    const k = histogramBin(edges, values[i]);
    if (k >= 0) out[k]++;
  }
  return out;
}

/**
 * {@link histogramWithEdges} of ascending `sorted` values (a spike train), by two binary searches
 * per edge instead of one per value: O(bins · log n). The same counts (bins [e_k, e_k+1), the
 * last closed); `sorted` must be non-decreasing and free of NaN.
 */
export function histogramOfSorted(sorted: ArrayLike<number>, edges: ArrayLike<number>): Int32Array {
  const nb = edges.length - 1;
  const out = new Int32Array(Math.max(nb, 0));
  if (nb <= 0) return out;
  let from = lowerBound(sorted, edges[0]);
  for (let k = 0; k < nb; k++) {
    const to = k === nb - 1 ? upperBound(sorted, edges[nb], from) : lowerBound(sorted, edges[k + 1], from);
    out[k] = to - from;
    from = to;
  }
  return out;
}

/**
 * `np.histogram(values, bins=n)[0]`: n equal bins over [min, max] (NumPy widens a zero range to
 * [v − 0.5, v + 0.5]); the last bin is closed.
 */
export function histogramUniform(values: ArrayLike<number>, n: number): Int32Array {
  return histogramUniformOfParts([values], n);
}

/**
 * {@link histogramUniform} of the concatenation of `parts`, without concatenating them (a merge
 * preview's union of its clusters' amplitudes): the same bins and counts.
 */
export function histogramUniformOfParts(parts: readonly ArrayLike<number>[], n: number): Int32Array {
  const out = new Int32Array(Math.max(n, 0));
  if (n <= 0) return out;
  let lo = Infinity;
  let hi = -Infinity;
  let count = 0;
  for (const values of parts) {
    count += values.length;
    for (let i = 0; i < values.length; i++) {
      if (values[i] < lo) lo = values[i];
      if (values[i] > hi) hi = values[i];
    }
  }
  if (count === 0) return out;
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = hi - lo;
  for (const values of parts) {
    for (let i = 0; i < values.length; i++) {
      let k = Math.floor(((values[i] - lo) / width) * n);
      if (k >= n) k = n - 1;
      if (k < 0) k = 0;
      out[k]++;
    }
  }
  return out;
}

/**
 * `np.histogram_bin_edges(values, bins)` (NumPy 2) for the finite values (NaN and ±Inf are left
 * out, as the caller counts them apart): `bins` equal bins, or NumPy's `'auto'` width — the
 * smaller of Sturges (ptp / (log2 n + 1)) and a relaxed Freedman–Diaconis (2·IQR·n^(−1/3), at
 * least half the square-root width ptp / (2√n), so never more than ⌈2√n⌉ bins) — over
 * [min, max] (widened to [v − 0.5, v + 0.5] when min = max), with ⌈(max − min) / width⌉ bins.
 * As NumPy does for an integer array, a width under 1 becomes 1 when every value is an integer
 * (counts: `num_spikes`). Edges ascending, (nBins + 1,); [0, 1] with one bin when no value is finite.
 */
export function histogramBinEdges(values: ArrayLike<number>, bins: number | 'auto' = 'auto'): Float64Array {
  const finite: number[] = [];
  let integers = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    finite.push(v);
    if (integers && !Number.isInteger(v)) integers = false;
  }
  if (finite.length === 0) return Float64Array.of(0, 1);
  const sorted = Float64Array.from(finite).sort();
  const n = sorted.length;
  let first = sorted[0];
  let last = sorted[n - 1];
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  let nBins: number;
  if (bins !== 'auto') {
    nBins = Math.max(1, Math.floor(bins));
  } else {
    const ptp = sorted[n - 1] - sorted[0];
    const sturges = ptp / (Math.log2(n) + 1);
    const iqr = percentileOfSorted(sorted, 75) - percentileOfSorted(sorted, 25);
    const fd = Math.max(2 * iqr * n ** (-1 / 3), ptp / Math.sqrt(n) / 2);
    let width = Math.min(fd, sturges);
    if (integers && width > 0 && width < 1) width = 1;
    nBins = width > 0 ? Math.ceil((last - first) / width) : 1;
  }
  // np.linspace(first, last, nBins + 1): step multiplied, not accumulated; the last edge exact.
  const edges = new Float64Array(nBins + 1);
  const step = (last - first) / nBins;
  for (let i = 0; i <= nBins; i++) edges[i] = first + i * step;
  edges[nBins] = last;
  return edges;
}

/**
 * The bin of `v` under `edges` as `np.histogram` counts it: i with e_i ≤ v < e_{i+1}, the last
 * bin closed; −1 when v is outside [e_0, e_n] or NaN.
 */
export function histogramBin(edges: ArrayLike<number>, v: number): number {
  const nb = edges.length - 1;
  if (nb <= 0 || !(v >= edges[0] && v <= edges[nb])) return -1;
  if (v === edges[nb]) return nb - 1;
  return upperBound(edges, v, 1, nb) - 1;
}
