import { describe, expect, it } from 'vitest';
import { findOutliers, OUTLIER_DEFAULTS } from '../../../../src/core/cleanup/outliers';
import { chi2Cdf, chi2Ppf } from '../../../../src/core/metrics/stats';

describe('chi2Ppf (scipy.stats.chi2.ppf)', () => {
  it('matches the tables', () => {
    expect(chi2Ppf(0.999, 3)).toBeCloseTo(16.266, 3);
    expect(chi2Ppf(0.999, 12)).toBeCloseTo(32.909, 3);
    expect(chi2Ppf(0.95, 1)).toBeCloseTo(3.841, 3);
    expect(chi2Ppf(0.999, 1)).toBeCloseTo(10.828, 3);
    expect(chi2Ppf(0.99, 1)).toBeCloseTo(6.635, 3);
    expect(chi2Ppf(0.999, 100)).toBeCloseTo(149.449, 3);
    // χ²₂ is exponential with mean 2: ppf(p) = −2 ln(1 − p); the median is 2 ln 2.
    expect(chi2Ppf(0.5, 2)).toBeCloseTo(2 * Math.LN2, 10);
    // Far in the lower tail (Wilson–Hilferty's start is negative there): χ²₁ ppf(0.001) = 1.5708e-6.
    expect(chi2Ppf(0.001, 1)).toBeCloseTo(1.5708e-6, 9);
  });
  it('inverts chi2Cdf and handles the ends', () => {
    for (const d of [1, 2, 3, 7, 12, 40]) for (const p of [1e-6, 0.01, 0.3, 0.9, 0.999999]) expect(chi2Cdf(chi2Ppf(p, d), d)).toBeCloseTo(p, 10);
    expect(chi2Ppf(0, 3)).toBe(0);
    expect(chi2Ppf(1, 3)).toBe(Infinity);
    expect(chi2Ppf(1.5, 3)).toBeNaN();
    expect(chi2Ppf(0.5, 0)).toBeNaN();
  });
});

describe('findOutliers', () => {
  it('gives the hand-computed Mahalanobis distances in 2 dimensions', () => {
    // Four points on the axes: mean 0, covariance diag(2/3, 2/3) (divisor n − 1 = 3), so each
    // point's D² is 1 / (2/3) = 1.5 (the 1e-6 ridge moves it by ~1.5e-6).
    const x = Float64Array.from([1, 0, -1, 0, 0, 1, 0, -1]);
    const r = findOutliers(x, 4, 2);
    for (const d2 of r.distances2) expect(d2).toBeCloseTo(1.5, 5);
    expect(r.threshold).toBeCloseTo(chi2Ppf(OUTLIER_DEFAULTS.quantile, 2), 12);
    expect(Array.from(r.rows)).toEqual([]);
  });
  it('flags the far spike at the quantile that a 1-d χ² gives', () => {
    // Nine 0s and one 10: mean 1, variance (9·1 + 81) / 9 = 10, so D² = 0.1 for the 0s and 8.1 for
    // the 10. χ²₁ ppf(0.99) = 6.635 < 8.1 < ppf(0.999) = 10.828.
    const x = Float64Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 10]);
    const at99 = findOutliers(x, 10, 1, { quantile: 0.99 });
    expect(at99.distances2[0]).toBeCloseTo(0.1, 5);
    expect(at99.distances2[9]).toBeCloseTo(8.1, 4); // 8.1 / (1 + 1e-6): the ridge
    expect(Array.from(at99.rows)).toEqual([9]);
    expect(Array.from(findOutliers(x, 10, 1).rows)).toEqual([]);
  });
  it('stays finite with a constant feature (the ridge) and refuses too few spikes', () => {
    // Second feature 0 everywhere: singular without the ridge; D² of the first is as in 1-d.
    const x = Float64Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0]);
    const r = findOutliers(x, 10, 2, { quantile: 0.99 });
    expect(r.distances2[9]).toBeCloseTo(8.1, 4);
    expect(() => findOutliers(Float64Array.from([1, 2, 3]), 3, 2)).toThrow(/too few.*at least 4/);
    expect(() => findOutliers(x, 10, 2, { quantile: 1 })).toThrow(/quantile/);
  });
});
