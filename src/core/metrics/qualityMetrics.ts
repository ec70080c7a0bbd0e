/**
 * Every quality and template metric of every cluster of a dataset (`spikedock metrics`): the
 * per-metric functions of this folder fed from the dataset's columns. What each metric reads:
 *
 * - spike times (all the cluster's spikes) and the recording duration (`Dataset.duration`: the larger of the raw data's and the last spike's);
 * - `amplitudes.npy` (template scaling) for `amplitude_*` — NaN without it;
 * - positions over time for `drift_*`: the sorter's `spike_positions.npy` when present
 *   (`drift_source: "spike_positions"`), else each spike's template position (centre of mass of
 *   its unwhitened template's peak-to-peak over channel depths, `"template_positions"`), else NaN;
 * - PC features for the PCA metrics, on a regular subset of ≤ {@link PCA_SPIKES_PER_CLUSTER}
 *   (500) spikes per cluster with features (SpikeInterface's sample size, phylib's rule), on the cluster's
 *   {@link PCA_CHANNELS} channels of highest feature energy, with the clusters whose best channel
 *   is one of them as neighbours (SpikeInterface's sparsity rule);
 * - for `snr`, the raw data when present (mean of ≤ 100 regularly spaced filtered waveforms; noise
 *   from the raw data, `snr_source: "raw"`); else the sorter's templates (`"templates"`): signal =
 *   (a SpikeInterface analyzer: SpikeInterface's |template extremum| / `noise_levels`; else)
 *   |largest value| of the dominant template as stored (whitened) × the cluster's mean
 *   `amplitudes.npy` scaling, noise = MAD / 0.6745 of the cluster's first PC feature on its
 *   channel of least feature energy (a channel the template does not reach: Kilosort's PCs are
 *   unit-norm projections of the same whitened data, so that spread is the whitened noise
 *   level); NaN (`"none"`) without templates or features;
 * - for the template metrics, the cluster's dominant template unwhitened (× the cluster's mean
 *   `amplitudes.npy` scaling) on its main channel (largest trough, SpikeInterface's
 *   `peak_sign="neg"`; `template_source: "templates"`), else the raw mean waveform (`"raw"`).
 */
import type { Dataset } from '../dataset/Dataset';
import type { ClusteringView } from '../session/ClusteringView';
import { ClusterMetrics } from '../session/ClusterMetrics';
import { gatherFloat32, gatherTimes, regularSubset } from '../compute/ccg';
import { pickChannelFeatures } from '../compute/features';
import { lowerBound } from '../search';
import { displayHighpass } from '../compute/filter';
import { extractWaveforms, meanWaveform } from '../compute/waveforms';
import { amplitudeCutoff, amplitudeCv, amplitudeMedian } from './amplitudes';
import { driftMetrics, templateCentreOfMass } from './drift';
import { driftDepthSource, spikePositionsAttribute } from '../compute/drift';
import { dPrime, mahalanobisMetrics, nearestNeighborsMetrics, simplifiedSilhouette } from './pca';
import { NoiseLevels, robustSigma, snrOfTemplate } from './snr';
import { firingRange, firingRate, isiViolations, presenceRatio, rpViolations } from './spikeTrain';
import { TEMPLATE_METRIC_NAMES, templateMetrics } from './templateShape';

/** Metric columns in output order (SpikeInterface's names). */
export const METRIC_NAMES = [
  'num_spikes',
  'firing_rate',
  'presence_ratio',
  'isi_violations_ratio',
  'isi_violations_count',
  'rp_contamination',
  'rp_violations',
  'firing_range',
  'amplitude_median',
  'amplitude_cutoff',
  'amplitude_cv_median',
  'amplitude_cv_range',
  'snr',
  'drift_ptp',
  'drift_std',
  'drift_mad',
  'isolation_distance',
  'l_ratio',
  'd_prime',
  'nn_hit_rate',
  'nn_miss_rate',
  'silhouette',
  ...TEMPLATE_METRIC_NAMES,
] as const;

/** One metric name. */
export type MetricName = (typeof METRIC_NAMES)[number];

/** Where a source-dependent metric came from. */
export interface MetricSources {
  snr_source: 'raw' | 'templates' | 'none';
  drift_source: 'spike_positions' | 'template_positions' | 'none';
  template_source: 'templates' | 'raw' | 'none';
}

/** One row: `cluster_id`, the requested metrics (NaN where undefined), and the sources. */
export type MetricsRow = { cluster_id: number } & Partial<Record<MetricName, number>> & Partial<MetricSources>;

/** Channels (× PCs) the PCA metrics use per cluster: 4 × 3 PCs = 12 dimensions for Kilosort. */
export const PCA_CHANNELS = 4;

/**
 * Spikes per cluster the PCA metrics read: SpikeInterface computes them on the projections of
 * the `random_spikes` extension's sample (`core/analyzer_extension_core.py: ComputeRandomSpikes`,
 * `max_spikes_per_unit=500`; `postprocessing/principal_component.py: get_some_projections`,
 * called by `metrics/quality/quality_metrics.py: ComputeQualityMetrics._prepare_data`). Ours is
 * phylib's regular subset of that size (deterministic) instead of a random draw. The former
 * 2,500 (the FeatureView's subset) made the nearest-neighbour search 15× costlier on `medium`.
 */
export const PCA_SPIKES_PER_CLUSTER = 500;

/** Spikes per cluster for the template `snr` fallback's noise (the FeatureView's subset). */
const TEMPLATE_SNR_SPIKES = 2500;

/** Options of {@link computeQualityMetrics}. */
export interface QualityMetricsOptions {
  /** Metrics to compute (default all); the sources are reported for the groups computed. */
  metrics?: readonly MetricName[];
  /** Spikes per cluster for the PCA metrics ({@link PCA_SPIKES_PER_CLUSTER}). */
  pcaSpikesPerCluster?: number;
  /** `max_spikes` of the nearest-neighbour metrics (SpikeInterface's 10,000). */
  nnMaxSpikes?: number;
  /** Waveforms per cluster for `snr` and the raw-template fallback. */
  waveformsPerCluster?: number;
  /** Called after each cluster (progress). */
  onCluster?: (done: number, total: number) => void;
}

const GROUPS = {
  train: ['num_spikes', 'firing_rate', 'presence_ratio', 'isi_violations_ratio', 'isi_violations_count', 'rp_contamination', 'rp_violations', 'firing_range'],
  amplitude: ['amplitude_median', 'amplitude_cutoff', 'amplitude_cv_median', 'amplitude_cv_range'],
  snr: ['snr'],
  drift: ['drift_ptp', 'drift_std', 'drift_mad'],
  pca: ['isolation_distance', 'l_ratio', 'd_prime', 'nn_hit_rate', 'nn_miss_rate', 'silhouette'],
  template: [...TEMPLATE_METRIC_NAMES],
} satisfies Record<string, MetricName[]>;

/**
 * Metrics of every cluster of `clustering` (ascending ids). Cost: O(spikes) for the spike-train
 * and amplitude metrics; the PCA metrics read ≤ 500 feature rows per cluster and its
 * neighbours and run a brute-force nearest-neighbour search (≤ 10,000² distances per cluster);
 * `snr` reads ≤ 100 raw windows per cluster. Meant for the CLI and a background worker, never an
 * interactive path.
 */
export function computeQualityMetrics(ds: Dataset, clustering: ClusteringView, opts: QualityMetricsOptions = {}): MetricsRow[] {
  const q = new QualityMetrics(ds, clustering, opts);
  const ids = clustering.clusterIds();
  return ids.map((c, done) => {
    const row = q.row(c);
    opts.onCluster?.(done + 1, ids.length);
    return row;
  });
}

/**
 * The metrics of one cluster at a time, on a live clustering ({@link computeQualityMetrics} for
 * all of them; the app's QualityService one by one, in the background). What it derives from a
 * cluster (best channel, feature subset, mean raw waveform) is cached by cluster id: an id names
 * one fixed set of spikes, so the cache never goes stale when the clustering changes. The PCA
 * metrics compare a cluster with its neighbours *as they are when its row is computed*.
 */
export class QualityMetrics {
  private readonly wanted: Set<MetricName>;
  private readonly cm: ClusterMetrics;
  private readonly raw: RawWaveforms;
  private readonly positions: DriftPositions | null;
  private pcaCache: PcaInputs | null = null;
  private templateSnrCache: PcaInputs | null = null;

  constructor(
    private readonly ds: Dataset,
    private readonly clustering: ClusteringView,
    private readonly opts: QualityMetricsOptions = {},
  ) {
    this.wanted = new Set<MetricName>(opts.metrics ?? METRIC_NAMES);
    this.cm = new ClusterMetrics(ds, clustering);
    this.raw = new RawWaveforms(ds, this.cm, opts.waveformsPerCluster ?? 100);
    this.positions = this.want('drift') ? new DriftPositions(ds, this.cm) : null;
  }

  private want(g: keyof typeof GROUPS): boolean {
    return GROUPS[g].some((m) => this.wanted.has(m as MetricName));
  }

  private pcaInputs(): PcaInputs | null {
    return this.ds.features ? (this.pcaCache ??= new PcaInputs(this.ds, this.clustering, this.cm, this.opts.pcaSpikesPerCluster ?? PCA_SPIKES_PER_CLUSTER)) : null;
  }

  /** The feature rows of the template `snr` fallback: its noise level is a MAD over the FeatureView's 2,500 spikes, not the PCA metrics' sample. */
  private templateSnrInputs(): PcaInputs | null {
    return this.ds.features ? (this.templateSnrCache ??= new PcaInputs(this.ds, this.clustering, this.cm, TEMPLATE_SNR_SPIKES)) : null;
  }

  /**
   * One step (≈ tens of ms) of the work shared by all clusters — the raw noise levels for `snr`;
   * true when there is none left. A caller that must yield (the app's main thread) calls it
   * until true before the rows; {@link row} otherwise does it at once when it needs it.
   */
  prepare(): boolean {
    return !this.ds.raw || !this.want('snr') || this.raw.prepareNoise();
  }

  /** The row of cluster `c` as the clustering is now (its spikes; for the PCA metrics, its neighbours). */
  row(c: number): MetricsRow {
    const { ds, clustering, cm, raw, positions } = this;
    const want = (g: keyof typeof GROUPS) => this.want(g);
    const fs = ds.sampleRate;
    const duration = ds.duration;
    const totalSamples = Math.round(duration * fs);
    const spikeIds = clustering.spikeIds(c);
    // Typed gathers, not Float64Array.from with a callback (V8's slow path: it was a third of
    // the spike-train, amplitude and drift metrics' time on medium).
    const times = gatherTimes(ds.spikeTimes, spikeIds);
    const row: Record<string, number | string> = { cluster_id: c };
    if (want('train')) {
      const isi = isiViolations(times, fs, duration);
      const rp = rpViolations(times, fs, totalSamples);
      Object.assign(row, {
        num_spikes: spikeIds.length,
        firing_rate: firingRate(spikeIds.length, duration),
        presence_ratio: presenceRatio(times, totalSamples, fs),
        ...isi,
        ...rp,
        firing_range: firingRange(times, totalSamples, fs),
      });
    }
    if (want('amplitude')) {
      const amps = ds.amplitudes ? gatherFloat32(ds.amplitudes, spikeIds) : null;
      Object.assign(row, {
        amplitude_median: amps ? amplitudeMedian(amps) : NaN,
        amplitude_cutoff: amps ? amplitudeCutoff(amps) : NaN,
        ...(amps ? amplitudeCv(times, amps, totalSamples, fs) : { amplitude_cv_median: NaN, amplitude_cv_range: NaN }),
      });
    }
    if (want('snr')) {
      if (ds.raw) Object.assign(row, { snr: raw.snr(c, spikeIds), snr_source: 'raw' });
      else {
        const inputs = this.templateSnrInputs();
        const s = inputs ? templateSnr(ds, cm, inputs, c, spikeIds) : NaN;
        Object.assign(row, { snr: s, snr_source: Number.isNaN(s) ? 'none' : 'templates' });
      }
    }
    if (positions) {
      const p = positions.of(spikeIds);
      Object.assign(row, p ? driftMetrics(times, p, totalSamples, fs) : { drift_ptp: NaN, drift_std: NaN, drift_mad: NaN }, { drift_source: positions.source });
    }
    if (want('pca')) {
      const input = this.pcaInputs()?.of(c) ?? null;
      if (input) {
        const { pcs, labels, d } = input;
        Object.assign(row, mahalanobisMetrics(pcs, labels, d, c), {
          d_prime: dPrime(pcs, labels, d, c),
          ...nearestNeighborsMetrics(pcs, labels, d, c, { maxSpikes: this.opts.nnMaxSpikes ?? 10000 }),
          silhouette: simplifiedSilhouette(pcs, labels, d, c),
        });
      } else Object.assign(row, Object.fromEntries(GROUPS.pca.map((k) => [k, NaN])));
    }
    if (want('template')) {
      const t = mainChannelTemplate(ds, cm, raw, c, spikeIds);
      Object.assign(row, t ? templateMetrics(t.waveform, fs) : Object.fromEntries(GROUPS.template.map((k) => [k, NaN])), { template_source: t?.source ?? 'none' });
    }
    for (const k of Object.keys(row)) if (k !== 'cluster_id' && !k.endsWith('_source') && !this.wanted.has(k as MetricName)) delete row[k];
    return row as MetricsRow;
  }
}

/** The spikes of a sorted list that also are in `subset` (ascending), or all of them when `subset` is null. */
function within(ids: Int32Array, subset: Int32Array | null): Int32Array {
  if (!subset) return ids;
  return ids.filter((i) => {
    const k = lowerBound(subset, i);
    return k < subset.length && subset[k] === i;
  });
}

/**
 * Mean raw waveforms (filtered as the WaveformView shows them) of ≤ `nSpikes` regularly spaced
 * spikes of a cluster on its best channels, and the noise levels of those channels.
 */
class RawWaveforms {
  /** (nChannels,) noise level of each displayed channel, once known. */
  private noise: Float64Array | null = null;
  private noiseSteps: NoiseLevels | null = null;
  private readonly cache = new Map<number, { mean: Float32Array; channels: Int32Array; nSamples: number } | null>();

  constructor(
    private readonly ds: Dataset,
    private readonly cm: ClusterMetrics,
    private readonly nSpikes: number,
  ) {}

  /** (nSamples, channels.length) mean waveform of the cluster, or null without raw data or spikes in it. */
  mean(c: number, spikeIds: Int32Array): { mean: Float32Array; channels: Int32Array; nSamples: number } | null {
    if (this.cache.has(c)) return this.cache.get(c)!;
    const raw = this.ds.raw;
    let out: { mean: Float32Array; channels: Int32Array; nSamples: number } | null = null;
    if (raw && spikeIds.length) {
      const nSamples = this.ds.templates?.nSamples ?? Math.max(8, Math.round(this.ds.sampleRate * (82 / 30000)));
      const nBefore = Math.floor(nSamples / 2);
      const inRaw = spikeIds.filter((i) => this.ds.spikeTimes[i] >= nBefore && this.ds.spikeTimes[i] + nSamples - nBefore <= raw.nSamples);
      const sub = regularSubset(inRaw, this.nSpikes);
      const channels = this.bestChannels(c);
      if (sub.length) {
        const columns = Int32Array.from(channels, (ch) => this.ds.channelMap[ch]);
        const w = extractWaveforms(raw, this.ds.spikeTimes, sub, columns, { nSamples, nBefore, filter: displayHighpass(this.ds.sampleRate) });
        out = { mean: meanWaveform(w, sub.length, nSamples, channels.length), channels, nSamples };
      }
    }
    this.cache.set(c, out);
    return out;
  }

  /**
   * One step of the noise levels of every channel (one raw chunk × ≤ 64 channels); true when
   * they are all known. All channels at once: each step reads a chunk of every column anyway
   * (the file is interleaved), and the levels of a channel do not depend on its companions.
   */
  prepareNoise(): boolean {
    if (this.noise || !this.ds.raw) return true;
    this.noiseSteps ??= new NoiseLevels(this.ds.raw, this.ds.channelMap);
    if (this.noiseSteps.step()) this.noise = this.noiseSteps.levels();
    return this.noise !== null;
  }

  /** SpikeInterface's `snr` from the raw mean waveform and raw noise; NaN without raw data. */
  snr(c: number, spikeIds: Int32Array): number {
    const m = this.mean(c, spikeIds);
    if (!m || !this.ds.raw) return NaN;
    while (!this.prepareNoise());
    const noise = this.noise!;
    return snrOfTemplate(m.mean, m.channels.length, Array.from(m.channels, (ch) => noise[ch])).snr;
  }

  /** Up to 8 channels nearest (on the probe) to the cluster's best channel. */
  private bestChannels(c: number): Int32Array {
    const ds = this.ds;
    const best = this.cm.metrics(c).channel;
    const pos = ds.channelPositions;
    const order = Array.from({ length: ds.nChannels }, (_, k) => k).sort((a, b) => {
      const da = (pos[2 * a] - pos[2 * best]) ** 2 + (pos[2 * a + 1] - pos[2 * best + 1]) ** 2;
      const db = (pos[2 * b] - pos[2 * best]) ** 2 + (pos[2 * b + 1] - pos[2 * best + 1]) ** 2;
      return da - db || a - b;
    });
    return Int32Array.from(order.slice(0, Math.min(8, order.length)));
  }
}

/**
 * `snr` without raw data: the dominant template's largest |value| as stored (whitened) × the
 * cluster's mean scaling, over the robust spread of the first PC feature on the cluster's channel
 * of least feature energy (≥ 10 spikes with that channel). NaN without templates or features.
 */
function templateSnr(ds: Dataset, cm: ClusterMetrics, pca: PcaInputs, c: number, spikeIds: Int32Array): number {
  const tc = cm.templateCounts(c);
  if (ds.analyzer) return analyzerSnr(ds, tc.templates[0]);
  const f = ds.features;
  if (!tc.templates.length || !ds.templates || !f || !spikeIds.length) return NaN;
  const { data } = ds.templates.getTemplate(tc.templates[0]);
  let peak = 0;
  for (let i = 0; i < data.length; i++) peak = Math.max(peak, Math.abs(data[i]));
  let scale = 1;
  if (ds.amplitudes) {
    let s = 0;
    for (const i of spikeIds) s += ds.amplitudes[i];
    scale = s / spikeIds.length;
  }
  const r = pca.read(c);
  const byChannel = new Map<number, { pc0: number[]; energy: number }>();
  for (let i = 0; i < r.n; i++) {
    for (let j = 0; j < f.nChannelsLoc; j++) {
      const ch = r.channels[i * f.nChannelsLoc + j];
      if (ch < 0) continue;
      const o = (i * f.nChannelsLoc + j) * f.nPcs;
      let e = 0;
      for (let p = 0; p < f.nPcs; p++) e += r.data[o + p] ** 2;
      const g = byChannel.get(ch) ?? { pc0: [], energy: 0 };
      g.pc0.push(r.data[o]);
      g.energy += e;
      byChannel.set(ch, g);
    }
  }
  let quiet: { pc0: number[]; energy: number } | null = null;
  for (const g of byChannel.values()) if (g.pc0.length >= 10 && (!quiet || g.energy / g.pc0.length < quiet.energy / quiet.pc0.length)) quiet = g;
  if (!quiet) return NaN;
  const noise = robustSigma(quiet.pc0);
  return noise > 0 ? (peak * scale) / noise : NaN;
}

/**
 * `snr` of a SpikeInterface analyzer without its recording, as SpikeInterface computes it
 * (`metrics/quality/misc_metrics.py` `compute_snrs`, method "extremum"): the |extremum| of the
 * unit's template over the noise level of that channel (`noise_levels` extension). Its templates
 * are not Kilosort's whitened unit-norm shapes, so the scaling-amplitude fallback does not apply.
 * NaN without templates or noise levels.
 */
function analyzerSnr(ds: Dataset, template: number | undefined): number {
  const noise = ds.analyzer?.noiseLevels;
  if (template === undefined || !ds.templates || !noise) return NaN;
  const { data, channels } = ds.templates.getTemplate(template);
  const nc = channels.length;
  let best = 0;
  let at = -1;
  for (let i = 0; i < data.length; i++) {
    if (Math.abs(data[i]) > best) [best, at] = [Math.abs(data[i]), i];
  }
  const ch = at < 0 ? -1 : channels[at % nc];
  return ch >= 0 && noise[ch] > 0 ? best / noise[ch] : NaN;
}

/** The main-channel waveform for the template metrics: the sorter's template, else the raw mean. */
function mainChannelTemplate(ds: Dataset, cm: ClusterMetrics, raw: RawWaveforms, c: number, spikeIds: Int32Array): { waveform: Float64Array; source: 'templates' | 'raw' } | null {
  const tc = cm.templateCounts(c);
  if (tc.templates.length && ds.templates) {
    const t = cm.unwhitenedTemplate(tc.templates[0]);
    if (t && t.channels.length) {
      let scale = 1;
      if (ds.amplitudes && spikeIds.length) {
        let s = 0;
        for (const i of spikeIds) s += ds.amplitudes[i];
        scale = s / spikeIds.length;
      }
      return { waveform: mostNegativeColumn(t.data, t.channels.length, scale), source: 'templates' };
    }
  }
  const m = raw.mean(c, spikeIds);
  if (m) return { waveform: mostNegativeColumn(m.mean, m.channels.length, 1), source: 'raw' };
  return null;
}

/** The column of (nSamples, k) `data` holding the smallest value (SpikeInterface's `peak_sign="neg"` extremum channel), × scale. */
function mostNegativeColumn(data: ArrayLike<number>, k: number, scale: number): Float64Array {
  let best = 0;
  for (let i = 0; i < data.length; i++) if (data[i] < data[best]) best = i;
  const col = best % k;
  const n = Math.floor(data.length / k);
  return Float64Array.from({ length: n }, (_, s) => data[s * k + col] * scale);
}

/** Per-spike depth for the drift metrics. */
class DriftPositions {
  readonly source: MetricSources['drift_source'];
  private readonly templateY = new Map<number, number>();

  constructor(
    private readonly ds: Dataset,
    private readonly cm: ClusterMetrics,
  ) {
    this.source = driftDepthSource(ds.spikeAttributes, !!(ds.spikeTemplates && ds.templates));
  }

  /** (n,) y of each spike, µm, or null. */
  of(spikeIds: Int32Array): Float64Array | null {
    if (this.source === 'spike_positions') {
      const attr = spikePositionsAttribute(this.ds.spikeAttributes)!;
      const v = attr.read(spikeIds);
      const y = new Float64Array(spikeIds.length);
      for (let k = 0, o = 1; k < y.length; k++, o += attr.nColumns) y[k] = v[o];
      return y;
    }
    if (this.source === 'template_positions') {
      const st = this.ds.spikeTemplates!;
      const y = new Float64Array(spikeIds.length);
      for (let k = 0; k < y.length; k++) y[k] = this.yOfTemplate(st[spikeIds[k]]);
      return y;
    }
    return null;
  }

  /** Centre of mass of a template's peak-to-peak over its channels' depths (NaN for an empty template). */
  private yOfTemplate(t: number): number {
    const hit = this.templateY.get(t);
    if (hit !== undefined) return hit;
    const u = this.cm.unwhitenedTemplate(t);
    const y = u ? templateCentreOfMass(u.channels, u.ptp, this.ds.channelPositions).y : NaN;
    this.templateY.set(t, y);
    return y;
  }
}

/** The PCA metrics' input of each cluster: its regular spike subset and its neighbours'. */
/** Feature values {@link PcaInputs} keeps read (float32: 64 MB). */
const PCA_CACHE_VALUES = 16 * 1024 * 1024;

class PcaInputs {
  private readonly reads = new Map<number, { data: Float32Array; channels: Int32Array; n: number }>();
  private held = 0;
  /** Best channel of each cluster id (fixed for an id). */
  private readonly bestChannel = new Map<number, number>();

  constructor(
    private readonly ds: Dataset,
    private readonly clustering: ClusteringView,
    private readonly cm: ClusterMetrics,
    private readonly nSpikes: number,
  ) {}

  /** Feature rows of the cluster's regular subset of `nSpikes` (cached; the oldest dropped past {@link PCA_CACHE_VALUES}). */
  read(c: number): { data: Float32Array; channels: Int32Array; n: number } {
    const hit = this.reads.get(c);
    if (hit) return hit;
    const f = this.ds.features!;
    const ids = within(regularSubset(this.clustering.spikeIds(c), this.nSpikes), f.spikeIds);
    const r = ids.length ? f.read(ids) : { data: new Float32Array(0), channels: new Int32Array(0) };
    const out = { data: r.data, channels: r.channels, n: ids.length };
    // Bounded by values held (16 M floats, 64 MB), not by clusters: a cluster's neighbours are
    // read for each of its own neighbours, and on a sort of thousands of small clusters a
    // 64-cluster cache re-read hundreds of them per row (the main-thread pass then held the
    // thread for seconds per row).
    this.held += out.data.length;
    this.reads.set(c, out);
    while (this.held > PCA_CACHE_VALUES && this.reads.size > 1) {
      const oldest = this.reads.keys().next().value!;
      this.held -= this.reads.get(oldest)!.data.length;
      this.reads.delete(oldest);
    }
    return out;
  }

  private bestChannelOf(c: number): number {
    let ch = this.bestChannel.get(c);
    if (ch === undefined) this.bestChannel.set(c, (ch = this.cm.metrics(c).channel));
    return ch;
  }

  of(c: number): { pcs: Float64Array; labels: Int32Array; d: number } | null {
    const f = this.ds.features!;
    const own = this.read(c);
    if (own.n === 0) return null;
    // The cluster's channels: highest mean feature energy over its subset.
    const energy = new Map<number, number>();
    for (let i = 0; i < own.n; i++) {
      for (let j = 0; j < f.nChannelsLoc; j++) {
        const ch = own.channels[i * f.nChannelsLoc + j];
        if (ch < 0) continue;
        let e = 0;
        for (let p = 0; p < f.nPcs; p++) e += own.data[(i * f.nChannelsLoc + j) * f.nPcs + p] ** 2;
        energy.set(ch, (energy.get(ch) ?? 0) + e);
      }
    }
    const channels = [...energy.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, PCA_CHANNELS).map(([ch]) => ch);
    const chSet = new Set(channels);
    const members = this.clustering.clusterIds().filter((o) => o === c || chSet.has(this.bestChannelOf(o)));
    const d = channels.length * f.nPcs;
    const parts: Array<{ pcs: Float32Array; n: number; c: number }> = [];
    for (const o of members) {
      const r = this.read(o);
      if (r.n === 0) continue;
      parts.push({ pcs: pickChannelFeatures(r.data, r.channels, r.n, f.nChannelsLoc, f.nPcs, channels).features, n: r.n, c: o });
    }
    const total = parts.reduce((a, p) => a + p.n, 0);
    const pcs = new Float64Array(total * d);
    const labels = new Int32Array(total);
    let k = 0;
    for (const p of parts) {
      pcs.set(p.pcs, k * d);
      labels.fill(p.c, k, k + p.n);
      k += p.n;
    }
    return { pcs, labels, d };
  }
}
