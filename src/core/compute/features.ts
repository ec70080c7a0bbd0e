/** Picking the PCs of chosen channels out of per-spike feature rows. */

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
