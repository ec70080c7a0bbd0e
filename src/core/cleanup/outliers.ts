/**
 * Outlier removal (issue #14): spikes far from their cluster's centre in PC-feature space, as
 * phy's most used plugin does it, with a threshold that means the same at any dimension: the
 * squared Mahalanobis distance of a Gaussian cluster's spikes follows χ² with d degrees of
 * freedom, so the `quantile` (default 0.999) of that law flags ~0.1 % of a clean cluster's spikes.
 */
import { pickChannelFeatures } from '../compute/features';
import { cholesky, columnMeans, covariance, mahalanobisSquared } from '../metrics/linalg';
import { chi2Ppf } from '../metrics/stats';

/** Defaults of `findOutliers`. */
export const OUTLIER_DEFAULTS = {
  /** χ² quantile of the threshold on D² (99.9 %). */
  quantile: 0.999,
  /**
   * Added to the covariance's diagonal, relative to its mean diagonal entry (1e-6): keeps a
   * covariance with a constant feature (a PC that is 0 for every spike) positive definite
   * without moving the distances of a well-conditioned one by more than ~1e-6.
   */
  ridge: 1e-6,
};

/** What `findOutliers` found. */
export interface Outliers {
  /** (n,) squared Mahalanobis distance of each row from the rows' mean. */
  distances2: Float64Array;
  /** χ²_ppf(quantile, d): rows with D² above it are outliers. */
  threshold: number;
  /** Row indices of the outliers, ascending. */
  rows: Int32Array;
}

/**
 * The rows of `x` ((n, d) row-major, e.g. a cluster's spikes × (channels · PCs)) whose squared
 * Mahalanobis distance from the rows' mean, under their sample covariance (divisor n − 1) plus a
 * relative `ridge` on the diagonal, exceeds `chi2Ppf(quantile, d)`. Throws a RangeError (its
 * message says why) when there are fewer than d + 2 rows — the covariance of d dimensions needs
 * more spikes than that to mean anything — or a quantile outside (0, 1).
 */
export function findOutliers(x: Float64Array, n: number, d: number, options: { quantile?: number; ridge?: number } = {}): Outliers {
  const quantile = options.quantile ?? OUTLIER_DEFAULTS.quantile;
  const ridge = options.ridge ?? OUTLIER_DEFAULTS.ridge;
  if (!(quantile > 0 && quantile < 1)) throw new RangeError(`the quantile must be between 0 and 1 (exclusive), not ${quantile}`);
  if (d < 1) throw new RangeError('no features to measure distances in');
  if (n < d + 2) throw new RangeError(`${n} spikes are too few to estimate a ${d}-dimensional covariance (at least ${d + 2})`);
  const cov = covariance(x, n, d);
  let trace = 0;
  for (let j = 0; j < d; j++) trace += cov[j * d + j];
  // The absolute 1e-12 keeps an all-constant feature set (trace 0) factorable: every D² is then 0.
  const add = (ridge * trace) / d + 1e-12;
  for (let j = 0; j < d; j++) cov[j * d + j] += add;
  const l = cholesky(cov, d);
  if (!l) throw new RangeError('the features\' covariance is singular even with a ridge');
  const mu = columnMeans(x, n, d);
  const threshold = chi2Ppf(quantile, d);
  const distances2 = new Float64Array(n);
  const v = new Float64Array(d);
  let nOut = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) v[j] = x[i * d + j] - mu[j];
    const d2 = mahalanobisSquared(l, d, v);
    distances2[i] = d2;
    if (d2 > threshold) nOut++;
  }
  const rows = new Int32Array(nOut);
  for (let i = 0, k = 0; i < n; i++) if (distances2[i] > threshold) rows[k++] = i;
  return { distances2, threshold, rows };
}

/** Feature rows of spikes, as `FeatureSource.read` and the workers' reader give them. */
export type FeatureRowReader = (spikeIds: Int32Array) => { data: Float32Array; channels: Int32Array };

/** Spikes per read of {@link clusterFeatureMatrix}: 20,000 rows of 32 channels × 3 PCs are 7.7 MB. */
const MATRIX_CHUNK = 20_000;

/**
 * The (n, channelIds.length · nPcs) float64 matrix of the PCs of `spikeIds` (ascending, all with
 * feature rows) on `channelIds`, read `MATRIX_CHUNK` spikes at a time through `read` (rows of
 * `nLoc` channels × `nPcs`), so that memory is the matrix plus one chunk, never the cluster's
 * whole rows. Only spikes with a feature on every one of the channels are kept (a spike of a
 * merged cluster whose template lives elsewhere on the probe has no coordinates there, and a 0
 * would make it a false outlier): `spikeIds` of the result lists them. `check` runs between chunks
 * (a cancellation point).
 */
export function clusterFeatureMatrix(
  read: FeatureRowReader,
  spikeIds: Int32Array,
  nLoc: number,
  nPcs: number,
  channelIds: ArrayLike<number>,
  check: () => void = () => {},
): { x: Float64Array; n: number; d: number; spikeIds: Int32Array } {
  const m = channelIds.length;
  const d = m * nPcs;
  const x = new Float64Array(spikeIds.length * d);
  const kept = new Int32Array(spikeIds.length);
  let n = 0;
  for (let s = 0; s < spikeIds.length; s += MATRIX_CHUNK) {
    check();
    const ids = spikeIds.subarray(s, Math.min(spikeIds.length, s + MATRIX_CHUNK));
    const { data, channels } = read(ids);
    const { features, present } = pickChannelFeatures(data, channels, ids.length, nLoc, nPcs, channelIds);
    for (let k = 0; k < ids.length; k++) {
      let all = true;
      for (let j = 0; j < m; j++) all &&= present[k * m + j] === 1;
      if (!all) continue;
      for (let q = 0; q < d; q++) x[n * d + q] = features[k * d + q];
      kept[n++] = ids[k];
    }
  }
  return { x: x.subarray(0, n * d), n, d, spikeIds: kept.slice(0, n) };
}
