/**
 * `SuggestionService`: the computed merge suggestions of one session (`core/suggest`'s
 * `MergeSuggester`), scored in the background after open and kept current from every
 * `UpdateInfo`; it feeds the review queue (`ReviewService.setSuggestions`) and the suggestion
 * score of SimilarityView's rows (`annotate`).
 *
 * The scoring runs in the assistant's lane (`AssistantLane`: in the app the worker thread of
 * `WorkerLane`, which scores a merge's cluster with its parents named, so its samples are composed
 * from theirs); this service keeps what the lane sends back: each scored pair's score by its two
 * ids (an id names a fixed spike set, so a score never goes stale and needs no deleting) and the
 * latest proposals. A change costs this thread O(proposals): the deleted clusters' proposals
 * leave the queue at once, the added clusters' arrive when the lane has scored them.
 */
import type { ClusteringView } from '../../core/session/ClusteringView';
import type { ReviewProposal } from '../../core/session/reviewQueue';
import type { UpdateInfo } from '../../core/session/UpdateInfo';
import type { MergeSuggestion } from '../../core/suggest/MergeSuggester';
import type { Progress, SimilarCluster, SuggestionStatus } from '../../shared/ipc/contract';
import type { AssistantLane } from './AssistantLane';
import type { LaneEvent } from './laneProtocol';

export { REVIEW_MAX_SUGGESTIONS, REVIEW_MIN_SCORE } from './laneProtocol';

/** The task name of the scorer's progress (`onDidProgress`, the status bar). */
export const SUGGEST_TASK = 'merge suggestions';

/** Where the service sends what it computed. */
export interface SuggestionSink {
  setSuggestions(proposals: ReviewProposal[], status: SuggestionStatus): void;
}

const key = (a: number, b: number): string => (a < b ? `${a}:${b}` : `${b}:${a}`);

export class SuggestionService {
  /** Score of every pair the lane has scored, by `key(a, b)`. */
  private readonly scores = new Map<string, number>();
  /** The lane's latest proposals (best first), before dropping those of deleted clusters. */
  private proposals: MergeSuggestion[] = [];
  /** Clusters the lane still has to score, as of its latest event. */
  private remaining = 0;
  /**
   * The engine scored its last queued cluster and sends the proposals next, as a separate
   * message: until they arrive the service is not ready (a `review.list` in between would miss them).
   */
  private proposalsPending = false;
  private started = false;
  private closed = false;
  private failed: string | null = null;
  /** The state last sent to the sink. */
  private published: SuggestionStatus['state'] | null = null;
  private readonly unsubscribe: () => void;
  private readonly unlisten: () => void;

  constructor(
    private readonly clustering: ClusteringView,
    private readonly lane: AssistantLane,
    onDidChange: (listener: (u: UpdateInfo) => void) => () => void,
    private readonly sink: SuggestionSink,
    private readonly progress: (p: Progress) => void = () => undefined,
  ) {
    this.unlisten = lane.on((e) => this.onLaneEvent(e));
    this.unsubscribe = onDidChange((u) => this.onUpdate(u));
  }

  /** Starts scoring every cluster in the background (returns at once). */
  start(): void {
    this.started = true;
    this.lane.startSuggestions();
    this.publish();
  }

  /** Whether every cluster has been scored (the lane has handled every change and has nothing left). */
  get ready(): boolean {
    return this.started && this.lane.settled && this.remaining === 0 && !this.proposalsPending && !this.failed;
  }

  /** Adds each similar cluster's suggestion score with `clusterId` (null where the pair is not scored: not neighbours, or not yet). */
  annotate(clusterId: number, rows: SimilarCluster[]): SimilarCluster[] {
    return rows.map((r) => ({ ...r, score: this.scores.get(key(clusterId, r.id)) ?? null }));
  }

  /** Resolves once the queue is empty (tests, `spikedock` commands that need every pair). */
  async whenReady(): Promise<void> {
    while (!this.ready && !this.closed && !this.failed) await new Promise((r) => setTimeout(r, 5));
  }

  private onUpdate(u: UpdateInfo): void {
    if (!u.added.length && !u.deleted.length) return;
    this.publish();
  }

  private onLaneEvent(e: LaneEvent): void {
    if (this.closed) return;
    this.follow(e);
    // A state change with no new proposals (the lane acked another service's request last) is
    // published too, so the queue never stays `computing` once the scorer is done.
    if (this.state().state !== this.published) this.publish();
  }

  private follow(e: LaneEvent): void {
    switch (e.type) {
      case 'ack':
        this.remaining = e.remaining;
        break;
      case 'pairs':
        this.remaining = e.remaining;
        if (e.remaining === 0) this.proposalsPending = true;
        for (const [other, score] of e.pairs) this.scores.set(key(e.clusterId, other), score);
        if (e.done % 16 === 0 || e.remaining === 0) this.progress({ task: SUGGEST_TASK, done: e.done, total: e.total });
        break;
      case 'proposals':
        this.proposalsPending = false;
        this.proposals = e.proposals;
        this.publish();
        break;
      case 'suggestFailed':
      case 'failed':
        this.failed ??= e.message;
        this.remaining = 0;
        this.proposalsPending = false;
        this.publish();
        break;
    }
  }

  private state(): SuggestionStatus {
    return this.failed ? { state: 'unavailable', message: this.failed } : this.ready ? { state: 'ready' } : { state: 'computing' };
  }

  /** Sends the proposals whose clusters all exist now, with the scorer's state. */
  private publish(): void {
    const exists = (c: number) => this.clustering.nSpikes(c) > 0;
    const proposals: ReviewProposal[] = this.proposals
      .filter((s) => exists(s.clusters[0]) && exists(s.clusters[1]))
      .map((s) => ({ clusters: [...s.clusters], source: 'suggested', score: s.score, evidence: s.evidence }));
    const status = this.state();
    this.published = status.state;
    this.sink.setSuggestions(proposals, status);
  }

  dispose(): void {
    this.closed = true;
    this.unlisten();
    this.unsubscribe();
  }
}
