/**
 * Live quality metrics of the current clusters (issue #13, decision 0010): every cluster's
 * SpikeInterface metrics (`src/core/metrics`), computed in the background after open and pushed
 * progressively as `onDidUpdateQuality`; after a merge, split, undo or redo only the clusters the
 * `UpdateInfo` adds are computed.
 *
 * Cached by cluster id: an id names one fixed set of spikes (src/core/session/README.md), so a
 * computed row never goes stale. A deleted id's row stays in the cache (undo brings the id back
 * with no recompute) but is never reported as a current cluster's: `snapshot()` and the counts
 * only look at the clusters that exist now.
 *
 * The rows are computed by the assistant's lane (`AssistantLane`: in the app a worker thread
 * that opens the dataset itself, `WorkerLane`), which also owns the order of the pass; this
 * service keeps the rows, batches them into updates and answers `snapshot()`. Its work on this
 * thread is O(clusters) per update, never a metric.
 */
import type { ClusteringView } from '../../core/session/ClusteringView';
import type { UpdateInfo } from '../../core/session/UpdateInfo';
import { METRIC_NAMES } from '../../core/metrics/qualityMetrics';
import type { Progress, QualityRow, QualityUpdate } from '../../shared/ipc/contract';
import type { AssistantLane } from './AssistantLane';
import type { LaneEvent } from './laneProtocol';

/** The task name of the background pass in `onDidProgress` (the status bar shows "metrics 120/490"). */
export const QUALITY_TASK = 'metrics';

export interface QualityServiceOptions {
  /** Rows new since the last update, at most every {@link flushMs} while the pass runs. */
  onUpdate?: (u: QualityUpdate) => void;
  /** Progress of the pass (`task: "metrics"`), done = current clusters with their row. */
  onProgress?: (p: Progress) => void;
  /** A cluster's metrics failed (a file read error): said once per cluster, its row stays empty. */
  onError?: (clusterId: number, message: string) => void;
  /** The lane cannot compute at all (its worker could not open the dataset): said once. */
  onFailure?: (message: string) => void;
  /** Milliseconds between two updates while rows keep arriving (default 100: ≤ 10 store updates a second). */
  flushMs?: number;
  /**
   * Milliseconds after construction before the pass starts (default 2000): the window's first
   * load (page, view bundles, the first views' data) goes first — the pass shares the CPU with
   * it. {@link QualityService.idle} starts it at once.
   */
  startDelayMs?: number;
}

export class QualityService {
  private readonly rows = new Map<number, QualityRow>();
  /** Rows not yet sent in an update. */
  private unsent: QualityRow[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private lastFlush = 0;
  private closed = false;
  private failed = false;
  private readonly flushMs: number;
  /** Rows computed so far (cache misses), for tests and the bench. */
  computations = 0;
  private idleWaiters: Array<() => void> = [];
  private started = false;
  private startTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly unlisten: () => void;

  constructor(
    private readonly clustering: ClusteringView,
    private readonly lane: AssistantLane,
    private readonly opts: QualityServiceOptions = {},
  ) {
    this.flushMs = opts.flushMs ?? 100;
    this.unlisten = lane.on((e) => this.onLaneEvent(e));
    const delay = opts.startDelayMs ?? 2000;
    if (delay > 0) {
      this.startTimer = setTimeout(() => this.start(), delay);
      this.startTimer.unref?.();
    } else this.start();
  }

  private start(): void {
    if (this.startTimer) clearTimeout(this.startTimer);
    this.startTimer = null;
    if (this.started || this.closed) return;
    this.started = true;
    this.lane.startQuality();
  }

  /** Every current cluster's row computed so far, with the counts. */
  snapshot(): QualityUpdate {
    const ids = this.clustering.clusterIds();
    const rows: QualityRow[] = [];
    for (const c of ids) {
      const r = this.rows.get(c);
      if (r) rows.push(r);
    }
    return { generation: this.clustering.generation, names: [...METRIC_NAMES], rows, computed: rows.length, total: ids.length };
  }

  /** The cached row of a cluster id (current or not), or undefined while it is not computed. */
  row(clusterId: number): QualityRow | undefined {
    return this.rows.get(clusterId);
  }

  /**
   * Follows a change (the lane hears it from the lane's owner and computes the added ids
   * first): a cached added id, brought back by undo or redo, is announced again at once; the
   * counts drop the deleted ids.
   */
  onUpdate(u: UpdateInfo): void {
    if (this.closed || (!u.added.length && !u.deleted.length)) return;
    for (const c of u.added) {
      const r = this.rows.get(c);
      if (r) this.unsent.push(r);
    }
    this.flush();
    this.settle();
  }

  /** Resolves when every current cluster has its row (tests, the bench), or the lane failed. */
  idle(): Promise<void> {
    if (!this.started && !this.closed) this.start();
    if (this.closed || this.failed || this.complete()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops listening (the dataset is closing; its owner closes the lane). */
  close(): void {
    this.closed = true;
    this.unlisten();
    if (this.startTimer) clearTimeout(this.startTimer);
    this.startTimer = null;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private onLaneEvent(e: LaneEvent): void {
    if (this.closed) return;
    if (e.type === 'row') {
      if (e.error !== undefined) this.opts.onError?.(e.clusterId, e.error);
      this.computations++;
      this.rows.set(e.clusterId, e.row);
      this.unsent.push(e.row);
      if (performance.now() - this.lastFlush >= this.flushMs) this.flush();
      else this.flushTimer ??= setTimeout(() => this.flush(), this.flushMs);
      this.settle();
    } else if (e.type === 'failed' && !this.failed) {
      this.failed = true;
      this.opts.onFailure?.(e.message);
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** When every current cluster has its row: the last update at once, then the waiters. */
  private settle(): void {
    if (!this.complete()) return;
    if (this.unsent.length) this.flush();
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private complete(): boolean {
    const { computed, total } = this.counts();
    return computed === total;
  }

  /** Sends the unsent rows of current clusters and the progress. */
  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.closed) return;
    this.lastFlush = performance.now();
    const current = this.unsent.filter((r) => this.clustering.nSpikes(r.cluster_id) > 0);
    this.unsent = [];
    const snap = this.counts();
    this.opts.onUpdate?.({ generation: this.clustering.generation, names: [...METRIC_NAMES], rows: current, ...snap });
    this.opts.onProgress?.({ task: QUALITY_TASK, done: snap.computed, total: snap.total });
  }

  private counts(): { computed: number; total: number } {
    const ids = this.clustering.clusterIds();
    let computed = 0;
    for (const c of ids) if (this.rows.has(c)) computed++;
    return { computed, total: ids.length };
  }
}
