/**
 * Digital filters for display: Butterworth design (analog prototype → frequency pre-warping →
 * bilinear transform, as `scipy.signal.butter`) and zero-phase forward-backward filtering with
 * `scipy.signal.filtfilt`'s defaults (odd extension of `3 · max(len(a), len(b))` samples,
 * steady-state initial conditions from `lfilter_zi`). Coefficients are float64; data float32.
 */

/** Transfer-function coefficients, `a[0] = 1`. */
export interface FilterCoefficients {
  b: Float64Array;
  a: Float64Array;
}

type Complex = [number, number];
const cmul = (x: Complex, y: Complex): Complex => [x[0] * y[0] - x[1] * y[1], x[0] * y[1] + x[1] * y[0]];
const cdiv = (x: Complex, y: Complex): Complex => {
  const d = y[0] * y[0] + y[1] * y[1];
  return [(x[0] * y[0] + x[1] * y[1]) / d, (x[1] * y[0] - x[0] * y[1]) / d];
};

/** Real coefficients of ∏ (x − r), highest power first (numpy's `poly`). */
function poly(roots: Complex[]): Float64Array {
  let c: Complex[] = [[1, 0]];
  for (const r of roots) {
    const next: Complex[] = c.map((v) => [v[0], v[1]] as Complex).concat([[0, 0]]);
    for (let k = 0; k < c.length; k++) {
      const m = cmul(c[k], r);
      next[k + 1] = [next[k + 1][0] - m[0], next[k + 1][1] - m[1]];
    }
    c = next;
  }
  return Float64Array.from(c.map((v) => v[0]));
}

/**
 * Butterworth filter of `order` with cutoff `cutoffHz` at `sampleRate` Hz, low- or high-pass
 * (`scipy.signal.butter(order, cutoff / (fs / 2), btype)`).
 */
export function butter(order: number, cutoffHz: number, sampleRate: number, btype: 'low' | 'high'): FilterCoefficients {
  const wn = cutoffHz / (sampleRate / 2);
  if (!(wn > 0 && wn < 1)) throw new RangeError(`filter cutoff ${cutoffHz} Hz must lie in (0, ${sampleRate / 2}) Hz`);
  // Analog prototype: poles on the unit circle's left half, no zeros, gain 1.
  let poles: Complex[] = [];
  for (let m = -order + 1; m < order; m += 2) {
    const th = (Math.PI * m) / (2 * order);
    poles.push([-Math.cos(th), -Math.sin(th)]);
  }
  let zeros: Complex[] = [];
  let k = 1;
  const fs = 2;
  const warped = 2 * fs * Math.tan((Math.PI * wn) / fs);
  if (btype === 'low') {
    poles = poles.map((p) => [p[0] * warped, p[1] * warped]);
    k = k * warped ** order;
  } else {
    // lp2hp: z → wo / z (plus `order` zeros at the origin), p → wo / p, k × Re(∏(−z) / ∏(−p)).
    let prodNegP: Complex = [1, 0];
    for (const p of poles) prodNegP = cmul(prodNegP, [-p[0], -p[1]]);
    k = k * cdiv([1, 0], prodNegP)[0];
    poles = poles.map((p) => cdiv([warped, 0], p));
    zeros = poles.map(() => [0, 0] as Complex);
  }
  // Bilinear transform with fs = 2 (normalised frequencies).
  const fs2 = 2 * fs;
  let num: Complex = [1, 0];
  let den: Complex = [1, 0];
  for (const z of zeros) num = cmul(num, [fs2 - z[0], -z[1]]);
  for (const p of poles) den = cmul(den, [fs2 - p[0], -p[1]]);
  const kz = k * cdiv(num, den)[0];
  const zz: Complex[] = zeros.map((z) => cdiv([fs2 + z[0], z[1]], [fs2 - z[0], -z[1]]));
  const pz: Complex[] = poles.map((p) => cdiv([fs2 + p[0], p[1]], [fs2 - p[0], -p[1]]));
  while (zz.length < pz.length) zz.push([-1, 0]);
  const b = poly(zz).map((v) => v * kz);
  const a = poly(pz);
  return { b, a };
}

/** The display high-pass filter of waveforms and traces: 3rd-order Butterworth at 150 Hz. */
export function displayHighpass(sampleRate: number): FilterCoefficients {
  return butter(3, 150, sampleRate, 'high');
}

/** Steady-state initial conditions of `lfilter` for a unit step (`scipy.signal.lfilter_zi`). */
export function lfilterZi({ b, a }: FilterCoefficients): Float64Array {
  const n = Math.max(a.length, b.length);
  const aa = new Float64Array(n);
  const bb = new Float64Array(n);
  aa.set(a);
  bb.set(b);
  for (let i = n - 1; i >= 0; i--) {
    aa[i] /= a[0];
    bb[i] /= a[0];
  }
  const m = n - 1;
  if (m === 0) return new Float64Array(0);
  // (I − companion(a)ᵀ) zi = b[1:] − a[1:] · b[0]; companion(a)ᵀ has −a[1:] in its first column
  // and ones on the superdiagonal.
  const M = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    M[i * m + i] = 1;
    M[i * m] += aa[i + 1];
    if (i + 1 < m) M[i * m + i + 1] -= 1;
    rhs[i] = bb[i + 1] - aa[i + 1] * bb[0];
  }
  return solve(M, rhs, m);
}

/** Gaussian elimination with partial pivoting for a small dense system. */
function solve(M: Float64Array, rhs: Float64Array, m: number): Float64Array {
  const A = M.slice();
  const x = rhs.slice();
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r * m + c]) > Math.abs(A[p * m + c])) p = r;
    if (p !== c) {
      for (let k = 0; k < m; k++) [A[c * m + k], A[p * m + k]] = [A[p * m + k], A[c * m + k]];
      [x[c], x[p]] = [x[p], x[c]];
    }
    for (let r = c + 1; r < m; r++) {
      const f = A[r * m + c] / A[c * m + c];
      for (let k = c; k < m; k++) A[r * m + k] -= f * A[c * m + k];
      x[r] -= f * x[c];
    }
  }
  for (let c = m - 1; c >= 0; c--) {
    let s = x[c];
    for (let k = c + 1; k < m; k++) s -= A[c * m + k] * x[k];
    x[c] = s / A[c * m + c];
  }
  return x;
}

/**
 * Zero-phase filtering of every column of `data` ((nTimes, nColumns) float32, time-major, as raw
 * windows come) in place, like `scipy.signal.filtfilt(b, a, data, axis=0)` with `padtype='odd'`
 * and `padlen = 3 · max(len(a), len(b))` (clamped to nTimes − 1).
 *
 * Whole rows are filtered at once: the filter state is one float64 vector per delay (nColumns
 * each, cache-resident), and time advances row by row through the window in place, so a
 * 384-channel window streams through memory exactly twice with no per-column copies. The odd
 * extensions (padlen rows at each end) live in two small buffers. Between the passes the signal
 * is held in float32 (relative rounding ~6e-8, far below the display's resolution); the
 * recursion itself runs in float64.
 */
export function filtfilt(coef: FilterCoefficients, data: Float32Array, nTimes: number, nColumns: number): Float32Array {
  if (nTimes < 2 || nColumns === 0) return data;
  const order = Math.max(coef.a.length, coef.b.length) - 1;
  const a0 = coef.a[0];
  const b = new Float64Array(order + 1);
  const a = new Float64Array(order + 1);
  for (let i = 0; i < coef.b.length; i++) b[i] = coef.b[i] / a0;
  for (let i = 0; i < coef.a.length; i++) a[i] = coef.a[i] / a0;
  const zi = lfilterZi(coef);
  const C = nColumns;
  const padlen = Math.min(3 * (order + 1), nTimes - 1);
  // Odd extension: 2·x[0] − x[padlen − i] before, 2·x[n−1] − x[n−2−i] after.
  const pre = new Float32Array(padlen * C);
  const post = new Float32Array(padlen * C);
  const last = (nTimes - 1) * C;
  for (let i = 0; i < padlen; i++) {
    const p = (padlen - i) * C;
    const q = (nTimes - 2 - i) * C;
    for (let j = 0; j < C; j++) {
      pre[i * C + j] = 2 * data[j] - data[p + j];
      post[i * C + j] = 2 * data[last + j] - data[q + j];
    }
  }
  const z = new Float64Array(Math.max(1, order) * C);
  const init = (x: Float32Array, row: number) => {
    for (let k = 0; k < order; k++) for (let j = 0; j < C; j++) z[k * C + j] = zi[k] * x[row * C + j];
  };
  const run = (x: Float32Array, rows: number, reverse: boolean) => filterRows(b, a, order, x, rows, C, z, reverse);
  init(pre, 0);
  run(pre, padlen, false);
  run(data, nTimes, false);
  run(post, padlen, false);
  init(post, padlen - 1);
  run(post, padlen, true);
  run(data, nTimes, true);
  run(pre, padlen, true);
  return data;
}

/**
 * One direct-form-II-transposed pass over `rows` rows of `C` columns of `x` in place, forwards
 * or backwards, continuing from the state `z` ((order, C) float64).
 */
function filterRows(b: Float64Array, a: Float64Array, order: number, x: Float32Array, rows: number, C: number, z: Float64Array, reverse: boolean): void {
  const b0 = b[0];
  if (order === 3) {
    // The display filter's order, unrolled (the generic loop costs ~3× more per sample).
    const b1 = b[1];
    const b2 = b[2];
    const b3 = b[3];
    const a1 = a[1];
    const a2 = a[2];
    const a3 = a[3];
    const z0 = z.subarray(0, C);
    const z1 = z.subarray(C, 2 * C);
    const z2 = z.subarray(2 * C, 3 * C);
    for (let s = 0; s < rows; s++) {
      const o = (reverse ? rows - 1 - s : s) * C;
      for (let j = 0; j < C; j++) {
        const xt = x[o + j];
        const yt = b0 * xt + z0[j];
        z0[j] = b1 * xt - a1 * yt + z1[j];
        z1[j] = b2 * xt - a2 * yt + z2[j];
        z2[j] = b3 * xt - a3 * yt;
        x[o + j] = yt;
      }
    }
    return;
  }
  for (let s = 0; s < rows; s++) {
    const o = (reverse ? rows - 1 - s : s) * C;
    for (let j = 0; j < C; j++) {
      const xt = x[o + j];
      const yt = b0 * xt + (order > 0 ? z[j] : 0);
      for (let k = 0; k < order - 1; k++) z[k * C + j] = b[k + 1] * xt - a[k + 1] * yt + z[(k + 1) * C + j];
      if (order > 0) z[(order - 1) * C + j] = b[order] * xt - a[order] * yt;
      x[o + j] = yt;
    }
  }
}

/** Direct form II transposed over `x` into `y` (backwards when `reverse`), state from zi × x0. */
function lfilterInto(
  b: Float64Array,
  a: Float64Array,
  x: Float64Array,
  y: Float64Array,
  zi: Float64Array,
  x0: number,
  z: Float64Array,
  zo: number,
  reverse: boolean,
): void {
  const order = b.length - 1;
  for (let k = 0; k < order; k++) z[zo + k] = zi[k] * x0;
  const n = x.length;
  for (let s = 0; s < n; s++) {
    const t = reverse ? n - 1 - s : s;
    const xt = x[t];
    const yt = b[0] * xt + (order > 0 ? z[zo] : 0);
    for (let k = 0; k < order - 1; k++) z[zo + k] = b[k + 1] * xt - a[k + 1] * yt + z[zo + k + 1];
    if (order > 0) z[zo + order - 1] = b[order] * xt - a[order] * yt;
    y[t] = yt;
  }
}

/**
 * Plain causal filtering of a 1-D signal (`scipy.signal.lfilter(b, a, x)`, zero initial state),
 * float64; for tests and frequency-response checks.
 */
export function lfilter(coef: FilterCoefficients, x: ArrayLike<number>): Float64Array {
  const order = Math.max(coef.a.length, coef.b.length) - 1;
  const b = new Float64Array(order + 1);
  const a = new Float64Array(order + 1);
  for (let i = 0; i < coef.b.length; i++) b[i] = coef.b[i] / coef.a[0];
  for (let i = 0; i < coef.a.length; i++) a[i] = coef.a[i] / coef.a[0];
  const xs = Float64Array.from(x);
  const y = new Float64Array(xs.length);
  lfilterInto(b, a, xs, y, new Float64Array(order), 0, new Float64Array(order), 0, false);
  return y;
}

/** |H(e^{jω})| in dB at `freqHz` for a filter designed at `sampleRate`. */
export function magnitudeDb({ b, a }: FilterCoefficients, freqHz: number, sampleRate: number): number {
  const w = (2 * Math.PI * freqHz) / sampleRate;
  const ev = (c: Float64Array): Complex => {
    let re = 0;
    let im = 0;
    for (let k = 0; k < c.length; k++) {
      re += c[k] * Math.cos(-w * k);
      im += c[k] * Math.sin(-w * k);
    }
    return [re, im];
  };
  const h = cdiv(ev(b), ev(a));
  return 20 * Math.log10(Math.hypot(h[0], h[1]));
}
