/**
 * The assistant's background lane as the main thread's services see it: requests go out
 * (`update`, `startQuality`, `startSuggestions`), events come back (`laneProtocol.ts`). Two
 * implementations of the same interface: `WorkerLane` (the app: a worker thread that opens the
 * dataset itself) and {@link InProcessLane} (the engine on this thread; unit tests inject their
 * own row source and scorer there).
 */
import type { ClusteringView } from '../../core/session/ClusteringView';
import { AssistantEngine } from './AssistantEngine';
import type { LaneEvent, LaneRequest, PairScorer, QualityRowSource } from './laneProtocol';

/** A change as the lane needs it (an `UpdateInfo`'s ids). */
export interface LaneUpdate {
  added: readonly number[];
  deleted: readonly number[];
}

export interface AssistantLane {
  /** Follows a change of the clustering (the owner of the lane calls it for every `UpdateInfo`). */
  update(u: LaneUpdate): void;
  /** Starts the metrics pass (the rows of every cluster, then of each added one). */
  startQuality(): void;
  /** Starts scoring every cluster's candidate pairs. */
  startSuggestions(): void;
  /** Subscribes to the lane's events; returns the unsubscribe function. */
  on(listener: (e: LaneEvent) => void): () => void;
  /** Whether the engine has handled every request sent so far. */
  readonly settled: boolean;
  /** The failure that stopped the lane (the worker could not open the dataset, or died), or null. */
  readonly failure: string | null;
  /** Stops the lane; resolves once nothing runs any more. */
  close(): Promise<void>;
}

/** What both lanes share: numbering requests, fanning events out, tracking what was handled. */
export abstract class LaneBase implements AssistantLane {
  private readonly listeners = new Set<(e: LaneEvent) => void>();
  private sent = 0;
  private handled = 0;
  protected closing = false;
  failure: string | null = null;

  /** Delivers a numbered request; `transfer`: buffers to move with it (a worker's postMessage). */
  protected abstract post(req: LaneRequest, transfer: ArrayBuffer[]): void;
  abstract close(): Promise<void>;

  update(u: LaneUpdate): void {
    if (u.added.length || u.deleted.length) this.send({ type: 'update', seq: 0, added: [...u.added], deleted: [...u.deleted] });
  }

  startQuality(): void {
    this.send({ type: 'startQuality', seq: 0 });
  }

  startSuggestions(): void {
    this.send({ type: 'startSuggestions', seq: 0 });
  }

  on(listener: (e: LaneEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get settled(): boolean {
    return this.handled === this.sent;
  }

  protected send(req: LaneRequest, transfer: ArrayBuffer[] = []): void {
    if (this.closing || this.failure) return;
    req.seq = ++this.sent;
    this.post(req, transfer);
  }

  protected receive(e: LaneEvent): void {
    if (this.closing) return;
    if (e.type === 'failed') this.failure = e.message;
    else this.handled = Math.max(this.handled, e.seq);
    for (const l of [...this.listeners]) l(e);
  }
}

/**
 * The engine on this thread (tests): like the worker, it handles a request after the caller's
 * turn (a microtask), and the work in later turns.
 */
export class InProcessLane extends LaneBase {
  private readonly engine: AssistantEngine;

  constructor(clustering: ClusteringView, sources: { quality?: QualityRowSource; scorer?: PairScorer }) {
    super();
    this.engine = new AssistantEngine(clustering, sources.quality ?? null, sources.scorer ?? null, (e) => this.receive(e));
  }

  protected post(req: LaneRequest): void {
    queueMicrotask(() => this.engine.handle(req));
  }

  async close(): Promise<void> {
    this.closing = true;
    this.engine.close();
  }
}
