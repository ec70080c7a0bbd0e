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
import { pathToFileURL } from 'node:url';
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
  /**
   * Run every task in the calling thread, one at a time, with the worker bundle's own handlers
   * (`runHere`), instead of starting threads: for a command-line call whose work is one task,
   * where starting threads — each loading the bundle and opening the dataset — costs more than
   * the task itself. Cancellation works as with threads (the shared flag, checked by handlers
   * between chunks); the calling thread is busy while a task runs.
   */
  inline?: boolean;
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

/** Where a lane's tasks run: piscina's threads, or this thread. */
interface TaskRunner {
  run(message: TaskMessage, transfer: ArrayBuffer[]): Promise<unknown>;
  destroy(): Promise<void>;
}

function threadRunner(filename: string, threads: number, lane: Lane): TaskRunner {
  const piscina = new Piscina({ filename, minThreads: threads, maxThreads: threads, idleTimeout: 60_000, workerData: { lane } });
  return {
    run: (message, transfer) => piscina.run(message, { transferList: transfer as unknown as TransferList }),
    destroy: () => piscina.destroy(),
  };
}

/** Runs tasks in this thread through the worker bundle's `runHere` (loaded on the first task). */
function inlineRunner(filename: string): TaskRunner {
  let bundle: Promise<{ runHere(m: TaskMessage): unknown }> | null = null;
  return {
    async run(message) {
      bundle ??= import(pathToFileURL(filename).href) as Promise<{ runHere(m: TaskMessage): unknown }>;
      const { runHere } = await bundle;
      // A macrotask first, so a caller's abort in the same tick lands before the task starts.
      await new Promise((r) => setImmediate(r));
      return runHere(message);
    },
    destroy: async () => {},
  };
}

class LaneQueue {
  readonly queue: Job[] = [];
  running = 0;
  constructor(
    readonly runner: TaskRunner,
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
    if (opts.inline) {
      // One runner for both lanes: one task at a time in this thread.
      const here = inlineRunner(filename);
      this.lanes = { interactive: new LaneQueue(here, 1), background: new LaneQueue(here, 1) };
      return;
    }
    this.lanes = {
      interactive: new LaneQueue(threadRunner(filename, interactive, 'interactive'), interactive),
      background: new LaneQueue(threadRunner(filename, background, 'background'), background),
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
      lane.runner.run(job.message, job.transfer).then(
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
    await Promise.all(Object.values(this.lanes).map((l) => l.runner.destroy()));
  }
}
