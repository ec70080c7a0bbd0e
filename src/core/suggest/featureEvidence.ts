/**
 * Feature-space overlap of two clusters: how much their PC features mix among nearest
 * neighbours.
 */
import { pickChannelFeatures } from '../compute/features';
import { kNearest } from '../metrics/pca';

/** Feature rows of a cluster's spike subset: (n, nLoc, nPcs) `data` on (n, nLoc) `channels`. */
export interface FeatureRows {
  data: Float32Array;
  channels: Int32Array;
  n: number;
}

/** Neighbours per spike in {@link featureMixing}: SpikeInterface's `nn_hit_rate` uses 5. */
export const MIXING_NEIGHBOURS = 5;

/**
 * Nearest-neighbour mixing of two clusters' features on `channelIds` (their PCs stacked, 0 where
 * a spike has no column for a channel, as the FeatureView shows them): over all spikes of both,
 * the fraction of each spike's 5 nearest neighbours (`metrics/pca.ts: kNearest`, exact) that
 * belong to the other cluster, divided by the fraction full mixing would give
 * (n_other / (n − 1)), averaged and clipped to 0–1. Two halves of one unit (split by time or by
 * an amplitude threshold) touch or overlap in feature space: 0.2–1; two units apart: ≈ 0.
 * Null when either cluster has fewer than 6 rows (no neighbourhood to speak of).
 */
export function featureMixing(a: FeatureRows, b: FeatureRows, nLoc: number, nPcs: number, channelIds: ArrayLike<number>): number | null {
  const k = MIXING_NEIGHBOURS;
  if (a.n <= k || b.n <= k || channelIds.length === 0) return null;
  const d = channelIds.length * nPcs;
  const n = a.n + b.n;
  const x = new Float64Array(n * d);
  x.set(pickChannelFeatures(a.data, a.channels, a.n, nLoc, nPcs, channelIds).features, 0);
  x.set(pickChannelFeatures(b.data, b.channels, b.n, nLoc, nPcs, channelIds).features, a.n * d);
  const nn = kNearest(x, n, d, k);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const mine = i < a.n;
    const nOther = mine ? b.n : a.n;
    let other = 0;
    for (let q = 0; q < k; q++) {
      const j = nn[i * k + q];
      if (j >= 0 && (j < a.n) !== mine) other++;
    }
    sum += other / k / (nOther / (n - 1));
  }
  return Math.min(1, Math.max(0, sum / n));
}
