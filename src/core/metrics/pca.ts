/**
 * PCA-based quality metrics, as SpikeInterface defines them (`spikeinterface/metrics/quality/
 * pca_metrics.py`, commit a5f7dbb; originally from spikemetrics and the Allen Institute's
 * ecephys code). Every function takes the same input SpikeInterface builds per unit: `pcs`
 * (n, d) row-major features of the spikes of the unit and of its neighbours, `labels` (n,) their
 * clusters, and the unit's id. spikedock's rows are regular subsets of ≤ 500 spikes per
 * cluster, SpikeInterface's sample size (`qualityMetrics.ts: PCA_SPIKES_PER_CLUSTER`).
 */
import { cholesky, choleskySolve, columnMeans, covariance, mahalanobisSquared } from './linalg';
import { chi2Cdf, mean } from './stats';

/** The rows of `pcs` (n, d) whose label is (or, with `invert`, is not) `clusterId`. */
function rowsOf(pcs: Float64Array, labels: ArrayLike<number>, d: number, clusterId: number, invert = false): { x: Float64Array; n: number } {
  let n = 0;
  for (let i = 0; i < labels.length; i++) if ((labels[i] === clusterId) !== invert) n++;
  const x = new Float64Array(n * d);
  let k = 0;
  for (let i = 0; i < labels.length; i++) {
    if ((labels[i] === clusterId) !== invert) x.set(pcs.subarray(i * d, (i + 1) * d), d * k++);
  }
  return { x, n };
}

function euclidean(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += (a[ao + j] - b[bo + j]) ** 2;
  return Math.sqrt(s);
}

/** `isolation_distance` and `l_ratio`. */
export interface MahalanobisMetrics {
  isolation_distance: number;
  l_ratio: number;
}

/**
 * Schmitzer-Torbert et al.'s metrics (`pca_metrics.py: mahalanobis_metrics`): with Σ the
 * unit's sample covariance (n − 1) and μ its mean, D²ᵢ = squared Mahalanobis distance of each
 * other spike to μ, sorted ascending; n = min(N_self, N_other);
 * `isolation_distance` = D²ₙ (the n-th smallest), `l_ratio` = Σᵢ (1 − χ²_cdf(D²ᵢ, d)) / N_self.
 * NaN when n < 2 or Σ is singular (NumPy's `inv` raising, which SpikeInterface turns into NaN).
 */
export function mahalanobisMetrics(pcs: Float64Array, labels: ArrayLike<number>, d: number, clusterId: number): MahalanobisMetrics {
  const nan = { isolation_distance: NaN, l_ratio: NaN };
  const self = rowsOf(pcs, labels, d, clusterId);
  const other = rowsOf(pcs, labels, d, clusterId, true);
  const n = Math.min(self.n, other.n);
  if (n < 2 || d === 0) return nan;
  const l = cholesky(covariance(self.x, self.n, d), d);
  if (!l) return nan;
  const mu = columnMeans(self.x, self.n, d);
  const d2 = new Float64Array(other.n);
  const v = new Float64Array(d);
  for (let i = 0; i < other.n; i++) {
    for (let j = 0; j < d; j++) v[j] = other.x[i * d + j] - mu[j];
    d2[i] = mahalanobisSquared(l, d, v);
  }
  d2.sort();
  let lr = 0;
  for (let i = 0; i < d2.length; i++) lr += 1 - chi2Cdf(d2[i], d);
  return { isolation_distance: d2[n - 1], l_ratio: lr / self.n };
}

/**
 * `d_prime` (`pca_metrics.py: d_prime_metric`, after Hill et al.): the spikes are projected on
 * the two-class Fisher/LDA axis w = S_w⁻¹ (μ_self − μ_other) (S_w the pooled within-class
 * covariance; scikit-learn's LDA finds the same axis up to scale and sign) and
 * d' = (mean_self − mean_other) / √((var_self + var_other) / 2), population variances. The
 * axis points to the unit, so d' ≥ 0 (scikit-learn's sign is that of an SVD and arbitrary).
 * NaN without other spikes, with fewer than 2 own spikes, or when S_w is singular.
 */
export function dPrime(pcs: Float64Array, labels: ArrayLike<number>, d: number, clusterId: number): number {
  const self = rowsOf(pcs, labels, d, clusterId);
  const other = rowsOf(pcs, labels, d, clusterId, true);
  if (self.n < 2 || other.n < 1 || d === 0) return NaN;
  const m1 = columnMeans(self.x, self.n, d);
  const m0 = columnMeans(other.x, other.n, d);
  const sw = new Float64Array(d * d);
  for (const [g, m] of [
    [self, m1],
    [other, m0],
  ] as const) {
    for (let i = 0; i < g.n; i++) {
      for (let a = 0; a < d; a++) {
        const va = g.x[i * d + a] - m[a];
        for (let b = 0; b < d; b++) sw[a * d + b] += va * (g.x[i * d + b] - m[b]);
      }
    }
  }
  const l = cholesky(sw, d);
  if (!l) return NaN;
  const w = choleskySolve(l, d, Float64Array.from(m1, (v, j) => v - m0[j]));
  const project = (g: { x: Float64Array; n: number }) =>
    Float64Array.from({ length: g.n }, (_, i) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += g.x[i * d + j] * w[j];
      return s;
    });
  const p1 = project(self);
  const p0 = project(other);
  const var_ = (p: Float64Array) => {
    const m = mean(p);
    let s = 0;
    for (const v of p) s += (v - m) ** 2;
    return s / p.length;
  };
  return (mean(p1) - mean(p0)) / Math.sqrt((var_(p1) + var_(p0)) / 2);
}

/**
 * The k nearest other rows of every row of `x` (n, d), exact (Euclidean; ties by lower row
 * index): (n, k) row indices, −1 where there are fewer than k other rows. A k-d tree (leaves of
 * ≤ 16 rows, each node's bounding box): a node is skipped only when its box is strictly farther
 * than the current k-th distance, so every row that could enter the k best (ties included) is
 * compared — the same answer as the all-pairs search. On the 12-dimensional PC features of a
 * cluster and its neighbours (10,000 rows) it computes ~30× fewer distances than the former
 * sweep along one axis (0.6 s → 20 ms per cluster on the `small` preset).
 */
export function kNearest(x: Float64Array, n: number, d: number, k: number): Int32Array {
  if (n <= KNN_ALL_PAIRS_MAX) return kNearestAllPairs(x, n, d, k);
  const out = new Int32Array(n * k).fill(-1);
  if (n === 0 || k === 0) return out;
  const tree = buildKdTree(x, n, d);
  const { idx, lo, hi, start, end, left, right } = tree;
  // The rows copied in tree order: a leaf's rows are contiguous, and queries run in that order
  // (the previous query's leaves are still in cache). Row identities stay the original indices.
  const xt = new Float64Array(n * d);
  for (let p = 0; p < n; p++) xt.set(x.subarray(idx[p] * d, idx[p] * d + d), p * d);
  const bestD = new Float64Array(k);
  const bestJ = new Int32Array(k);
  const stack = new Int32Array(4 * tree.nNodes + 8);
  const last = k - 1;
  for (let pi = 0; pi < n; pi++) {
    bestD.fill(Infinity);
    bestJ.fill(-1);
    const io = pi * d;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      // Lower bound of the distance from the query row to the node's box.
      let lb = 0;
      const bo = node * d;
      for (let q = 0; q < d; q++) {
        const v = xt[io + q];
        const a = lo[bo + q] - v;
        if (a > 0) lb += a * a;
        else {
          const b = v - hi[bo + q];
          if (b > 0) lb += b * b;
        }
      }
      if (lb > bestD[last]) continue;
      if (left[node] < 0) {
        for (let p = start[node]; p < end[node]; p++) {
          if (p === pi) continue;
          const jo = p * d;
          const lim = bestD[last];
          // Partial sums, four terms at a time, only grow: past the k-th distance the row cannot
          // enter (a tie, s2 === lim, is summed to the end and decided by row index below).
          let s2 = 0;
          let q = 0;
          for (; q + 4 <= d && s2 <= lim; q += 4) {
            const a0 = xt[io + q] - xt[jo + q];
            const a1 = xt[io + q + 1] - xt[jo + q + 1];
            const a2 = xt[io + q + 2] - xt[jo + q + 2];
            const a3 = xt[io + q + 3] - xt[jo + q + 3];
            // Added one by one, in order: the same sums as the all-pairs search's, bit for bit.
            s2 += a0 * a0;
            s2 += a1 * a1;
            s2 += a2 * a2;
            s2 += a3 * a3;
          }
          if (s2 > lim) continue;
          for (; q < d; q++) {
            const v = xt[io + q] - xt[jo + q];
            s2 += v * v;
          }
          const j = idx[p];
          if (s2 > lim || (s2 === lim && bestJ[last] >= 0 && j > bestJ[last])) continue;
          let r = last;
          while (r > 0 && (bestD[r - 1] > s2 || (bestD[r - 1] === s2 && bestJ[r - 1] > j))) {
            bestD[r] = bestD[r - 1];
            bestJ[r] = bestJ[r - 1];
            r--;
          }
          bestD[r] = s2;
          bestJ[r] = j;
        }
      } else {
        // The nearer child last on the stack, so it is searched first (tighter k-th distance sooner).
        const dim = tree.dim[node];
        const nearLeft = xt[io + dim] <= tree.split[node];
        stack[top++] = nearLeft ? right[node] : left[node];
        stack[top++] = nearLeft ? left[node] : right[node];
      }
    }
    const i = idx[pi];
    for (let q = 0; q < k; q++) out[i * k + q] = bestJ[q];
  }
  return out;
}

/**
 * Up to this many rows {@link kNearest} compares all pairs, each once: on 12-dimensional
 * overlapping clusters the k-d tree prunes little, and half the distances without its overhead
 * is ~2× faster at 300 rows (a merge suggestion's feature mixing: 4.4 → 1.7 ms). With the tree's
 * rows stored in leaf order and its distances summed four terms at a time, the tree is even at
 * ~800 rows and faster above (real PC rows of a neuropixels cluster and its neighbours, quiet
 * machine, median of 7: 1,600 rows 20.8 → 13.0 ms and 1,954 rows 29 → 15 ms, where all pairs
 * were compared before; 3,354 rows 34 → 31.5 ms and 5,770 rows 81 → 76 ms; same neighbours).
 */
export const KNN_ALL_PAIRS_MAX = 1000;

/** {@link kNearest} by all pairs (i < j), each distance offered to both rows' lists. */
function kNearestAllPairs(x: Float64Array, n: number, d: number, k: number): Int32Array {
  const bestJ = new Int32Array(n * k).fill(-1);
  if (n === 0 || k === 0) return bestJ;
  const bestD = new Float64Array(n * k).fill(Infinity);
  const last = k - 1;
  for (let i = 0; i < n; i++) {
    const io = i * d;
    for (let j = i + 1; j < n; j++) {
      const bi = bestD[i * k + last];
      const bj = bestD[j * k + last];
      const bound = bi > bj ? bi : bj;
      const jo = j * d;
      // Partial sums of non-negative terms only grow: past both rows' k-th distance, stop.
      let s2 = 0;
      for (let q = 0; q < d && s2 <= bound; q++) {
        const v = x[io + q] - x[jo + q];
        s2 += v * v;
      }
      if (s2 > bound) continue;
      offerNeighbour(bestD, bestJ, i * k, k, j, s2);
      offerNeighbour(bestD, bestJ, j * k, k, i, s2);
    }
  }
  return bestJ;
}

/** Inserts row j at squared distance s2 into the ascending list at `o` (k entries; ties: lower row first) if it belongs there. */
function offerNeighbour(bestD: Float64Array, bestJ: Int32Array, o: number, k: number, j: number, s2: number): void {
  const last = o + k - 1;
  if (s2 > bestD[last] || (s2 === bestD[last] && bestJ[last] >= 0 && j > bestJ[last])) return;
  let r = last;
  while (r > o && (bestD[r - 1] > s2 || (bestD[r - 1] === s2 && bestJ[r - 1] > j))) {
    bestD[r] = bestD[r - 1];
    bestJ[r] = bestJ[r - 1];
    r--;
  }
  bestD[r] = s2;
  bestJ[r] = j;
}

/** Rows per k-d tree leaf. */
const KD_LEAF = 16;

interface KdTree {
  nNodes: number;
  /** Row indices, each node's rows contiguous: idx[start[node] .. end[node]). */
  idx: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /** Children (−1 for a leaf), split dimension and value. */
  left: Int32Array;
  right: Int32Array;
  dim: Int32Array;
  split: Float64Array;
  /** (nNodes, d) bounding box of each node's rows. */
  lo: Float64Array;
  hi: Float64Array;
}

/** A k-d tree over the rows of `x` (n, d): split on the widest dimension at the median row. */
function buildKdTree(x: Float64Array, n: number, d: number): KdTree {
  const maxNodes = 2 * Math.ceil(n / KD_LEAF) * 2 + 1;
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  const start = new Int32Array(maxNodes);
  const end = new Int32Array(maxNodes);
  const left = new Int32Array(maxNodes).fill(-1);
  const right = new Int32Array(maxNodes).fill(-1);
  const dim = new Int32Array(maxNodes);
  const split = new Float64Array(maxNodes);
  const lo = new Float64Array(maxNodes * d);
  const hi = new Float64Array(maxNodes * d);
  let nNodes = 0;
  const build = (a: number, b: number): number => {
    const node = nNodes++;
    start[node] = a;
    end[node] = b;
    const bo = node * d;
    for (let q = 0; q < d; q++) {
      let mn = Infinity;
      let mx = -Infinity;
      for (let p = a; p < b; p++) {
        const v = x[idx[p] * d + q];
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      lo[bo + q] = mn;
      hi[bo + q] = mx;
    }
    if (b - a <= KD_LEAF) return node;
    let w = 0;
    for (let q = 1; q < d; q++) if (hi[bo + q] - lo[bo + q] > hi[bo + w] - lo[bo + w]) w = q;
    if (!(hi[bo + w] > lo[bo + w])) return node; // all rows equal: a leaf however many
    const part = Array.from(idx.subarray(a, b)).sort((r, s) => x[r * d + w] - x[s * d + w]);
    idx.set(part, a);
    const m = a + ((b - a) >> 1);
    dim[node] = w;
    split[node] = x[idx[m] * d + w];
    left[node] = build(a, m);
    right[node] = build(m, b);
    return node;
  };
  build(0, n);
  return { nNodes, idx, start, end, left, right, dim, split, lo, hi };
}

/**
 * Defaults of `nearest_neighbor` (`NearestNeighbor.metric_params`). `nNeighbors` counts the row
 * itself, as scikit-learn's `kneighbors(X)` on the fitted X does: 5 means 4 other rows.
 */
export const NEAREST_NEIGHBOR_DEFAULTS = { maxSpikes: 10000, nNeighbors: 5 };

/** `nn_hit_rate` and `nn_miss_rate`. */
export interface NearestNeighborMetrics {
  nn_hit_rate: number;
  nn_miss_rate: number;
}

/**
 * Chung et al.'s nearest-neighbour metrics (`pca_metrics.py: nearest_neighbors_metrics`): rows
 * are ordered unit first, then the others; when there are more than `maxSpikes` rows, every
 * (N / maxSpikes)-th row is kept (`arange(0, N − 1, 1 / ratio)`) and the unit's rows are taken to
 * be the first ⌊N_self · ratio⌋ (SpikeInterface's approximation, kept). For each row, its
 * `nNeighbors` − 1 nearest other rows (Euclidean, exact, ties by row order): SpikeInterface
 * fits `NearestNeighbors(n_neighbors=5)` on X and queries X itself, so each row's first
 * neighbour is the row, which it drops (`indices[:, 1:]`);
 * `nn_hit_rate` = fraction of the unit's rows' neighbours that are the unit's, `nn_miss_rate` =
 * fraction of the other rows' neighbours that are the unit's. A single cluster gives 1 and 0
 * (SpikeInterface's "no other units" rule); NaN with fewer rows than `nNeighbors` (scikit-learn
 * raises, SpikeInterface returns NaN).
 */
export function nearestNeighborsMetrics(
  pcs: Float64Array,
  labels: ArrayLike<number>,
  d: number,
  clusterId: number,
  opts: Partial<typeof NEAREST_NEIGHBOR_DEFAULTS> = {},
): NearestNeighborMetrics {
  const { maxSpikes, nNeighbors } = { ...NEAREST_NEIGHBOR_DEFAULTS, ...opts };
  const distinct = new Set(Array.from(labels));
  if (distinct.size === 1) return { nn_hit_rate: 1, nn_miss_rate: 0 };
  const self = rowsOf(pcs, labels, d, clusterId);
  const other = rowsOf(pcs, labels, d, clusterId, true);
  const total = self.n + other.n;
  let x = new Float64Array(total * d);
  x.set(self.x, 0);
  x.set(other.x, self.n * d);
  let nSelf = self.n;
  let n = total;
  const ratio = maxSpikes / total;
  if (ratio < 1) {
    const step = 1 / ratio;
    const count = Math.ceil((total - 1) / step);
    const sub = new Float64Array(count * d);
    for (let k = 0; k < count; k++) {
      const r = Math.floor(k * step);
      sub.set(x.subarray(r * d, (r + 1) * d), k * d);
    }
    x = sub;
    n = count;
    nSelf = Math.floor(self.n * ratio);
  }
  const k = nNeighbors - 1;
  if (n < nNeighbors || k < 1) return { nn_hit_rate: NaN, nn_miss_rate: NaN };
  const neighbours = kNearest(x, n, d, k);
  let hitsSelf = 0;
  let hitsOther = 0;
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < k; q++) {
      const j = neighbours[i * k + q];
      if (j >= 0 && j < nSelf) {
        if (i < nSelf) hitsSelf++;
        else hitsOther++;
      }
    }
  }
  return {
    nn_hit_rate: nSelf > 0 ? hitsSelf / (nSelf * k) : NaN,
    nn_miss_rate: n - nSelf > 0 ? hitsOther / ((n - nSelf) * k) : NaN,
  };
}

/**
 * `silhouette` with SpikeInterface's default `method="simplified"` (`pca_metrics.py:
 * simplified_silhouette_score`, after Hruschka et al.): for each of the unit's spikes, a = its
 * distance to the unit's centroid, b = its distance to the centroid of the other cluster whose
 * centroid is nearest on average to the unit's spikes; silhouette = mean((b − a) / max(a, b)).
 * NaN without own spikes or without another cluster.
 */
export function simplifiedSilhouette(pcs: Float64Array, labels: ArrayLike<number>, d: number, clusterId: number): number {
  const self = rowsOf(pcs, labels, d, clusterId);
  if (self.n === 0) return NaN;
  const c0 = columnMeans(self.x, self.n, d);
  const a = Float64Array.from({ length: self.n }, (_, i) => euclidean(self.x, i * d, c0, 0, d));
  let bestMean = Infinity;
  let b: Float64Array | null = null;
  for (const other of [...new Set(Array.from(labels))].sort((p, q) => p - q)) {
    if (other === clusterId) continue;
    const g = rowsOf(pcs, labels, d, other);
    const c = columnMeans(g.x, g.n, d);
    const dist = Float64Array.from({ length: self.n }, (_, i) => euclidean(self.x, i * d, c, 0, d));
    const m = mean(dist);
    if (m < bestMean) {
      bestMean = m;
      b = dist;
    }
  }
  if (!b) return NaN;
  let s = 0;
  for (let i = 0; i < self.n; i++) s += (b[i] - a[i]) / Math.max(b[i], a[i]);
  return s / self.n;
}
