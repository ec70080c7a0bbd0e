/**
 * The one typed contract between the renderer and the backend (GUIDE §2). Electron IPC
 * (preload/contextBridge) and the WebSocket of `spikedock serve` both implement it; the renderer
 * only ever sees these interfaces. Channel names are `spikedock:<service>.<method>`.
 *
 * Typed arrays cross as binary (structured clone in Electron, binary frames over WebSocket),
 * never as JSON number lists. Units: times in seconds, amplitudes in the unit named alongside.
 */
import type { Diagnostic } from '../../core/diagnostics';
import type { UpdateInfo } from '../../core/session/UpdateInfo';
import type { RuleSet } from '../../core/rules/labelRules';
import type { ReviewDecision, ReviewItem, ReviewSource, ReviewState } from '../../core/session/reviewQueue';
import type { MergePreviewMetrics, MergeVerdict } from '../../core/metrics/mergePreview';
import type { ProposalApi, ProposalChange } from './proposal';
import type { DriftViewDataApi } from './driftContract';


export type { UpdateInfo, ReviewDecision, ReviewItem, ReviewSource, ReviewState, MergePreviewMetrics, MergeVerdict };
export type { ProposalApi, ProposalChange, ProposalInfo, ProposalKind, ProposalPart, ProposalSpec } from './proposal';

// ---------------------------------------------------------------------------------------------
// Dataset

/** What the renderer knows about the opened dataset. */
export interface DatasetSummary {
  path: string;
  name: string;
  format: 'template' | 'kwik' | 'analyzer' | 'nwb';
  nSpikes: number;
  nClusters: number;
  nTemplates: number;
  nChannels: number;
  sampleRate: number;
  /** Seconds. */
  duration: number;
  hasRaw: boolean;
  /** One sentence on the raw data ("raw data: sim_binary.dat not found; waveforms from templates"). */
  rawStatus: string;
  hasFeatures: boolean;
  hasTemplateFeatures: boolean;
  /** Amplitude types this dataset can show (AmplitudeView): template, feature, raw. */
  amplitudeKinds: AmplitudeKind[];
  /** Names of per-spike attribute files (e.g. `positions`). */
  spikeAttributes: string[];
  /** (nChannels,) channel labels shown to the user (`channel_map` values). */
  channelIds: Int32Array;
  /** (nChannels, 2) µm. */
  channelPositions: Float32Array;
  /** (nChannels,) */
  channelShanks: Int32Array;
  diagnostics: Diagnostic[];
  kwik?: { channelGroup: number; channelGroups: number[]; clustering: string; clusterings: string[] };
}

// ---------------------------------------------------------------------------------------------
// Session

/** The four groups phy knows; any other string is accepted as a custom group. */
export type ClusterGroup = 'good' | 'mua' | 'noise' | 'unsorted';

/** One row of the cluster table. Metrics are live (recomputed for new clusters). */
export interface ClusterInfo {
  id: number;
  nSpikes: number;
  /** Firing rate, Hz. */
  fr: number;
  /** Template peak-to-peak amplitude (unwhitened, scaled), or mean amplitude; null if unknown. */
  amp: number | null;
  /** Best channel label (`channel_map` value). */
  ch: number;
  /** y of the best channel, µm. */
  depth: number;
  sh: number;
  /** null = never labelled (phy writes nothing for it). */
  group: string | null;
  /** Fraction of ISIs below the refractory period (0–1); null until computed. */
  isiViolations: number | null;
  /** Reviewed by the curator (labelled or explicitly marked). */
  reviewed: boolean;
  /** Sorter columns (KSLabel, ContamPct, …) and custom labels; empty for new clusters' sorter columns. */
  labels: Record<string, string | number | null>;
}

/** One entry of the curation history (journal). */
export interface HistoryEntry {
  opId: number;
  kind: string;
  description: string;
  /** ISO time. */
  time: string;
  /** true when undone (on the redo side). */
  undone: boolean;
}

export interface SessionSnapshot {
  generation: number;
  clusters: ClusterInfo[];
  /** Names of the `labels` columns in display order. */
  labelColumns: string[];
  canUndo: boolean;
  canRedo: boolean;
  /** Changes not yet written to the phy files (the journal always has them). */
  dirty: boolean;
  /** ISO time of the last save, or null. */
  lastSavedAt: string | null;
  /** Autosave interval in seconds (0 = off). */
  autosaveSeconds: number;
  /** Where the journal lives (dataset folder or a per-user folder when read-only). */
  journalPath: string;
}

/** What the UI was showing when an action was taken; restored on undo. */
export interface ActionContext {
  selection?: { clusterIds: number[]; similarIds?: number[] };
  /**
   * The review item this action accepts (`ReviewItem.id`, e.g. `3+7`): journaled with the merge,
   * so an accepted suggestion stays in the queue after a restart.
   */
  reviewItem?: string;
}

/** A dimension of a 2-D spike scatter, for lasso splits evaluated on *all* spikes of the clusters. */
export type SpikeDim =
  | { type: 'time' }
  | { type: 'pc'; channelId: number; pc: number }
  | { type: 'amplitude'; kind: AmplitudeKind }
  | { type: 'attribute'; name: string; column: number };

export type SplitRequest =
  | { kind: 'spikes'; spikeIds: Int32Array }
  | {
      kind: 'lasso';
      clusterIds: number[];
      x: SpikeDim;
      y: SpikeDim;
      /** Polygon vertices in data coordinates: (nVertices, 2). */
      polygon: Float32Array;
    };

export interface SaveResult {
  files: string[];
  /** ISO time. */
  savedAt: string;
  /** Why SpikeInterface's `curation.json` was not written (e.g. repeated NWB unit ids); absent when it was. */
  curationJsonSkipped?: string;
}

export interface SimilarCluster {
  id: number;
  similarity: number;
  /**
   * The computed merge suggestion's score of the pair (`core/suggest`, higher = more likely one
   * neuron); null when the pair is not scored (not spatial neighbours, or not scored yet).
   */
  score?: number | null;
}

// ---------------------------------------------------------------------------------------------
// View data (each request is cancellable; results carry the generation they were computed for)

export type WaveformKind = 'waveforms' | 'mean' | 'templates';
export type AmplitudeKind = 'template' | 'feature' | 'raw';

export interface WaveformsRequest {
  clusterIds: number[];
  kind: WaveformKind;
  /** Spikes per cluster (default 100). */
  nSpikes?: number;
  /** Display high-pass filter (default true). */
  filter?: boolean;
  /** Best channels per cluster (default 12). */
  nChannels?: number;
}

export interface ClusterWaveforms {
  clusterId: number;
  /** (nCh,) channel indices shown, best first. */
  channelIds: Int32Array;
  /** Spikes drawn (0 for templates). */
  spikeIds: Int32Array;
  /** (nSpikes, nSamples, nCh) for `waveforms`; (1, nSamples, nCh) for `mean` and `templates`. */
  data: Float32Array;
  /** (nSamples, nCh) mean waveform. */
  mean: Float32Array;
}

export interface WaveformsData {
  generation: number;
  kind: WaveformKind;
  /** `raw` when read from the recording, `templates` when only templates exist. */
  source: 'raw' | 'templates';
  nSamples: number;
  sampleRate: number;
  unit: string;
  clusters: ClusterWaveforms[];
  /** Plain-language note, e.g. "No raw data: showing templates". */
  message?: string;
}

export interface FeaturesRequest {
  clusterIds: number[];
  /** Spikes per cluster (default 2,500). */
  nSpikes?: number;
  /** Two channel indices to show; default: the best channels of the first cluster(s). */
  channelIds?: [number, number];
  /** Include grey background spikes (default true). */
  background?: boolean;
}

export interface SpikeSet {
  /** -1 for background. */
  clusterId: number;
  spikeIds: Int32Array;
  /** (n,) seconds. */
  times: Float32Array;
  /** (n, 2, nPcs): features on the two shown channels. */
  features: Float32Array;
}

export interface FeaturesData {
  generation: number;
  channelIds: [number, number];
  nPcs: number;
  clusters: SpikeSet[];
  background: SpikeSet | null;
  message?: string;
}

/**
 * A PC feature of one channel: the value of principal component `pc` (0 = phy's A, 1 = B, …)
 * of a spike on channel `channelId` (channel index, a row of `channel_map`, not its label).
 */
export interface ChannelFeature {
  channelId: number;
  pc: number;
}

export interface AmplitudesRequest {
  clusterIds: number[];
  kind: AmplitudeKind;
  /** Spikes per cluster (default 10,000). */
  nSpikes?: number;
  background?: boolean;
  /**
   * For kind `feature`: the channel and PC shown for every cluster (phy's alt+click in
   * FeatureView). Default: the best channel of the first cluster, PC 0. Ignored by other kinds.
   */
  feature?: ChannelFeature;
}

export interface ClusterAmplitudes {
  clusterId: number;
  spikeIds: Int32Array;
  /** (n,) seconds. */
  times: Float32Array;
  /** (n,) */
  amplitudes: Float32Array;
}

export interface AmplitudesData {
  generation: number;
  kind: AmplitudeKind;
  available: AmplitudeKind[];
  /**
   * For kind `feature`: the channel and PC shown (the request's, or the default). Spikes
   * without a feature on that channel (sparse `pc_features`) are left out, as a lasso split on
   * that dimension leaves them out.
   */
  feature?: ChannelFeature;
  unit: string;
  clusters: ClusterAmplitudes[];
  background: ClusterAmplitudes | null;
  message?: string;
}

/** RasterView's request: every listed cluster's spikes, binned to the view's pixel width. */
export interface RasterRequest {
  /** Rows, top first (at most `REQUEST_LIMITS.rasterClusters`). */
  clusterIds: number[];
  /** Time bins across the recording: the plot's width in pixels (at most `REQUEST_LIMITS.rasterBins`, and clusters × bins ≤ `rasterCells`). */
  nBins: number;
}

/**
 * Every requested cluster's spikes over the whole recording, decimated to `nBins` time bins:
 * nClusters × nBins bytes whatever the spike count (≤ 8 MiB, bounded by the schema).
 */
export interface RasterData {
  generation: number;
  nBins: number;
  /** Seconds covered: bin k is [k, k + 1) × duration / nBins. */
  duration: number;
  /** (nClusters, nBins) uint8, rows in request order: spikes of the cluster in the bin, saturated at 255. */
  counts: Uint8Array;
}

export interface CorrelogramsRequest {
  clusterIds: number[];
  /** Seconds (default 0.001). */
  binSize?: number;
  /** Seconds (default 0.05). */
  windowSize?: number;
  /** Seconds (default 0.002). */
  refractoryPeriod?: number;
  /** Spikes per cluster (default 100,000, deterministic subsample). */
  maxSpikes?: number;
}

export interface RefractoryStats {
  clusterId: number;
  nSpikes: number;
  /** ISIs shorter than the refractory period. */
  nViolations: number;
  /** nViolations / (nSpikes - 1), 0–1. */
  violationRate: number;
  /** Estimated contamination (Hill et al. 2011), 0–1, clipped. */
  contamination: number;
  /** ISIs ≤ 0.2 ms (`core/cleanup/duplicates.ts`): what "Remove duplicate spikes" takes. Correlograms only. */
  nDuplicates?: number;
}

export interface CorrelogramsData {
  generation: number;
  binSize: number;
  windowSize: number;
  refractoryPeriod: number;
  nBins: number;
  clusterIds: number[];
  /** (n, n, nBins) counts, C order; [i][j] is the CCG of i (reference) against j. */
  counts: Int32Array;
  /** (n,) firing rates (Hz), for the baseline line. */
  firingRates: Float32Array;
  stats: RefractoryStats[];
  /**
   * (nBins,) the auto-correlogram of the union of the clusters' (subsampled) trains — what `g`
   * would make of them (`mergedCorrelogram`); present when there are 2 clusters or more.
   */
  merged?: Int32Array;
}

/**
 * The merge preview of a selection (CorrelogramView's "merged" row, the status line): what `g`
 * would make of these clusters, before it is made.
 */
export interface MergePreviewRequest {
  /** The clusters a merge would join, 2 at least (at most `REQUEST_LIMITS.selectedClusters`). */
  clusterIds: number[];
  /** Seconds (default 0.002, as a correlogram request): for the union's {@link RefractoryStats}. */
  refractoryPeriod?: number;
}

/**
 * The union train's key quality metrics beside each part's (SpikeInterface's names and
 * definitions, `core/metrics/mergePreview.ts`) and the verdict on its refractory contamination.
 * The merged ACG is not here: the correlograms of the same selection carry it
 * ({@link CorrelogramsData.merged}, from the pairs they count anyway).
 */
export interface MergePreviewData {
  generation: number;
  clusterIds: number[];
  refractoryPeriod: number;
  /** Metrics of the union of the clusters' spikes (all spikes, no subsample). */
  merged: MergePreviewMetrics;
  /** Metrics of each cluster, in request order. */
  parts: MergePreviewMetrics[];
  /** The union's refractory statistics as the CorrelogramView shows each cluster's (`clusterId` −1). */
  mergedStats: RefractoryStats;
  /** Improves / keeps / worsens, and the numbers behind it (rule: `mergeVerdict`). */
  verdict: MergeVerdict;
}

export interface HistogramRequest {
  clusterIds: number[];
  /** Seconds: bin width for ISI, ignored for firing rate. */
  binSize?: number;
  /** Seconds: histogram range max for ISI. */
  max?: number;
  /** Bins over the recording (firing rate, default 200). */
  nBins?: number;
}

export interface HistogramData {
  generation: number;
  clusterIds: number[];
  nBins: number;
  /** Bin edges start (s) and width (s). */
  start: number;
  binSize: number;
  /** (nClusters, nBins): counts (ISI) or Hz (firing rate). */
  values: Float32Array;
}

export interface TracesRequest {
  /** Seconds. */
  t0: number;
  t1: number;
  /** Channel indices (default all). */
  channelIds?: number[];
  /** High-pass display filter (default true). */
  filter?: boolean;
  /** Target width in pixels: wider windows come back as a min/max envelope. */
  width?: number;
}

export interface TraceSpikes {
  /** (n,) seconds. */
  times: Float32Array;
  clusterIds: Int32Array;
  spikeIds: Int32Array;
  /** (n,) best channel of each spike's cluster. */
  channels: Int32Array;
}

export interface TracesData {
  generation: number;
  t0: number;
  t1: number;
  channelIds: Int32Array;
  /** `samples`: data is (nTimes, nCh); `envelope`: data is (nTimes, nCh, 2) min/max. */
  mode: 'samples' | 'envelope';
  nTimes: number;
  /** Seconds per column of `data`. */
  dt: number;
  data: Float32Array;
  unit: string;
  spikes: TraceSpikes;
  message?: string;
}

export interface TemplatesRequest {
  clusterIds: number[];
  nChannels?: number;
}

export interface SpikeAttributeRequest {
  name: string;
  clusterIds: number[];
  nSpikes?: number;
}

export interface SpikeAttributeData {
  generation: number;
  name: string;
  nColumns: number;
  clusters: Array<{ clusterId: number; spikeIds: Int32Array; times: Float32Array; values: Float32Array }>;
}

/** Progress of background work (metrics, similarity). */
export interface Progress {
  task: string;
  done: number;
  total: number;
}

// ---------------------------------------------------------------------------------------------
// Review queue (SuggestionsView)

/** The computed merge suggestions' progress: `unavailable` says why in `message`. */
export type SuggestionStatus = ReviewList['suggestions'];

/** The review queue: items in queue order (best suggestion first, then imported proposals). */
export interface ReviewList {
  /** Session generation the states were derived at. */
  generation: number;
  items: ReviewItem[];
  /** Items in state `pending` (skipped ones included): the status bar's count. */
  pending: number;
  /** The computed merge suggestions' progress ({@link SuggestionStatus}). */
  suggestions: { state: 'computing' | 'ready' | 'unavailable'; message?: string };
  /** `curation.json` files whose proposals are in the queue. */
  files: string[];
}

/** What `review.import` read. */
export interface ReviewImportResult {
  file: string;
  /** Merge proposals read (groups naming clusters of this dataset). */
  proposals: number;
  /** One sentence per group that was skipped, naming the file and the group. */
  messages: string[];
}

/**
 * What `session.importSiCuration` applied: a SpikeInterface curation file's labels, removed units
 * (→ noise), merges and splits, each one journaled, undoable action.
 */
export interface SiCurationImportResult {
  file: string;
  /** One line per action applied, as the history names it (`Merge 3, 7 → 31`). */
  applied: string[];
  /** One sentence per entry not applied (naming the entry and why), then a refused action, if one stopped the import. */
  skipped: string[];
}

/** The queue's counts, pushed as `onDidChangeReview` whenever a state, a decision or the suggestions change. */
export interface ReviewSummary {
  generation: number;
  pending: number;
  total: number;
}

// Quality metrics (the curation assistant, #13)

/**
 * One cluster's metrics: SpikeInterface names → value (null = NaN/undefined), plus
 * snr_source/drift_source/template_source. A row names a cluster id, and an id names one fixed
 * set of spikes, so a row never goes stale (a deleted id's row is simply no current cluster's).
 */
export type QualityRow = { cluster_id: number } & Record<string, number | string | null>;

/** Quality rows pushed as the background pass computes them (`onDidUpdateQuality`). */
export interface QualityUpdate {
  /** Session generation when the update was sent. */
  generation: number;
  /** Metric names in column order (METRIC_NAMES of src/core/metrics/qualityMetrics.ts). */
  names: string[];
  /** Rows new since the last update (all rows computed so far in `quality.snapshot()`). */
  rows: QualityRow[];
  /** Current clusters that have their row, and how many current clusters there are. */
  computed: number;
  total: number;
}

/** Live quality metrics of the current clusters (`src/main/assistant/QualityService.ts`). */
export interface QualityApi {
  /** Every current cluster's row computed so far (the rest follow as `onDidUpdateQuality`). */
  snapshot(): Promise<QualityUpdate>;
}

// ---------------------------------------------------------------------------------------------
// Services

export interface DatasetApi { summary(): Promise<DatasetSummary> }

/** A dataset opened before, for the start screen. */
export interface RecentDataset {
  path: string;
  name: string;
  format: 'template' | 'kwik' | 'analyzer' | 'nwb';
  /** ISO time of the last open. */
  openedAt: string;
  nClusters?: number;
  nSpikes?: number;
  /** Clusters reviewed / total at the last close. */
  reviewed?: number;
}

/** Application-level calls (start screen, opening datasets). */
export interface AppApi {
  version(): Promise<string>;
  recentDatasets(): Promise<RecentDataset[]>;
  /** Opens a dataset (folder, params.py or .kwik); resolves with its summary or rejects with a clear message. */
  openDataset(path: string): Promise<DatasetSummary>;
  /** Whether a dataset is open in this window. */
  current(): Promise<DatasetSummary | null>;
  /**
   * Why the last attempt to open a dataset in this window failed (e.g. `spikedock serve <folder>`
   * on a folder that is not a sorting output), so the start screen can say what the CLI said;
   * null when the last open succeeded or none was tried. Waits for an open still in progress.
   */
  openFailure(): Promise<OpenFailure | null>;
}

/** A failed open: what was asked for and why it failed (the message names the file or folder at fault). */
export interface OpenFailure {
  /** The path as given (folder, params.py or .kwik). */
  path: string;
  message: string;
}

/**
 * The one sentence for a failed open, printed by `spikedock serve` and shown on the start screen.
 * Messages of openDataset already start with the resolved path (`/data/x: not a sorting output…`):
 * then it is not said twice.
 */
export function openFailureText(f: OpenFailure): string {
  return f.message.startsWith('/') || /^[A-Za-z]:\\/.test(f.message) ? `cannot open ${f.message}` : `cannot open ${f.path}: ${f.message}`;
}

/** Labels to apply in one action: `values[i]` is the `group` of `clusterIds[i]`. */
export interface ApplyLabelsRequest {
  clusterIds: number[];
  values: string[];
  /** Also relabel clusters that already have a group (default false: unlabelled ones only). */
  overwrite?: boolean;
  /** Where the labels come from, shown in the history (`Bombcell's defaults`). */
  source?: string;
  /** The rule set that made them: kept with the dataset (`.spikedock/label_rules.json`). */
  rules?: RuleSet;
}

export interface SessionApi {
  snapshot(): Promise<SessionSnapshot>;
  merge(clusterIds: number[], ctx?: ActionContext): Promise<UpdateInfo>;
  split(req: SplitRequest, ctx?: ActionContext): Promise<UpdateInfo>;
  /** Sets `field` (`group` or a custom label) on clusters; value null clears it. */
  label(clusterIds: number[], field: string, value: string | number | null, ctx?: ActionContext): Promise<UpdateInfo>;
  markReviewed(clusterIds: number[], reviewed: boolean): Promise<UpdateInfo>;
  /**
   * Labels many clusters with different values as ONE journaled, undoable action (label rules).
   * Only clusters without a group (none or `unsorted`) are labelled unless `overwrite`; clusters
   * whose value would not change are left out. Null when nothing is left to change.
   */
  applyLabels(req: ApplyLabelsRequest, ctx?: ActionContext): Promise<UpdateInfo | null>;
  /** The rule set last applied to this dataset (`.spikedock/label_rules.json`), or null when none was. */
  labelRules(): Promise<RuleSet | null>;
  undo(): Promise<UpdateInfo | null>;
  redo(): Promise<UpdateInfo | null>;
  save(): Promise<SaveResult>;
  /**
   * Applies a SpikeInterface curation file (format "1" or "2", in the sorting's own unit ids) to
   * the session as ordinary journaled, undoable actions; entries naming no unit are skipped and said.
   */
  importSiCuration(path: string): Promise<SiCurationImportResult>;
  history(): Promise<HistoryEntry[]>;
  similar(clusterId: number, top?: number): Promise<SimilarCluster[]>;
}

/**
 * The review queue. Accepting an item is not here: it is the ordinary merge
 * (`session.merge(item.clusters, { reviewItem: item.id })`), journaled and undoable.
 */
export interface ReviewApi {
  list(): Promise<ReviewList>;
  /** Rejects, skips or resets (to pending) an item; journaled. Refused for an item that is not pending (reset excepted). */
  decide(itemId: string, decision: ReviewDecision): Promise<ReviewList>;
  /** Reads the merge proposals of a SpikeInterface `curation.json` into the queue (journaled). */
  import(path: string): Promise<ReviewImportResult>;
}

export interface ViewDataApi extends DriftViewDataApi {
  waveforms(req: WaveformsRequest): Promise<WaveformsData>;
  features(req: FeaturesRequest): Promise<FeaturesData>;
  amplitudes(req: AmplitudesRequest): Promise<AmplitudesData>;
  /** RasterView: every listed cluster's spikes binned to pixels; not tied to the selection. */
  raster(req: RasterRequest): Promise<RasterData>;
  correlograms(req: CorrelogramsRequest): Promise<CorrelogramsData>;
  /** The merge preview of two or more clusters: the union's metrics beside the parts', and the verdict. */
  mergePreview(req: MergePreviewRequest): Promise<MergePreviewData>;
  isi(req: HistogramRequest): Promise<HistogramData>;
  firingRate(req: HistogramRequest): Promise<HistogramData>;
  traces(req: TracesRequest): Promise<TracesData>;
  templates(req: TemplatesRequest): Promise<WaveformsData>;
  spikeAttribute(req: SpikeAttributeRequest): Promise<SpikeAttributeData>;
  /**
   * Computes ahead what the selection-following views last asked for, for `clusterIds` (the
   * selection the user will probably look at next), so that switching to it is a cache hit.
   * Resolves at once; a request for another selection cancels the prefetch.
   */
  prefetch(req: PrefetchRequest): Promise<void>;
}

export interface PrefetchRequest { clusterIds: number[] }

/** Events pushed from the backend (`onDid…`). */
export interface BackendEvents {
  onDidChangeSession: UpdateInfo;
  onDidProgress: Progress;
  onDidSave: SaveResult;
  /** A dataset was opened in this window (start screen → curation). */
  onDidOpenDataset: DatasetSummary;
  /** A non-blocking message for the user (diagnostics, errors, autosave). */
  onDidMessage: { level: 'info' | 'warning' | 'error'; text: string };
  /** The review queue changed (a decision, an import, new suggestions, or a session change that moved a state). */
  onDidChangeReview: ReviewSummary;
  /** New quality rows (the background pass at open, then the clusters each change adds). */
  onDidUpdateQuality: QualityUpdate;
  /** The split proposal changed (proposed, cancelled, accepted, or dropped because its cluster changed). */
  onDidChangeProposal: ProposalChange;
}

/** The backend events, in the order transports subscribe to them (every one: a missing name fails `tsc` below). */
export const BACKEND_EVENTS = ['onDidChangeSession', 'onDidProgress', 'onDidSave', 'onDidOpenDataset', 'onDidMessage', 'onDidChangeReview', 'onDidUpdateQuality', 'onDidChangeProposal'] as const satisfies ReadonlyArray<keyof BackendEvents>;
/** The compile-time check: names the event {@link BACKEND_EVENTS} leaves out, if any. */
const _allEventsListed: [Exclude<keyof BackendEvents, (typeof BACKEND_EVENTS)[number]>] extends [never] ? true : { missing: Exclude<keyof BackendEvents, (typeof BACKEND_EVENTS)[number]> } = true;

/** Everything the renderer can call. Each method may take an AbortSignal as a last argument on the client side. */
export interface Backend {
  app: AppApi;
  dataset: DatasetApi;
  session: SessionApi;
  review: ReviewApi;
  viewData: ViewDataApi;
  quality: QualityApi;
  proposal: ProposalApi;
}

/**
 * Every method of the contract, by service: the one list the transports read (the renderer's
 * client proxies exactly these). Checked against the interfaces above in both directions: a name
 * that is not a method fails `satisfies`, and a method missing here fails the check below.
 */
export const BACKEND_METHODS = {
  app: ['version', 'recentDatasets', 'openDataset', 'current', 'openFailure'],
  dataset: ['summary'],
  session: ['snapshot', 'merge', 'split', 'label', 'markReviewed', 'applyLabels', 'labelRules', 'undo', 'redo', 'save', 'importSiCuration', 'history', 'similar'],
  review: ['list', 'decide', 'import'],
  viewData: ['waveforms', 'features', 'amplitudes', 'raster', 'correlograms', 'mergePreview', 'isi', 'firingRate', 'traces', 'templates', 'spikeAttribute', 'drift', 'driftSpikes', 'driftPick', 'prefetch'],
  quality: ['snapshot'],
  proposal: ['propose', 'current', 'cancel', 'commit'],
} as const satisfies { readonly [S in keyof Backend]: ReadonlyArray<keyof Backend[S]> };

/** The contract's methods that {@link BACKEND_METHODS} leaves out, by service (never, when it lists them all). */
type UnlistedMethods = { [S in keyof Backend]: Exclude<keyof Backend[S], (typeof BACKEND_METHODS)[S][number]> }[keyof Backend];
/** `true` when {@link BACKEND_METHODS} lists every method; else an object type naming the missing ones. */
type AllMethodsListed = [UnlistedMethods] extends [never] ? true : { missing: UnlistedMethods };
/** The compile-time check: `tsc` fails here, naming the method, when one is missing. */
const _allMethodsListed: AllMethodsListed = true;

/** `spikedock:<service>.<method>` */
export type ChannelName = `spikedock:${keyof Backend}.${string}`;
export const CHANNEL_PREFIX = 'spikedock:';
