/**
 * `SuggestionService`: the computed merge suggestions of one session (`core/suggest`'s
 * `MergeSuggester`), scored in the background after open and kept current from every
 * `UpdateInfo`; it feeds the review queue (`ReviewService.setSuggestions`) and the suggestion
 * score of SimilarityView's rows (`annotate`).
 *
 * Never on an interactive path: scoring runs one cluster's candidate pairs per event-loop turn,
 * then pauses as long (`schedule`), so a call from the window (a merge, a view request) waits at most one
 * cluster's scoring — ~20 neighbours × 1–3 ms on a Neuropixels sort. A change's listener only
 * drops the deleted clusters' pairs (map deletions) and queues the added clusters; their pairs
 * are scored in the same background turns. (The worker pool has no task for the scorer yet: it
 * reads the session's live clustering, which lives on this thread.)
 */
import type { Dataset } from '../../core/dataset/Dataset';
import type { ClusteringView } from '../../core/session/ClusteringView';
import type { ClusterMetrics } from '../../core/session/ClusterMetrics';
import type { ReviewProposal } from '../../core/session/reviewQueue';
import type { UpdateInfo } from '../../core/session/UpdateInfo';
import { MergeSuggester } from '../../core/suggest/MergeSuggester';
import type { Progress, SimilarCluster, SuggestionStatus } from '../../shared/ipc/contract';

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

/** The task name of the scorer's progress (`onDidProgress`, the status bar). */
export const SUGGEST_TASK = 'merge suggestions';

/** Where the service sends what it computed. */
export interface SuggestionSink {
  setSuggestions(proposals: ReviewProposal[], status: SuggestionStatus): void;
}

export class SuggestionService {
  private readonly suggester: MergeSuggester;
  /** Clusters whose candidate pairs are still to score, in order. */
  private queue: number[] = [];
  /** Parents of a merged cluster waiting in the queue (its samples are composed from theirs). */
  private readonly parents = new Map<number, number[]>();
  private total = 0;
  private done = 0;
  private scheduled = false;
  private closed = false;
  private failed: string | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    dataset: Dataset,
    private readonly clustering: ClusteringView,
    metrics: ClusterMetrics,
    onDidChange: (listener: (u: UpdateInfo) => void) => () => void,
    private readonly sink: SuggestionSink,
    private readonly progress: (p: Progress) => void = () => undefined,
  ) {
    this.suggester = new MergeSuggester(dataset, clustering, { metrics });
    this.unsubscribe = onDidChange((u) => this.onUpdate(u));
  }

  /** Starts scoring every cluster in the background (returns at once). */
  start(): void {
    this.enqueue(this.clustering.clusterIds());
    this.publish();
  }

  /** Whether every queued cluster has been scored. */
  get ready(): boolean {
    return this.queue.length === 0 && !this.failed;
  }

  /** Adds each similar cluster's suggestion score with `clusterId` (null where the pair is not scored: not neighbours, or not yet). */
  annotate(clusterId: number, rows: SimilarCluster[]): SimilarCluster[] {
    return rows.map((r) => ({ ...r, score: this.suggester.pair(clusterId, r.id)?.score ?? null }));
  }

  /** Resolves once the queue is empty (tests, `spikedock` commands that need every pair). */
  async whenReady(): Promise<void> {
    while (!this.ready && !this.closed && !this.failed) await new Promise((r) => setTimeout(r, 5));
  }

  private onUpdate(u: UpdateInfo): void {
    if (!u.added.length && !u.deleted.length) return;
    // Cheap and synchronous: drop the pairs of deleted clusters. Scoring waits for the background.
    this.suggester.update([], u.deleted);
    // A merge's new cluster is scored with its parents named, so the scorer builds its samples
    // from theirs instead of reading the files again (MergeSuggester.update's no-read path).
    if (u.added.length === 1 && u.deleted.length) this.parents.set(u.added[0], [...u.deleted]);
    const gone = new Set(u.deleted);
    this.queue = this.queue.filter((c) => !gone.has(c));
    this.enqueue(u.added);
    this.publish();
  }

  private enqueue(ids: readonly number[]): void {
    if (!ids.length) return;
    if (this.queue.length === 0) {
      this.total = 0;
      this.done = 0;
    }
    this.queue.push(...ids);
    this.total += ids.length;
    this.schedule();
  }

  /**
   * Runs the next step after a pause as long as the last step took (at most 1 s): the scorer
   * takes at most half of the main thread, so the page's assets, the view requests and the
   * quality metrics' results keep their turns (with back-to-back turns a served page took
   * over 2 minutes to show ClusterView on this 2-core machine under load).
   */
  private schedule(pauseMs = 0): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setTimeout(() => this.step(), Math.min(1000, pauseMs));
  }

  /** Scores one cluster's candidate pairs, then yields to the event loop. */
  private step(): void {
    this.scheduled = false;
    if (this.closed) return;
    const c = this.queue.shift();
    if (c === undefined) return;
    const t0 = performance.now();
    try {
      const parents = this.parents.get(c) ?? [];
      this.parents.delete(c);
      if (this.clustering.nSpikes(c) > 0) this.suggester.update([c], parents);
    } catch (e) {
      // A reader error (a damaged features file…) stops the scorer, says why, and keeps the app working.
      this.failed = `merge suggestions stopped at cluster ${c}: ${(e as Error).message}`;
      this.queue = [];
      this.publish();
      return;
    }
    this.done++;
    if (this.done % 16 === 0 || this.queue.length === 0) {
      this.progress({ task: SUGGEST_TASK, done: this.done, total: this.total });
    }
    if (this.queue.length === 0) this.publish();
    else this.schedule(performance.now() - t0);
  }

  private publish(): void {
    const proposals: ReviewProposal[] = this.suggester
      .all()
      .filter((s) => s.score >= REVIEW_MIN_SCORE)
      .slice(0, REVIEW_MAX_SUGGESTIONS)
      .map((s) => ({ clusters: [...s.clusters], source: 'suggested', score: s.score, evidence: s.evidence }));
    const status: SuggestionStatus = this.failed ? { state: 'unavailable', message: this.failed } : this.queue.length ? { state: 'computing' } : { state: 'ready' };
    this.sink.setSuggestions(proposals, status);
  }

  dispose(): void {
    this.closed = true;
    this.queue = [];
    this.unsubscribe();
  }
}
