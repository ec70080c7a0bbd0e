import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolve, covariance, mahalanobisSquared } from '../../../../src/core/metrics/linalg';
import { dPrime, kNearest, KNN_ALL_PAIRS_MAX, mahalanobisMetrics, nearestNeighborsMetrics, simplifiedSilhouette } from '../../../../src/core/metrics/pca';
import { Rng } from '../../../../src/core/random';

const f64 = (xs: number[]) => Float64Array.from(xs);

describe('linear algebra helper', () => {
  it('Cholesky solves and gives Mahalanobis distances', () => {
    // Σ = [[4, 2], [2, 3]]: L = [[2, 0], [1, √2]]. Σ x = [2, 1] → x = [0.5, 0].
    const s = f64([4, 2, 2, 3]);
    const l = cholesky(s, 2)!;
    expect(Array.from(l)).toEqual([2, 0, 1, Math.SQRT2].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(choleskySolve(l, 2, [2, 1]))).toEqual([expect.closeTo(0.5, 12), expect.closeTo(0, 12)]);
    // vᵀ Σ⁻¹ v for v = [2, 1]: Σ⁻¹ = [[3, −2], [−2, 4]] / 8 → (12 − 8 + 4) / 8 = 1.
    expect(mahalanobisSquared(l, 2, [2, 1])).toBeCloseTo(1, 12);
  });
  it('reports a singular matrix', () => {
    expect(cholesky(f64([1, 1, 1, 1]), 2)).toBeNull();
  });
  it('covariance divides by n − 1', () => {
    // Rows (0,0), (2,2): var 2 each, cov 2.
    expect(Array.from(covariance(f64([0, 0, 2, 2]), 2, 2))).toEqual([2, 2, 2, 2]);
  });
});

describe('isolation_distance and l_ratio', () => {
  it('1-D hand case', () => {
    // Unit: −1, 1, −1, 1 → mean 0, variance (n − 1) 4/3. Others: 2, 4 → D² = 3, 12.
    // n = min(4, 2) = 2 → isolation_distance = D²₂ = 12.
    // l_ratio = ((1 − χ²₁(3)) + (1 − χ²₁(12))) / 4 = (.0832645 + .000532) / 4 = .0209491.
    const r = mahalanobisMetrics(f64([-1, 1, -1, 1, 2, 4]), [7, 7, 7, 7, 3, 3], 1, 7);
    expect(r.isolation_distance).toBeCloseTo(12, 12);
    expect(r.l_ratio).toBeCloseTo((0.0832645 + 0.000532) / 4, 6);
  });
  it('NaN with fewer than 2 spikes on either side or a singular covariance', () => {
    expect(mahalanobisMetrics(f64([-1, 1, 2]), [7, 7, 3], 1, 7).isolation_distance).toBeNaN();
    expect(mahalanobisMetrics(f64([1, 1, 1, 2, 4]), [7, 7, 7, 3, 3], 1, 7).l_ratio).toBeNaN();
    expect(mahalanobisMetrics(f64([]), [], 1, 7).l_ratio).toBeNaN();
  });
});

describe('d_prime', () => {
  it('1-D hand case', () => {
    // Unit 9, 11, 9, 11 (mean 10, var 1), others 0, 2 (mean 1, var 1): (10 − 1) / √((1 + 1) / 2) = 9.
    expect(dPrime(f64([9, 11, 9, 11, 0, 2]), [1, 1, 1, 1, 2, 2], 1, 1)).toBeCloseTo(9, 12);
    // Seen from the other cluster the axis flips with it: still 9.
    expect(dPrime(f64([9, 11, 9, 11, 0, 2]), [1, 1, 1, 1, 2, 2], 1, 2)).toBeCloseTo(9, 12);
  });
  it('2-D: only the discriminating direction counts', () => {
    // The second feature is identical noise in both clusters; the first separates them by 9 as above.
    const x = f64([9, 0, 11, 1, 9, 1, 11, 0, 0, 0, 2, 1, 0, 1, 2, 0]);
    expect(dPrime(x, [1, 1, 1, 1, 2, 2, 2, 2], 2, 1)).toBeCloseTo(9, 9);
  });
  it('NaN without another cluster', () => {
    expect(dPrime(f64([1, 2, 3]), [1, 1, 1], 1, 1)).toBeNaN();
  });
});

describe('nn_hit_rate / nn_miss_rate', () => {
  it('separated clusters: hit 1, miss 0', () => {
    const x = f64([0, 0.1, 0.2, 10, 10.1, 10.2]);
    expect(nearestNeighborsMetrics(x, [1, 1, 1, 2, 2, 2], 1, 1, { nNeighbors: 3 })).toEqual({ nn_hit_rate: 1, nn_miss_rate: 0 });
  });
  it('interleaved clusters: hand-counted neighbours', () => {
    // Unit at 0, 2; other at 1, 3. n_neighbors = 2 counts the row itself (scikit-learn's
    // kneighbors(X), SpikeInterface drops column 0): one other neighbour each. Nearest of 0 → 1
    // (other), of 2 → 1 (tie 1/3: lower row wins, rows are unit first: [0, 2, 1, 3] → 1 is
    // row 2, 3 is row 3 → row 2, other). hit = 0 / 2. Of 1 → 0 or 2 (tie, row 0 = unit), of
    // 3 → 2 (unit): miss = 2 / 2.
    const r = nearestNeighborsMetrics(f64([0, 1, 2, 3]), [1, 2, 1, 2], 1, 1, { nNeighbors: 2 });
    expect(r).toEqual({ nn_hit_rate: 0, nn_miss_rate: 1 });
  });
  it('the default n_neighbors = 5 is the row and 4 others, as SpikeInterface counts them', () => {
    // Unit at 0, 1, 2, 3, 4; other at 4.5, 10, 11, 12, 13 (rows unit first). The 4 others
    // nearest each unit row: x = 0 → 1, 2, 3, 4 (4 own); 1 → 0, 2, 3, 4 (4.5 is 3.5 away: 4
    // own); 2 → 1, 3, 0, 4 (4 own); 3 → 2, 4, 4.5, 1 (3 own); 4 → 4.5, 3, 2, 1 (3 own):
    // hit = 18 / 20 = 0.9. Other rows: 4.5 → 4, 3, 2, 1 (4 unit); 10 → 11, 12, 13, 4.5 (4.5
    // is 5.5 away, 4 is 6); 11, 12, 13 → the other three of 10–13 and 4.5 (0 unit each):
    // miss = 4 / 20 = 0.2. With 5 others (the former reading) row 0 would count 4.5 too.
    const x = f64([0, 1, 2, 3, 4, 4.5, 10, 11, 12, 13]);
    const labels = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2];
    expect(nearestNeighborsMetrics(x, labels, 1, 1)).toEqual({ nn_hit_rate: 0.9, nn_miss_rate: 0.2 });
  });
  it('NaN with fewer rows than n_neighbors', () => {
    expect(nearestNeighborsMetrics(f64([0, 1, 5, 6]), [1, 1, 2, 2], 1, 1)).toEqual({ nn_hit_rate: NaN, nn_miss_rate: NaN });
  });
  it('one cluster only: 1 and 0', () => {
    expect(nearestNeighborsMetrics(f64([0, 1]), [1, 1], 1, 1)).toEqual({ nn_hit_rate: 1, nn_miss_rate: 0 });
  });
  it('subsamples regularly above max_spikes (deterministic)', () => {
    const rng = new Rng(1, 99);
    const n = 60;
    const x = Float64Array.from({ length: n }, (_, i) => (i < 30 ? 0 : 5) + rng.normal() * 0.1);
    const labels = Array.from({ length: n }, (_, i) => (i < 30 ? 1 : 2));
    const a = nearestNeighborsMetrics(x, labels, 1, 1, { maxSpikes: 20, nNeighbors: 3 });
    expect(a).toEqual(nearestNeighborsMetrics(x, labels, 1, 1, { maxSpikes: 20, nNeighbors: 3 }));
    expect(a.nn_hit_rate).toBeGreaterThan(0.9);
    expect(a.nn_miss_rate).toBeLessThan(0.1);
  });
});

describe('silhouette (simplified)', () => {
  it('1-D hand case', () => {
    // Unit 0, 2: centroid 1, a = 1, 1. Other cluster 10: b = 10, 8.
    // mean((10 − 1) / 10, (8 − 1) / 8) = (.9 + .875) / 2 = .8875.
    expect(simplifiedSilhouette(f64([0, 2, 10]), [1, 1, 2], 1, 1)).toBeCloseTo(0.8875, 12);
  });
  it('takes the other cluster nearest on average', () => {
    // A third cluster at 30 is farther: same value.
    expect(simplifiedSilhouette(f64([0, 2, 10, 30]), [1, 1, 2, 3], 1, 1)).toBeCloseTo(0.8875, 12);
  });
  it('NaN without another cluster or own spikes', () => {
    expect(simplifiedSilhouette(f64([0, 2]), [1, 1], 1, 1)).toBeNaN();
    expect(simplifiedSilhouette(f64([0, 2]), [1, 1], 1, 5)).toBeNaN();
  });
});

describe('k nearest neighbours', () => {
  it('equals the all-pairs search, ties by lower row', () => {
    const rng = new Rng(3, 5);
    const n = 400;
    const d = 3;
    // Rounded coordinates make many ties.
    const x = Float64Array.from({ length: n * d }, () => Math.round(rng.normal() * 3));
    const k = 4;
    const got = kNearest(x, n, d, k);
    for (let i = 0; i < n; i++) {
      const all = Array.from({ length: n }, (_, j) => j)
        .filter((j) => j !== i)
        .map((j) => ({ j, s: (x[i * d] - x[j * d]) ** 2 + (x[i * d + 1] - x[j * d + 1]) ** 2 + (x[i * d + 2] - x[j * d + 2]) ** 2 }))
        .sort((a, b) => a.s - b.s || a.j - b.j)
        .slice(0, k)
        .map((e) => e.j);
      expect(Array.from(got.subarray(i * k, (i + 1) * k))).toEqual(all);
    }
  });
  it('equals the all-pairs search on clustered 12-dimensional rows (the PCA metrics\' shape) and on identical rows', () => {
    const rng = new Rng(7, 1);
    const d = 12;
    const n = 900;
    // Three clusters, a quarter of the rows rounded (ties), 40 identical rows.
    const x = Float64Array.from({ length: n * d }, (_, e) => {
      const row = Math.floor(e / d);
      if (row < 40) return 1;
      const v = (row % 3) * 4 + rng.normal();
      return row % 4 === 0 ? Math.round(v) : v;
    });
    const k = 5;
    const got = kNearest(x, n, d, k);
    for (let i = 0; i < n; i++) {
      const all = Array.from({ length: n }, (_, j) => j)
        .filter((j) => j !== i)
        .map((j) => {
          let s2 = 0;
          for (let q = 0; q < d; q++) s2 += (x[i * d + q] - x[j * d + q]) ** 2;
          return { j, s: s2 };
        })
        .sort((a, b) => a.s - b.s || a.j - b.j)
        .slice(0, k)
        .map((e) => e.j);
      expect(Array.from(got.subarray(i * k, (i + 1) * k))).toEqual(all);
    }
  });
  it.each([12, 13])('above KNN_ALL_PAIRS_MAX rows (the k-d tree) equals the all-pairs search too, ties included (%i dimensions)', (d) => {
    const rng = new Rng(11, 2);
    const n = KNN_ALL_PAIRS_MAX + 300;
    const x = Float64Array.from({ length: n * d }, (_, e) => {
      const row = Math.floor(e / d);
      if (row < 30) return 2; // identical rows
      const v = (row % 4) * 3 + rng.normal();
      return row % 5 === 0 ? Math.round(v) : v;
    });
    const k = 4;
    const got = kNearest(x, n, d, k);
    // Every 13th row against a sort of all its distances (all rows would take seconds).
    for (let i = 0; i < n; i += 13) {
      const all = Array.from({ length: n }, (_, j) => j)
        .filter((j) => j !== i)
        .map((j) => {
          let s2 = 0;
          for (let q = 0; q < d; q++) s2 += (x[i * d + q] - x[j * d + q]) ** 2;
          return { j, s: s2 };
        })
        .sort((a, b) => a.s - b.s || a.j - b.j)
        .slice(0, k)
        .map((e) => e.j);
      expect(Array.from(got.subarray(i * k, (i + 1) * k)), `row ${i}`).toEqual(all);
    }
  });
  it('−1 where there are fewer other rows than k', () => {
    expect(Array.from(kNearest(f64([0, 1]), 2, 1, 2))).toEqual([1, -1, 0, -1]);
  });
});
