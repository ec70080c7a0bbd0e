/**
 * What the merge scoring reads of one cluster, gathered from the dataset once per cluster id (an
 * id names a fixed set of spikes, so nothing here goes stale): its mean unwhitened template, its
 * location, its best channel, and, on demand, its FeatureView feature subset, spike times and
 * amplitudes.
 */
import type { Dataset } from '../dataset/Dataset';
import type { ClusteringView } from '../session/ClusteringView';
import { intersectSorted, type ClusterMetrics } from '../session/ClusterMetrics';
import { gatherTimes, mergeSpikeTrains, regularSubset } from '../compute/ccg';
import { peakToPeak } from '../compute/templates';
import { templateCentreOfMass } from '../metrics/drift';
import { median } from '../metrics/stats';
import { rpViolations } from '../metrics/spikeTrain';
import type { FeatureRows } from './featureEvidence';
import type { ClusterTemplate } from './templateEvidence';

/**
 * Channels kept in a cluster's mean template: its 24 largest by peak-to-peak (phy's similarity
 * signature keeps 2 × 12 per template). Kilosort's dense templates carry small non-zero values
 * on all 384 channels; beyond ~24 channels (± 120 µm) they add cost and noise, not evidence.
 */
export const TEMPLATE_CHANNELS = 24;

/** Templates averaged per cluster: its 8 most used (a merged cluster's long tail adds nothing). */
export const TEMPLATES_PER_CLUSTER = 8;

/**
 * Feature rows per cluster: phylib's regular subset (the FeatureView's rule) of at most 300
 * spikes. The FeatureView shows 2,500; 300 keeps a pair's exact nearest-neighbour search under a
 * millisecond while its 5-neighbour mixing estimate varies by a few per cent.
 */
export const FEATURE_SPIKES = 300;

/** Feature channels per cluster used for the pair's feature space: its 2 of highest energy (× 3 PCs, × 2 clusters ≤ 12 dimensions). */
export const FEATURE_CHANNELS = 2;

/** Spikes whose positions give a cluster's location when `spike_positions.npy` exists. */
const POSITION_SPIKES = 1000;

/** The per-cluster inputs of the scoring. */
export interface ClusterFacts {
  id: number;
  /** Best channel (ClusterMetrics' `ch` row) and its shank. */
  bestChannel: number;
  shank: number;
  /** µm: medians of `spike_positions.npy` when present, else the mean template's centre of mass, else the best channel's position. */
  location: { x: number; y: number };
  template: ClusterTemplate | null;
  /** `rp_contamination` of the cluster (NaN for ≤ 1 spike). */
  rpContamination: number;
}

/** Builds and caches {@link ClusterFacts} and spike trains per cluster id. */
export class ClusterFactsCache {
  private readonly facts = new Map<number, ClusterFacts | null>();
  /** Feature subsets, read only for clusters in a pair that needs them, or all at once by {@link prefetch}. */
  private readonly featureCache = new Map<number, { rows: FeatureRows; channels: number[] } | null>();
  /** Locations from `spike_positions.npy` gathered by {@link prefetch}. */
  private readonly positionCache = new Map<number, { x: number; y: number }>();
  /** Times and amplitudes of recently used clusters (the pair loop visits neighbours along the probe, so ~100 suffice). */
  private readonly trains = new Map<number, { times: Float64Array; amplitudes: Float64Array | null }>();
  private readonly totalSamples: number;

  constructor(
    private readonly ds: Dataset,
    private readonly clustering: ClusteringView,
    private readonly cm: ClusterMetrics,
    private readonly maxTrains = 128,
  ) {
    this.totalSamples = Math.round(ds.duration * ds.sampleRate);
  }

  /** Recording length, samples (`Dataset.duration`). */
  get nSamples(): number {
    return this.totalSamples;
  }

  /** The facts of a cluster, or null when it has no spikes. */
  of(c: number): ClusterFacts | null {
    if (this.facts.has(c)) return this.facts.get(c)!;
    const f = this.build(c);
    this.facts.set(c, f);
    return f;
  }

  /** Forgets a cluster (deleted by a merge or split). */
  drop(c: number): void {
    this.facts.delete(c);
    this.trains.delete(c);
    this.featureCache.delete(c);
  }

  /**
   * Reads the feature subsets and `spike_positions.npy` subsets of many clusters in one pass each,
   * spike ids ascending: the files are read in 1 MiB pages, and a cluster's regularly spaced spikes
   * each fall on a different page (300 rows of one Neuropixels cluster touch ~300 MiB), while one
   * ordered pass over every cluster's rows reads each page once. Values are the same as the
   * per-cluster reads'.
   */
  prefetch(clusterIds: readonly number[]): void {
    const f = this.ds.features;
    const pos = this.positionsAttribute();
    const featureIds = clusterIds.filter((c) => !this.featureCache.has(c));
    if (f && featureIds.length) {
      const subs = featureIds.map((c) => this.featureSubset(this.clustering.spikeIds(c)));
      const { sorted, owner } = interleave(subs);
      const r = f.read(sorted);
      const row = f.nChannelsLoc * f.nPcs;
      const parts = subs.map((sub) => ({ data: new Float32Array(sub.length * row), channels: new Int32Array(sub.length * f.nChannelsLoc), n: 0 }));
      for (let k = 0; k < sorted.length; k++) {
        const p = parts[owner[k]];
        p.data.set(r.data.subarray(k * row, (k + 1) * row), p.n * row);
        p.channels.set(r.channels.subarray(k * f.nChannelsLoc, (k + 1) * f.nChannelsLoc), p.n * f.nChannelsLoc);
        p.n++;
      }
      featureIds.forEach((c, i) => this.featureCache.set(c, parts[i].n ? { rows: parts[i], channels: this.strongestChannels(parts[i]) } : null));
    }
    const positionIds = clusterIds.filter((c) => !this.positionCache.has(c) && !this.facts.has(c));
    if (pos && positionIds.length) {
      const subs = positionIds.map((c) => regularSubset(this.clustering.spikeIds(c), POSITION_SPIKES));
      const { sorted, owner } = interleave(subs);
      const v = pos.read(sorted);
      const xs = subs.map(() => [] as number[]);
      const ys = subs.map(() => [] as number[]);
      for (let k = 0; k < sorted.length; k++) {
        xs[owner[k]].push(v[k * pos.nColumns]);
        ys[owner[k]].push(v[k * pos.nColumns + 1]);
      }
      positionIds.forEach((c, i) => {
        if (xs[i].length) this.positionCache.set(c, { x: median(xs[i]), y: median(ys[i]) });
      });
    }
  }

  private positionsAttribute() {
    return this.ds.spikeAttributes.find((a) => a.name === 'positions' && a.nColumns >= 2) ?? null;
  }

  /** The FeatureView subset's spike ids of a cluster (≤ {@link FEATURE_SPIKES}, only spikes with features). */
  private featureSubset(ids: Int32Array): Int32Array {
    const f = this.ds.features!;
    const sub = regularSubset(ids, FEATURE_SPIKES);
    return f.spikeIds ? intersectSorted(sub, f.spikeIds) : sub;
  }

  /**
   * The cluster's FeatureView feature subset (≤ {@link FEATURE_SPIKES} rows) and its
   * {@link FEATURE_CHANNELS} channels of highest feature energy; null without features.
   */
  features(c: number): { rows: FeatureRows; channels: number[] } | null {
    if (this.featureCache.has(c)) return this.featureCache.get(c)!;
    const rows = this.featureRows(this.clustering.spikeIds(c));
    const out = rows ? { rows, channels: this.strongestChannels(rows) } : null;
    this.featureCache.set(c, out);
    return out;
  }

  /**
   * Spike times (samples, ascending) and amplitudes of a cluster: `amplitudes.npy` × the
   * peak-to-peak of each spike's own unwhitened template, so clusters on different templates
   * are in one unit (null without amplitudes or templates).
   */
  train(c: number): { times: Float64Array; amplitudes: Float64Array | null } {
    const hit = this.trains.get(c);
    if (hit) return hit;
    const ds = this.ds;
    const ids = this.clustering.spikeIds(c);
    const times = gatherTimes(ds.spikeTimes, ids);
    let amplitudes: Float64Array | null = null;
    if (ds.amplitudes && ds.spikeTemplates && ds.templates) {
      const ptp = new Map<number, number>();
      amplitudes = new Float64Array(ids.length);
      for (let k = 0; k < ids.length; k++) {
        const t = ds.spikeTemplates[ids[k]];
        let p = ptp.get(t);
        if (p === undefined) ptp.set(t, (p = this.cm.unwhitenedTemplate(t)?.amplitude ?? 0));
        amplitudes[k] = ds.amplitudes[ids[k]] * p;
      }
    }
    const out = { times, amplitudes };
    if (this.trains.size >= this.maxTrains) this.trains.delete(this.trains.keys().next().value!);
    this.trains.set(c, out);
    return out;
  }

  private build(c: number): ClusterFacts | null {
    const ds = this.ds;
    const ids = this.clustering.spikeIds(c);
    if (ids.length === 0) return null;
    const bestChannel = this.cm.metrics(c).channel;
    const template = this.meanTemplate(c);
    const pos = this.positionsAttribute();
    let location = { x: ds.channelPositions[2 * bestChannel], y: ds.channelPositions[2 * bestChannel + 1] };
    const prefetched = this.positionCache.get(c);
    if (prefetched) {
      location = prefetched;
      this.positionCache.delete(c);
    } else if (pos) {
      const sub = regularSubset(ids, POSITION_SPIKES);
      const v = pos.read(sub);
      location = { x: median(Float64Array.from(sub, (_, k) => v[k * pos.nColumns])), y: median(Float64Array.from(sub, (_, k) => v[k * pos.nColumns + 1])) };
    } else if (template) {
      const com = templateCentreOfMass(template.channels, peakToPeak(template.data, template.nSamples, template.channels.length), ds.channelPositions);
      if (Number.isFinite(com.x)) location = com;
    }
    const times = this.train(c).times;
    return {
      id: c,
      bestChannel,
      shank: ds.channelShanks[bestChannel] ?? 0,
      location,
      template,
      rpContamination: rpViolations(times, ds.sampleRate, this.totalSamples).rp_contamination,
    };
  }

  /**
   * The spike-count-weighted mean of the cluster's most used unwhitened templates
   * (`ClusterMetrics.unwhitenedTemplate`), on its {@link TEMPLATE_CHANNELS} channels of largest
   * peak-to-peak; null without templates.
   */
  private meanTemplate(c: number): ClusterTemplate | null {
    const ds = this.ds;
    if (!ds.templates || !ds.spikeTemplates) return null;
    const tc = this.cm.templateCounts(c);
    const nSamples = ds.templates.nSamples;
    const acc = new Map<number, Float32Array>();
    let total = 0;
    for (let i = 0; i < Math.min(TEMPLATES_PER_CLUSTER, tc.templates.length); i++) {
      const u = this.cm.unwhitenedTemplate(tc.templates[i]);
      if (!u) continue;
      const k = u.channels.length;
      const w = tc.counts[i];
      total += w;
      for (let j = 0; j < k; j++) {
        let v = acc.get(u.channels[j]);
        if (!v) acc.set(u.channels[j], (v = new Float32Array(nSamples)));
        for (let s = 0; s < nSamples; s++) v[s] += w * u.data[s * k + j];
      }
    }
    if (!acc.size || total === 0) return null;
    const ptpOf = (v: Float32Array) => Math.max(...v) - Math.min(...v);
    const ptp = new Map([...acc].map(([ch, v]) => [ch, ptpOf(v)]));
    const channels = [...acc.keys()].sort((a, b) => ptp.get(b)! - ptp.get(a)! || a - b).slice(0, TEMPLATE_CHANNELS).sort((a, b) => a - b);
    const k = channels.length;
    const data = new Float32Array(nSamples * k);
    channels.forEach((ch, j) => {
      const v = acc.get(ch)!;
      for (let s = 0; s < nSamples; s++) data[s * k + j] = v[s] / total;
    });
    return { channels: Int32Array.from(channels), data, nSamples };
  }

  /** The FeatureView subset's feature rows (≤ {@link FEATURE_SPIKES}), or null without features. */
  private featureRows(ids: Int32Array): FeatureRows | null {
    const f = this.ds.features;
    if (!f) return null;
    const sub = this.featureSubset(ids);
    if (sub.length === 0) return null;
    const r = f.read(sub);
    return { data: r.data, channels: r.channels, n: sub.length };
  }

  /** The {@link FEATURE_CHANNELS} channels of highest summed feature energy over the rows. */
  private strongestChannels(rows: FeatureRows): number[] {
    const f = this.ds.features!;
    const energy = new Map<number, number>();
    for (let i = 0; i < rows.n; i++) {
      for (let j = 0; j < f.nChannelsLoc; j++) {
        const ch = rows.channels[i * f.nChannelsLoc + j];
        if (ch < 0) continue;
        let e = 0;
        for (let p = 0; p < f.nPcs; p++) e += rows.data[(i * f.nChannelsLoc + j) * f.nPcs + p] ** 2;
        energy.set(ch, (energy.get(ch) ?? 0) + e);
      }
    }
    return [...energy.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, FEATURE_CHANNELS).map(([ch]) => ch);
  }
}

/** Disjoint ascending spike-id lists merged into one ascending list, with the list each id came from. */
function interleave(lists: Int32Array[]): { sorted: Int32Array; owner: Int32Array } {
  const { spikeIds, clusterIndex } = mergeSpikeTrains(lists);
  return { sorted: spikeIds, owner: clusterIndex };
}
