/**
 * Early vs late: a cluster's spikes cut into consecutive time epochs of equal spike counts, so
 * the views can show each epoch as if it were a cluster ("did this unit drift or change?").
 * Pure; O(spikes of the cluster).
 */

/** Fewest and most epochs offered (issue #14: 2–4). */
export const MIN_EPOCHS = 2;
export const MAX_EPOCHS = 4;

/**
 * Splits a cluster's spike ids into `n` consecutive runs of equal size (the first `len % n` runs
 * one spike longer). Spike times are non-decreasing in spike id, so consecutive ids are
 * consecutive times: run 0 is the earliest quarter (n = 4) of the cluster's spikes.
 *
 * @param spikeIds (nSpikes,) sorted spike ids of one cluster.
 * @param n number of epochs, {@link MIN_EPOCHS}–{@link MAX_EPOCHS}; fewer when the cluster has fewer spikes.
 * @returns `n` views (subarrays, not copies) of `spikeIds`, earliest first; none empty.
 */
export function epochParts(spikeIds: Int32Array, n: number): Int32Array[] {
  if (!Number.isInteger(n) || n < MIN_EPOCHS || n > MAX_EPOCHS) throw new RangeError(`epochs: ${n} is not a whole number of epochs from ${MIN_EPOCHS} to ${MAX_EPOCHS}`);
  const k = Math.min(n, spikeIds.length);
  const out: Int32Array[] = [];
  const base = Math.floor(spikeIds.length / k);
  const extra = spikeIds.length % k;
  let start = 0;
  for (let i = 0; i < k; i++) {
    const len = base + (i < extra ? 1 : 0);
    out.push(spikeIds.subarray(start, start + len));
    start += len;
  }
  return out;
}

/** `early` / `late` for two epochs, else `epoch 1` … `epoch n` (the parts' names in the views). */
export function epochName(i: number, n: number): string {
  if (n === 2) return i === 0 ? 'early' : 'late';
  return `epoch ${i + 1}`;
}
