/**
 * Trace-window helpers: min/max envelope decimation to a pixel width, spike search by time, and
 * per-channel median subtraction of waveform windows.
 */

/**
 * Min/max envelope of a (nTimes, nCh) float32 window into `width` columns: (width, nCh, 2) with
 * [min, max] per column and channel. Column k covers samples [⌊k·nTimes/width⌋,
 * ⌊(k+1)·nTimes/width⌋), so every sample lands in exactly one column.
 */
export function minMaxEnvelope(data: Float32Array, nTimes: number, nCh: number, width: number): Float32Array {
  const out = new Float32Array(width * nCh * 2);
  const lo = new Float32Array(nCh);
  const hi = new Float32Array(nCh);
  for (let k = 0; k < width; k++) {
    const a = Math.floor((k * nTimes) / width);
    const b = Math.max(a + 1, Math.floor(((k + 1) * nTimes) / width));
    lo.fill(Infinity);
    hi.fill(-Infinity);
    for (let t = a; t < b && t < nTimes; t++) {
      const row = t * nCh;
      for (let c = 0; c < nCh; c++) {
        const v = data[row + c];
        if (v < lo[c]) lo[c] = v;
        if (v > hi[c]) hi[c] = v;
      }
    }
    const o = k * nCh * 2;
    for (let c = 0; c < nCh; c++) {
      out[o + 2 * c] = lo[c];
      out[o + 2 * c + 1] = hi[c];
    }
  }
  return out;
}

/** First index i with `sorted[i] >= value` (sorted non-decreasing). */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Subtracts each column's median from a (nTimes, nCh) float32 window in place. */
export function subtractColumnMedians(data: Float32Array, nTimes: number, nCh: number): void {
  if (nTimes === 0) return;
  const col = new Float32Array(nTimes);
  for (let c = 0; c < nCh; c++) {
    for (let t = 0; t < nTimes; t++) col[t] = data[t * nCh + c];
    col.sort();
    const m = nTimes % 2 ? col[(nTimes - 1) / 2] : (col[nTimes / 2 - 1] + col[nTimes / 2]) / 2;
    for (let t = 0; t < nTimes; t++) data[t * nCh + c] -= m;
  }
}
