/**
 * The backend of one window: owns the opened Dataset, its SessionService and ComputeService, and
 * implements the `Backend` contract. `spikedock serve` (WebSocket) and Electron's main process
 * (IPC) both drive a BackendHost through {@link BackendHost.call}, which validates every call
 * against the contract's schemas — so both transports run the same services with the same checks.
 */
import type {
  Backend,
  BackendEvents,
  DatasetSummary,
  OpenFailure,
  UpdateInfo,
} from '../shared/ipc/contract';
import { validateCall } from '../shared/ipc/schemas';
import { CallError } from './CallError';
import type { Dataset } from '../core/dataset/Dataset';
import { rawStatus } from '../core/dataset/datasetInfo';
import { openDataset } from './openDataset';
import { SessionService } from './session/SessionService';
import { availableAmplitudeKinds, ComputeService, type PrefetchMethod } from './compute/ComputeService';
import { WorkerPool } from './compute/WorkerPool';
import { ReviewService } from './assistant/ReviewService';
import { importSiCuration } from './session/siCurationImport';
import { QualityService } from './assistant/QualityService';
import { METRIC_NAMES } from '../core/metrics/qualityMetrics';
import { SuggestionService } from './assistant/SuggestionService';
import { WorkerLane } from './assistant/WorkerLane';
import { ProposalService } from './cleanup/ProposalService';
import type { RecentStore } from './app/RecentDatasets';

export type { RecentStore };

export interface BackendHostOptions {
  /** Per-user data folder (journals of read-only datasets, recent list). */
  userDataDir?: string;
  recent?: RecentStore;
  /** Autosave interval in seconds (0 = off). */
  autosaveSeconds?: number;
  version?: string;
  /** Shared worker pool (one per process); created on demand when absent. */
  pool?: WorkerPool;
  /** Milliseconds after open before the metrics pass starts (QualityService's `startDelayMs`, default 2000). */
  qualityStartDelayMs?: number;
  /** Path of the assistant's worker bundle (default: `dist/native-workers/assistant.mjs` of this package). */
  assistantWorkerFile?: string;
  /** Path of the helper thread of remote files (default: `dist/native-workers/rangeFetcher.mjs` of this package). */
  rangeFetcherFile?: string;
  /** Called with one line per call and its duration (`SPIKEDOCK_TRACE_CALLS=1` in serve). */
  traceCalls?: (line: string) => void;
}

type Listener<E extends keyof BackendEvents> = (payload: BackendEvents[E]) => void;

export { CallError };

interface Opened {
  dataset: Dataset;
  session: SessionService;
  compute: ComputeService;
  review: ReviewService;
  /** The assistant's worker thread (metrics rows, suggestion scoring), ended on close. */
  lane: WorkerLane;
  quality: QualityService;
  suggestions: SuggestionService;
  proposal: ProposalService;
  summary: DatasetSummary;
  unsubscribe: () => void;
}

export class BackendHost {
  private opened: Opened | null = null;
  private opening: Promise<DatasetSummary> | null = null;
  private failure: OpenFailure | null = null;
  private readonly listeners = new Map<keyof BackendEvents, Set<(p: unknown) => void>>();
  private pool: WorkerPool | null;
  private readonly ownsPool: boolean;
  readonly backend: Backend;

  constructor(private readonly opts: BackendHostOptions = {}) {
    this.pool = opts.pool ?? null;
    this.ownsPool = !opts.pool;
    this.backend = this.makeBackend();
  }

  /** Subscribes to a backend event; returns the unsubscribe function. */
  on<E extends keyof BackendEvents>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (p: unknown) => void);
    return () => set!.delete(listener as (p: unknown) => void);
  }

  private emit<E extends keyof BackendEvents>(event: E, payload: BackendEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        l(payload);
      } catch {
        // a failing listener (e.g. a closed socket) must not break the others
      }
    }
  }

  /** Why the last open failed (null after a successful one): `serve` prints it, the start screen shows it. */
  get openFailure(): OpenFailure | null {
    return this.failure;
  }

  /** The currently opened dataset's parts (for the CLI and tests). */
  get current(): Opened | null {
    return this.opened;
  }

  /**
   * Runs one call from a transport: validates the service, method and arguments, then runs it.
   * Rejects with a {@link CallError} for bad calls; `signal` cancels view-data work.
   */
  async call(service: string, method: string, args: unknown, signal?: AbortSignal): Promise<unknown> {
    const v = validateCall(service, method, args);
    if (!v.ok) throw new CallError(v.error, 'invalid-call');
    const svc = (this.backend as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>)[service];
    const fn = svc[method];
    const run = () => (service === 'viewData' ? fn.call(svc, ...v.args, signal) : fn.call(svc, ...v.args));
    if (!this.opts.traceCalls) return run();
    const t0 = performance.now();
    try {
      return await run();
    } finally {
      this.opts.traceCalls(`${service}.${method} ${(performance.now() - t0).toFixed(1)} ms${signal?.aborted ? ' (aborted)' : ''}`);
    }
  }

  /** Opens a dataset (closing the previous one); resolves with its summary. */
  async openDataset(path: string): Promise<DatasetSummary> {
    if (this.opening) await this.opening.catch(() => undefined);
    this.opening = this.doOpen(path);
    try {
      const summary = await this.opening;
      this.failure = null;
      return summary;
    } catch (e) {
      this.failure = { path, message: e instanceof Error ? e.message : String(e) };
      throw e;
    } finally {
      this.opening = null;
    }
  }

  private async doOpen(path: string): Promise<DatasetSummary> {
    const dataset = await openDataset(path, { userDataDir: this.opts.userDataDir, ...(this.opts.rangeFetcherFile ? { rangeFetcherFile: this.opts.rangeFetcherFile } : {}) });
    let session: SessionService;
    try {
      session = await SessionService.open(dataset, { userDataDir: this.opts.userDataDir, autosaveSeconds: this.opts.autosaveSeconds });
    } catch (e) {
      dataset.close();
      throw e;
    }
    await this.close();
    if (!this.pool) this.pool = new WorkerPool();
    // The session's metrics own each cluster's best channel and template (the ClusterView's `ch`).
    const compute = new ComputeService(dataset, session.clustering, this.pool, { clusterFacts: (id) => session.metrics.facts(id) });
    // Metrics and suggestions in the assistant's worker thread, which opens the dataset itself;
    // the window gets what is done with quality.snapshot().
    const lane = new WorkerLane(dataset, session.clustering, { workerFile: this.opts.assistantWorkerFile });
    const quality = new QualityService(session.clustering, lane, {
      onUpdate: (q) => this.emit('onDidUpdateQuality', q),
      onProgress: (p) => this.emit('onDidProgress', p),
      onError: (id, message) => this.emit('onDidMessage', { level: 'warning', text: `metrics of cluster ${id} (${dataset.path}): ${message}` }),
      onFailure: (message) => this.emit('onDidMessage', { level: 'warning', text: `metrics and merge suggestions are unavailable: ${message}` }),
      startDelayMs: this.opts.qualityStartDelayMs,
    });
    // cluster_info.tsv gains the metric columns (the `*_source` ones too) on every save.
    session.quality = { names: [...METRIC_NAMES.filter((n) => n !== 'num_spikes'), 'snr_source', 'drift_source', 'template_source'], row: (id) => quality.row(id) };
    // Registered before SuggestionService's listener: the lane hears a change before the
    // services publish their state for it.
    const unsubscribe = session.onDidChange((u: UpdateInfo) => {
      lane.update(u);
      compute.onUpdate(u);
      quality.onUpdate(u);
      this.emit('onDidChangeSession', u);
    });
    const review = new ReviewService(session);
    const reviewFound = review.importBesideDataset();
    const unsubscribeReview = review.onDidChange((s) => this.emit('onDidChangeReview', s));
    const suggestions = new SuggestionService(session.clustering, lane, (l) => session.onDidChange(l), review, (p) => this.emit('onDidProgress', p));
    const proposal = new ProposalService(session, compute);
    const unsubscribeProposal = proposal.onDidChange((c) => this.emit('onDidChangeProposal', c));
    const snapshot = await session.snapshot();
    const summary = summarise(dataset, snapshot.clusters.length);
    this.opened = {
      dataset,
      session,
      compute,
      review,
      lane,
      quality,
      suggestions,
      proposal,
      summary,
      unsubscribe: () => {
        unsubscribe();
        unsubscribeReview();
        unsubscribeProposal();
        proposal.dispose();
        suggestions.dispose();
        review.dispose();
      },
    };
    // Scored in the worker thread: the window is already usable.
    suggestions.start();
    // Tell the window first: the recent list is bookkeeping and must not delay the curation.
    this.emit('onDidOpenDataset', summary);
    for (const d of dataset.diagnostics) {
      if (d.severity === 'error' || d.severity === 'warning') this.emit('onDidMessage', { level: d.severity, text: d.message });
    }
    for (const d of reviewFound) this.emit('onDidMessage', { level: d.severity === 'info' ? 'info' : 'warning', text: d.message });
    if (this.opts.recent) {
      const { reviewed } = session.reviewProgress();
      await this.opts.recent
        .add({ path: dataset.path, name: dataset.name, format: dataset.format, openedAt: new Date().toISOString(), nClusters: snapshot.clusters.length, nSpikes: dataset.nSpikes, reviewed })
        .catch(() => undefined);
    }
    return summary;
  }

  private need(): Opened {
    if (!this.opened) throw new CallError('no dataset is open', 'no-dataset');
    return this.opened;
  }

  private makeBackend(): Backend {
    const session = () => this.need().session;
    const compute = () => this.need().compute;
    const review = () => this.need().review;
    const noted = (method: PrefetchMethod, req: { clusterIds: number[] }) => {
      const c = compute();
      c.noteRequest(method, req);
      return c;
    };
    const recent = () => this.opts.recent;
    return {
      app: {
        version: async () => this.opts.version ?? 'unknown',
        recentDatasets: async () => recent()?.list() ?? [],
        openDataset: (path) => this.openDataset(path),
        current: async () => {
          // A dataset still opening (e.g. `serve` opens it while the page loads) is waited for.
          if (this.opening) await this.opening.catch(() => undefined);
          return this.opened?.summary ?? null;
        },
        openFailure: async () => {
          if (this.opening) await this.opening.catch(() => undefined);
          return this.failure;
        },
      },
      dataset: {
        summary: async () => this.need().summary,
      },
      session: {
        snapshot: () => session().snapshot(),
        merge: (ids, ctx) => session().merge(ids, ctx),
        split: (req, ctx) => session().split(req, ctx),
        label: (ids, field, value, ctx) => session().label(ids, field, value, ctx),
        markReviewed: (ids, reviewed) => session().markReviewed(ids, reviewed),
        applyLabels: (req, ctx) => session().applyLabels(req, ctx),
        labelRules: () => session().labelRules(),
        undo: () => session().undo(),
        redo: () => session().redo(),
        save: async () => {
          const r = await session().save();
          this.emit('onDidSave', r);
          return r;
        },
        importSiCuration: (file) => importSiCuration(session(), file),
        history: () => session().history(),
        similar: async (id, top) => this.need().suggestions.annotate(id, await session().similar(id, top)),
      },
      review: {
        list: () => review().list(),
        decide: (item, decision) => review().decide(item, decision),
        import: (file) => review().import(file),
      },
      viewData: {
        // Selection-following requests are remembered for prefetch (and cancel a wrong one).
        waveforms: (req, signal?: AbortSignal) => noted('waveforms', req).waveforms(req, signal),
        features: (req, signal?: AbortSignal) => noted('features', req).features(req, signal),
        amplitudes: (req, signal?: AbortSignal) => noted('amplitudes', req).amplitudes(req, signal),
        correlograms: (req, signal?: AbortSignal) => noted('correlograms', req).correlograms(req, signal),
        mergePreview: (req, signal?: AbortSignal) => noted('mergePreview', req).mergePreview(req, signal),
        isi: (req, signal?: AbortSignal) => noted('isi', req).isi(req, signal),
        firingRate: (req, signal?: AbortSignal) => noted('firingRate', req).firingRate(req, signal),
        raster: (req, signal?: AbortSignal) => compute().raster(req, signal),
        traces: (req, signal?: AbortSignal) => compute().traces(req, signal),
        templates: (req, signal?: AbortSignal) => compute().templates(req, signal),
        spikeAttribute: (req, signal?: AbortSignal) => noted('spikeAttribute', req).spikeAttribute(req, signal),
        drift: (req, signal?: AbortSignal) => compute().drift(req, signal),
        driftSpikes: (req, signal?: AbortSignal) => compute().driftSpikes(req, signal),
        driftPick: (req, signal?: AbortSignal) => compute().driftPick(req, signal),
        prefetch: async (req) => {
          // Fire and forget: the renderer is told nothing more; its later requests hit the cache.
          void compute().prefetch(req.clusterIds);
        },
      } as Backend['viewData'],
      quality: {
        snapshot: async () => this.need().quality.snapshot(),
      },
      proposal: {
        propose: (spec) => this.need().proposal.propose(spec),
        current: () => this.need().proposal.current(),
        cancel: () => this.need().proposal.cancel(),
        commit: (id, ctx) => this.need().proposal.commit(id, ctx),
      },
    };
  }

  /**
   * Closes the opened dataset (the journal already holds every action), first remembering its
   * review progress in the recent list, so the start screen shows the number the status bar showed.
   */
  async close(): Promise<void> {
    const o = this.opened;
    this.opened = null;
    if (!o) return;
    if (this.opts.recent) {
      const { reviewed, total } = o.session.reviewProgress();
      await this.opts.recent.update(o.summary.path, { reviewed, nClusters: total }).catch(() => undefined);
    }
    o.unsubscribe();
    o.quality.close();
    await o.lane.close();
    o.compute.close();
    await o.session.close();
    o.dataset.close();
  }

  /** Closes everything, including the worker pool this host created. */
  async dispose(): Promise<void> {
    await this.close();
    if (this.pool && this.ownsPool) await this.pool.close();
    this.pool = null;
  }
}

/** The renderer's view of a dataset. */
export function summarise(d: Dataset, nClusters: number): DatasetSummary {
  return {
    path: d.path,
    name: d.name,
    format: d.format,
    nSpikes: d.nSpikes,
    nClusters,
    nTemplates: d.nTemplates,
    nChannels: d.nChannels,
    sampleRate: d.sampleRate,
    duration: d.duration,
    hasRaw: !!d.raw,
    rawStatus: rawStatus(d),
    hasFeatures: !!d.features,
    hasTemplateFeatures: !!d.templateFeatures,
    amplitudeKinds: availableAmplitudeKinds(d),
    spikeAttributes: d.spikeAttributes.map((a) => a.name),
    channelIds: d.channelMap,
    channelPositions: d.channelPositions,
    channelShanks: d.channelShanks,
    diagnostics: d.diagnostics,
    ...(d.kwik ? { kwik: { ...d.kwik } } : {}),
  };
}
