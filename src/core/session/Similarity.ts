/**
 * Cluster similarity for the SimilarityView and the wizard.
 *
 * - `templates` mode (phy's score): the highest `similar_templates.npy` value between any
 *   template of one cluster and any template of the other. Template sets follow merges and
 *   splits because they are computed from the live spikes of each cluster id (cached per id).
 *   A row costs O(|T(c)| · nTemplates + Σ|T(d)|): a max over the reference's template rows,
 *   then one lookup per template of every other cluster.
 * - `computed` mode, when `similar_templates.npy` is absent or all zeros (phy-data) and for Kwik:
 *   the cosine of two clusters' signatures on the union of their best channels. A signature is
 *   the cluster's mean unwhitened template (spike-count-weighted over its templates) or, without
 *   templates, its mean PC features over up to 1,000 spikes, kept on its 12 strongest channels
 *   (values elsewhere count as 0, so clusters on different channels score near 0). phy instead
 *   scores 1.0 for every cluster sharing the peak channel.
 *
 * Ties are ordered by ascending cluster id. Rows are cached per (cluster, generation).
 */
import type { Dataset } from '../dataset/Dataset';
import type { ClusteringView } from './ClusteringView';
import { FEATURE_SUBSAMPLE, intersectSorted, subsample, type ClusterMetrics } from './ClusterMetrics';

/** One similar cluster. */
export interface SimilarEntry {
  id: number;
  similarity: number;
}

/** A unit-norm sparse vector: `data` is (channels.length, width) on ascending `channels`. */
interface Signature {
  channels: Int32Array;
  data: Float32Array;
  width: number;
}

/**
 * The order of the similar clusters the wizard walks (space) and SimilarityView lists:
 * `suggestion` — the computed merge suggestion's score (`core/suggest`), pairs without a score
 * (not spatial neighbours, or not scored yet) after, in similarity order; `similarity` — phy's
 * `similar_templates` rule (the similarity column alone).
 */
export type SimilarOrder = 'suggestion' | 'similarity';

/**
 * Orders similar rows (given in similarity order, most similar first) by `order`; stable, so
 * ties and unscored rows keep the similarity order.
 */
export function orderSimilar<T extends SimilarEntry & { score?: number | null }>(rows: readonly T[], order: SimilarOrder): T[] {
  if (order === 'similarity') return [...rows];
  const key = (r: T) => (typeof r.score === 'number' && Number.isFinite(r.score) ? r.score : -Infinity);
  return rows.map((r, i) => ({ r, i })).sort((a, b) => key(b.r) - key(a.r) || a.i - b.i).map((x) => x.r);
}

/** Channels kept per signature. */
export const SIGNATURE_CHANNELS = 12;

export type SimilarityMode = 'templates' | 'computed' | 'none';

export class Similarity {
  readonly mode: SimilarityMode;
  private readonly signatures = new Map<number, Signature | null>();
  private readonly rows = new Map<number, { generation: number; row: SimilarEntry[] }>();
  private rowMax: Float32Array | null = null;
  private primed = false;

  constructor(
    private readonly dataset: Dataset,
    private readonly clustering: ClusteringView,
    private readonly metrics: ClusterMetrics,
  ) {
    const S = dataset.similarTemplates;
    let nonZero = false;
    if (S) for (let i = 0; i < S.length && !nonZero; i++) if (S[i] !== 0 && !Number.isNaN(S[i])) nonZero = true;
    if (S && nonZero && dataset.spikeTemplates && dataset.nTemplates > 0) this.mode = 'templates';
    else if (dataset.templates || dataset.features) this.mode = 'computed';
    else this.mode = 'none';
  }

  /** Plain-language description of the score, for the UI and the CLI. */
  describe(): string {
    if (this.mode === 'templates') return 'max similar_templates.npy value between the clusters\' templates';
    if (this.mode === 'computed') {
      return `cosine of mean ${this.dataset.templates ? 'unwhitened templates' : 'PC features'} on the union of both clusters' ${SIGNATURE_CHANNELS} best channels`;
    }
    return 'no similarity available (no templates and no features)';
  }

  /** Other clusters by decreasing similarity to `clusterId` (ties: ascending id); `top` limits. */
  similar(clusterId: number, top = Infinity): SimilarEntry[] {
    const gen = this.clustering.generation;
    const hit = this.rows.get(clusterId);
    let row: SimilarEntry[];
    if (hit && hit.generation === gen) row = hit.row;
    else {
      row = this.mode === 'templates' ? this.templateRow(clusterId) : this.mode === 'computed' ? this.computedRow(clusterId) : [];
      row.sort((a, b) => b.similarity - a.similarity || a.id - b.id);
      this.rows.set(clusterId, { generation: gen, row });
    }
    return Number.isFinite(top) ? row.slice(0, top) : row.slice();
  }

  /**
   * Computes the signatures of some clusters ahead of the first row (computed mode; a no-op
   * otherwise). The session calls it in small chunks after open so the first query is warm.
   */
  warm(clusterIds: readonly number[]): void {
    if (this.mode !== 'computed') return;
    if (!this.primed && this.dataset.templates) {
      this.metrics.precompute();
      this.primed = true;
    }
    for (const c of clusterIds) this.signature(c);
  }

  /** Similarity of two clusters. */
  pair(a: number, b: number): number {
    return this.similar(a).find((e) => e.id === b)?.similarity ?? 0;
  }

  private templateRow(clusterId: number): SimilarEntry[] {
    if (!this.clustering.nSpikes(clusterId)) return [];
    if (!this.primed) {
      // First row: every cluster's template set is needed; one pass over the spikes builds them all.
      this.metrics.precompute();
      this.primed = true;
    }
    const S = this.dataset.similarTemplates!;
    const nT = this.dataset.nTemplates;
    if (!this.rowMax || this.rowMax.length !== nT) this.rowMax = new Float32Array(nT);
    const rowMax = this.rowMax.fill(-Infinity);
    for (const t of this.metrics.templateCounts(clusterId).templates) {
      if (t >= nT) continue;
      const off = t * nT;
      for (let u = 0; u < nT; u++) if (S[off + u] > rowMax[u]) rowMax[u] = S[off + u];
    }
    const out: SimilarEntry[] = [];
    for (const d of this.clustering.clusterIds()) {
      if (d === clusterId) continue;
      let best = -Infinity;
      for (const u of this.metrics.templateCounts(d).templates) if (u < nT && rowMax[u] > best) best = rowMax[u];
      if (best > -Infinity) out.push({ id: d, similarity: best });
    }
    return out;
  }

  private computedRow(clusterId: number): SimilarEntry[] {
    if (!this.primed && this.dataset.templates) {
      this.metrics.precompute();
      this.primed = true;
    }
    const a = this.signature(clusterId);
    if (!a) return [];
    const out: SimilarEntry[] = [];
    for (const d of this.clustering.clusterIds()) {
      if (d === clusterId) continue;
      const b = this.signature(d);
      if (!b) continue;
      out.push({ id: d, similarity: dot(a, b) });
    }
    return out;
  }

  private signature(clusterId: number): Signature | null {
    if (this.signatures.has(clusterId)) return this.signatures.get(clusterId)!;
    const sig = this.dataset.templates ? this.templateSignature(clusterId) : this.featureSignature(clusterId);
    this.signatures.set(clusterId, sig);
    return sig;
  }

  private templateSignature(clusterId: number): Signature | null {
    const tc = this.metrics.templateCounts(clusterId);
    const width = this.dataset.templates!.nSamples;
    const acc = new Map<number, Float32Array>();
    tc.templates.forEach((t, i) => {
      const u = this.metrics.unwhitenedTemplate(t);
      if (!u) return;
      const k = u.channels.length;
      // Only the template's strongest channels matter; the rest is dropped below anyway.
      const order = Array.from({ length: k }, (_, j) => j).sort((x, y) => u.ptp[y] - u.ptp[x]).slice(0, SIGNATURE_CHANNELS * 2);
      for (const j of order) {
        const ch = u.channels[j];
        let v = acc.get(ch);
        if (!v) acc.set(ch, (v = new Float32Array(width)));
        for (let s = 0; s < width; s++) v[s] += tc.counts[i] * u.data[s * k + j];
      }
    });
    return finish(acc, width, (v) => ptpOf(v));
  }

  private featureSignature(clusterId: number): Signature | null {
    const f = this.dataset.features;
    if (!f) return null;
    let ids = this.clustering.spikeIds(clusterId);
    if (f.spikeIds) ids = intersectSorted(ids, f.spikeIds);
    ids = subsample(ids, FEATURE_SUBSAMPLE);
    if (ids.length === 0) return null;
    const r = f.read(ids);
    const nL = f.nChannelsLoc;
    const width = f.nPcs;
    const acc = new Map<number, Float32Array>();
    for (let i = 0; i < ids.length; i++) {
      for (let j = 0; j < nL; j++) {
        const ch = r.channels[i * nL + j];
        if (ch < 0) continue;
        let v = acc.get(ch);
        if (!v) acc.set(ch, (v = new Float32Array(width)));
        for (let p = 0; p < width; p++) v[p] += r.data[(i * nL + j) * width + p];
      }
    }
    return finish(acc, width, (v) => v.reduce((s, x) => s + x * x, 0));
  }
}

function ptpOf(v: Float32Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return hi - lo;
}

/** Keeps the strongest channels, sorts them and normalises to unit norm. */
function finish(acc: Map<number, Float32Array>, width: number, strength: (v: Float32Array) => number): Signature | null {
  const chans = [...acc.keys()].sort((a, b) => strength(acc.get(b)!) - strength(acc.get(a)!) || a - b).slice(0, SIGNATURE_CHANNELS).sort((a, b) => a - b);
  if (chans.length === 0) return null;
  const data = new Float32Array(chans.length * width);
  let norm = 0;
  chans.forEach((ch, i) => {
    data.set(acc.get(ch)!, i * width);
  });
  for (const x of data) norm += x * x;
  if (norm === 0) return null;
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < data.length; i++) data[i] *= inv;
  return { channels: Int32Array.from(chans), data, width };
}

/** Cosine of two unit signatures: the dot product over their shared channels. */
function dot(a: Signature, b: Signature): number {
  let s = 0;
  let i = 0;
  let j = 0;
  const w = a.width;
  while (i < a.channels.length && j < b.channels.length) {
    if (a.channels[i] === b.channels[j]) {
      for (let k = 0; k < w; k++) s += a.data[i * w + k] * b.data[j * w + k];
      i++;
      j++;
    } else if (a.channels[i] < b.channels[j]) i++;
    else j++;
  }
  return s;
}
