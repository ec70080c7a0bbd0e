/**
 * The renderer's state: cluster-level only (GUIDE §2 — typed arrays and spike-level state live
 * in the backend). One object, read through selectors, changed through `appStore.update`.
 */
import type { SimilarOrder } from '../../core/session/Similarity';
import type { ClusterInfo, DatasetSummary, Progress, ProposalInfo, ProposalKind, QualityRow, ReviewList, SessionSnapshot, SimilarCluster, SpikeDim } from '../../shared/ipc/contract';
import { initialLabelRules, type LabelRulesState } from './labelRules';

export type SortDirection = 'asc' | 'desc';

/** Which column the cluster table is sorted by (phy default: n_spikes, descending). */
export interface SortState {
  column: string;
  direction: SortDirection;
}

/** The ClusterView filter expression (`n_spikes > 1000 && group != 'noise'`). */
export interface FilterState {
  text: string;
  /** Parse/evaluation error shown under the filter box, null when the expression is valid. */
  error: string | null;
}

export interface Selection {
  /** Best clusters (ClusterView rows), in selection order. */
  clusterIds: number[];
  /** Similar clusters (SimilarityView rows), in selection order. */
  similarIds: number[];
}

/** The lasso a spike scatter view (FeatureView, AmplitudeView, …) holds, consumed by `k`. */
export interface LassoState {
  /** The view that drew it (`FeatureView`, `AmplitudeView`, …). */
  viewType: string;
  clusterIds: number[];
  x: SpikeDim;
  y: SpikeDim;
  /** (nVertices, 2) polygon in data coordinates. */
  polygon: Float32Array;
}

/** Similar clusters of the last selected best cluster (phy's SimilarityView). */
export interface SimilarState {
  /** The best cluster the list is relative to; null when nothing is selected. */
  clusterId: number | null;
  items: SimilarCluster[];
  loading: boolean;
}

/**
 * The session fields the store mirrors from the backend's {@link SessionSnapshot}: all of them but
 * the generation and the clusters, which the store holds at its top level. Derived, so a field
 * added to the snapshot is a field of the store (and {@link applySnapshotMeta} copies it).
 */
export type SnapshotMeta = Omit<SessionSnapshot, 'generation' | 'clusters'>;

export interface SessionMeta extends SnapshotMeta {
  /** Description of the last change (`Merge 12, 14 → 503`). */
  lastAction: string | null;
  /** An op is in flight (merge/split/label/undo/redo/save). */
  busy: boolean;
}

export interface Toast {
  id: number;
  level: 'info' | 'warning' | 'error';
  text: string;
}

/** A one-line text prompt (label `l`, go to time, N similar…). */
export interface PromptState {
  title: string;
  placeholder?: string;
  initial?: string;
  onSubmit: (text: string) => void;
  onCancel: () => void;
}

/** The review queue (SuggestionsView), mirrored from the backend's `review.list()`. */
export interface ReviewQueueState {
  /** Null until first fetched. */
  list: ReviewList | null;
  /** The item the curator is on (SuggestionsView's selected row); the review keys act on it. */
  current: string | null;
}

/**
 * The split proposal (clean-up tools, #14), mirrored from the backend by `proposalSync.ts`: while
 * it is shown, the selection-following views ask for its parts (virtual clusters) in place of
 * its source clusters (`viewClusterIds`).
 */
export interface ProposalState {
  /** The proposal shown now; null when none. */
  current: ProposalInfo | null;
  /** The kind being computed (a re-cluster runs in the background lane), null when idle. */
  computing: ProposalKind | null;
}

export type Overlay = 'help' | 'palette' | 'snippet' | 'labelRules' | null;

export interface UiState {
  theme: 'dark' | 'light';
  /** Plot antialiasing: `auto` = on a GPU only (see plot/renderQuality.ts). */
  antialias: 'auto' | 'on' | 'off';
  overlay: Overlay;
  /** Initial text of the snippet bar (without the leading ':'). */
  snippetInitial: string;
  prompt: PromptState | null;
  /** Phy's "Skip noise and MUA" while navigating (on by default). */
  skipNoiseMua: boolean;
  /** N of "select first N similar" (phy default 15). */
  nSimilar: number;
  /** The similar clusters' order (wizard and SimilarityView): by suggestion score, or phy's similar_templates rule. */
  similarOrder: SimilarOrder;
  /** Bumped by View → Reset layout; the dock layout listens to it. */
  layoutResetCount: number;
  /** View types currently open in the dock layout. */
  openViews: string[];
}

/**
 * The live quality metrics (`quality.snapshot()` at open, then `onDidUpdateQuality`). Rows are
 * keyed by cluster id and never go stale (an id names one fixed set of spikes); a deleted id's row
 * may stay here but is no current cluster's: read the current ones through `state.clusters`.
 */
export interface QualityState {
  /** Metric names in column order (SpikeInterface's); empty until the first update. */
  names: string[];
  rows: Record<number, QualityRow>;
  /** Current clusters that have their row, and how many current clusters there are. */
  computed: number;
  total: number;
  /** Session generation of the last counts applied (older counts are ignored). */
  generation: number;
}

export interface AppState {
  dataset: DatasetSummary | null;
  /** Every cluster of the session, from `session.snapshot()`, refreshed on each change. */
  clusters: ClusterInfo[];
  /** Session generation the clusters were fetched at (views tag requests with it). */
  generation: number;
  session: SessionMeta;
  selection: Selection;
  similar: SimilarState;
  review: ReviewQueueState;
  proposal: ProposalState;
  sort: SortState;
  filter: FilterState;
  /** Per-view settings, keyed by view type, then setting name. */
  viewSettings: Record<string, Record<string, unknown>>;
  /** Display high-pass filter for TraceView and WaveformView (phy's `alt+r`, on by default). */
  rawFilter: boolean;
  /** Seconds: TraceView's current window start (AmplitudeView alt+click sets it). */
  traceTime: number;
  lasso: LassoState | null;
  /** The way the curator walks the wizard (last best or similar move); the prefetch predicts along it. */
  wizardDirection: 'nextBest' | 'nextSimilar';
  /**
   * What the wizard's last move skipped (`skipped 3 clusters labelled mua/noise: …`) and the
   * selection it led to; the status bar shows it while that selection lasts (views that select
   * on a click write the selection directly, so the note is matched, not cleared). Null when the
   * last move skipped nothing.
   */
  wizardNote: { text: string; selection: Selection } | null;
  /** Background work by task name. */
  progress: Record<string, Progress>;
  quality: QualityState;
  messages: Toast[];
  ui: UiState;
  /** The active label rules ("Label by rules…"; metric cells are coloured pass/fail against them). */
  labelRules: LabelRulesState;
}

/**
 * Copies the snapshot's {@link SnapshotMeta} fields into the store's session (inside a store
 * update). A field whose value is unchanged is not assigned, so an array (labelColumns) keeps its
 * identity and the components that depend on it do not re-render.
 */
export function applySnapshotMeta(session: SessionMeta, snap: SessionSnapshot): void {
  const { generation: _generation, clusters: _clusters, ...meta } = snap;
  const target = session as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(meta)) {
    const same = typeof v === 'object' && v !== null ? JSON.stringify(target[k]) === JSON.stringify(v) : target[k] === v;
    if (!same) target[k] = v;
  }
}

/** phy's default sort. */
export const DEFAULT_SORT: SortState = { column: 'n_spikes', direction: 'desc' };

export function initialAppState(): AppState {
  return {
    dataset: null,
    clusters: [],
    generation: 0,
    session: {
      labelColumns: [],
      canUndo: false,
      canRedo: false,
      dirty: false,
      lastSavedAt: null,
      autosaveSeconds: 0,
      journalPath: '',
      lastAction: null,
      busy: false,
    },
    selection: { clusterIds: [], similarIds: [] },
    similar: { clusterId: null, items: [], loading: false },
    review: { list: null, current: null },
    proposal: { current: null, computing: null },
    sort: { ...DEFAULT_SORT },
    filter: { text: '', error: null },
    viewSettings: {},
    rawFilter: true,
    traceTime: 0,
    lasso: null,
    wizardDirection: 'nextBest',
    wizardNote: null,
    progress: {},
    quality: { names: [], rows: {}, computed: 0, total: 0, generation: -1 },
    messages: [],
    labelRules: initialLabelRules(),
    ui: {
      theme: 'dark',
      antialias: 'auto',
      overlay: null,
      snippetInitial: '',
      prompt: null,
      skipNoiseMua: true,
      nSimilar: 15,
      similarOrder: 'suggestion',
      layoutResetCount: 0,
      openViews: [],
    },
  };
}
