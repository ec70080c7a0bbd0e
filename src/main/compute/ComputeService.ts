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
import type { SpikeAssignment } from '../../core/session/SpikeAssignment';
import type { UpdateInfo } from '../../core/session/UpdateInfo';
import type {
  AmplitudeKind,
  AmplitudesData,
  AmplitudesRequest,
  ChannelFeature,
  CorrelogramsData,
  CorrelogramsRequest,
  FeaturesData,
  FeaturesRequest,
  HistogramData,
  HistogramRequest,
  MergePreviewData,
  MergePreviewRequest,
  RasterData,
  RasterRequest,
  SpikeAttributeData,
  SpikeAttributeRequest,
  TemplatesRequest,
  TracesData,
  TracesRequest,
  WaveformsData,
  WaveformsRequest,
} from '../../shared/ipc/contract';
import type { DriftData, DriftPickData, DriftPickRequest, DriftRequest, DriftSpikesData, DriftSpikesRequest } from '../../shared/ipc/driftContract';
import { tasks, type DatasetHandle, type SpikeDepths, type ReclusterTaskResult } from '../../shared/tasks/tasks';
import { spikePositionsAttribute } from '../../core/compute/drift';
import { UserError } from '../UserError';
import { CallError } from '../CallError';
import { ClusterFacts } from './ClusterFacts';
import { runTask, type ComputeContext, type ComputeServiceOptions } from './context';
import { Prefetcher, type PrefetchMethod } from './Prefetcher';
import { raceAbort, ResultCache } from './ResultCache';
import { shared } from './spikeLists';
import { cacheBudget } from '../memoryBudget';
import { VirtualClusters, type VirtualPart } from './VirtualClusters';
import type { Lane, WorkerPool } from './WorkerPool';
import * as amplitudes from './providers/amplitudes';
import * as cleanup from './providers/cleanup';
import * as correlograms from './providers/correlograms';
import * as drift from './providers/drift';
import * as features from './providers/features';
import * as histograms from './providers/histograms';
import * as mergePreview from './providers/mergePreview';
import * as raster from './providers/raster';
import * as spikeAttribute from './providers/spikeAttribute';
import * as traces from './providers/traces';
import * as waveforms from './providers/waveforms';

export { StaleResultError } from './ResultCache';
export type { ComputeServiceOptions } from './context';
export { availableAmplitudeKinds } from './providers/amplitudes';

let nextServiceId = 1;

export { PREFETCH_METHODS, type PrefetchMethod } from './Prefetcher';

/**
 * The facade the rest of main uses: each kind of view data is computed by its provider
 * (./providers) over the context shared here (result cache, cluster facts, pool, handle).
 */
export class ComputeService {
  readonly handle: DatasetHandle;
  private readonly results: ResultCache;
  private readonly facts: ClusterFacts;
  /** The live clustering plus the parts of a split proposal (negative ids): what providers read. */
  private readonly virtual: VirtualClusters;
  private readonly ctx: ComputeContext;
  private readonly mirror: boolean;
  private clusterTimesBuild: Promise<void> | null = null;
  private spikeDepthsBuild: Promise<SpikeDepths> | null = null;
  private readonly background = new AbortController();
  private closed = false;
  private readonly prefetcher = new Prefetcher((method, req, signal) => {
    switch (method) {
      case 'waveforms': return this.waveforms(req as WaveformsRequest, signal);
      case 'features': return this.features(req as FeaturesRequest, signal);
      case 'amplitudes': return this.amplitudes(req as AmplitudesRequest, signal);
      case 'correlograms': return this.correlograms(req as CorrelogramsRequest, signal);
      case 'mergePreview': return this.mergePreview(req as MergePreviewRequest, signal);
      case 'isi': return this.isi(req as HistogramRequest, signal);
      case 'firingRate': return this.firingRate(req as HistogramRequest, signal);
      case 'spikeAttribute': return this.spikeAttribute(req as SpikeAttributeRequest, signal);
    }
  });

  constructor(
    readonly dataset: Dataset,
    readonly clustering: ClusteringView,
    readonly pool: WorkerPool,
    opts: ComputeServiceOptions = {},
  ) {
    this.virtual = new VirtualClusters(clustering);
    this.results = new ResultCache(this.virtual, opts.cacheBytes ?? cacheBudget().resultCacheBytes);
    // A part's facts (best channels, template) are its source cluster's.
    this.facts = new ClusterFacts(dataset, this.virtual, opts.clusterFacts, (id) => this.virtual.sourceOf(id));
    const d = dataset;
    const live = clustering.assignment;
    this.mirror = !(live.spikeSegments.buffer instanceof SharedArrayBuffer && live.segmentClusters.buffer instanceof SharedArrayBuffer);
    this.handle = {
      id: `ds${nextServiceId++}-${d.name}`,
      sampleRate: d.sampleRate,
      nSpikes: d.nSpikes,
      duration: d.duration,
      nChannels: d.nChannels,
      spikeTimes: shared(d.spikeTimes),
      assignment: this.workerAssignment(),
      spikeTemplates: d.spikeTemplates ? shared(d.spikeTemplates) : null,
      amplitudes: d.amplitudes ? shared(d.amplitudes) : null,
      channelMap: d.channelMap.slice(),
      channelPositions: d.channelPositions.slice(),
      channelShanks: d.channelShanks.slice(),
      whiteningMatInv: d.whiteningMatInv ? shared(d.whiteningMatInv) : null,
      raw: d.raw
        ? {
            files: d.raw.files.slice(),
            dtype: d.raw.dtype,
            offset: Number(d.params['offset'] ?? 0) || 0,
            nChannelsDat: d.raw.nChannelsDat,
            sampleRate: d.raw.sampleRate,
            gain: d.raw.gain,
            unit: d.raw.unit,
            ...(d.raw.hdf5Dataset ? { hdf5Dataset: d.raw.hdf5Dataset } : {}),
            ...(d.remote ? { remote: d.remote.spec } : {}),
          }
        : null,
      templates: null,
      features: null,
      clusterTimes: null,
      spikePositions: null,
      spikeDepths: null,
    };
    const positions = spikePositionsAttribute(d.spikeAttributes);
    if (positions) this.handle.spikePositions = { file: positions.file, ...(positions.fields ? { fields: positions.fields } : {}) };
    if (d.format === 'template') {
      const f = (name: string) => (existsSync(join(d.dir, name)) ? join(d.dir, name) : null);
      const tf = f('templates.npy');
      if (d.templates && tf) this.handle.templates = { file: tf, indFile: f('template_ind.npy') };
      const pf = f('pc_features.npy');
      const pi = f('pc_feature_ind.npy');
      if (d.features && pf && pi) this.handle.features = { file: pf, indFile: pi, spikeIdsFile: f('pc_feature_spike_ids.npy') };
    } else if (d.analyzer) {
      const w = d.analyzer.workerFiles;
      if (d.templates && w.templates) this.handle.templates = { file: w.templates, indFile: null };
      if (d.features && w.features) this.handle.features = { file: w.features.file, indFile: '', ind: w.features.ind, spikeIdsFile: w.features.spikeIdsFile };
      if (d.analyzer.memoryFiles?.size) this.handle.memoryFiles = d.analyzer.memoryFiles;
    }
    this.ctx = { dataset, clustering: this.virtual, virtual: this.virtual, pool, handle: this.handle, results: this.results, facts: this.facts, opts };
    if (opts.groupClusterTimes ?? true) void this.clusterTimesReady;
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
        const ct = await runTask(this.ctx, tasks.clusterTimes, { dataset: this.handle }, this.background.signal, [], 'background');
        // Built from a clustering that changed meanwhile: some slices may be mixed; rebuild.
        if (this.clustering.generation !== gen) continue;
        this.handle.clusterTimes = ct;
        return;
      } catch {
        return;
      }
    }
  }


  /** See {@link Prefetcher.noteRequest}. */
  noteRequest(method: PrefetchMethod, req: { clusterIds: number[] }): void {
    this.prefetcher.noteRequest(method, req);
  }

  /**
   * Computes, ahead of time, what the selection-following views asked for last, but for
   * `clusterIds` (e.g. the wizard's next best cluster), into the result cache. A later request
   * for the same data is a cache hit, or joins the computation still running.
   */
  prefetch(clusterIds: number[]): Promise<void> {
    // A negative id is a proposal's part only while it is registered (no other is ever computed).
    return this.prefetcher.prefetch(clusterIds.filter((c) => c >= 0 || this.virtual.has(c)));
  }

  /**
   * Runs a view-data request unless it names a negative id that is no registered part (a stale
   * or made-up virtual cluster: refused, naming it); a provider's synchronous throw becomes the
   * returned promise's rejection, so no caller (the prefetch) meets an exception it cannot catch.
   */
  private viewOf<T>(request: string, clusterIds: readonly number[], run: () => Promise<T>): Promise<T> {
    try {
      const unknown = clusterIds.find((c) => c < 0 && !this.virtual.has(c));
      if (unknown !== undefined) throw new CallError(`viewData.${request}: cluster ${unknown} is not a part of the proposal shown (parts of a proposal have negative ids)`, 'invalid-call');
      return run();
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Bytes held by the result cache. */
  get cacheBytes(): number {
    return this.results.bytes;
  }

  /**
   * Applies a change: drops cached results and facts of the deleted and added clusters (an id
   * re-added by redo may have been asked for while it was gone) and updates the worker mirror of
   * the clustering (when the live array is not shared).
   */
  onUpdate(u: UpdateInfo): void {
    const changed = [...u.deleted, ...u.added];
    this.facts.onClustersChanged(changed);
    // Added ids too: redo brings back an id whose results may have been computed while it was gone.
    this.results.onClustersChanged(changed);
    this.handle.assignment = this.workerAssignment();
  }

  /**
   * The assignment workers read: the live shared arrays (re-read after each change: the segment
   * table is replaced when it grows), or shared copies of them where the platform has no
   * SharedArrayBuffer for the session (O(nSpikes) per change; not the case under Node).
   */
  private workerAssignment(): SpikeAssignment {
    const a = this.clustering.assignment;
    return this.mirror ? { spikeSegments: shared(a.spikeSegments), segmentClusters: shared(a.segmentClusters) } : a;
  }

  // -------------------------------------------------------------------------------------------
  // Virtual clusters (the parts of a split proposal)

  /**
   * Registers the parts of a proposal as virtual clusters (negative ids, never reused); every
   * view-data method then answers for them like for real clusters. Returns their ids, in order.
   */
  addVirtual(parts: readonly VirtualPart[]): number[] {
    return this.virtual.add(parts);
  }

  /** Forgets parts (the proposal went): drops their cached results and facts. */
  removeVirtual(ids: readonly number[]): void {
    this.virtual.remove(ids);
    this.facts.onClustersChanged(ids);
    this.results.onClustersChanged(ids);
  }

  // -------------------------------------------------------------------------------------------
  // Per-cluster facts (ClusterFacts)

  /** The template most of a cluster's spikes come from (on ≤ 10,000 spikes), or -1. */
  templateOf(clusterId: number): number {
    return this.facts.templateOf(clusterId);
  }

  /** Peak channel of a cluster (the session's best channel; else from its template), or -1. */
  peakChannel(clusterId: number): number {
    return this.facts.peakChannel(clusterId);
  }

  /** The `n` best channels of a cluster: nearest to its peak channel on its shank, peak first. */
  bestChannels(clusterId: number, n = 12): Int32Array {
    return this.facts.bestChannels(clusterId, n);
  }

  // -------------------------------------------------------------------------------------------
  // ViewDataApi (one provider per kind of view data)

  correlograms(req: CorrelogramsRequest, signal?: AbortSignal): Promise<CorrelogramsData> {
    return this.viewOf('correlograms', req.clusterIds, () => correlograms.correlograms(this.ctx, req, signal));
  }

  /** The merge preview of ≥ 2 clusters: the union's metrics beside the parts', and the verdict. */
  mergePreview(req: MergePreviewRequest, signal?: AbortSignal): Promise<MergePreviewData> {
    return mergePreview.mergePreview(this.ctx, req, signal);
  }

  isi(req: HistogramRequest, signal?: AbortSignal): Promise<HistogramData> {
    return this.viewOf('isi', req.clusterIds, () => histograms.isi(this.ctx, req, signal));
  }

  firingRate(req: HistogramRequest, signal?: AbortSignal): Promise<HistogramData> {
    return this.viewOf('firingRate', req.clusterIds, () => histograms.firingRate(this.ctx, req, signal));
  }

  waveforms(req: WaveformsRequest, signal?: AbortSignal): Promise<WaveformsData> {
    return this.viewOf('waveforms', req.clusterIds, () => waveforms.waveforms(this.ctx, req, signal));
  }

  templates(req: TemplatesRequest, signal?: AbortSignal): Promise<WaveformsData> {
    return waveforms.templates(this.ctx, req, signal);
  }

  features(req: FeaturesRequest, signal?: AbortSignal): Promise<FeaturesData> {
    return this.viewOf('features', req.clusterIds, () => features.features(this.ctx, req, signal));
  }

  amplitudes(req: AmplitudesRequest, signal?: AbortSignal): Promise<AmplitudesData> {
    return this.viewOf('amplitudes', req.clusterIds, () => amplitudes.amplitudes(this.ctx, req, signal));
  }

  /** RasterView: each cluster's spikes counted in `nBins` bins over the recording. */
  raster(req: RasterRequest, signal?: AbortSignal): Promise<RasterData> {
    return raster.raster(this.ctx, req, signal);
  }

  /**
   * Every spike's depth (µm) and its source, built once per dataset in a worker the first time
   * DriftView asks (a failed build is tried again on the next call).
   */
  spikeDepthsReady(): Promise<SpikeDepths> {
    if (!this.spikeDepthsBuild) {
      const build = drift.buildSpikeDepths(this.ctx);
      this.spikeDepthsBuild = build;
      build.catch(() => {
        if (this.spikeDepthsBuild === build) this.spikeDepthsBuild = null;
      });
    }
    return this.spikeDepthsBuild;
  }

  /** DriftView: every spike's depth against time, binned to the request's image. */
  async drift(req: DriftRequest, signal?: AbortSignal): Promise<DriftData> {
    return drift.drift(this.ctx, await raceAbort(this.spikeDepthsReady(), signal), req, signal);
  }

  /** DriftView: the selected clusters' spikes (time, depth). */
  async driftSpikes(req: DriftSpikesRequest, signal?: AbortSignal): Promise<DriftSpikesData> {
    return drift.driftSpikes(this.ctx, await raceAbort(this.spikeDepthsReady(), signal), req, signal);
  }

  /** DriftView: the cluster a click on the density means (the most spikes near it) and its nearest spike. */
  async driftPick(req: DriftPickRequest, signal?: AbortSignal): Promise<DriftPickData> {
    return drift.driftPick(this.ctx, await raceAbort(this.spikeDepthsReady(), signal), req, signal);
  }

  traces(req: TracesRequest, signal?: AbortSignal): Promise<TracesData> {
    return traces.traces(this.ctx, req, signal);
  }

  spikeAttribute(req: SpikeAttributeRequest, signal?: AbortSignal): Promise<SpikeAttributeData> {
    return this.viewOf('spikeAttribute', req.clusterIds, () => spikeAttribute.spikeAttribute(this.ctx, req, signal));
  }

  // -------------------------------------------------------------------------------------------
  // Background work

  /** Correlograms of all pairs of `clusterIds` (default: all clusters) over all spikes; (n, n, nBins) int32. */
  allPairsCorrelograms(
    opts: { clusterIds?: number[]; binSize?: number; windowSize?: number; lane?: Lane; signal?: AbortSignal } = {},
  ): Promise<{ generation: number; clusterIds: number[]; nBins: number; counts: Int32Array }> {
    return correlograms.allPairsCorrelograms(this.ctx, opts);
  }

  /** Outliers of a cluster over every spike's PC features (background lane; `providers/cleanup.ts`). */
  outlierSpikes(clusterId: number, quantile?: number, signal?: AbortSignal): Promise<cleanup.OutlierSpikes> {
    return cleanup.outlierSpikes(this.ctx, clusterId, quantile, signal);
  }

  /** Every spike of a cluster with its template or feature amplitude (the amplitude-threshold split). */
  clusterAmplitudeValues(clusterId: number, kind: AmplitudeKind, feature?: ChannelFeature, signal?: AbortSignal): Promise<{ spikeIds: Int32Array; values: Float32Array }> {
    return cleanup.clusterAmplitudeValues(this.ctx, clusterId, kind, feature, signal);
  }

  /**
   * Re-clusters spikes (one cluster's, ascending) on their PC features on `channelIds` plus
   * amplitude, in the background lane (`core/cleanup/recluster.ts`); in main for a Kwik file.
   */
  recluster(args: { spikeIds: Int32Array; channelIds: number[]; n?: number; seed?: number }, signal?: AbortSignal): Promise<ReclusterTaskResult> {
    if (!this.handle.features) {
      // A Kwik file: its features are read in main (h5wasm), so the re-cluster runs here.
      if (this.dataset.features) return Promise.resolve().then(() => cleanup.reclusterInProcess(this.dataset, args));
      const why = this.dataset.format === 'analyzer' ? 'it has no usable principal_components extension' : 'it has no pc_features.npy';
      return Promise.reject(new UserError(`re-cluster: not available for ${this.dataset.path}: ${why}`));
    }
    const spikeIds = args.spikeIds.slice();
    return runTask(this.ctx, tasks.recluster, { dataset: this.handle, ...args, spikeIds }, signal, [spikeIds.buffer as ArrayBuffer], 'background');
  }

  /** Cancels background work and forgets cached results (the pool stays open: it is shared). */
  close(): void {
    this.closed = true;
    this.prefetcher.close();
    this.background.abort();
    this.results.close();
  }
}
