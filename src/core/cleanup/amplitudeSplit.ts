/**
 * Amplitude-threshold split (issue #14, phy 2.2's design): a horizontal line in AmplitudeView;
 * the spikes below it become a new cluster. Typical use: a unit whose small-amplitude spikes are
 * noise or another unit's tail.
 */

/**
 * Indices into `amplitudes` ((n,) one cluster's spike amplitudes, any unit) of the spikes
 * strictly below `threshold` (NaN amplitudes count as not below). Throws a RangeError with a
 * message saying how many spikes there are when the threshold takes no spike or every spike:
 * such a split would be a no-op or a relabelling, never what the curator meant.
 */
export function spikesBelow(amplitudes: ArrayLike<number>, threshold: number): Int32Array {
  if (!Number.isFinite(threshold)) throw new RangeError(`the threshold must be a finite number, not ${threshold}`);
  let n = 0;
  for (let i = 0; i < amplitudes.length; i++) if (amplitudes[i] < threshold) n++;
  if (n === 0) throw new RangeError(`no spike is below the threshold ${threshold} (of ${amplitudes.length} spikes)`);
  if (n === amplitudes.length) throw new RangeError(`every spike (${n}) is below the threshold ${threshold}: nothing would be left`);
  const out = new Int32Array(n);
  for (let i = 0, k = 0; i < amplitudes.length; i++) if (amplitudes[i] < threshold) out[k++] = i;
  return out;
}
