/**
 * Small dense linear algebra for the PCA metrics (dimensions ≤ ~ 12: channels × PCs): sample
 * covariance and a Cholesky factorisation that solves (Σ x = b) and reports a matrix that is not
 * positive definite (singular) instead of returning garbage. Matrices are row-major Float64Array.
 */

/** Column means of the rows of `x` (n, d). */
export function columnMeans(x: Float64Array, n: number, d: number): Float64Array {
  const m = new Float64Array(d);
  if (n === 0) return m.fill(NaN);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) m[j] += x[i * d + j];
  for (let j = 0; j < d; j++) m[j] /= n;
  return m;
}

/** `np.cov(x.T)`: (d, d) sample covariance of the rows of `x` (n, d), divisor n − 1. */
export function covariance(x: Float64Array, n: number, d: number): Float64Array {
  const m = columnMeans(x, n, d);
  const c = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const va = x[i * d + a] - m[a];
      for (let b = a; b < d; b++) c[a * d + b] += va * (x[i * d + b] - m[b]);
    }
  }
  const div = n - 1;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      c[a * d + b] /= div;
      c[b * d + a] = c[a * d + b];
    }
  }
  return c;
}

/**
 * Cholesky factor L (lower, row-major) of a symmetric (d, d) matrix, or null when it is not
 * positive definite — a pivot ≤ 1e-12 × the largest diagonal entry counts as zero, which is
 * what makes NumPy's `inv` raise `LinAlgError` on an exactly singular covariance.
 */
export function cholesky(a: Float64Array, d: number): Float64Array | null {
  const l = new Float64Array(d * d);
  let maxDiag = 0;
  for (let i = 0; i < d; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * d + i]));
  const eps = 1e-12 * (maxDiag || 1);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > eps)) return null;
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j];
    }
  }
  return l;
}

/** Solves L Lᵀ x = b for x, given the Cholesky factor L (d, d). */
export function choleskySolve(l: Float64Array, d: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * y[k];
    y[i] = s / l[i * d + i];
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * x[k];
    x[i] = s / l[i * d + i];
  }
  return x;
}

/**
 * Squared Mahalanobis distance (v)ᵀ Σ⁻¹ (v) from the Cholesky factor L of Σ: ‖L⁻¹ v‖², one
 * forward substitution (no inverse is formed).
 */
export function mahalanobisSquared(l: Float64Array, d: number, v: ArrayLike<number>): number {
  const y = new Float64Array(d);
  let s2 = 0;
  for (let i = 0; i < d; i++) {
    let s = v[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * y[k];
    y[i] = s / l[i * d + i];
    s2 += y[i] * y[i];
  }
  return s2;
}
