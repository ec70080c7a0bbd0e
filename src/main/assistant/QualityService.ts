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
 * Runs on the main thread in slices of ≤ {@link QualityServiceOptions.sliceMs} that yield to the
 * event loop (setImmediate, so pending I/O — a view request — runs between slices): the metrics
 * read the dataset's paged files (raw data, PC features) through the main process's readers,
 * which a worker does not have. A slice ends after the cluster that crosses the budget, so one
 * heavy cluster can hold the thread for its own cost (see docs/BENCHMARKS.md, "metrics").
 */
import type { Dataset } from '../../core/dataset/Dataset';
import type { ClusteringView } from '../../core/session/ClusteringView';
import type { UpdateInfo } from '../../core/session/UpdateInfo';
import { METRIC_NAMES, QualityMetrics, type MetricsRow } from '../../core/metrics/qualityMetrics';
import type { Progress, QualityRow, QualityUpdate } from '../../shared/ipc/contract';

/** The task name of the background pass in `onDidProgress` (the status bar shows "metrics 120/490"). */
export const QUALITY_TASK = 'metrics';

/** What computes one cluster's row (the core's {@link QualityMetrics}; tests count the calls). */
export interface QualityRowSource {
  row(clusterId: number): MetricsRow;
  /** One step of work shared by every row (raw noise levels); true when none is left. */
  prepare?(): boolean;
}

export interface QualityServiceOptions {
  /** Rows new since the last update, at most every {@link flushMs} while the pass runs. */
  onUpdate?: (u: QualityUpdate) => void;
  /** Progress of the pass (`task: "metrics"`), done = current clusters with their row. */
  onProgress?: (p: Progress) => void;
  /** A cluster's metrics failed (a file read error): said once per cluster, its row stays empty. */
  onError?: (clusterId: number, message: string) => void;
  /** Milliseconds of computing before yielding to the event loop (default 20). */
  sliceMs?: number;
  /** Milliseconds between two updates while rows keep arriving (default 100: ≤ 10 store updates a second). */
  flushMs?: number;
  /** Replaces the core's computation (tests). */
  source?: QualityRowSource;
}

/** A core row as the contract carries it: NaN and missing values become null. */
export function toQualityRow(row: MetricsRow): QualityRow {
  const out: QualityRow = { cluster_id: row.cluster_id };
  for (const [k, v] of Object.entries(row)) {
    if (k === 'cluster_id') continue;
    out[k] = typeof v === 'number' ? (Number.isFinite(v) ? v : null) : (v ?? null);
  }
  return out;
}

export class QualityService {
  private readonly rows = new Map<number, QualityRow>();
  /** Ids waiting for their row, next first. */
  private queue: number[];
  /** Rows not yet sent in an update. */
  private unsent: QualityRow[] = [];
  private scheduled: ReturnType<typeof setImmediate> | null = null;
  private lastFlush = 0;
  private closed = false;
  private readonly source: QualityRowSource;
  private readonly sliceMs: number;
  private readonly flushMs: number;
  /** Rows computed so far (cache misses), for tests and the bench. */
  computations = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    dataset: Dataset,
    private readonly clustering: ClusteringView,
    private readonly opts: QualityServiceOptions = {},
  ) {
    this.source = opts.source ?? new QualityMetrics(dataset, clustering);
    this.sliceMs = opts.sliceMs ?? 20;
    this.flushMs = opts.flushMs ?? 100;
    this.queue = [...clustering.clusterIds()];
    this.schedule();
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
   * Follows a change: the added ids are computed first (a cached one, brought back by undo or
   * redo, is announced again at once without computing); deleted ids leave the queue.
   */
  onUpdate(u: UpdateInfo): void {
    if (this.closed || (!u.added.length && !u.deleted.length)) return;
    const deleted = new Set(u.deleted);
    const fresh: number[] = [];
    for (const c of u.added) {
      const r = this.rows.get(c);
      if (r) this.unsent.push(r);
      else fresh.push(c);
    }
    this.queue = [...fresh, ...this.queue.filter((c) => !deleted.has(c) && !fresh.includes(c))];
    this.flush();
    this.schedule();
  }

  /** Resolves when every current cluster has its row (tests, the bench). */
  idle(): Promise<void> {
    if (!this.queue.length || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops the pass (the dataset is closing). */
  close(): void {
    this.closed = true;
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    this.queue = [];
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private schedule(): void {
    if (this.closed || this.scheduled || !this.queue.length) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = null;
      this.step();
    });
  }

  private step(): void {
    if (this.closed) return;
    const t0 = performance.now();
    let prepared = false;
    while (this.queue.length && performance.now() - t0 < this.sliceMs) {
      if (!prepared && this.source.prepare && !(prepared = this.source.prepare())) continue;
      const c = this.queue.shift()!;
      if (this.rows.has(c) || this.clustering.nSpikes(c) === 0) continue;
      let row: QualityRow;
      try {
        row = toQualityRow(this.source.row(c));
      } catch (e) {
        this.opts.onError?.(c, e instanceof Error ? e.message : String(e));
        row = { cluster_id: c };
      }
      this.computations++;
      this.rows.set(c, row);
      this.unsent.push(row);
    }
    if (!this.queue.length || performance.now() - this.lastFlush >= this.flushMs) this.flush();
    if (this.queue.length) this.schedule();
    else for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Sends the unsent rows of current clusters and the progress. */
  private flush(): void {
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
