/**
 * What the curation assistant's services (QualityService, SuggestionService, on the backend's
 * main thread) and the engine that computes for them (`AssistantEngine`, in the assistant's
 * worker thread) say to each other: requests one way, events the other, in order. The same
 * messages travel through `postMessage` (WorkerLane) or a direct call (InProcessLane, tests).
 */
import type { MetricsRow } from '../../core/metrics/qualityMetrics';
import type { MergeSuggestion } from '../../core/suggest/MergeSuggester';
import type { QualityRow } from '../../shared/ipc/contract';

/** What computes one cluster's row (the core's `QualityMetrics`; tests count the calls). */
export interface QualityRowSource {
  row(clusterId: number): MetricsRow;
  /** One step of work shared by every row (raw noise levels); true when none is left. */
  prepare?(): boolean;
}

/** What scores merge suggestions (the core's `MergeSuggester`). */
export interface PairScorer {
  update(added: readonly number[], deleted: readonly number[]): void;
  forCluster(clusterId: number): MergeSuggestion[];
  all(): MergeSuggestion[];
}

/**
 * Requests, numbered by `seq` (1, 2, …) so the main thread knows which ones the engine has
 * handled. `update.lists[k]` holds the sorted spike ids of `added[k]` the first time that id
 * is sent, null after (the worker keeps every list it was sent: an id names a fixed spike set).
 */
export type LaneRequest =
  | { type: 'update'; seq: number; added: number[]; deleted: number[]; lists?: Array<Int32Array | null> }
  | { type: 'startQuality'; seq: number }
  | { type: 'startSuggestions'; seq: number }
  | { type: 'close'; seq: number };

/** Events, each with the `seq` of the last request the engine had handled when it was sent. */
export type LaneEvent =
  /** A cluster's metrics row; `error`: its computation failed, and `row` is empty. */
  | { type: 'row'; seq: number; clusterId: number; row: QualityRow; error?: string }
  /** A cluster's candidate pairs were scored: `[other cluster, score]`, and the scorer's progress. */
  | { type: 'pairs'; seq: number; clusterId: number; pairs: Array<[number, number]>; done: number; total: number; remaining: number }
  /** The review queue's computed proposals, best first, whenever the scorer's queue runs empty. */
  | { type: 'proposals'; seq: number; proposals: MergeSuggestion[] }
  /** A request was handled; `remaining`: clusters the scorer still has to score. */
  | { type: 'ack'; seq: number; remaining: number }
  /** The scorer stopped (a reader error) and says why; the metrics go on. */
  | { type: 'suggestFailed'; seq: number; message: string }
  /** The lane cannot compute at all (the worker could not open the dataset, or died). */
  | { type: 'failed'; seq: number; message: string };

/**
 * Suggestions at or above this score enter the review queue. The scorer's scale
 * (`core/suggest/README.md`): a unit's over-split parts score 0.9–1, its nearest *other* units
 * 0.6–0.95; 0.8 keeps the close calls for the curator to see and leaves out the thousands of
 * neighbour pairs (≈ 20 per cluster) that are clearly two units. SimilarityView shows every
 * scored pair's score whatever it is.
 */
export const REVIEW_MIN_SCORE = 0.8;

/** At most this many computed suggestions in the queue (best first): a queue is walked by hand. */
export const REVIEW_MAX_SUGGESTIONS = 1000;

/** A core row as the contract carries it: NaN and missing values become null. */
export function toQualityRow(row: MetricsRow): QualityRow {
  const out: QualityRow = { cluster_id: row.cluster_id };
  for (const [k, v] of Object.entries(row)) {
    if (k === 'cluster_id') continue;
    out[k] = typeof v === 'number' ? (Number.isFinite(v) ? v : null) : (v ?? null);
  }
  return out;
}
