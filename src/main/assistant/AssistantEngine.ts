/**
 * The curation assistant's background work, one unit per event-loop turn: the metrics row of one
 * cluster (QualityService's pass) or the candidate pairs of one cluster (SuggestionService's
 * scorer). It runs in the assistant's worker thread (`assistant.worker.ts`) on that thread's own
 * copy of the clustering, and in tests on the main thread (InProcessLane); either way it hears
 * requests and answers with events (`laneProtocol.ts`).
 *
 * Queues: every cluster's row once (ascending ids), the clusters an update adds first, deleted
 * ones never; a row is computed once per id, so undo and redo bring back ids with no work (the
 * main thread still holds their rows). The scorer follows the same updates as
 * `MergeSuggester.update` expects: deleted clusters' pairs dropped at once, added clusters
 * scored in the background, a merge's cluster with its parents named (its samples are composed
 * from theirs, no file read). One unit per turn: a change's clusters' pairs first, then
 * alternately a row and a cluster's pairs, so a request (an update) waits at most one unit.
 */
import type { ClusteringView } from '../../core/session/ClusteringView';
import type { QualityRow } from '../../shared/ipc/contract';
import { REVIEW_MAX_SUGGESTIONS, REVIEW_MIN_SCORE, toQualityRow, type LaneEvent, type LaneRequest, type PairScorer, type QualityRowSource } from './laneProtocol';

export class AssistantEngine {
  /** Ids waiting for their row, next first. */
  private rowQueue: number[];
  private readonly rowsDone = new Set<number>();
  private qualityStarted = false;
  private prepared = false;
  /** Clusters whose candidate pairs are still to score, in order. */
  private pairQueue: number[] = [];
  /** Clusters added by a change and not scored yet: they go before anything else. */
  private readonly urgent = new Set<number>();
  /** Parents of a merged cluster waiting in the queue. */
  private readonly parents = new Map<number, number[]>();
  private pairTotal = 0;
  private pairDone = 0;
  private scorerFailed = false;
  private seq = 0;
  private turn = 0;
  private scheduled: ReturnType<typeof setImmediate> | null = null;
  private closed = false;

  constructor(
    private readonly clustering: ClusteringView,
    private readonly quality: QualityRowSource | null,
    private readonly scorer: PairScorer | null,
    private readonly emit: (e: LaneEvent) => void,
  ) {
    this.rowQueue = quality ? [...clustering.clusterIds()] : [];
  }

  /** Handles one request (the caller has already applied an update to the clustering it reads). */
  handle(req: LaneRequest): void {
    if (this.closed) return;
    this.seq = req.seq;
    if (req.type === 'update') this.update(req.added, req.deleted);
    else if (req.type === 'startQuality') this.qualityStarted = true;
    else if (req.type === 'startSuggestions') this.enqueuePairs(this.clustering.clusterIds());
    else if (req.type === 'close') return this.close();
    this.emit({ type: 'ack', seq: this.seq, remaining: this.pairQueue.length });
    // Nothing to score after a change or a start (deletions only, no clusters): the proposals now.
    if ((req.type === 'update' || req.type === 'startSuggestions') && !this.pairQueue.length) this.publish();
    this.schedule();
  }

  /** Stops: nothing more is computed or emitted. */
  close(): void {
    this.closed = true;
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    this.rowQueue = [];
    this.pairQueue = [];
    this.urgent.clear();
  }

  private update(added: readonly number[], deleted: readonly number[]): void {
    if (!added.length && !deleted.length) return;
    const gone = new Set(deleted);
    if (this.quality) {
      const fresh = added.filter((c) => !this.rowsDone.has(c));
      const first = new Set(fresh);
      this.rowQueue = [...fresh, ...this.rowQueue.filter((c) => !gone.has(c) && !first.has(c))];
    }
    if (this.scorer && !this.scorerFailed) {
      // Cheap: drop the pairs of deleted clusters now; scoring waits for the background turns.
      this.scorer.update([], deleted);
      if (added.length === 1 && deleted.length) this.parents.set(added[0], [...deleted]);
      this.pairQueue = this.pairQueue.filter((c) => !gone.has(c));
      for (const c of gone) this.urgent.delete(c);
      // The curator's change first: its clusters lead the queue and go before any row (tens of
      // ms each, where one row can take a second), so the review queue follows at once.
      this.enqueuePairs(added, true);
      for (const c of added) this.urgent.add(c);
    }
  }

  private enqueuePairs(ids: readonly number[], first = false): void {
    if (!this.scorer || this.scorerFailed || !ids.length) return;
    if (!this.pairQueue.length) {
      this.pairTotal = 0;
      this.pairDone = 0;
    }
    if (first) this.pairQueue.unshift(...ids);
    else this.pairQueue.push(...ids);
    this.pairTotal += ids.length;
  }

  private get hasRowWork(): boolean {
    return this.qualityStarted && this.rowQueue.length > 0;
  }

  private schedule(): void {
    if (this.closed || this.scheduled || (!this.hasRowWork && !this.pairQueue.length)) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = null;
      this.step();
      this.schedule();
    });
  }

  /** One unit: a changed cluster's pairs first, else alternately a metrics row and a cluster's pairs. */
  private step(): void {
    if (this.closed) return;
    const rows = this.hasRowWork;
    const pairs = this.pairQueue.length > 0;
    if (this.urgent.size && pairs) this.stepPairs();
    else if (rows && (!pairs || this.turn++ % 2 === 0)) this.stepRow();
    else if (pairs) this.stepPairs();
  }

  private stepRow(): void {
    const source = this.quality!;
    if (!this.prepared && source.prepare) {
      try {
        this.prepared = source.prepare();
      } catch {
        // A read error (a damaged raw file): the rows that need the shared work fail one by
        // one, each with its cluster named; the rest of the pass goes on.
        this.prepared = true;
      }
      if (!this.prepared) return;
    }
    while (this.rowQueue.length) {
      const c = this.rowQueue.shift()!;
      if (this.rowsDone.has(c) || this.clustering.nSpikes(c) === 0) continue;
      let row: QualityRow;
      let error: string | undefined;
      try {
        row = toQualityRow(source.row(c));
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
        row = { cluster_id: c };
      }
      this.rowsDone.add(c);
      this.emit({ type: 'row', seq: this.seq, clusterId: c, row, ...(error !== undefined ? { error } : {}) });
      return;
    }
  }

  private stepPairs(): void {
    const scorer = this.scorer!;
    const c = this.pairQueue.shift()!;
    this.urgent.delete(c);
    try {
      const parents = this.parents.get(c) ?? [];
      this.parents.delete(c);
      if (this.clustering.nSpikes(c) > 0) scorer.update([c], parents);
    } catch (e) {
      // A reader error (a damaged features file…) stops the scorer, says why; the metrics go on.
      this.scorerFailed = true;
      this.pairQueue = [];
      this.urgent.clear();
      this.emit({ type: 'suggestFailed', seq: this.seq, message: `merge suggestions stopped at cluster ${c}: ${(e as Error).message}` });
      return;
    }
    this.pairDone++;
    const pairs = scorer.forCluster(c).map((s): [number, number] => [s.clusters[0] === c ? s.clusters[1] : s.clusters[0], s.score]);
    this.emit({ type: 'pairs', seq: this.seq, clusterId: c, pairs, done: this.pairDone, total: this.pairTotal, remaining: this.pairQueue.length });
    if (!this.pairQueue.length) this.publish();
  }

  /** The review queue's proposals: pairs scoring ≥ REVIEW_MIN_SCORE, best first, at most REVIEW_MAX_SUGGESTIONS. */
  private publish(): void {
    if (!this.scorer || this.scorerFailed) return;
    const proposals = this.scorer
      .all()
      .filter((s) => s.score >= REVIEW_MIN_SCORE)
      .slice(0, REVIEW_MAX_SUGGESTIONS);
    this.emit({ type: 'proposals', seq: this.seq, proposals });
  }
}
