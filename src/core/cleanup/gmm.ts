/**
 * Gaussian mixture with full covariances, fitted by EM from a k-means++ start drawn from a
 * seeded {@link Rng} (deterministic for a seed), and the number of components chosen by BIC —
 * the re-cluster tool of issue #14 (decisions/0011). Pure, no I/O; written here (no library),
 * following the model of scikit-learn's `GaussianMixture(covariance_type='full')`:
 * `reg_covar` 1e-6 added to each covariance's diagonal, convergence when the mean
 * log-likelihood per point changes by less than `tol` (1e-3), BIC as `GaussianMixture.bic`:
 * −2 · logL + nParams · ln(n), with nParams = k·d (means) + k·d(d+1)/2 (covariances) + k − 1
 * (weights).
 *
 * Data are row-major (n, d) Float64Array. Cost per EM iteration O(n · k · d²).
 */
import { cholesky } from '../metrics/linalg';
import { Rng } from '../random';

/** A fitted mixture. */
export interface GmmModel {
  k: number;
  d: number;
  /** (k,) mixing weights, summing to 1. */
  weights: Float64Array;
  /** (k, d) means. */
  means: Float64Array;
  /** (k, d, d) Cholesky factors (lower) of the regularised covariances. */
  chol: Float64Array;
  /** Total log-likelihood of the data it was fitted on. */
  logLikelihood: number;
  /** EM iterations run, and whether the change fell below `tol` before `maxIter`. */
  nIter: number;
  converged: boolean;
}

export interface GmmOptions {
  /** Seed of the k-means++ start (default 0). */
  seed?: number;
  /** Most EM iterations (default 200). */
  maxIter?: number;
  /** Convergence threshold on the mean log-likelihood per point (default 1e-3, sklearn's). */
  tol?: number;
  /** Added to every covariance's diagonal (default 1e-6, sklearn's `reg_covar`). */
  regCovar?: number;
}

const LOG_2PI = Math.log(2 * Math.PI);
/** Stream label of the re-cluster's k-means++ draws (random.ts streams 1–11 are the generator's). */
const GMM_STREAM = 101;

/** Number of free parameters of a full-covariance mixture of `k` components in `d` dimensions. */
export function gmmParameterCount(k: number, d: number): number {
  return k * d + (k * d * (d + 1)) / 2 + (k - 1);
}

/** BIC of a model with total log-likelihood `logL` on `n` points (scikit-learn's `GaussianMixture.bic`): lower is better. */
export function bic(logL: number, k: number, d: number, n: number): number {
  return -2 * logL + gmmParameterCount(k, d) * Math.log(n);
}

/** Squared distance between row `i` of `x` and row `j` of `c`. */
function dist2(x: Float64Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let a = 0; a < d; a++) {
    const v = x[i * d + a] - c[j * d + a];
    s += v * v;
  }
  return s;
}

/**
 * k-means++ centres (Arthur & Vassilvitskii 2007) followed by Lloyd iterations: the hard
 * assignment the EM starts from (sklearn's `init_params='k-means++'` uses the centres alone;
 * a few Lloyd steps make the start, and so the fit, less dependent on the draw).
 */
export function kmeansPlusPlus(x: Float64Array, n: number, d: number, k: number, seed: number, lloydIter = 20): Int32Array {
  const rng = new Rng(seed, GMM_STREAM, k);
  const centres = new Float64Array(k * d);
  const first = rng.int(n);
  centres.set(x.subarray(first * d, first * d + d), 0);
  const best = new Float64Array(n);
  for (let i = 0; i < n; i++) best[i] = dist2(x, i, centres, 0, d);
  for (let j = 1; j < k; j++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += best[i];
    let pick = n - 1;
    if (total > 0) {
      let r = rng.uniform() * total;
      for (let i = 0; i < n; i++) {
        r -= best[i];
        if (r <= 0) {
          pick = i;
          break;
        }
      }
    } else pick = rng.int(n);
    centres.set(x.subarray(pick * d, pick * d + d), j * d);
    for (let i = 0; i < n; i++) best[i] = Math.min(best[i], dist2(x, i, centres, j, d));
  }
  const labels = new Int32Array(n);
  const counts = new Float64Array(k);
  for (let it = 0; it <= lloydIter; it++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      let bj = 0;
      let bd = Infinity;
      for (let j = 0; j < k; j++) {
        const v = dist2(x, i, centres, j, d);
        if (v < bd) {
          bd = v;
          bj = j;
        }
      }
      if (labels[i] !== bj || it === 0) moved++;
      labels[i] = bj;
    }
    if (it === lloydIter || (it > 0 && moved === 0)) break;
    centres.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      counts[labels[i]]++;
      for (let a = 0; a < d; a++) centres[labels[i] * d + a] += x[i * d + a];
    }
    for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) centres[j * d + a] = counts[j] ? centres[j * d + a] / counts[j] : x[rng.int(n) * d + a];
  }
  return labels;
}

/**
 * M-step: weights, means and regularised covariances' Cholesky factors from responsibilities
 * `resp` (n, k). A component left with (almost) no weight is given the whole data's covariance
 * so that its factor exists; its weight ~0 keeps it out of the labels.
 */
function mStep(x: Float64Array, n: number, d: number, k: number, resp: Float64Array, reg: number): Pick<GmmModel, 'weights' | 'means' | 'chol'> {
  const weights = new Float64Array(k);
  const means = new Float64Array(k * d);
  const chol = new Float64Array(k * d * d);
  const nk = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) nk[j] += resp[i * k + j];
  for (let j = 0; j < k; j++) nk[j] += 10 * Number.EPSILON;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const r = resp[i * k + j];
      if (r === 0) continue;
      for (let a = 0; a < d; a++) means[j * d + a] += r * x[i * d + a];
    }
  }
  for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) means[j * d + a] /= nk[j];
  const cov = new Float64Array(d * d);
  const diff = new Float64Array(d);
  for (let j = 0; j < k; j++) {
    cov.fill(0);
    for (let i = 0; i < n; i++) {
      const r = resp[i * k + j];
      if (r < 1e-12) continue;
      for (let a = 0; a < d; a++) diff[a] = x[i * d + a] - means[j * d + a];
      for (let a = 0; a < d; a++) {
        const ra = r * diff[a];
        for (let b = 0; b <= a; b++) cov[a * d + b] += ra * diff[b];
      }
    }
    for (let a = 0; a < d; a++) {
      for (let b = 0; b <= a; b++) {
        cov[a * d + b] /= nk[j];
        cov[b * d + a] = cov[a * d + b];
      }
      cov[a * d + a] += reg;
    }
    let l = cholesky(cov, d);
    if (!l) {
      // Degenerate (a component on a handful of identical points): a unit covariance instead.
      cov.fill(0);
      for (let a = 0; a < d; a++) cov[a * d + a] = 1;
      l = cholesky(cov, d)!;
    }
    chol.set(l, j * d * d);
    weights[j] = nk[j] / n;
  }
  return { weights, means, chol };
}

/**
 * E-step: the responsibilities (posterior of every component for every point) written into
 * `resp` (n, k); returns the total log-likelihood (log-sum-exp per point, so no underflow).
 */
function eStep(x: Float64Array, n: number, d: number, k: number, m: Pick<GmmModel, 'weights' | 'means' | 'chol'>, resp: Float64Array): number {
  const y = new Float64Array(d);
  const logNorm = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let logDet = 0;
    for (let a = 0; a < d; a++) logDet += Math.log(m.chol[j * d * d + a * d + a]);
    logNorm[j] = Math.log(m.weights[j]) - 0.5 * d * LOG_2PI - logDet;
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) {
      const L = j * d * d;
      const mu = j * d;
      let s2 = 0;
      for (let a = 0; a < d; a++) {
        let s = x[i * d + a] - m.means[mu + a];
        for (let b = 0; b < a; b++) s -= m.chol[L + a * d + b] * y[b];
        y[a] = s / m.chol[L + a * d + a];
        s2 += y[a] * y[a];
      }
      const v = logNorm[j] - 0.5 * s2;
      resp[i * k + j] = v;
      if (v > max) max = v;
    }
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(resp[i * k + j] - max);
    const lse = max + Math.log(sum);
    total += lse;
    for (let j = 0; j < k; j++) resp[i * k + j] = Math.exp(resp[i * k + j] - lse);
  }
  return total;
}

/** Fits a `k`-component mixture to `x` (n, d) by EM from a k-means++ start. */
export function fitGmm(x: Float64Array, n: number, d: number, k: number, opts: GmmOptions = {}, check?: () => void): GmmModel {
  if (!(k >= 1 && k <= n)) throw new RangeError(`gmm: ${k} components for ${n} points`);
  const maxIter = opts.maxIter ?? 200;
  const tol = opts.tol ?? 1e-3;
  const reg = opts.regCovar ?? 1e-6;
  const start = kmeansPlusPlus(x, n, d, k, opts.seed ?? 0);
  const resp = new Float64Array(n * k);
  for (let i = 0; i < n; i++) resp[i * k + start[i]] = 1;
  let model = mStep(x, n, d, k, resp, reg);
  let prev = -Infinity;
  let logL = -Infinity;
  let nIter = 0;
  let converged = false;
  for (let it = 1; it <= maxIter; it++) {
    check?.();
    logL = eStep(x, n, d, k, model, resp);
    nIter = it;
    if (Math.abs(logL / n - prev / n) < tol) {
      converged = true;
      break;
    }
    prev = logL;
    model = mStep(x, n, d, k, resp, reg);
  }
  return { k, d, ...model, logLikelihood: logL, nIter, converged };
}

/** The component of highest posterior of every row of `x` (n, d) under `model`. */
export function predictGmm(model: GmmModel, x: Float64Array, n: number): Int32Array {
  const { k, d } = model;
  const labels = new Int32Array(n);
  const chunk = 4096;
  const logp = new Float64Array(chunk * k);
  for (let s = 0; s < n; s += chunk) {
    const m = Math.min(chunk, n - s);
    eStep(x.subarray(s * d, (s + m) * d), m, d, k, model, logp);
    for (let i = 0; i < m; i++) {
      let bj = 0;
      for (let j = 1; j < k; j++) if (logp[i * k + j] > logp[i * k + bj]) bj = j;
      labels[s + i] = bj;
    }
  }
  return labels;
}

export interface GmmSelection {
  /** The chosen model. */
  model: GmmModel;
  /** BIC per number of components tried, `bics[k - 1]` (NaN where not tried). */
  bics: Float64Array;
}

/**
 * Fits 1…`kMax` components (or only `forceK`) and keeps the lowest BIC. A candidate needs more
 * points than parameters (else its likelihood is unbounded), so a small set tries fewer: with 13
 * dimensions, 2 components need 210 points, 3 need 315. (Twice the parameters, tried first, kept
 * the bench's contaminated clusters of 294 and 398 spikes from ever being split.)
 */
export function selectGmm(x: Float64Array, n: number, d: number, opts: GmmOptions & { kMax?: number; forceK?: number } = {}, check?: () => void): GmmSelection {
  const kMax = opts.kMax ?? 6;
  const bics = new Float64Array(kMax).fill(NaN);
  const ks = opts.forceK ? [opts.forceK] : Array.from({ length: kMax }, (_, i) => i + 1).filter((k) => k === 1 || n > gmmParameterCount(k, d));
  let best: GmmModel | null = null;
  let bestBic = Infinity;
  for (const k of ks) {
    const m = fitGmm(x, n, d, Math.min(k, n), opts, check);
    const b = bic(m.logLikelihood, m.k, d, n);
    if (k <= kMax) bics[k - 1] = b;
    if (b < bestBic) {
      bestBic = b;
      best = m;
    }
  }
  return { model: best!, bics };
}
