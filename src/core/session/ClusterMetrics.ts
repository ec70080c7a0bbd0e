/**
 * Live cluster metrics (phy's cluster-table columns) computed from the dataset, cached by
 * cluster id: an id always names one fixed set of spikes, so a cached value never goes stale
 * and a new cluster costs O(its spikes) once.
 *
 * - `n_spikes`, `fr` (Hz = nSpikes / duration), ISI-violation rate (fraction of consecutive
 *   ISIs below the refractory period, 2 ms by default).
 * - Template datasets: the template holding most of the cluster's spikes is unwhitened with
 *   `whitening_mat_inv` restricted to the template's non-zero channels (phylib `_unwhiten`,
 *   without the O(nChannels²) cost on the zero channels); best channel = its peak-to-peak
 *   maximum; `amp` = that peak-to-peak × the cluster's mean `amplitudes.npy` value.
 * - Kwik datasets: best channel = highest mean mask over up to 1,000 of the cluster's spikes
 *   (feature energy when there are no masks); `amp` is null (phy's Kwik GUI has no amp column).
 */
import type { Dataset, SpikeTemplateIds, SpikeTimes } from '../dataset/Dataset';
import type { ClusteringView } from './ClusteringView';
import { bySegment, flatAssignment, type SpikeAssignment } from './SpikeAssignment';
import { sparseRows, unwhitenSlots, type SparseRows } from '../compute/templates';

/** Metrics of one cluster. */
export interface ClusterMetricValues {
  nSpikes: number;
  /** Hz. */
  fr: number;
  /** Scaled peak-to-peak template amplitude (template units × amplitude scaling), or null. */
  amp: number | null;
  /** Best channel index (row of `channel_map`). */
  channel: number;
  /** Best channel label (`channel_map` value). */
  ch: number;
  /** y of the best channel, µm. */
  depth: number;
  /** Shank of the best channel. */
  sh: number;
  /** 0–1. */
  isiViolations: number;
}

/** A template unwhitened on its non-zero channels. */
export interface UnwhitenedTemplate {
  /** (k,) channel indices of the non-zero channels. */
  channels: Int32Array;
  /** (nSamples, k) float32, C order. */
  data: Float32Array;
  /** (k,) peak-to-peak per channel. */
  ptp: Float32Array;
  /** Channel index with the largest peak-to-peak (-1 for an all-zero template). */
  bestChannel: number;
  /** Largest peak-to-peak. */
  amplitude: number;
}

/** Template ids used by a cluster and their spike counts, most used first. */
export interface TemplateCounts {
  templates: Int32Array;
  counts: Int32Array;
}

/** Default refractory period of the ISI-violation metric, seconds. */
export const DEFAULT_REFRACTORY_PERIOD = 0.002;

/** Spikes read per cluster for Kwik best channels and feature signatures. */
export const FEATURE_SUBSAMPLE = 1000;

/** Below this many uncached clusters, {@link ClusterMetrics.precompute} leaves them to per-cluster passes. */
export const PASS_MIN_CLUSTERS = 32;

/** Evenly spaced subsample (deterministic) of a sorted spike list. */
export function subsample(ids: Int32Array, max: number): Int32Array {
  if (ids.length <= max) return ids;
  const out = new Int32Array(max);
  const step = ids.length / max;
  for (let i = 0; i < max; i++) out[i] = ids[Math.floor(i * step)];
  return out;
}

export class ClusterMetrics {
  private readonly templateCache = new Map<number, UnwhitenedTemplate>();
  private readonly countsCache = new Map<number, TemplateCounts>();
  private readonly metricsCache = new Map<number, ClusterMetricValues>();
  /** Sums from {@link precompute}'s pass over all spikes. */
  private readonly pass = new Map<number, { ampSum: number; violations: number }>();
  private scratch: Int32Array | null = null;
  /** Row-sparse whitening_mat_inv, built on the first unwhitening. */
  private wRows: SparseRows | null = null;

  constructor(
    private readonly dataset: Dataset,
    private readonly clustering: ClusteringView,
    /** Refractory period, seconds. */
    readonly refractoryPeriod = DEFAULT_REFRACTORY_PERIOD,
  ) {}

  /** Template ids and counts of a cluster (empty without `spike_templates`). O(cluster) once. */
  templateCounts(clusterId: number): TemplateCounts {
    const hit = this.countsCache.get(clusterId);
    if (hit) return hit;
    const st = this.dataset.spikeTemplates;
    const ids = this.clustering.spikeIds(clusterId);
    if (!st || ids.length === 0) return { templates: new Int32Array(0), counts: new Int32Array(0) };
    const nT = Math.max(this.dataset.nTemplates, 1);
    if (!this.scratch || this.scratch.length < nT) this.scratch = new Int32Array(nT);
    const sc = this.scratch;
    const seen: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const t = st[ids[i]];
      if (t < 0 || t >= sc.length) continue;
      if (sc[t]++ === 0) seen.push(t);
    }
    seen.sort((a, b) => sc[b] - sc[a] || a - b);
    const out: TemplateCounts = { templates: Int32Array.from(seen), counts: Int32Array.from(seen, (t) => sc[t]) };
    for (const t of seen) sc[t] = 0;
    this.countsCache.set(clusterId, out);
    return out;
  }

  /**
   * One sequential pass over all spikes computing, for every cluster not cached yet, its
   * template counts, amplitude sum and ISI violations. Per-cluster passes read `spike_times`
   * and `amplitudes` through the cluster's spike list, one page per spike for a typical
   * cluster (≈ 100 ns each: 1.2 s for 500 clusters of a 10 M-spike sort); this pass reads
   * them in order (≈ 50 ms). Used when a snapshot or a similarity row needs many clusters.
   * The template table is skipped when it would exceed 32 M cells; fewer than
   * {@link PASS_MIN_CLUSTERS} uncached clusters are left to per-cluster passes.
   */
  precompute(): void {
    const ids = this.clustering.clusterIds().filter((c) => !this.pass.has(c) && !this.metricsCache.has(c));
    // A few new clusters (after merges and splits) are cheaper one by one than a pass over all spikes.
    if (ids.length < PASS_MIN_CLUSTERS) return;
    this.adoptPass(spikePass(this.dataset, this.clustering.assignment, ids, this.refractoryPeriod));
  }

  /**
   * Takes the sums of a {@link spikePass} made elsewhere (e.g. over the files' assignment while
   * the session's index was being built) for every cluster that exists with the same number of
   * spikes — an id always names one fixed set of spikes, so its sums stay right.
   */
  adoptPass(p: SpikePass): void {
    if (p.refractoryPeriod !== this.refractoryPeriod) return;
    const nT = p.nTemplates;
    const table = p.table;
    for (let r = 0; r < p.clusterIds.length; r++) {
      const c = p.clusterIds[r];
      if (p.counts[r] === 0 || this.pass.has(c) || this.clustering.nSpikes(c) !== p.counts[r]) continue;
      this.pass.set(c, { ampSum: p.ampSum[r], violations: p.violations[r] });
      if (!table || this.countsCache.has(c)) continue;
      const seen: number[] = [];
      for (let t = 0; t < nT; t++) if (table[r * nT + t] > 0) seen.push(t);
      seen.sort((a, b) => table[r * nT + b] - table[r * nT + a] || a - b);
      this.countsCache.set(c, { templates: Int32Array.from(seen), counts: Int32Array.from(seen, (t) => table[r * nT + t]) });
    }
  }

  /** Records the template counts of a merged cluster as the sum of its parents' (no pass over spikes). */
  mergeTemplateCounts(child: number, parents: readonly number[]): void {
    if (!this.dataset.spikeTemplates || this.countsCache.has(child)) return;
    const parts = parents.map((p) => this.countsCache.get(p));
    if (parts.some((p) => !p)) return;
    const m = new Map<number, number>();
    for (const p of parts) p!.templates.forEach((t, i) => m.set(t, (m.get(t) ?? 0) + p!.counts[i]));
    const seen = [...m.keys()].sort((a, b) => m.get(b)! - m.get(a)! || a - b);
    this.countsCache.set(child, { templates: Int32Array.from(seen), counts: Int32Array.from(seen, (t) => m.get(t)!) });
  }

  /** A template unwhitened on its non-zero channels (cached per template). */
  unwhitenedTemplate(templateId: number): UnwhitenedTemplate | null {
    const hit = this.templateCache.get(templateId);
    if (hit) return hit;
    const W = this.dataset.whiteningMatInv;
    if (W && !this.wRows) this.wRows = sparseRows(W, this.dataset.nChannels);
    const t = unwhitenTemplateOf(this.dataset, templateId, this.wRows ?? undefined);
    if (t) this.templateCache.set(templateId, t);
    return t;
  }

  /**
   * Adds templates unwhitened ahead of time (by {@link unwhitenTemplateOf}, e.g. while the
   * session's index is built in a worker thread) to the cache.
   */
  addTemplates(templates: ReadonlyMap<number, UnwhitenedTemplate>): void {
    for (const [id, t] of templates) if (!this.templateCache.has(id)) this.templateCache.set(id, t);
  }

  /** Mean mask (or feature energy) per channel over a subsample of the cluster: (nChannels,). */
  featureChannelWeights(clusterId: number): Float32Array | null {
    const f = this.dataset.features;
    if (!f) return null;
    let ids = this.clustering.spikeIds(clusterId);
    if (f.spikeIds) ids = intersectSorted(ids, f.spikeIds);
    ids = subsample(ids, FEATURE_SUBSAMPLE);
    const w = new Float32Array(this.dataset.nChannels);
    if (ids.length === 0) return w;
    const r = f.read(ids);
    const nL = f.nChannelsLoc;
    for (let i = 0; i < ids.length; i++) {
      for (let j = 0; j < nL; j++) {
        const ch = r.channels[i * nL + j];
        if (ch < 0 || ch >= w.length) continue;
        if (r.masks) w[ch] += r.masks[i * nL + j];
        else for (let p = 0; p < f.nPcs; p++) w[ch] += r.data[(i * nL + j) * f.nPcs + p] ** 2;
      }
    }
    for (let c = 0; c < w.length; c++) w[c] /= ids.length;
    return w;
  }

  /** All metrics of a cluster (cached per id; O(cluster spikes) the first time). */
  /**
   * What the views need of a cluster to place it: its best channel (the ClusterView's `ch`) and
   * dominant template (-1 without templates); null for a cluster without spikes.
   */
  facts(clusterId: number): { bestChannel: number; template: number } | null {
    if (this.clustering.nSpikes(clusterId) === 0) return null;
    const tc = this.templateCounts(clusterId);
    return { bestChannel: this.metrics(clusterId).channel, template: tc.templates.length ? tc.templates[0] : -1 };
  }

  metrics(clusterId: number): ClusterMetricValues {
    const hit = this.metricsCache.get(clusterId);
    if (hit) return hit;
    const ds = this.dataset;
    const ids = this.clustering.spikeIds(clusterId);
    const n = ids.length;
    let channel = 0;
    let amp: number | null = null;
    const tc = this.templateCounts(clusterId);
    if (tc.templates.length && ds.templates) {
      const t = this.unwhitenedTemplate(tc.templates[0]);
      if (t && t.bestChannel >= 0) {
        channel = t.bestChannel;
        amp = t.amplitude;
        if (ds.amplitudes && n > 0) {
          let s = this.pass.get(clusterId)?.ampSum;
          if (s === undefined) {
            s = 0;
            for (let i = 0; i < n; i++) s += ds.amplitudes[ids[i]];
          }
          amp *= s / n;
        }
      }
    } else {
      const w = this.featureChannelWeights(clusterId);
      if (w) {
        let best = -Infinity;
        for (let c = 0; c < w.length; c++) {
          if (w[c] > best) {
            best = w[c];
            channel = c;
          }
        }
      }
    }
    const times = ds.spikeTimes;
    const refr = this.refractoryPeriod * ds.sampleRate;
    let viol = this.pass.get(clusterId)?.violations ?? -1;
    if (viol < 0) {
      viol = 0;
      for (let i = 1; i < n; i++) if (times[ids[i]] - times[ids[i - 1]] < refr) viol++;
    }
    const m: ClusterMetricValues = {
      nSpikes: n,
      fr: ds.duration > 0 ? n / ds.duration : 0,
      amp,
      channel,
      ch: ds.channelMap[channel] ?? channel,
      depth: ds.channelPositions[channel * 2 + 1] ?? 0,
      sh: ds.channelShanks[channel] ?? 0,
      isiViolations: n > 1 ? viol / (n - 1) : 0,
    };
    this.metricsCache.set(clusterId, m);
    return m;
  }
}

/** Per-cluster sums of one sequential pass over all spikes ({@link spikePass}). */
export interface SpikePass {
  /** Cluster ids, one row each. */
  clusterIds: Int32Array;
  /** Spikes per row. */
  counts: Int32Array;
  /** Σ amplitudes per row. */
  ampSum: Float64Array;
  /** Consecutive spikes closer than the refractory period, per row. */
  violations: Int32Array;
  /** (rows, nTemplates) spikes per template, or null (no spike_templates, or > 32 M cells). */
  table: Int32Array | null;
  nTemplates: number;
  /** Seconds, as used for `violations`. */
  refractoryPeriod: number;
}

/**
 * One sequential pass over all spikes of `spikeClusters` (a flat assignment, or the live
 * {@link SpikeAssignment}, read through its segment table) computing, per cluster of `clusterIds`
 * (every id in the assignment when null — none when the ids are far sparser than the spikes), its spike count, amplitude sum, ISI violations and
 * template counts. Reading `spike_times` and `amplitudes` in order costs ≈ 50 ms per 10 M spikes;
 * through each cluster's spike list it would cost a page per spike.
 */
export function spikePass(ds: Dataset, spikeClusters: Int32Array | SpikeAssignment, clusterIds: ArrayLike<number> | null, refractoryPeriod: number): SpikePass {
  const live = !ArrayBuffer.isView(spikeClusters);
  // Every id of the live assignment: its flat copy (rare; the session passes the ids it needs).
  if (live && !clusterIds) return spikePass(ds, flatAssignment(spikeClusters), null, refractoryPeriod);
  const sc = live ? spikeClusters.spikeSegments : spikeClusters;
  let ids: Int32Array;
  if (clusterIds) ids = Int32Array.from(clusterIds);
  else {
    let max = -1;
    for (let i = 0; i < sc.length; i++) if (sc[i] > max) max = sc[i];
    // Ids far sparser than the spikes (a sorter numbering clusters in the millions): no rows,
    // the per-cluster arrays would dwarf the pass (the caller's per-id pass covers them).
    if (max >= 16 * sc.length + 1024) max = -1;
    ids = new Int32Array(max + 1);
    for (let c = 0; c <= max; c++) ids[c] = c;
  }
  let maxId = -1;
  for (let r = 0; r < ids.length; r++) if (ids[r] > maxId) maxId = ids[r];
  let row: Int32Array = new Int32Array(maxId + 1).fill(-1);
  for (let r = 0; r < ids.length; r++) if (ids[r] >= 0) row[ids[r]] = r;
  if (live) {
    // Read through the segment table: segment → row, so the loop below is the flat one.
    row = bySegment(spikeClusters, row);
    maxId = row.length - 1;
  }
  const nR = ids.length;
  const st = ds.spikeTemplates;
  const nT = ds.nTemplates;
  const table = st && nT > 0 && nR * nT <= 32_000_000 ? new Int32Array(nR * nT) : null;
  const counts = new Int32Array(nR);
  const ampSum = new Float64Array(nR);
  const viol = new Int32Array(nR);
  const last = new Float64Array(nR).fill(-Infinity);
  const times = ds.spikeTimes;
  const amps = ds.amplitudes;
  const refr = refractoryPeriod * ds.sampleRate;
  if (!clusterIds && amps && table) {
    // Every id has its row (row c = cluster c) and every column is there: the branch-free
    // loop is ≈ 1.5× faster than the general one below; counts are the table's row sums.
    denseSpikePass(sc, times, amps, st!, nT, table, ampSum, viol, last, refr);
    for (let r = 0; r < nR; r++) {
      let k = 0;
      for (let t = 0; t < nT; t++) k += table[r * nT + t];
      counts[r] = k;
    }
    return { clusterIds: ids, counts, ampSum, violations: viol, table, nTemplates: nT, refractoryPeriod };
  }
  for (let i = 0; i < sc.length; i++) {
    const c = sc[i];
    if (c > maxId || c < 0) continue;
    const r = row[c];
    if (r < 0) continue;
    counts[r]++;
    const t = times[i];
    if (t - last[r] < refr) viol[r]++;
    last[r] = t;
    if (amps) ampSum[r] += amps[i];
    if (table) {
      const tt = st![i];
      if (tt >= 0 && tt < nT) table[r * nT + tt]++;
    }
  }
  return { clusterIds: ids, counts, ampSum, violations: viol, table, nTemplates: nT, refractoryPeriod };
}

/** {@link spikePass}'s loop when row = cluster id and all columns exist (template ids ≥ 0, as loaded). */
function denseSpikePass(
  sc: Int32Array,
  times: SpikeTimes,
  amps: Float32Array,
  st: SpikeTemplateIds,
  nT: number,
  table: Int32Array,
  ampSum: Float64Array,
  viol: Int32Array,
  last: Float64Array,
  refr: number,
): void {
  const n = sc.length;
  for (let i = 0; i < n; i++) {
    const r = sc[i];
    if (r < 0) continue;
    const t = times[i];
    viol[r] += t - last[r] < refr ? 1 : 0;
    last[r] = t;
    ampSum[r] += amps[i];
    const tt = st[i];
    if (tt < nT) table[r * nT + tt]++;
  }
}

/**
 * Template `templateId` of `dataset` unwhitened on its non-zero channels (phylib `_unwhiten`),
 * or null without templates or for an id out of range. O(nSamples · nChannelsLoc) plus the
 * sparse product. `wRows`: `sparseRows(dataset.whiteningMatInv, nChannels)`, when the caller
 * unwhitens many templates (computed here otherwise).
 */
export function unwhitenTemplateOf(dataset: Dataset, templateId: number, wRows?: SparseRows): UnwhitenedTemplate | null {
  const src = dataset.templates;
  if (!src || templateId < 0 || templateId >= src.nTemplates) return null;
  const { data, channels } = src.getTemplate(templateId);
  const nS = src.nSamples;
  const nL = src.nChannelsLoc;
  // Non-zero slots in one sequential pass over the (nSamples, nChannelsLoc) rows (a per-slot
  // scan strides by nChannelsLoc and misses the cache on every element).
  const nonZero = new Uint8Array(nL);
  for (let s = 0; s < nS; s++) {
    const o = s * nL;
    for (let j = 0; j < nL; j++) if (data[o + j] !== 0) nonZero[j] = 1;
  }
  const slots: number[] = [];
  for (let j = 0; j < nL; j++) if (nonZero[j] && channels[j] >= 0) slots.push(j);
  const k = slots.length;
  const chans = Int32Array.from(slots, (j) => channels[j]);
  const out = unwhitenSlots(data, nL, slots, chans, nS, dataset.whiteningMatInv, dataset.nChannels, wRows);
  const ptp = new Float32Array(k);
  let best = -1;
  let amplitude = 0;
  for (let a = 0; a < k; a++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let s = 0; s < nS; s++) {
      const v = out[s * k + a];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    ptp[a] = hi - lo;
    if (ptp[a] > amplitude) {
      amplitude = ptp[a];
      best = chans[a];
    }
  }
  return { channels: chans, data: out, ptp, bestChannel: best, amplitude };
}

/** Sorted intersection of two ascending lists. */
export function intersectSorted(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out[k++] = a[i];
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return out.subarray(0, k);
}
