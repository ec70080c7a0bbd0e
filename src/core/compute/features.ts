/** Picking the PCs of chosen channels out of per-spike feature rows. */
import { regularSubset } from './ccg';

/**
 * From feature rows `data` (n, nLoc, nPcs) with `channels` (n, nLoc), the PCs on `channelIds`:
 * `features` (n, m, nPcs) float32 (0 where a spike has no column for the channel, phy's rule, or
 * the value is masked/NaN) and `present` (n, m) 1 where the spike has that channel.
 */
export function pickChannelFeatures(
  data: Float32Array,
  channels: Int32Array,
  n: number,
  nLoc: number,
  nPcs: number,
  channelIds: ArrayLike<number>,
): { features: Float32Array; present: Uint8Array } {
  const m = channelIds.length;
  const features = new Float32Array(n * m * nPcs);
  const present = new Uint8Array(n * m);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < m; j++) {
      let col = -1;
      for (let c = 0; c < nLoc; c++) {
        if (channels[k * nLoc + c] === channelIds[j]) {
          col = c;
          break;
        }
      }
      if (col < 0) continue;
      present[k * m + j] = 1;
      for (let pc = 0; pc < nPcs; pc++) {
        const v = data[(k * nLoc + col) * nPcs + pc];
        features[(k * m + j) * nPcs + pc] = Number.isNaN(v) ? 0 : v;
      }
    }
  }
  return { features, present };
}

/**
 * FeatureView's grey background: of the `candidates` (spike ids spread regularly over the
 * recording), the positions whose spike `eligible` accepts (another cluster's, with features on
 * both shown channels), at most `max` of them, themselves spread regularly over the candidates
 * so that the background covers the whole recording rather than its beginning.
 */
export function backgroundPositions(nCandidates: number, eligible: (k: number) => boolean, max: number): Int32Array {
  const ok: number[] = [];
  for (let k = 0; k < nCandidates; k++) if (eligible(k)) ok.push(k);
  return regularSubset(Int32Array.from(ok), max);
}
