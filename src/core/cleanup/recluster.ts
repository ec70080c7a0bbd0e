/**
 * Re-cluster one cluster (issue #14): its spikes' features (PC features on its best channels plus
 * amplitude, `src/native-workers/handlers/recluster.ts` gathers them) standardised, a Gaussian
 * mixture chosen by BIC over 1–6 components ({@link selectGmm}) fitted on at most `maxFit`
 * spikes spread evenly over the cluster, then every spike labelled by the chosen model. Parts
 * are numbered by size, largest first. Deterministic for a seed.
 */
import { predictGmm, selectGmm } from './gmm';

/** Spikes the mixture is fitted on at most (every spike is then labelled): keeps a 100 k-spike cluster within ~1 s. */
export const RECLUSTER_FIT_SPIKES = 12_000;
/** Most parts a re-cluster proposes (issue #14: BIC over 1–6). */
export const RECLUSTER_MAX_PARTS = 6;

/**
 * Z-scores every column of `x` (n, d) in place; returns the columns kept (standard deviation
 * above 1e-9 × the largest, i.e. not constant) and `x` compacted to them.
 */
export function standardise(x: Float64Array, n: number, d: number): { x: Float64Array; d: number } {
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] += x[i * d + a];
  for (let a = 0; a < d; a++) mean[a] /= Math.max(1, n);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const v = x[i * d + a] - mean[a];
      sd[a] += v * v;
    }
  }
  let maxSd = 0;
  for (let a = 0; a < d; a++) maxSd = Math.max(maxSd, (sd[a] = Math.sqrt(sd[a] / Math.max(1, n))));
  const keep: number[] = [];
  for (let a = 0; a < d; a++) if (sd[a] > 1e-9 * maxSd && sd[a] > 0) keep.push(a);
  const m = keep.length;
  const out = m === d ? x : new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let b = 0; b < m; b++) out[i * m + b] = (x[i * d + keep[b]] - mean[keep[b]]) / sd[keep[b]];
  return { x: out, d: m };
}

export interface ReclusterResult {
  /** (n,) part of each spike, 0 = the largest part. */
  labels: Int32Array;
  /** Parts found (1: the cluster is one Gaussian by BIC). */
  k: number;
  /** BIC per number of components tried (`bics[k - 1]`, NaN where not tried). */
  bics: Float64Array;
  /** Feature dimensions used after dropping constant ones. */
  d: number;
  /** Spikes the mixture was fitted on. */
  nFit: number;
}

/**
 * Re-clusters the rows of `x` (n, d) — modified in place (standardised).
 * @param opts.n forces the number of parts (1–6); default: chosen by BIC.
 */
export function recluster(x: Float64Array, n: number, d: number, opts: { n?: number; seed?: number; maxFit?: number } = {}, check?: () => void): ReclusterResult {
  const z = standardise(x, n, d);
  if (z.d === 0 || n < 2) return { labels: new Int32Array(n), k: 1, bics: new Float64Array(RECLUSTER_MAX_PARTS).fill(NaN), d: z.d, nFit: n };
  const maxFit = opts.maxFit ?? RECLUSTER_FIT_SPIKES;
  // An even spread over the cluster (spikes in time order), so every epoch is represented.
  const nFit = Math.min(n, maxFit);
  const fit = nFit === n ? z.x : new Float64Array(nFit * z.d);
  if (nFit < n) for (let i = 0; i < nFit; i++) fit.set(z.x.subarray(Math.floor((i * n) / nFit) * z.d, (Math.floor((i * n) / nFit) + 1) * z.d), i * z.d);
  const forceK = opts.n !== undefined ? Math.min(opts.n, nFit) : undefined;
  const { model, bics } = selectGmm(fit, nFit, z.d, { seed: opts.seed ?? 0, kMax: RECLUSTER_MAX_PARTS, ...(forceK ? { forceK } : {}) }, check);
  const raw = model.k === 1 ? new Int32Array(n) : predictGmm(model, z.x, n);
  // Parts by size, largest first; components no spike chose are dropped.
  const counts = new Int32Array(model.k);
  for (let i = 0; i < n; i++) counts[raw[i]]++;
  const order = Array.from({ length: model.k }, (_, j) => j).filter((j) => counts[j] > 0).sort((a, b) => counts[b] - counts[a] || a - b);
  const rank = new Int32Array(model.k).fill(-1);
  order.forEach((j, r) => (rank[j] = r));
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = rank[raw[i]];
  return { labels, k: order.length, bics, d: z.d, nFit };
}

/** What re-clustering reads of the PC features (a Dataset's FeatureSource or a worker's reader). */
export interface FeatureRowSource {
  readonly nPcs: number;
  /** (n, nLoc, nPcs) float32 and (n, nLoc) channel indices of the given spikes. */
  read(spikeIds: Int32Array): { data: Float32Array; channels: Int32Array };
}

/** PCs per channel used (Kilosort writes 3; more add noise, not separation). */
export const RECLUSTER_PCS = 3;
/** Spikes read per feature chunk: bounded memory whatever the cluster's size. */
const READ_CHUNK = 20_000;

/**
 * The re-cluster features of spikes: the first {@link RECLUSTER_PCS} PCs on each of
 * `channelIds` (0 where a spike has no feature on a channel, phy's rule) plus the amplitude
 * when there is one: (n, d) float64 with d = channels × PCs (+ 1). Every spike is read,
 * streamed in chunks of 20,000 rows of `pc_features.npy` (never the whole file).
 */
export function reclusterFeatures(
  source: FeatureRowSource,
  amplitudes: ArrayLike<number> | null,
  spikeIds: Int32Array,
  channelIds: ArrayLike<number>,
  check?: () => void,
): { x: Float64Array; d: number } {
  const n = spikeIds.length;
  const m = channelIds.length;
  const p = Math.min(source.nPcs, RECLUSTER_PCS);
  const d = m * p + (amplitudes ? 1 : 0);
  const x = new Float64Array(n * d);
  for (let s = 0; s < n; s += READ_CHUNK) {
    check?.();
    const ids = spikeIds.subarray(s, Math.min(n, s + READ_CHUNK));
    const { data, channels } = source.read(ids);
    const c = ids.length;
    const nLoc = c ? channels.length / c : 0;
    for (let i = 0; i < c; i++) {
      const row = (s + i) * d;
      for (let j = 0; j < m; j++) {
        let col = -1;
        for (let q = 0; q < nLoc; q++) {
          if (channels[i * nLoc + q] === channelIds[j]) {
            col = q;
            break;
          }
        }
        if (col < 0) continue;
        for (let pc = 0; pc < p; pc++) {
          const v = data[(i * nLoc + col) * source.nPcs + pc];
          x[row + j * p + pc] = Number.isNaN(v) ? 0 : v;
        }
      }
      if (amplitudes) x[row + m * p] = amplitudes[ids[i]];
    }
  }
  return { x, d };
}
