/**
 * The compute service's shared result cache: memoised view data keyed by request (and, for
 * results that depend on other clusters, the generation), identical requests joining the one
 * computation in flight, and results overtaken by an update that deleted or re-added one of
 * their clusters dropped ({@link StaleResultError}).
 */
import type { ClusteringView } from '../../core/session/ClusteringView';
import { ByteCache } from './ByteCache';
import { AbortError } from './WorkerPool';

/** The call's result was computed for clusters an update deleted meanwhile; it was dropped. */
export class StaleResultError extends Error {
  constructor() {
    super('result dropped: the clusters it was computed for changed meanwhile');
    this.name = 'StaleResultError';
  }
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortError();
}

/** `promise`, or an AbortError as soon as `signal` fires (the work itself goes on). */
export function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  throwIfAborted(signal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export class ResultCache {
  private readonly cache: ByteCache;
  private updates = 0;
  /**
   * Update count at which each cluster id last appeared or disappeared. An id names one spike set
   * while it exists, but undo/redo delete and re-add the same id: a result computed while it did
   * not exist (no spikes) must never be served once it is back.
   */
  private readonly changedAt = new Map<number, number>();
  /** Computations running, by memo key (joined by identical requests). */
  private readonly pending = new Map<string, { promise: Promise<unknown>; seq: number }>();
  private closed = false;

  constructor(
    private readonly clustering: ClusteringView,
    capacityBytes: number,
  ) {
    this.cache = new ByteCache(capacityBytes);
  }

  /** Bytes held. */
  get bytes(): number {
    return this.cache.bytes;
  }

  /**
   * The cached result of `method` for `req`, else the one running for the same, else
   * `compute(generation)` (then cached under `clusterIds`). Results carry the current generation.
   */
  async memo<T extends { generation: number }>(
    method: string,
    req: unknown,
    clusterIds: number[],
    generationDependent: boolean,
    signal: AbortSignal | undefined,
    compute: (generation: number) => Promise<T>,
  ): Promise<T> {
    if (this.closed) throw new Error('compute service is closed');
    throwIfAborted(signal);
    const gen = this.clustering.generation;
    const key = `${method}:${JSON.stringify(req)}${generationDependent ? `@${gen}` : ''}`;
    const hit = this.cache.get<T>(key);
    if (hit) return { ...hit, generation: gen };
    // The same request already running (a prefetch, or another view asking the same): join it.
    const running = this.pending.get(key) as { promise: Promise<T>; seq: number } | undefined;
    if (running && !this.changedSince(clusterIds, running.seq)) {
      try {
        const value = await raceAbort(running.promise, signal);
        return this.clustering.generation === value.generation ? value : { ...value, generation: this.clustering.generation };
      } catch (e) {
        // Its own caller gave up (e.g. a prefetch cancelled): compute it for this caller.
        if (!(e instanceof AbortError) || signal?.aborted) throw e;
      }
    }
    const seq = this.updates;
    const promise = (async () => {
      const value = await compute(gen);
      throwIfAborted(signal);
      if (this.changedSince(clusterIds, seq) || (generationDependent && this.clustering.generation !== gen)) throw new StaleResultError();
      this.cache.set(key, value, clusterIds);
      return this.clustering.generation === gen ? value : { ...value, generation: this.clustering.generation };
    })();
    const entry = { promise, seq };
    this.pending.set(key, entry);
    try {
      return await promise;
    } finally {
      if (this.pending.get(key) === entry) this.pending.delete(key);
    }
  }

  /** Whether any of `clusterIds` was deleted or (re-)added after update count `seq`. */
  private changedSince(clusterIds: readonly number[], seq: number): boolean {
    return clusterIds.some((c) => (this.changedAt.get(c) ?? -1) > seq);
  }

  /** Drops the results of clusters an update deleted or (re-)added, and marks them changed for results still running. */
  onClustersChanged(clusterIds: readonly number[]): void {
    this.updates++;
    for (const c of clusterIds) this.changedAt.set(c, this.updates);
    this.cache.invalidateClusters([...clusterIds]);
  }

  /** Refuses further requests and forgets what is cached. */
  close(): void {
    this.closed = true;
    this.cache.clear();
  }
}
