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


/** The k-th smallest of `v[0..n)` (Hoare quickselect; reorders `v`). */
export function quickselect(v: Float32Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = v[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        const t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return v[k];
  }
  return v[k];
}

/**
 * Subtracts each column's median from a (nTimes, nCh) float32 window in place. Windows longer
 * than `maxSamples` use the median of a regular subsample of that many samples (a 2 s trace
 * window has 60,000 samples per channel; 2,000 estimate its offset to well under the noise).
 */
export function subtractColumnMedians(data: Float32Array, nTimes: number, nCh: number, maxSamples = Infinity): void {
  if (nTimes === 0) return;
  const step = nTimes > maxSamples ? Math.ceil(nTimes / maxSamples) : 1;
  const m = Math.ceil(nTimes / step);
  const col = new Float32Array(m);
  const med = new Float32Array(nCh);
  for (let c = 0; c < nCh; c++) {
    for (let k = 0; k < m; k++) col[k] = data[k * step * nCh + c];
    const hi = quickselect(col, m, m >> 1);
    med[c] = hi;
    if (m % 2 === 0) {
      let lo = -Infinity;
      for (let k = 0; k < m >> 1; k++) if (col[k] > lo) lo = col[k];
      med[c] = (lo + hi) / 2;
    }
  }
  // One time-major pass (a per-column pass would stride through the whole window nCh times).
  for (let t = 0; t < nTimes; t++) {
    const row = t * nCh;
    for (let c = 0; c < nCh; c++) data[row + c] -= med[c];
  }
}
