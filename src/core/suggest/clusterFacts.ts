/**
 * What the merge scoring reads of one cluster, gathered from the dataset once per cluster id (an
 * id names a fixed set of spikes, so nothing here goes stale): its mean unwhitened template, its
 * location, its best channel, and, on demand, its feature sample, spike times and amplitudes.
 */
import type { Dataset } from '../dataset/Dataset';
import type { ClusteringView } from '../session/ClusteringView';
import type { ClusterMetrics } from '../session/ClusterMetrics';
import { gatherTimes } from '../compute/ccg';
import { peakToPeak } from '../compute/templates';
import { templateCentreOfMass } from '../metrics/drift';
import { median } from '../metrics/stats';
import { rpViolations, type RpViolations } from '../metrics/spikeTrain';
import type { FeatureRows } from './featureEvidence';
import { SampledColumn } from './spikeSamples';
import { timeHistogram } from './trainEvidence';
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
 * Feature rows per cluster: a hash sample of about 150 spikes (`spikeSamples.ts`), so a merged
 * cluster's rows come from its parents' without reading the file. The pair's exact
 * nearest-neighbour search over 2 × 150 rows was the largest cost of an update after a merge at
 * 2 × 300 (40 % of it); at 150 the 5-neighbour mixing estimate still separates halves of one
 * unit (0.2–0.6) from different units (≈ 0) on the generated presets.
 */
export const FEATURE_SPIKES = 150;

/** Feature channels per cluster used for the pair's feature space: its 2 of highest energy (× 3 PCs, × 2 clusters ≤ 12 dimensions). */
export const FEATURE_CHANNELS = 2;

/** Spikes whose `spike_positions.npy` rows give a cluster's location (medians; per-spike scatter is a few µm). */
export const POSITION_SPIKES = 500;

/** The per-cluster inputs of the scoring. */
export interface ClusterFacts {
  id: number;
  /** Best channel (ClusterMetrics' `ch` row) and its shank. */
  bestChannel: number;
  shank: number;
  /** µm: medians of a sample of `spike_positions.npy` when present, else the mean template's centre of mass, else the best channel's position. */
  location: { x: number; y: number };
  template: ClusterTemplate | null;
  /** `rp_contamination` (NaN for ≤ 1 spike) and `rp_violations` of the cluster. */
  rp: RpViolations;
  /** Its time course (`trainEvidence.ts: timeHistogram`). */
  timeHistogram: Float64Array;
}

/** Builds and caches {@link ClusterFacts} and spike trains per cluster id. */
export class ClusterFactsCache {
  private readonly facts = new Map<number, ClusterFacts | null>();
  /** Times and amplitudes of recently used clusters, oldest first (the pair loop visits neighbours along the probe). */
  private readonly trains = new Map<number, { times: Float64Array; amplitudes: Float64Array | null }>();
  private trainSpikes = 0;
  private templatePtp: Float64Array | null = null;
  private readonly featureSamples: SampledColumn | null;
  private readonly positionSamples: SampledColumn | null;
  /** Strongest feature channels per cluster (from its sample). */
  private readonly featureChannels = new Map<number, number[]>();
  private readonly totalSamples: number;

  constructor(
    private readonly ds: Dataset,
    private readonly clustering: ClusteringView,
    private readonly cm: ClusterMetrics,
    /**
     * Spikes of the cached trains (16 bytes each): 4 M = 64 MB, ~40 % of a 10 M-spike sort, so
     * the neighbours of a merged cluster are usually still cached after `scoreAll`.
     */
    private readonly maxTrainSpikes = 4_000_000,
  ) {
    this.totalSamples = Math.round(ds.duration * ds.sampleRate);
    const f = ds.features;
    this.featureSamples = f
      ? new SampledColumn({ width: f.nChannelsLoc * f.nPcs, chWidth: f.nChannelsLoc, spikeIds: f.spikeIds, read: (ids) => f.read(ids) }, FEATURE_SPIKES)
      : null;
    const pos = ds.spikeAttributes.find((a) => a.name === 'positions' && a.nColumns >= 2);
    this.positionSamples = pos
      ? new SampledColumn({ width: pos.nColumns, chWidth: 0, spikeIds: null, read: (ids) => ({ data: pos.read(ids), channels: null }) }, POSITION_SPIKES)
      : null;
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

  /**
   * Reads the feature and position samples of many clusters in one ordered pass over each file
   * (each 1 MiB page once, instead of once per cluster).
   */
  prefetch(clusterIds: readonly number[]): void {
    const idsOf = (c: number) => this.clustering.spikeIds(c);
    this.featureSamples?.load(clusterIds, idsOf);
    this.positionSamples?.load(clusterIds, idsOf);
  }

  /**
   * Builds the samples of a new cluster from its parents' (a merge) without reading; false when
   * it is not exactly their union or a parent's samples are not cached.
   */
  compose(c: number, parents: readonly number[]): boolean {
    const n = this.clustering.nSpikes(c);
    const f = this.featureSamples ? this.featureSamples.compose(c, n, parents) : true;
    const p = this.positionSamples ? this.positionSamples.compose(c, n, parents) : true;
    return f && p;
  }

  /**
   * The cluster's feature sample (≤ ~{@link FEATURE_SPIKES} rows) and its
   * {@link FEATURE_CHANNELS} channels of highest feature energy; null without features.
   */
  features(c: number): { rows: FeatureRows; channels: number[] } | null {
    if (!this.featureSamples) return null;
    let s = this.featureSamples.cached(c);
    if (!s) {
      this.featureSamples.load([c], (x) => this.clustering.spikeIds(x));
      s = this.featureSamples.cached(c)!;
    }
    if (s.ids.length === 0) return null;
    const rows: FeatureRows = { data: s.data, channels: s.channels!, n: s.ids.length };
    let channels = this.featureChannels.get(c);
    if (!channels) this.featureChannels.set(c, (channels = this.strongestChannels(rows)));
    return { rows, channels };
  }

  /**
   * Spike times (samples, ascending) and amplitudes of a cluster: `amplitudes.npy` × the
   * peak-to-peak of each spike's own unwhitened template, so clusters on different templates
   * are in one unit (null without amplitudes or templates).
   */
  train(c: number): { times: Float64Array; amplitudes: Float64Array | null } {
    const hit = this.trains.get(c);
    if (hit) {
      // Most recently used last.
      this.trains.delete(c);
      this.trains.set(c, hit);
      return hit;
    }
    const ds = this.ds;
    const ids = this.clustering.spikeIds(c);
    const times = gatherTimes(ds.spikeTimes, ids);
    let amplitudes: Float64Array | null = null;
    if (ds.amplitudes && ds.spikeTemplates && ds.templates) {
      // Peak-to-peak per template id in an array (NaN = not yet known): a Map lookup per spike
      // was a third of a neighbour's train.
      const ptp = (this.templatePtp ??= new Float64Array(Math.max(ds.nTemplates, 1)).fill(NaN));
      amplitudes = new Float64Array(ids.length);
      for (let k = 0; k < ids.length; k++) {
        const t = ds.spikeTemplates[ids[k]];
        let p = t < ptp.length ? ptp[t] : 0;
        if (Number.isNaN(p)) ptp[t] = p = this.cm.unwhitenedTemplate(t)?.amplitude ?? 0;
        amplitudes[k] = ds.amplitudes[ids[k]] * p;
      }
    }
    const out = { times, amplitudes };
    this.trainSpikes += ids.length;
    for (const [old, v] of this.trains) {
      if (this.trainSpikes <= this.maxTrainSpikes) break;
      this.trains.delete(old);
      this.trainSpikes -= v.times.length;
    }
    this.trains.set(c, out);
    return out;
  }

  private build(c: number): ClusterFacts | null {
    const ds = this.ds;
    const ids = this.clustering.spikeIds(c);
    if (ids.length === 0) return null;
    const bestChannel = this.cm.metrics(c).channel;
    const template = this.meanTemplate(c);
    let location = { x: ds.channelPositions[2 * bestChannel], y: ds.channelPositions[2 * bestChannel + 1] };
    if (this.positionSamples) {
      this.positionSamples.load([c], (x) => this.clustering.spikeIds(x));
      const s = this.positionSamples.cached(c)!;
      const w = s.data.length / Math.max(1, s.ids.length);
      if (s.ids.length) location = { x: median(Float64Array.from(s.ids, (_, k) => s.data[k * w])), y: median(Float64Array.from(s.ids, (_, k) => s.data[k * w + 1])) };
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
      rp: rpViolations(times, ds.sampleRate, this.totalSamples),
      timeHistogram: timeHistogram(times, this.totalSamples),
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
