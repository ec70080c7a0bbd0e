import { describe, expect, it } from 'vitest';
import { chi2Cdf, gaussianFilter1dNearest, histogramOfSorted, histogramUniform, histogramUniformOfParts, histogramWithEdges, linregressSlope, median, percentile, selectKth } from '../../../../src/core/metrics/stats';
import { Rng } from '../../../../src/core/random';

describe('metric statistics helpers', () => {
  it('percentile and median follow NumPy (linear interpolation, NaN propagates)', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([0, 10], 5)).toBeCloseTo(0.5, 12);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([])).toBeNaN();
    expect(median([1, NaN, 3])).toBeNaN();
  });
  it('histograms close their last bin', () => {
    expect(Array.from(histogramWithEdges([0, 1, 2, 2, 3], [0, 1, 2, 3]))).toEqual([1, 1, 3]);
    // bins=2 over [0, 4]: [0, 2) and [2, 4].
    expect(Array.from(histogramUniform([0, 1, 2, 4], 2))).toEqual([2, 2]);
  });
  it('selectKth puts the k-th smallest at k, no larger value before it and no smaller after (against a sort)', () => {
    const rng = new Rng(8, 9);
    for (const n of [1, 2, 3, 10, 601, 602, 2000, 15000]) {
      for (const ties of [false, true]) {
        const base = Float64Array.from({ length: n }, () => (ties ? rng.int(7) : rng.normal()));
        const sorted = base.slice().sort();
        for (const k of [0, n >> 1, n - 1, rng.int(n)]) {
          const a = base.slice();
          selectKth(a, k);
          expect(a[k], `n ${n} k ${k}`).toBe(sorted[k]);
          for (let i = 0; i < k; i++) expect(a[i] <= a[k]).toBe(true);
          for (let i = k + 1; i < n; i++) expect(a[i] >= a[k]).toBe(true);
          expect(a.slice().sort()).toEqual(sorted);
        }
      }
    }
  });
  it('histogramOfSorted equals histogramWithEdges on ascending values, ties on the edges included', () => {
    expect(Array.from(histogramOfSorted([0, 1, 2, 2, 3], [0, 1, 2, 3]))).toEqual([1, 1, 3]);
    // Values below the first and above the last edge are not counted.
    expect(Array.from(histogramOfSorted([-1, 0, 3, 3, 4], [0, 1, 2, 3]))).toEqual([1, 0, 2]);
    const rng = new Rng(8, 8);
    const values = Float64Array.from({ length: 5000 }, () => Math.floor(rng.uniform() * 1200) - 50).sort();
    const edges = Float64Array.from({ length: 12 }, (_, k) => k * 100);
    expect(Array.from(histogramOfSorted(values, edges))).toEqual(Array.from(histogramWithEdges(values, edges)));
    expect(Array.from(histogramUniformOfParts([values.subarray(0, 100), values.subarray(100)], 37))).toEqual(Array.from(histogramUniform(values, 37)));
  });
  it('gaussian_filter1d(mode="nearest") with σ = 1 (radius 4)', () => {
    // Weights e^(−k²/2), k = −4…4: 1, .6065307, .1353353, .0111090, .0003355 (each side);
    // sum 1 + 2 · .7533105 = 2.506621. A 10 in the middle of zeros: 10 · w / sum.
    const f = gaussianFilter1dNearest([0, 0, 10, 0, 0], 1);
    expect(f[2]).toBeCloseTo(10 / 2.506621, 5);
    expect(f[1]).toBeCloseTo((10 * 0.6065307) / 2.506621, 5);
    expect(f[0]).toBeCloseTo((10 * 0.1353353) / 2.506621, 5);
    // Integer output truncates (SciPy keeps np.histogram's int dtype): 3.99 → 3, 2.42 → 2, .54 → 0.
    expect(Array.from(gaussianFilter1dNearest([0, 0, 10, 0, 0], 1, true))).toEqual([0, 2, 3, 2, 0]);
    // "nearest" repeats the edge: a constant stays constant.
    expect(Array.from(gaussianFilter1dNearest([5, 5, 5], 3))).toEqual([5, 5, 5].map((v) => expect.closeTo(v, 12)));
  });
  it('chi2 cdf matches known values', () => {
    // χ²₁ survival = erfc(√(x/2)): erfc(√1.5) = .0832645, erfc(√6) = .000532.
    expect(1 - chi2Cdf(3, 1)).toBeCloseTo(0.0832645, 6);
    expect(1 - chi2Cdf(12, 1)).toBeCloseTo(0.000532, 6);
    // χ²₂ cdf = 1 − e^(−x/2).
    expect(chi2Cdf(2, 2)).toBeCloseTo(1 - Math.exp(-1), 12);
    expect(chi2Cdf(50, 12)).toBeCloseTo(1 - 1.6e-6, 6);
  });
  it('linregress slope', () => {
    expect(linregressSlope([0, 1, 2], [1, 3, 5])).toBeCloseTo(2, 12);
    expect(linregressSlope([1], [1])).toBeNaN();
  });
});
