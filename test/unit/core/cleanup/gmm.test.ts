import { describe, expect, it } from 'vitest';
import { bic, fitGmm, gmmParameterCount, selectGmm } from '../../../../src/core/cleanup/gmm';
import { recluster, standardise } from '../../../../src/core/cleanup/recluster';
import { Rng } from '../../../../src/core/random';

/** `n` points of N(mean, diag(sd²)) in d = mean.length dimensions, from a seeded stream. */
function gaussian(rng: Rng, n: number, mean: number[], sd: number[]): number[][] {
  return Array.from({ length: n }, () => mean.map((m, a) => m + sd[a] * rng.normal()));
}
const flat = (rows: number[][]) => Float64Array.from(rows.flat());

describe('Gaussian mixture (EM, full covariance) and BIC', () => {
  it('counts parameters and computes BIC as sklearn GaussianMixture.bic', () => {
    // d = 3, k = 2: means 6, covariances 2·6 = 12, weights 1.
    expect(gmmParameterCount(2, 3)).toBe(19);
    expect(bic(-1000, 2, 3, 500)).toBeCloseTo(2000 + 19 * Math.log(500), 10);
  });

  it('recovers two well-separated Gaussians exactly, and BIC picks 2', () => {
    const rng = new Rng(7, 1);
    const a = gaussian(rng, 600, [0, 0, 0], [1, 0.5, 2]);
    const b = gaussian(rng, 400, [12, -10, 8], [1.5, 1, 0.7]);
    const x = flat([...a, ...b]);
    const { model, bics } = selectGmm(x, 1000, 3, { seed: 1 });
    expect(model.k).toBe(2);
    expect(bics[1]).toBeLessThan(bics[0]);
    for (let k = 3; k <= 6; k++) expect(bics[1]).toBeLessThan(bics[k - 1]);
    // Every point of a together, every point of b together: the partition is exact.
    const r = recluster(Float64Array.from(x), 1000, 3, { seed: 1 });
    expect(r.k).toBe(2);
    const la = new Set(Array.from(r.labels.subarray(0, 600)));
    const lb = new Set(Array.from(r.labels.subarray(600)));
    expect([...la]).toEqual([0]);
    expect([...lb]).toEqual([1]);
    // The weights are the mixture's shares.
    expect([...model.weights].sort()).toEqual([expect.closeTo(0.4, 3), expect.closeTo(0.6, 3)]);
  });

  it('splits a small cluster (300 points in 13 dimensions: more points than a 2-component mixture has parameters, 209)', () => {
    const rng = new Rng(9, 5);
    const d = 13;
    const a = gaussian(rng, 240, Array(d).fill(0), Array(d).fill(1));
    const b = gaussian(rng, 60, Array.from({ length: d }, (_, i) => (i < 3 ? 8 : 0)), Array(d).fill(1));
    const r = recluster(flat([...a, ...b]), 300, d, { seed: 0 });
    expect(r.k).toBe(2);
    expect(new Set(Array.from(r.labels.subarray(0, 240)))).toEqual(new Set([0]));
    expect(new Set(Array.from(r.labels.subarray(240)))).toEqual(new Set([1]));
  });

  it('picks 1 component for one Gaussian (full covariance, correlated)', () => {
    const rng = new Rng(3, 2);
    const rows = Array.from({ length: 2000 }, () => {
      const u = rng.normal();
      const v = rng.normal();
      return [u, 0.8 * u + 0.6 * v, 2 * v - u, 0.3 * rng.normal()];
    });
    const { model } = selectGmm(flat(rows), 2000, 4, { seed: 0 });
    expect(model.k).toBe(1);
    expect(recluster(flat(rows), 2000, 4).k).toBe(1);
  });

  it('is deterministic for a seed, and a forced count gives that many parts', () => {
    const rng = new Rng(11, 3);
    const x = flat([...gaussian(rng, 300, [0, 0], [1, 1]), ...gaussian(rng, 300, [3, 0], [1, 1]), ...gaussian(rng, 300, [0, 3], [1, 1])]);
    const a = fitGmm(Float64Array.from(x), 900, 2, 3, { seed: 5 });
    const b = fitGmm(Float64Array.from(x), 900, 2, 3, { seed: 5 });
    expect(Array.from(a.means)).toEqual(Array.from(b.means));
    expect(a.logLikelihood).toBe(b.logLikelihood);
    expect(recluster(Float64Array.from(x), 900, 2, { n: 3, seed: 2 }).k).toBe(3);
    expect(Array.from(recluster(Float64Array.from(x), 900, 2, { n: 3, seed: 2 }).labels)).toEqual(Array.from(recluster(Float64Array.from(x), 900, 2, { n: 3, seed: 2 }).labels));
  });

  it('fits on an even subset and labels every point; drops constant columns', () => {
    const rng = new Rng(5, 4);
    const rows = [...gaussian(rng, 3000, [0, 0, 5], [1, 1, 0]), ...gaussian(rng, 3000, [9, 9, 5], [1, 1, 0])];
    const r = recluster(flat(rows), 6000, 3, { maxFit: 1000 });
    expect(r.nFit).toBe(1000);
    expect(r.d).toBe(2);
    expect(r.k).toBe(2);
    expect(new Set(Array.from(r.labels.subarray(0, 3000))).size).toBe(1);
    expect(new Set(Array.from(r.labels.subarray(3000))).size).toBe(1);
    expect(r.labels[0]).not.toBe(r.labels[5999]);
    const z = standardise(flat([[1, 2], [3, 2]]), 2, 2);
    expect(z.d).toBe(1);
    expect(Array.from(z.x.subarray(0, 2))).toEqual([-1, 1]);
  });
});
