/**
 * ComputeService: every view's data (ViewDataApi) computed from the dataset and the live
 * clustering through the worker pool (GUIDE §2, §4).
 *
 * - Memoised by request + (for results that depend on other clusters: background spikes,
 *   trace overlays) the generation, in a byte-capped LRU. A cluster id always names one fixed
 *   set of spikes, so results keyed by cluster ids stay valid until an UpdateInfo deletes one
 *   of those clusters; `onUpdate` drops exactly those.
 * - Every method takes an optional trailing AbortSignal (latest wins); results carry the
 *   generation they were computed for; a result overtaken by an update that deleted one of its
 *   clusters is dropped (the call rejects with {@link StaleResultError}).
 * - Work proportional to a cluster's spikes or a window's samples runs in the workers; the main
 *   thread only slices spike lists (O(spikes of the selection)).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../../core/dataset/Dataset';
import type { ClusteringView } from '../../core/session/ClusteringView';
import type { UpdateInfo } from '../../core/session/UpdateInfo';
import type {
  AmplitudeKind,
  AmplitudesData,
  AmplitudesRequest,
  RasterData,
  RasterRequest,
  ChannelFeature,
  ClusterAmplitudes,
  ClusterWaveforms,
  CorrelogramsData,
  CorrelogramsRequest,
  FeaturesData,
  FeaturesRequest,
  HistogramData,
  HistogramRequest,
  SpikeAttributeData,
  SpikeAttributeRequest,
  SpikeSet,
  TemplatesRequest,
  TracesData,
  TracesRequest,
  WaveformsData,
  WaveformsRequest,
} from '../../shared/ipc/contract';
import { tasks, tracesUseEnvelope, type DatasetHandle, type SpikeLists } from '../../shared/tasks/tasks';
import { correlogramBins, mergeSpikeTrains, regularSubset, symmetrizeCorrelograms } from '../../core/compute/ccg';
import { bestChannels, dominantTemplate, selectColumns, templateInfo, unwhitenTemplate, type TemplateInfo } from '../../core/compute/templates';
import { backgroundPositions, pickChannelFeatures } from '../../core/compute/features';
import { clusterHistograms, contaminationEstimate } from '../../core/compute/spikeStats';
import { lowerBound } from '../../core/compute/traces';
import { ByteCache } from './ByteCache';
import { CallError } from '../CallError';
import { overLimitMessage, REQUEST_LIMITS, type RequestLimit } from '../../shared/ipc/limits';
import { AbortError, type Lane, type WorkerPool } from './WorkerPool';

/** Default of {@link ComputeServiceOptions.inlineHistogramSpikes}. */
const INLINE_HISTOGRAM_SPIKES = 1_000_000;


/** The call's result was computed for clusters an update deleted meanwhile; it was dropped. */
export class StaleResultError extends Error {
  constructor() {
    super('result dropped: the clusters it was computed for changed meanwhile');
    this.name = 'StaleResultError';
  }
}

export interface ComputeServiceOptions {
  /** Cache capacity in bytes (default 256 MiB). */
  cacheBytes?: number;
  /**
   * The session's facts of a cluster (best channel = the ClusterView's `ch`, dominant template):
   * one owner for them (ClusterMetrics). Without it, both are derived from the templates here.
   */
  clusterFacts?: (clusterId: number) => { bestChannel: number; template: number } | null;
  /** Selections up to this many spikes get their ISI / firing-rate histograms on the calling thread (default 1 M). */
  inlineHistogramSpikes?: number;
  /** Seconds, for the ISI-violation column (default 0.0015). */
  refractoryPeriod?: number;
  /** Subsampled spikes from which a correlogram request is split across two threads (default 150,000 once spike times are grouped by cluster, 20,000 before). */
  splitMinSpikes?: number;
}

let nextServiceId = 1;

function shared<T extends Float64Array | Int32Array | Float32Array>(a: T, Ctor: new (b: SharedArrayBuffer) => T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  new Uint8Array(out.buffer).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return out;
}

/** `values[spikeIds[k]]` for every k, as float32. */
function pick(values: ArrayLike<number>, spikeIds: Int32Array): Float32Array {
  const out = new Float32Array(spikeIds.length);
  for (let k = 0; k < out.length; k++) out[k] = values[spikeIds[k]];
  return out;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortError();
}

/** The view-data methods that follow the cluster selection (and can be prefetched). */
export const PREFETCH_METHODS = ['waveforms', 'features', 'amplitudes', 'correlograms', 'isi', 'firingRate', 'spikeAttribute'] as const;
export type PrefetchMethod = (typeof PREFETCH_METHODS)[number];

/** `promise`, or an AbortError as soon as `signal` fires (the work itself goes on). */
function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  throwIfAborted(signal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** The amplitude types a dataset can show: template (amplitudes.npy), feature (PCs), raw. */
export function availableAmplitudeKinds(d: Dataset): AmplitudeKind[] {
  const out: AmplitudeKind[] = [];
  if (d.amplitudes) out.push('template');
  if (d.features) out.push('feature');
  if (d.raw) out.push('raw');
  return out;
}

/** Samples of a waveform window when there are no templates (82 at 30 kHz, Kilosort's). */
function defaultWaveformSamples(sampleRate: number): number {
  return Math.max(8, Math.round(sampleRate * (82 / 30000)));
}

export class ComputeService {
  readonly handle: DatasetHandle;
  private readonly cache: ByteCache;
  private readonly mirror: boolean;
  private updates = 0;
  /**
   * Update count at which each cluster id last appeared or disappeared. An id names one spike set
   * while it exists, but undo/redo delete and re-add the same id: a result computed while it did
   * not exist (no spikes) must never be served once it is back.
   */
  private readonly changedAt = new Map<number, number>();
  private readonly templateInfos = new Map<number, TemplateInfo>();
  private readonly peakChannels = new Map<number, number>();
  private readonly dominantTemplates = new Map<number, number>();
  private clusterTimesBuild: Promise<void> | null = null;
  private readonly bgCandidates = new Map<number, Int32Array>();
  private readonly background = new AbortController();
  private readonly refractoryPeriod: number;
  private closed = false;
  /** Computations running, by memo key (joined by identical requests). */
  private readonly pending = new Map<string, { promise: Promise<unknown>; seq: number }>();
  private readonly lastRequests = new Map<PrefetchMethod, { clusterIds: number[] }>();
  private prefetching: { key: string; controller: AbortController } | null = null;

  constructor(
    readonly dataset: Dataset,
    readonly clustering: ClusteringView,
    readonly pool: WorkerPool,
    private readonly opts: ComputeServiceOptions = {},
  ) {
    this.cache = new ByteCache(opts.cacheBytes ?? 256 * 1024 * 1024);
    this.refractoryPeriod = opts.refractoryPeriod ?? 0.0015;
    const d = dataset;
    const liveShared = clustering.spikeClusters.buffer instanceof SharedArrayBuffer;
    this.mirror = !liveShared;
    this.handle = {
      id: `ds${nextServiceId++}-${d.name}`,
      sampleRate: d.sampleRate,
      nSpikes: d.nSpikes,
      duration: d.duration,
      nChannels: d.nChannels,
      spikeTimes: shared(d.spikeTimes, Float64Array),
      spikeClusters: shared(clustering.spikeClusters, Int32Array),
      spikeTemplates: d.spikeTemplates ? shared(d.spikeTemplates, Int32Array) : null,
      amplitudes: d.amplitudes ? shared(d.amplitudes, Float32Array) : null,
      channelMap: d.channelMap.slice(),
      channelPositions: d.channelPositions.slice(),
      channelShanks: d.channelShanks.slice(),
      whiteningMatInv: d.whiteningMatInv ? shared(d.whiteningMatInv, Float64Array) : null,
      raw: d.raw
        ? {
            files: d.raw.files.slice(),
            dtype: d.raw.dtype,
            offset: Number(d.params['offset'] ?? 0) || 0,
            nChannelsDat: d.raw.nChannelsDat,
            sampleRate: d.raw.sampleRate,
            gain: d.raw.gain,
            unit: d.raw.unit,
          }
        : null,
      templates: null,
      features: null,
      clusterTimes: null,
    };
    if (d.format === 'template') {
      const f = (name: string) => (existsSync(join(d.dir, name)) ? join(d.dir, name) : null);
      const tf = f('templates.npy');
      if (d.templates && tf) this.handle.templates = { file: tf, indFile: f('template_ind.npy') };
      const pf = f('pc_features.npy');
      const pi = f('pc_feature_ind.npy');
      if (d.features && pf && pi) this.handle.features = { file: pf, indFile: pi, spikeIdsFile: f('pc_feature_spike_ids.npy') };
    }
    void this.clusterTimesReady;
  }

  /**
   * Resolves once the spike times grouped by cluster are built (background lane, started at
   * construction) and ride along with every task; correlograms of the clusters of that time read
   * their times contiguously from then on. Never rejects (without it, workers gather times).
   */
  get clusterTimesReady(): Promise<void> {
    return (this.clusterTimesBuild ??= this.buildClusterTimes());
  }

  private async buildClusterTimes(): Promise<void> {
    for (let attempt = 0; attempt < 3 && !this.closed; attempt++) {
      const gen = this.clustering.generation;
      try {
        const ct = await this.run(tasks.clusterTimes, { dataset: this.handle }, this.background.signal, [], 'background');
        // Built from a clustering that changed meanwhile: some slices may be mixed; rebuild.
        if (this.clustering.generation !== gen) continue;
        this.handle.clusterTimes = ct;
        return;
      } catch {
        return;
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Caching, staleness

  private async memo<T extends { generation: number }>(
    method: string,
    req: unknown,
    clusterIds: number[],
    generationDependent: boolean,
    signal: AbortSignal | undefined,
    compute: (generation: number) => Promise<T>,
  ): Promise<T> {
    if (this.closed) throw new Error('compute service is closed');
    throwIfAborted(signal);
    const gen = this.clustering.generation;
    const key = `${method}:${JSON.stringify(req)}${generationDependent ? `@${gen}` : ''}`;
    const hit = this.cache.get<T>(key);
    if (hit) return { ...hit, generation: gen };
    // The same request already running (a prefetch, or another view asking the same): join it.
    const running = this.pending.get(key) as { promise: Promise<T>; seq: number } | undefined;
    if (running && !this.changedSince(clusterIds, running.seq)) {
      try {
        const value = await raceAbort(running.promise, signal);
        return this.clustering.generation === value.generation ? value : { ...value, generation: this.clustering.generation };
      } catch (e) {
        // Its own caller gave up (e.g. a prefetch cancelled): compute it for this caller.
        if (!(e instanceof AbortError) || signal?.aborted) throw e;
      }
    }
    const seq = this.updates;
    const promise = (async () => {
      const value = await compute(gen);
      throwIfAborted(signal);
      if (this.changedSince(clusterIds, seq) || (generationDependent && this.clustering.generation !== gen)) throw new StaleResultError();
      this.cache.set(key, value, clusterIds);
      return this.clustering.generation === gen ? value : { ...value, generation: this.clustering.generation };
    })();
    const entry = { promise, seq };
    this.pending.set(key, entry);
    try {
      return await promise;
    } finally {
      if (this.pending.get(key) === entry) this.pending.delete(key);
    }
  }

  /** Whether any of `clusterIds` was deleted or (re-)added after update count `seq`. */
  private changedSince(clusterIds: readonly number[], seq: number): boolean {
    return clusterIds.some((c) => (this.changedAt.get(c) ?? -1) > seq);
  }

  /**
   * Remembers the latest request of a selection-following view (the renderer's own parameters:
   * spike counts, bins, amplitude type…) so that {@link prefetch} can ask the same for the
   * selection the user will probably look at next. A request for another selection than the
   * one being prefetched cancels that prefetch: the prediction was wrong, the cores are the user's.
   */
  noteRequest(method: PrefetchMethod, req: { clusterIds: number[] }): void {
    this.lastRequests.set(method, req);
    if (this.prefetching && this.prefetching.key !== JSON.stringify(req.clusterIds)) {
      this.prefetching.controller.abort();
      this.prefetching = null;
    }
  }

  /**
   * Computes, ahead of time, what the selection-following views asked for last, but for
   * `clusterIds` (e.g. the wizard's next best cluster), into the result cache. A later request
   * for the same data is a cache hit, or joins the computation still running.
   */
  async prefetch(clusterIds: number[]): Promise<void> {
    if (this.closed || clusterIds.length === 0) return;
    const key = JSON.stringify(clusterIds);
    if (this.prefetching?.key === key) return;
    this.prefetching?.controller.abort();
    const controller = new AbortController();
    const current = { key, controller };
    this.prefetching = current;
    const jobs = [...this.lastRequests].map(([method, req]) => {
      const r = { ...req, clusterIds };
      const signal = controller.signal;
      switch (method) {
        case 'waveforms': return this.waveforms(r as WaveformsRequest, signal);
        case 'features': return this.features(r as FeaturesRequest, signal);
        case 'amplitudes': return this.amplitudes(r as AmplitudesRequest, signal);
        case 'correlograms': return this.correlograms(r as CorrelogramsRequest, signal);
        case 'isi': return this.isi(r as HistogramRequest, signal);
        case 'firingRate': return this.firingRate(r as HistogramRequest, signal);
        case 'spikeAttribute': return this.spikeAttribute(r as SpikeAttributeRequest, signal);
      }
    });
    await Promise.allSettled(jobs);
    if (this.prefetching === current) this.prefetching = null;
  }

  /** Bytes held by the result cache. */
  get cacheBytes(): number {
    return this.cache.bytes;
  }

  /**
   * Applies a change: drops cached results and facts of the deleted and added clusters (an id
   * re-added by redo may have been asked for while it was gone) and updates the worker mirror of
   * the clustering (when the live array is not shared).
   */
  onUpdate(u: UpdateInfo): void {
    this.updates++;
    for (const c of [...u.added, ...u.deleted]) {
      this.changedAt.set(c, this.updates);
      this.peakChannels.delete(c);
      this.dominantTemplates.delete(c);
    }
    // Added ids too: redo brings back an id whose results may have been computed while it was gone.
    this.cache.invalidateClusters([...u.deleted, ...u.added]);
    if (this.mirror) {
      for (const c of u.added) {
        const ids = this.clustering.spikeIds(c);
        for (let k = 0; k < ids.length; k++) this.handle.spikeClusters[ids[k]] = c;
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Spike lists and per-cluster facts

  private spikeLists(clusterIds: number[], max = Infinity): SpikeLists {
    const lists = clusterIds.map((c) => regularSubset(this.clustering.spikeIds(c), max));
    const offsets = new Int32Array(lists.length + 1);
    lists.forEach((l, k) => (offsets[k + 1] = offsets[k] + l.length));
    const spikeIds = new Int32Array(offsets[lists.length]);
    lists.forEach((l, k) => spikeIds.set(l, offsets[k]));
    return { clusterIds, spikeIds, offsets };
  }

  private run<A, R>(spec: { name: string; _args?: A; _result?: R }, args: A, signal?: AbortSignal, transfer: ArrayBuffer[] = [], lane: Lane = 'interactive') {
    return this.pool.run(spec, args, { signal, transfer, lane });
  }

  /** Summary of a template (main thread, cached; O(template size)). */
  private templateSummary(templateId: number): TemplateInfo | null {
    const src = this.dataset.templates;
    if (!src || templateId < 0 || templateId >= src.nTemplates) return null;
    let info = this.templateInfos.get(templateId);
    if (!info) {
      const t = src.getTemplate(templateId);
      const unw = unwhitenTemplate(t.data, t.channels, src.nSamples, this.dataset.whiteningMatInv, this.dataset.nChannels);
      info = templateInfo(unw, t.channels, src.nSamples);
      this.templateInfos.set(templateId, info);
    }
    return info;
  }

  /** The template most of a cluster's spikes come from (on ≤ 10,000 spikes), or -1. */
  templateOf(clusterId: number): number {
    const st = this.dataset.spikeTemplates;
    if (!st) return -1;
    // A cluster id names one fixed spike set, so its dominant template never changes.
    const known = this.opts.clusterFacts?.(clusterId)?.template;
    if (known !== undefined && known >= 0) return known;
    let t = this.dominantTemplates.get(clusterId);
    if (t === undefined) {
      t = dominantTemplate(st, regularSubset(this.clustering.spikeIds(clusterId), 10_000));
      this.dominantTemplates.set(clusterId, t);
    }
    return t;
  }

  /** Peak channel of a cluster (the session's best channel; else from its template), or -1. */
  peakChannel(clusterId: number): number {
    const known = this.opts.clusterFacts?.(clusterId)?.bestChannel ?? this.peakChannels.get(clusterId);
    if (known !== undefined && known >= 0) return known;
    const info = this.templateSummary(this.templateOf(clusterId));
    const ch = info ? info.peakChannel : -1;
    if (ch >= 0) this.peakChannels.set(clusterId, ch);
    return ch;
  }

  /** The `n` best channels of a cluster: nearest to its peak channel on its shank, peak first. */
  bestChannels(clusterId: number, n = 12): Int32Array {
    const d = this.dataset;
    const peak = this.peakChannel(clusterId);
    if (peak < 0) return Int32Array.from({ length: Math.min(n, d.nChannels) }, (_, k) => k);
    let allowed: Int32Array | undefined;
    const src = d.templates;
    if (src && src.nChannelsLoc < d.nChannels) allowed = src.getTemplate(this.templateOf(clusterId)).channels;
    return bestChannels(peak, d.channelPositions, d.channelShanks, n, allowed);
  }

  // -------------------------------------------------------------------------------------------
  // ViewDataApi

  correlograms(req: CorrelogramsRequest, signal?: AbortSignal): Promise<CorrelogramsData> {
    const r = {
      clusterIds: req.clusterIds.slice(0, 20),
      binSize: req.binSize ?? 0.001,
      windowSize: req.windowSize ?? 0.05,
      refractoryPeriod: req.refractoryPeriod ?? 0.002,
      maxSpikes: req.maxSpikes ?? 100_000,
    };
    return this.memo('correlograms', r, r.clusterIds, false, signal, async (generation) => {
      const split = this.correlogramSplit(r.clusterIds, r.maxSpikes, r.binSize, r.windowSize);
      if (!split) {
        const lists = this.spikeLists(r.clusterIds);
        const res = await this.run(tasks.correlograms, { dataset: this.handle, ...lists, ...r }, signal, [lists.spikeIds.buffer as ArrayBuffer]);
        return { generation, ...r, nBins: res.nBins, counts: res.counts, firingRates: res.firingRates, stats: res.stats };
      }
      // Two halves in time on the two interactive threads (each gathers, merges and counts its
      // half; the first also sees the second's spikes within one window as partners).
      const { boundary, extended } = split;
      const n = r.clusterIds.length;
      const full = r.clusterIds.map((c) => this.clustering.spikeIds(c));
      const fullLength = Int32Array.from(full, (l) => l.length);
      const cut = (lo: number, hi: number) => {
        const parts = full.map((l) => l.subarray(lowerBound(l, lo), lowerBound(l, hi)));
        const offsets = new Int32Array(n + 1);
        parts.forEach((l, k) => (offsets[k + 1] = offsets[k] + l.length));
        const spikeIds = new Int32Array(offsets[n]);
        parts.forEach((l, k) => spikeIds.set(l, offsets[k]));
        const firstPos = Int32Array.from(full, (l) => lowerBound(l, lo));
        return { clusterIds: r.clusterIds, spikeIds, offsets, firstPos };
      };
      const a = cut(0, extended);
      const b = cut(boundary, this.dataset.nSpikes);
      const [ra, rb] = await Promise.all(
        [
          { ...a, refEnd: boundary },
          { ...b, refEnd: this.dataset.nSpikes },
        ].map(({ firstPos, refEnd, ...lists }) =>
          this.run(tasks.correlograms, { dataset: this.handle, ...lists, ...r, part: { firstPos, fullLength, refEnd } }, signal, [lists.spikeIds.buffer as ArrayBuffer]),
        ),
      );
      const oneSided = ra.oneSided!;
      const ob = rb.oneSided!;
      for (let i = 0; i < oneSided.length; i++) oneSided[i] += ob[i];
      const bins = correlogramBins(this.dataset.sampleRate, r.binSize, r.windowSize);
      const st = this.dataset.spikeTimes;
      const limit = r.refractoryPeriod * this.dataset.sampleRate;
      const stats = r.clusterIds.map((clusterId, k) => {
        // The interval across the boundary belongs to neither part.
        const q = lowerBound(full[k], boundary);
        const across = q > 0 && q < full[k].length && st[full[k][q]] - st[full[k][q - 1]] < limit ? 1 : 0;
        const nSpikes = full[k].length;
        const nViolations = ra.stats[k].nViolations + rb.stats[k].nViolations + across;
        return {
          clusterId,
          nSpikes,
          nViolations,
          violationRate: nSpikes > 1 ? nViolations / (nSpikes - 1) : 0,
          contamination: contaminationEstimate(nViolations, nSpikes, r.refractoryPeriod, this.dataset.duration),
        };
      });
      return { generation, ...r, nBins: bins.nBins, counts: symmetrizeCorrelograms(oneSided, n, bins.half), firingRates: ra.firingRates, stats };
    });
  }

  /**
   * Whether a correlogram request is split in two by time (two interactive threads and at
   * least 20,000 spikes to count), and where: `boundary` is the spike id with about half of the
   * subsampled spikes before it; `extended` the first spike id beyond one window after it (the
   * first half's partners reach that far).
   */
  private correlogramSplit(clusterIds: number[], maxSpikes: number, binSize: number, windowSize: number): { boundary: number; extended: number } | null {
    if (this.pool.threads.interactive < 2 || !(maxSpikes >= 1)) return null;
    const lists = clusterIds.map((c) => this.clustering.spikeIds(c));
    const total = lists.reduce((a, l) => a + Math.min(l.length, maxSpikes), 0);
    // With the cluster-grouped times a train costs little to prepare, and a second task's
    // round trip outweighs halving a single ACG; without them, gathering dominates.
    if (total < (this.opts.splitMinSpikes ?? (this.handle.clusterTimes ? 150_000 : 20_000))) return null;
    // Spike-id median of the subsampled spikes: binary search on the id (the full lists are
    // spread like their subsamples, so counting full-list positions is close enough).
    const fullTotal = lists.reduce((a, l) => a + l.length, 0);
    let lo = 0;
    let hi = this.dataset.nSpikes;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      let below = 0;
      for (const l of lists) below += lowerBound(l, mid);
      if (below < fullTotal / 2) lo = mid + 1;
      else hi = mid;
    }
    const boundary = lo;
    if (boundary <= 0 || boundary >= this.dataset.nSpikes) return null;
    const bins = correlogramBins(this.dataset.sampleRate, binSize, windowSize);
    const st = this.dataset.spikeTimes;
    const extended = lowerBound(st, st[boundary] + (bins.half + 1) * bins.binSamples + 1);
    return { boundary, extended };
  }

  private histogram(kind: 'isi' | 'firingRate', req: HistogramRequest, signal?: AbortSignal): Promise<HistogramData> {
    const r = { clusterIds: req.clusterIds, binSize: req.binSize ?? 0.001, max: req.max ?? 0.05, nBins: req.nBins ?? 200 };
    return this.memo(kind, r, r.clusterIds, false, signal, async (generation) => {
      const total = r.clusterIds.reduce((n, c) => n + this.clustering.nSpikes(c), 0);
      if (total <= (this.opts.inlineHistogramSpikes ?? INLINE_HISTOGRAM_SPIKES)) {
        // O(selected spikes), ≈ 10 ms for 200 k: cheaper here than a place in the worker queue
        // behind the same selection's waveforms and features (it waited 100–450 ms there).
        const ds = this.dataset;
        const res = clusterHistograms(kind, ds.spikeTimes, r.clusterIds.map((c) => this.clustering.spikeIds(c)), { sampleRate: ds.sampleRate, duration: ds.duration, ...r });
        return { generation, clusterIds: r.clusterIds, ...res };
      }
      const lists = this.spikeLists(r.clusterIds);
      const res = await this.run(tasks.histograms, { dataset: this.handle, kind, ...lists, binSize: r.binSize, max: r.max, nBins: r.nBins }, signal, [
        lists.spikeIds.buffer as ArrayBuffer,
      ]);
      return { generation, clusterIds: r.clusterIds, ...res };
    });
  }

  isi(req: HistogramRequest, signal?: AbortSignal): Promise<HistogramData> {
    return this.histogram('isi', req, signal);
  }

  firingRate(req: HistogramRequest, signal?: AbortSignal): Promise<HistogramData> {
    return this.histogram('firingRate', req, signal);
  }

  /**
   * The part of a sorted spike list whose waveform window lies inside the raw recording (a
   * recording may cover only part of the sort): two binary searches, spike times being
   * non-decreasing in spike id.
   */
  private inRaw(ids: Int32Array): Int32Array {
    const raw = this.dataset.raw;
    if (!raw) return ids;
    const { nSamples, nBefore } = this.waveformGeometry();
    const st = this.dataset.spikeTimes;
    const search = (limit: number) => {
      let lo = 0;
      let hi = ids.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (st[ids[mid]] < limit) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    return ids.subarray(search(nBefore), search(raw.nSamples - (nSamples - nBefore) + 1));
  }

  private waveformGeometry(): { nSamples: number; nBefore: number } {
    const nSamples = this.dataset.templates?.nSamples ?? defaultWaveformSamples(this.dataset.sampleRate);
    return { nSamples, nBefore: Math.floor(nSamples / 2) };
  }

  /** Refuses a request whose size, known before any work, is over one of the {@link REQUEST_LIMITS}. */
  private within(request: string, what: string, n: number, limit: RequestLimit): void {
    if (n > REQUEST_LIMITS[limit]) throw new CallError(overLimitMessage(request, what, n, limit), 'invalid-call');
  }

  /** Refuses a channel index the dataset does not have (it would read another channel's data or nothing). */
  private checkChannel(request: string, channelId: number): void {
    const n = this.dataset.nChannels;
    if (!Number.isInteger(channelId) || channelId < 0 || channelId >= n) {
      throw new CallError(`${request}: channel ${channelId} does not exist (this dataset has ${n} channels, 0–${n - 1})`, 'invalid-call');
    }
  }

  waveforms(req: WaveformsRequest, signal?: AbortSignal): Promise<WaveformsData> {
    const r = { clusterIds: req.clusterIds, kind: req.kind, nSpikes: req.nSpikes ?? 100, filter: req.filter ?? true, nChannels: req.nChannels ?? 12 };
    if (r.kind === 'templates' || !this.handle.raw) {
      const message = r.kind === 'templates' ? undefined : 'No raw data: showing templates';
      return this.templates({ clusterIds: r.clusterIds, nChannels: r.nChannels }, signal).then((t) => ({ ...t, kind: r.kind, ...(!t.message && message ? { message } : {}) }));
    }
    {
      // (nSpikes, nSamples, nCh) float32 per cluster plus its mean: known before any read.
      const { nSamples } = this.waveformGeometry();
      const nCh = Math.min(r.nChannels, this.dataset.nChannels);
      const spikes = r.kind === 'waveforms' ? r.clusterIds.reduce((a, c) => a + Math.min(r.nSpikes, this.clustering.nSpikes(c)), 0) : 0;
      this.within('viewData.waveforms', 'result bytes', (spikes + r.clusterIds.length) * nSamples * nCh * 4, 'resultBytes');
    }
    return this.memo('waveforms', r, r.clusterIds, false, signal, async (generation) => {
      const { nSamples, nBefore } = this.waveformGeometry();
      const clusters = r.clusterIds.map((c) => ({
        clusterId: c,
        spikeIds: regularSubset(this.inRaw(this.clustering.spikeIds(c)), r.nSpikes).slice(),
        channelIds: this.bestChannels(c, r.nChannels),
      }));
      const withSpikes = r.kind === 'waveforms';
      const base = { dataset: this.handle, nSamples, nBefore, filter: r.filter, withSpikes };
      // Each cluster's spikes split across the interactive threads (a waveform is one
      // positioned read and a filter per spike: independent), then joined in spike order.
      const parts = Math.min(this.pool.threads.interactive, Math.max(1, Math.floor(clusters.reduce((a, c) => a + c.spikeIds.length, 0) / 16)));
      const split = Array.from({ length: parts }, (_, p) =>
        clusters.map((c) => {
          const n = c.spikeIds.length;
          return { ...c, spikeIds: c.spikeIds.subarray(Math.floor((p * n) / parts), Math.floor(((p + 1) * n) / parts)).slice() };
        }),
      );
      const results = await Promise.all(split.map((cl) => this.run(tasks.waveforms, { ...base, clusters: cl }, signal)));
      const m = nSamples;
      const out: ClusterWaveforms[] = clusters.map((c, k) => {
        const nCh = c.channelIds.length;
        const mean = new Float32Array(m * nCh);
        const data = new Float32Array(withSpikes ? c.spikeIds.length * m * nCh : 0);
        let o = 0;
        results.forEach((res, p) => {
          const w = split[p][k].spikeIds.length / Math.max(1, c.spikeIds.length);
          const pm = res.clusters[k].mean;
          for (let i = 0; i < mean.length; i++) mean[i] += w * pm[i];
          if (withSpikes) {
            data.set(res.clusters[k].data, o);
            o += res.clusters[k].data.length;
          }
        });
        return { clusterId: c.clusterId, channelIds: c.channelIds, spikeIds: c.spikeIds, data: withSpikes ? data : mean, mean };
      });
      return { generation, kind: r.kind, source: 'raw' as const, nSamples, sampleRate: this.dataset.sampleRate, unit: results[0].unit, clusters: out };
    });
  }

  templates(req: TemplatesRequest, signal?: AbortSignal): Promise<WaveformsData> {
    const r = { clusterIds: req.clusterIds, nChannels: req.nChannels ?? 12 };
    return this.memo('templates', r, r.clusterIds, false, signal, async (generation) => {
      const d = this.dataset;
      const src = d.templates;
      if (!src) {
        return {
          generation,
          kind: 'templates' as const,
          source: 'templates' as const,
          nSamples: 0,
          sampleRate: d.sampleRate,
          unit: 'a.u.',
          clusters: [],
          message: d.raw ? 'This dataset has no templates' : 'No raw data and no templates: nothing to show',
        };
      }
      const clusters: ClusterWaveforms[] = r.clusterIds.map((c) => {
        const t = this.templateOf(c);
        const channelIds = this.bestChannels(c, r.nChannels);
        const nSamples = src.nSamples;
        let data: Float32Array = new Float32Array(nSamples * channelIds.length);
        if (t >= 0) {
          const tpl = src.getTemplate(t);
          const unw = unwhitenTemplate(tpl.data, tpl.channels, nSamples, d.whiteningMatInv, d.nChannels);
          const cols = Array.from(channelIds, (ch) => tpl.channels.indexOf(ch));
          data = selectColumns(unw, nSamples, tpl.channels.length, cols);
          const amps = d.amplitudes;
          if (amps) {
            const ids = regularSubset(this.clustering.spikeIds(c), 10_000);
            let s = 0;
            for (let k = 0; k < ids.length; k++) s += amps[ids[k]];
            const scale = ids.length ? s / ids.length : 1;
            for (let i = 0; i < data.length; i++) data[i] *= scale;
          }
        }
        return { clusterId: c, channelIds, spikeIds: new Int32Array(0), data, mean: data };
      });
      return { generation, kind: 'templates' as const, source: 'templates' as const, nSamples: src.nSamples, sampleRate: d.sampleRate, unit: 'a.u.', clusters };
    });
  }

  /** Feature rows for spike sets on channels: worker for PC feature files, main thread for Kwik. */
  private async readFeatures(
    sets: Array<{ clusterId: number; spikeIds: Int32Array; cacheKey?: string }>,
    channelIds: number[],
    signal?: AbortSignal,
  ): Promise<{ nPcs: number; sets: Array<{ clusterId: number; features: Float32Array; present: Uint8Array }> }> {
    if (this.handle.features) {
      // Feature rows of a selection are scattered over the file (one positioned read each):
      // the sets are split in halves across the interactive threads, then joined in order.
      const parts = this.pool.threads.interactive;
      const total = sets.reduce((a, x) => a + (x.cacheKey ? 0 : x.spikeIds.length), 0);
      if (parts < 2 || total < 1000) return this.run(tasks.features, { dataset: this.handle, sets, channelIds }, signal);
      const halves = [0, 1].map((h) =>
        sets.map((x) => {
          if (x.cacheKey) return h === 1 ? x : { clusterId: x.clusterId, spikeIds: new Int32Array(0) };
          const m = x.spikeIds.length >> 1;
          return { clusterId: x.clusterId, spikeIds: h === 0 ? x.spikeIds.slice(0, m) : x.spikeIds.slice(m) };
        }),
      );
      const [ra, rb] = await Promise.all(halves.map((hs) => this.run(tasks.features, { dataset: this.handle, sets: hs, channelIds }, signal)));
      const join = <T extends Float32Array | Uint8Array>(a: T, b: T): T => {
        const out = new (a.constructor as new (n: number) => T)(a.length + b.length);
        out.set(a);
        out.set(b, a.length);
        return out;
      };
      return {
        nPcs: ra.nPcs,
        sets: ra.sets.map((x, k) => ({ clusterId: x.clusterId, features: join(x.features, rb.sets[k].features), present: join(x.present, rb.sets[k].present) })),
      };
    }
    const src = this.dataset.features!;
    return {
      nPcs: src.nPcs,
      sets: sets.map((s) => {
        const { data, channels } = src.read(s.spikeIds);
        return { clusterId: s.clusterId, ...pickChannelFeatures(data, channels, s.spikeIds.length, src.nChannelsLoc, src.nPcs, channelIds) };
      }),
    };
  }

  private times(spikeIds: Int32Array): Float32Array {
    const st = this.dataset.spikeTimes;
    const sr = this.dataset.sampleRate;
    // Plain loops: `TypedArray.from` with a mapping callback costs ~50× more per element.
    const out = new Float32Array(spikeIds.length);
    for (let k = 0; k < out.length; k++) out[k] = st[spikeIds[k]] / sr;
    return out;
  }

  /** Spikes a FeatureSource has (all, or its `spikeIds` subset). */
  private withFeatures(ids: Int32Array): Int32Array {
    const sub = this.dataset.features?.spikeIds;
    if (!sub) return ids;
    return ids.filter((i) => {
      const k = lowerBound(sub, i);
      return k < sub.length && sub[k] === i;
    });
  }

  /** Background candidates of the feature view: 3 × nSpikes spikes spread over the recording, with features (fixed per dataset). */
  private backgroundCandidates(nSpikes: number): Int32Array {
    let c = this.bgCandidates.get(nSpikes);
    if (!c) {
      const total = this.dataset.nSpikes;
      const m = Math.min(total, 3 * nSpikes);
      c = this.withFeatures(Int32Array.from({ length: m }, (_, k) => Math.floor((k * total) / m)));
      this.bgCandidates.set(nSpikes, c);
    }
    return c;
  }

  features(req: FeaturesRequest, signal?: AbortSignal): Promise<FeaturesData> {
    const nSpikes = req.nSpikes ?? 2500;
    const background = req.background ?? true;
    if (req.channelIds) for (const ch of req.channelIds) this.checkChannel('viewData.features', ch);
    const channelIds: [number, number] = req.channelIds ?? (() => {
      const first = req.clusterIds.length ? this.bestChannels(req.clusterIds[0], 2) : new Int32Array([0]);
      const second = req.clusterIds.length > 1 ? this.peakChannel(req.clusterIds[1]) : -1;
      const b = second >= 0 && second !== first[0] ? second : (first[1] ?? first[0]);
      return [first[0], b] as [number, number];
    })();
    const r = { clusterIds: req.clusterIds, nSpikes, channelIds, background };
    return this.memo('features', r, r.clusterIds, background, signal, async (generation) => {
      if (!this.dataset.features) {
        return { generation, channelIds, nPcs: 0, clusters: [], background: null, message: 'This dataset has no PC features' };
      }
      const sets: Array<{ clusterId: number; spikeIds: Int32Array; cacheKey?: string }> = r.clusterIds.map((c) => ({
        clusterId: c,
        spikeIds: this.withFeatures(regularSubset(this.clustering.spikeIds(c), nSpikes)).slice(),
      }));
      // Background: spikes spread over the recording, of other clusters, kept where they have
      // both shown channels (so they are "neighbours" on the probe), at most nSpikes. The
      // candidates are the same for every selection, so workers keep their rows (cacheKey) and
      // the selection's clusters are dropped after reading.
      const candidates = background ? this.backgroundCandidates(nSpikes) : null;
      if (candidates) sets.push({ clusterId: -1, spikeIds: candidates.slice(), cacheKey: `bg:${nSpikes}` });
      const res = await this.readFeatures(sets, channelIds, signal);
      const toSet = (s: (typeof res.sets)[number], ids: Int32Array): SpikeSet => ({ clusterId: s.clusterId, spikeIds: ids, times: this.times(ids), features: s.features });
      const clusters = res.sets.slice(0, r.clusterIds.length).map((s, k) => toSet(s, sets[k].spikeIds));
      let bg: SpikeSet | null = null;
      if (candidates) {
        const s = res.sets[res.sets.length - 1];
        const ids = candidates;
        const sel = new Set(r.clusterIds);
        const sc = this.clustering.spikeClusters;
        const keep = Array.from(backgroundPositions(ids.length, (k) => !sel.has(sc[ids[k]]) && !!s.present[2 * k] && !!s.present[2 * k + 1], nSpikes));
        const f = new Float32Array(keep.length * 2 * res.nPcs);
        keep.forEach((k, o) => f.set(s.features.subarray(k * 2 * res.nPcs, (k + 1) * 2 * res.nPcs), o * 2 * res.nPcs));
        const kept = Int32Array.from(keep, (k) => ids[k]);
        bg = { clusterId: -1, spikeIds: kept, times: this.times(kept), features: f };
      }
      return { generation, channelIds, nPcs: res.nPcs, clusters, background: bg };
    });
  }

  amplitudes(req: AmplitudesRequest, signal?: AbortSignal): Promise<AmplitudesData> {
    const available = availableAmplitudeKinds(this.dataset);
    const kind = req.kind;
    // Raw amplitudes read one window per spike: capped at 1,000 per cluster.
    const nSpikes = Math.min(req.nSpikes ?? 10_000, kind === 'raw' ? 1000 : Infinity);
    const background = (req.background ?? true) && kind === 'template';
    // One channel and PC for all clusters (phy), so that they compare and a lasso on what is
    // shown splits on the same values; in the memo key, so each choice is its own result.
    const feature: ChannelFeature | undefined =
      kind !== 'feature' ? undefined : req.feature ? { channelId: req.feature.channelId, pc: req.feature.pc } : { channelId: Math.max(0, req.clusterIds.length ? this.peakChannel(req.clusterIds[0]) : 0), pc: 0 };
    const r = { clusterIds: req.clusterIds, kind, nSpikes, background, ...(feature ? { feature } : {}) };
    return this.memo('amplitudes', r, r.clusterIds, background, signal, async (generation) => {
      const base = { generation, kind, available, ...(feature ? { feature } : {}) };
      if (!available.includes(kind)) {
        return { ...base, unit: 'a.u.', clusters: [], background: null, message: `${kind} amplitudes are not available for this dataset` };
      }
      if (feature && (feature.channelId >= this.dataset.nChannels || feature.pc >= this.dataset.features!.nPcs)) {
        const message = `no feature PC ${feature.pc} on channel ${feature.channelId} (${this.dataset.nChannels} channels, ${this.dataset.features!.nPcs} PCs)`;
        return { ...base, unit: 'a.u.', clusters: [], background: null, message };
      }
      const ids: Int32Array[] = r.clusterIds.map((c) => {
        const all = this.clustering.spikeIds(c);
        return regularSubset(kind === 'raw' ? this.inRaw(all) : all, nSpikes).slice();
      });
      let values: Float32Array[];
      let unit = 'a.u.';
      if (kind === 'template') {
        const a = this.dataset.amplitudes!;
        values = ids.map((s) => pick(a, s));
      } else if (feature) {
        const sets = r.clusterIds.map((c, k) => ({ clusterId: c, spikeIds: this.withFeatures(ids[k]) }));
        const res = await this.readFeatures(sets, [feature.channelId], signal);
        values = res.sets.map((set, k) => {
          // Only spikes with a feature on the channel (pc_features keep a few channels per spike).
          const s = sets[k].spikeIds;
          const kept = new Int32Array(s.length);
          const v = new Float32Array(s.length);
          let n = 0;
          for (let i = 0; i < s.length; i++) {
            if (!set.present[i]) continue;
            kept[n] = s[i];
            v[n++] = set.features[i * res.nPcs + feature.pc];
          }
          ids[k] = kept.slice(0, n);
          return v.slice(0, n);
        });
      } else {
        const { nSamples, nBefore } = this.waveformGeometry();
        values = [];
        for (let k = 0; k < ids.length; k++) {
          const ch = Math.max(0, this.peakChannel(r.clusterIds[k]));
          const res = await this.run(
            tasks.rawAmplitudes,
            { dataset: this.handle, spikeIds: ids[k], channelIds: new Int32Array(ids[k].length).fill(ch), nSamples, nBefore, filter: true },
            signal,
          );
          unit = res.unit;
          values.push(res.amplitudes);
        }
      }
      const clusters: ClusterAmplitudes[] = r.clusterIds.map((c, k) => ({ clusterId: c, spikeIds: ids[k], times: this.times(ids[k]), amplitudes: values[k] }));
      let bg: ClusterAmplitudes | null = null;
      if (background && r.clusterIds.length) {
        // phy: grey background from the clusters on the same peak channel (10,000 spikes).
        const peak = this.peakChannel(r.clusterIds[0]);
        const sel = new Set(r.clusterIds);
        const others = this.clustering.clusterIds().filter((c) => !sel.has(c) && peak >= 0 && this.peakChannel(c) === peak);
        if (others.length) {
          // Each cluster's share of the 10,000 (a regular subset of each list), merged in time
          // order: O(10,000), not O(spikes of all those clusters).
          let total = 0;
          for (const c of others) total += this.clustering.nSpikes(c);
          const parts = others.map((c) => regularSubset(this.clustering.spikeIds(c), Math.ceil((10_000 * this.clustering.nSpikes(c)) / total)));
          const s = regularSubset(mergeSpikeTrains(parts).spikeIds, 10_000).slice();
          const a = this.dataset.amplitudes!;
          bg = { clusterId: -1, spikeIds: s, times: this.times(s), amplitudes: pick(a, s) };
        }
      }
      return { ...base, unit, clusters, background: bg };
    });
  }

  /**
   * RasterView: each cluster's spikes counted in `nBins` bins over the recording. O(spikes of
   * the clusters) once per list of clusters (cached until one of them changes); what crosses
   * the transport is clusters × bins bytes, never a spike list.
   */
  raster(req: RasterRequest, signal?: AbortSignal): Promise<RasterData> {
    const r = { clusterIds: req.clusterIds, nBins: req.nBins };
    return this.memo('raster', r, r.clusterIds, false, signal, async (generation) => {
      const st = this.dataset.spikeTimes;
      const sr = this.dataset.sampleRate;
      // The dataset's duration, or up to the last spike (sorted) when that is later: every
      // spike falls in a bin, whatever the duration a format reports.
      const lastSpike = st.length ? (st[st.length - 1] + 1) / sr : 0;
      const duration = Math.max(this.dataset.duration, lastSpike) || 1;
      const perSample = r.nBins / (duration * sr);
      const counts = new Uint8Array(r.clusterIds.length * r.nBins);
      r.clusterIds.forEach((c, row) => {
        const ids = this.clustering.spikeIds(c);
        const o = row * r.nBins;
        for (let k = 0; k < ids.length; k++) {
          const b = Math.min(r.nBins - 1, Math.max(0, Math.floor(st[ids[k]] * perSample)));
          if (counts[o + b] < 255) counts[o + b]++;
        }
      });
      return { generation, nBins: r.nBins, duration, counts };
    });
  }

  traces(req: TracesRequest, signal?: AbortSignal): Promise<TracesData> {
    const d = this.dataset;
    const channelIds = req.channelIds ?? Array.from({ length: d.nChannels }, (_, k) => k);
    const r = { t0: req.t0, t1: req.t1, channelIds, filter: req.filter ?? true, width: req.width ?? 0 };
    for (const ch of channelIds) this.checkChannel('viewData.traces', ch);
    {
      // (nTimes, nCh) samples, or (width, nCh, 2) when the window is wider than 2 × width.
      const s0 = Math.max(0, Math.floor(r.t0 * d.sampleRate));
      const nTimes = d.raw ? Math.max(0, Math.min(d.raw.nSamples, Math.ceil(r.t1 * d.sampleRate)) - s0) : 0;
      const columns = tracesUseEnvelope(nTimes, r.width) ? 2 * r.width : Math.max(0, nTimes);
      this.within('viewData.traces', 'result bytes', columns * channelIds.length * 4, 'resultBytes');
    }
    return this.memo('traces', r, [], true, signal, async (generation) => {
      const sr = d.sampleRate;
      const nTotal = d.raw ? d.raw.nSamples : Math.ceil(d.duration * sr);
      const s0 = Math.max(0, Math.floor(r.t0 * sr));
      const s1 = Math.max(s0, Math.min(nTotal, Math.ceil(r.t1 * sr)));
      // Spikes in the window with their live cluster and its peak channel.
      const a = lowerBound(d.spikeTimes, s0);
      const b = lowerBound(d.spikeTimes, s1);
      const spikeIds = Int32Array.from({ length: b - a }, (_, k) => a + k);
      const clusterIds = Int32Array.from(spikeIds, (i) => this.clustering.spikeClusters[i]);
      const peaks = new Map<number, number>();
      for (const c of new Set(clusterIds)) peaks.set(c, this.peakChannel(c));
      const spikes = { times: this.times(spikeIds), clusterIds, spikeIds, channels: Int32Array.from(clusterIds, (c) => peaks.get(c) ?? -1) };
      const chs = Int32Array.from(r.channelIds);
      if (!this.handle.raw) {
        return { generation, t0: s0 / sr, t1: s1 / sr, channelIds: chs, mode: 'samples' as const, nTimes: 0, dt: 1 / sr, data: new Float32Array(0), unit: 'a.u.', spikes, message: 'No raw data: traces are unavailable' };
      }
      const base = { dataset: this.handle, start: s0, end: s1, filter: r.filter, width: r.width };
      const parts = this.pool.threads.interactive;
      if (parts < 2 || chs.length < 64 || (s1 - s0) * chs.length < 1_000_000) {
        const res = await this.run(tasks.traces, { ...base, channelIds: chs }, signal);
        return { generation, t0: s0 / sr, t1: s1 / sr, channelIds: chs, mode: res.mode, nTimes: res.nTimes, dt: res.samplesPerColumn / sr, data: res.data, unit: res.unit, spikes };
      }
      // A large window: channels split across the interactive threads, each writing its columns
      // into one shared output (filtering is per channel, so the parts are independent).
      const nCh = chs.length;
      const size = tracesUseEnvelope(s1 - s0, r.width) ? r.width * nCh * 2 : (s1 - s0) * nCh;
      const shared = new Float32Array(new SharedArrayBuffer(size * 4));
      const bounds = Array.from({ length: parts + 1 }, (_, k) => Math.round((k * nCh) / parts));
      const results = await Promise.all(
        bounds.slice(0, -1).map((c0, k) =>
          this.run(tasks.traces, { ...base, channelIds: chs.slice(c0, bounds[k + 1]), into: { data: shared, nChannels: nCh, channelOffset: c0 } }, signal),
        ),
      );
      const res = results[0];
      // A plain copy: results leave this process (IPC), where shared memory cannot go.
      const data = shared.slice();
      return { generation, t0: s0 / sr, t1: s1 / sr, channelIds: chs, mode: res.mode, nTimes: res.nTimes, dt: res.samplesPerColumn / sr, data, unit: res.unit, spikes };
    });
  }

  spikeAttribute(req: SpikeAttributeRequest, signal?: AbortSignal): Promise<SpikeAttributeData> {
    const r = { name: req.name, clusterIds: req.clusterIds, nSpikes: req.nSpikes ?? 10_000 };
    return this.memo('spikeAttribute', r, r.clusterIds, false, signal, async (generation) => {
      const attr = this.dataset.spikeAttributes.find((a) => a.name === r.name);
      if (!attr) throw new Error(`no spike attribute '${r.name}' in this dataset`);
      const clusters = r.clusterIds.map((c) => {
        const ids = regularSubset(this.clustering.spikeIds(c), r.nSpikes).slice();
        return { clusterId: c, spikeIds: ids, times: this.times(ids), values: attr.read(ids) };
      });
      return { generation, name: attr.name, nColumns: attr.nColumns, clusters };
    });
  }

  // -------------------------------------------------------------------------------------------
  // Background work

  /**
   * Correlograms of all pairs of `clusterIds` (default: all clusters) over all spikes, the
   * reference clusters split across the lane's threads in parts of about equal spike counts
   * (each thread counts its rows against all partners; see `accumulateCorrelogramRows`).
   * Returns (n, n, nBins) int32.
   */
  async allPairsCorrelograms(
    opts: { clusterIds?: number[]; binSize?: number; windowSize?: number; lane?: Lane; signal?: AbortSignal } = {},
  ): Promise<{ generation: number; clusterIds: number[]; nBins: number; counts: Int32Array }> {
    const generation = this.clustering.generation;
    const clusterIds = opts.clusterIds ?? this.clustering.clusterIds();
    const binSize = opts.binSize ?? 0.001;
    const windowSize = opts.windowSize ?? 0.05;
    const lane = opts.lane ?? 'interactive';
    const bins = correlogramBins(this.dataset.sampleRate, binSize, windowSize);
    const parts = this.pool.threads[lane];
    const nc = clusterIds.length;
    // Row bounds with about equal spikes per part (the work is proportional to spikes).
    let total = 0;
    for (const c of clusterIds) total += this.clustering.nSpikes(c);
    const bounds = [0];
    let acc = 0;
    for (let k = 0; k < nc && bounds.length < parts; k++) {
      acc += this.clustering.nSpikes(clusterIds[k]);
      if (acc >= (bounds.length * total) / parts) bounds.push(k + 1);
    }
    bounds.push(nc);
    const results = await Promise.all(
      bounds.slice(0, -1).map((rowStart, k) =>
        this.run(tasks.allPairsCorrelograms, { dataset: this.handle, clusterIds, rowStart, rowEnd: bounds[k + 1], binSize, windowSize }, opts.signal, [], lane),
      ),
    );
    const sum = new Int32Array(nc * nc * (bins.half + 1));
    results.forEach((r, k) => sum.set(r.oneSided, bounds[k] * nc * (bins.half + 1)));
    if (this.clustering.generation !== generation) throw new StaleResultError();
    return { generation, clusterIds, nBins: bins.nBins, counts: symmetrizeCorrelograms(sum, nc, bins.half) };
  }

  /** Cancels background work and forgets cached results (the pool stays open: it is shared). */
  close(): void {
    this.closed = true;
    this.prefetching?.controller.abort();
    this.background.abort();
    this.cache.clear();
  }
}
