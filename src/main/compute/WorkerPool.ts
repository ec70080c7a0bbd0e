/**
 * The compute worker pool (GUIDE §4): piscina behind one class, with two lanes.
 *
 * - `interactive` (what the user looks at now): its own threads (default min(2, cores)).
 * - `background` (spike times by cluster, all-pairs work): its own thread (default 1), and a
 *   background task is only started while no interactive task is running or waiting, so a click
 *   never queues behind background work (background tasks are chunked to tens of ms).
 *
 * Each lane keeps its own queue and hands piscina at most one task per thread, so cancellation
 * stays cooperative: aborting a queued task removes it; aborting a running task raises its
 * shared cancel flag (the handler stops at its next check) and rejects the caller at once —
 * piscina's own abort would terminate the thread and cost a restart.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../paths';
import { Piscina } from 'piscina';

/** piscina's transfer list type (its RunOptions is not exported): ArrayBuffers are transferable. */
type TransferList = NonNullable<NonNullable<Parameters<Piscina['run']>[1]>['transferList']>;
import { CANCELLED_MESSAGE, type TaskMessage, type TaskSpec } from '../../shared/tasks/tasks';

export type Lane = 'interactive' | 'background';

export interface RunOptions {
  signal?: AbortSignal;
  /** Default `interactive`. */
  lane?: Lane;
  /** ArrayBuffers of the arguments to transfer (moved, unusable afterwards by the caller). */
  transfer?: ArrayBuffer[];
}

export interface WorkerPoolOptions {
  interactiveThreads?: number;
  backgroundThreads?: number;
  /** Path of the worker bundle (default: `dist/native-workers/worker.mjs` of this package). */
  workerFile?: string;
}

/** Rejection of a call whose AbortSignal fired. */
export class AbortError extends Error {
  constructor(message = 'aborted') {
    super(message);
    this.name = 'AbortError';
  }
}

/** The built worker bundle; throws a clear error when it has not been built. */
export function defaultWorkerFile(): string {
  const file = join(packageRoot(), 'dist', 'native-workers', 'worker.mjs');
  if (!existsSync(file)) throw new Error(`compute worker bundle not found at ${file}: run \`node scripts/build.mjs --no-renderer\` first`);
  return file;
}

interface Job {
  message: TaskMessage;
  transfer: ArrayBuffer[];
  signal?: AbortSignal;
  resolve(v: unknown): void;
  reject(e: unknown): void;
  onAbort?: () => void;
  settled: boolean;
}

class LaneQueue {
  readonly queue: Job[] = [];
  running = 0;
  constructor(
    readonly piscina: Piscina,
    readonly threads: number,
  ) {}
}

export class WorkerPool {
  private readonly lanes: Record<Lane, LaneQueue>;
  private closed = false;

  constructor(opts: WorkerPoolOptions = {}) {
    const cores = availableParallelism();
    const interactive = Math.max(1, opts.interactiveThreads ?? Math.min(2, cores));
    const background = Math.max(1, opts.backgroundThreads ?? 1);
    const filename = opts.workerFile ?? defaultWorkerFile();
    const make = (n: number, name: string) =>
      new Piscina({ filename, minThreads: n, maxThreads: n, idleTimeout: 60_000, workerData: { lane: name } });
    this.lanes = {
      interactive: new LaneQueue(make(interactive, 'interactive'), interactive),
      background: new LaneQueue(make(background, 'background'), background),
    };
  }

  /** Threads per lane. */
  get threads(): Record<Lane, number> {
    return { interactive: this.lanes.interactive.threads, background: this.lanes.background.threads };
  }

  /** Running and queued tasks per lane (for tests and diagnostics). */
  get load(): Record<Lane, { running: number; queued: number }> {
    const f = (l: LaneQueue) => ({ running: l.running, queued: l.queue.length });
    return { interactive: f(this.lanes.interactive), background: f(this.lanes.background) };
  }

  /** Runs a task; rejects with {@link AbortError} when `signal` fires first. */
  run<A, R>(spec: TaskSpec<A, R>, args: A, opts: RunOptions = {}): Promise<R> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    if (opts.signal?.aborted) return Promise.reject(new AbortError());
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    const lane = this.lanes[opts.lane ?? 'interactive'];
    return new Promise<R>((resolve, reject) => {
      const job: Job = {
        message: { name: spec.name, args, cancel },
        transfer: opts.transfer ?? [],
        signal: opts.signal,
        resolve: resolve as (v: unknown) => void,
        reject,
        settled: false,
      };
      if (opts.signal) {
        job.onAbort = () => {
          Atomics.store(cancel, 0, 1);
          const i = lane.queue.indexOf(job);
          if (i >= 0) lane.queue.splice(i, 1);
          this.settle(job, new AbortError(), true);
        };
        opts.signal.addEventListener('abort', job.onAbort, { once: true });
      }
      lane.queue.push(job);
      this.pump();
    });
  }

  private settle(job: Job, value: unknown, failed: boolean): void {
    if (job.settled) return;
    job.settled = true;
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    if (failed) job.reject(value);
    else job.resolve(value);
  }

  private pump(): void {
    const inter = this.lanes.interactive;
    const back = this.lanes.background;
    this.start(inter);
    if (inter.running === 0 && inter.queue.length === 0) this.start(back);
  }

  private start(lane: LaneQueue): void {
    while (lane.running < lane.threads && lane.queue.length) {
      const job = lane.queue.shift()!;
      lane.running++;
      lane.piscina.run(job.message, { transferList: job.transfer as unknown as TransferList }).then(
        (v) => this.finish(lane, job, v, false),
        (e) => this.finish(lane, job, e, true),
      );
    }
  }

  private finish(lane: LaneQueue, job: Job, value: unknown, failed: boolean): void {
    lane.running--;
    if (failed && (value as Error)?.message?.includes(CANCELLED_MESSAGE)) value = new AbortError();
    this.settle(job, value, failed);
    this.pump();
  }

  /** Rejects queued tasks, waits for running ones, and stops the threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const lane of Object.values(this.lanes)) {
      for (const job of lane.queue.splice(0)) this.settle(job, new AbortError('worker pool closed'), true);
    }
    await Promise.all(Object.values(this.lanes).map((l) => l.piscina.destroy()));
  }
}
