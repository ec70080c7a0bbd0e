/** The whitening matrix of a template folder, and the matrix inverse it may need. */
import { shapeText, type TemplateFolderReader } from './folder';

/**
 * Inverse of an (n, n) C-order matrix by Gauss–Jordan elimination with partial pivoting, or null
 * when it is singular (a pivot below 1e-12 × the largest entry).
 */
export function invertMatrix(m: ArrayLike<number>, n: number): Float64Array | null {
  const a = Float64Array.from(m);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(a[i]));
  if (!(scale > 0) || !Number.isFinite(scale)) return null;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[piv * n + col])) piv = r;
    const p = a[piv * n + col];
    if (Math.abs(p) < 1e-12 * scale) return null;
    if (piv !== col) {
      for (let k = 0; k < n; k++) {
        let t = a[col * n + k];
        a[col * n + k] = a[piv * n + k];
        a[piv * n + k] = t;
        t = inv[col * n + k];
        inv[col * n + k] = inv[piv * n + k];
        inv[piv * n + k] = t;
      }
    }
    for (let k = 0; k < n; k++) {
      a[col * n + k] /= p;
      inv[col * n + k] /= p;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r * n + col];
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        a[r * n + k] -= f * a[col * n + k];
        inv[r * n + k] -= f * inv[col * n + k];
      }
    }
  }
  return inv;
}

export function identity(n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

/** `whitening_mat_inv.npy`, else the inverse of `whitening_mat.npy`, else identity (never written). */
export function readWhitening(r: TemplateFolderReader, nChannels: number): Float64Array {
  const log = r.log;
  const square = (name: string): Float64Array | null => {
    const w = r.read([name], false, 'float64', []);
    if (!w) return null;
    const s = w.npy.header.shape;
    if (s.length !== 2 || s[0] !== nChannels || s[1] !== nChannels) {
      log.add('warning', w.file, 'lengths.mismatch', `expected (${nChannels}, ${nChannels}) (one row and column per channel) but got ${shapeText(w.npy)}; ignored`);
      return null;
    }
    return w.data as Float64Array;
  };
  const inv = square('whitening_mat_inv.npy');
  if (inv) return inv;
  const w = square('whitening_mat.npy');
  if (w) {
    const computed = invertMatrix(w, nChannels);
    if (computed) {
      if (!r.names.includes('whitening_mat_inv.npy')) log.add('info', r.path('whitening_mat_inv.npy'), 'whitening.computed', 'whitening_mat_inv.npy not found: computed from whitening_mat.npy in memory (not written)');
      return computed;
    }
    log.add('warning', r.path('whitening_mat.npy'), 'whitening.singular', 'whitening_mat.npy is singular: templates are shown whitened (identity used as its inverse)');
  }
  return identity(nChannels);
}
