/**
 * A rectangle in world (data) coordinates, and the small helpers every plot needs: bounds of
 * typed arrays, padding, and "nice" tick positions for axes.
 */

/** An axis-aligned rectangle; x grows to the right, y grows upwards (data convention). */
export interface Rect {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** A rectangle that is never degenerate: zero-width spans are widened to ±0.5 (or ±10 %). */
export function safeRect(r: Rect): Rect {
  const fix = (a: number, b: number): [number, number] => {
    if (!Number.isFinite(a) || !Number.isFinite(b)) return [0, 1];
    if (b > a) return [a, b];
    const half = a === 0 ? 0.5 : Math.abs(a) * 0.1;
    return [a - half, a + half];
  };
  const [x0, x1] = fix(r.x0, r.x1);
  const [y0, y1] = fix(r.y0, r.y1);
  return { x0, x1, y0, y1 };
}

/** `r` grown by a fraction of its size on each side (0.05 = 5 %). */
export function padRect(r: Rect, fx: number, fy = fx): Rect {
  const w = r.x1 - r.x0;
  const h = r.y1 - r.y0;
  return { x0: r.x0 - w * fx, x1: r.x1 + w * fx, y0: r.y0 - h * fy, y1: r.y1 + h * fy };
}

/** Min and max of the finite values of `values` read with a stride (e.g. column 1 of (n, 2)). */
export function extent(values: ArrayLike<number>, stride = 1, offset = 0): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = offset; i < values.length; i += stride) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Robust range: the q and 1-q quantiles of a sample of the values (outliers do not squash the plot). */
export function quantileExtent(values: ArrayLike<number>, q: number, stride = 1, offset = 0): [number, number] {
  const n = Math.floor((values.length - offset + stride - 1) / stride);
  if (n <= 0) return [Infinity, -Infinity];
  const step = Math.max(1, Math.floor(n / 20000));
  // A typed array sorts numerically in native code: ~10× faster than number[] with a comparator.
  const buf = new Float64Array(Math.ceil(n / step));
  let m = 0;
  for (let k = 0; k < n; k += step) {
    const v = values[offset + k * stride];
    if (Number.isFinite(v)) buf[m++] = v;
  }
  if (m === 0) return [Infinity, -Infinity];
  const sample = buf.subarray(0, m).sort();
  const at = (p: number) => sample[Math.min(sample.length - 1, Math.max(0, Math.round(p * (sample.length - 1))))];
  return [at(q), at(1 - q)];
}

/** Union of rectangles (ignores empty ones). */
export function unionRect(rects: Rect[]): Rect | null {
  let out: Rect | null = null;
  for (const r of rects) {
    if (!(r.x1 >= r.x0 && r.y1 >= r.y0)) continue;
    out = out ? { x0: Math.min(out.x0, r.x0), x1: Math.max(out.x1, r.x1), y0: Math.min(out.y0, r.y0), y1: Math.max(out.y1, r.y1) } : { ...r };
  }
  return out;
}

/** Tick positions at a 1/2/5 × 10^k step, about `count` of them inside [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** A tick label without float noise (0.30000000000000004 → "0.3"). */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1);
  return String(Number.parseFloat(v.toPrecision(6)));
}

/**
 * A value as a person reads it in a readout (a histogram's max, a rate): 3 significant digits,
 * thousands grouped, no exponent below 10⁹ (16.7559 → "16.8", 163421 → "163,000", 0.0123 → "0.0123").
 */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e9 || a < 1e-4) return v.toExponential(1);
  const rounded = Number.parseFloat(v.toPrecision(3));
  return rounded.toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** Point-in-polygon (even-odd rule); `polygon` is (n, 2) interleaved. */
export { insidePolygon as pointInPolygon } from '../../core/polygon';
