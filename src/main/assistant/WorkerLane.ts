/**
 * The assistant's lane in its own worker thread (decision 0010, "Background lane"): the thread
 * opens the dataset itself (`openDataset`, its own lazy readers and page cache, but a template
 * folder's per-spike columns are the main thread's, shared: `sharedSpikeColumns`) and keeps its
 * own copy of the clustering, so the metrics rows and the suggestion scoring never hold the
 * backend's main thread.
 *
 * What the main thread does for it: one copy of the assignment at start (O(spikes), a memcpy,
 * transferred), then per change the spike ids of each added cluster the thread has never been
 * sent (O(spikes of the changed clusters)); an id names a fixed spike set, so the thread's copy
 * never goes stale, and an id brought back by undo or redo is sent without its spikes.
 *
 * Closing asks the thread to close its files and exit between two units of work; a thread still
 * busy after {@link CLOSE_GRACE_MS} (one heavy cluster) is terminated.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedSpikeColumns, type Dataset, type SpikeColumns } from '../../core/dataset/Dataset';
import type { ClusteringView } from '../../core/session/ClusteringView';
import { flatAssignment } from '../../core/session/SpikeAssignment';
import { packageRoot } from '../paths';
import { LaneBase } from './AssistantLane';
import type { LaneEvent, LaneRequest } from './laneProtocol';

/** How long a closing thread may take to finish its unit of work and close its files. */
export const CLOSE_GRACE_MS = 2000;

/** What the worker thread is started with (`workerData`). */
export interface AssistantWorkerData {
  /** The dataset's folder or `.kwik` file, as the main thread opened it. */
  path: string;
  /** Kwik: the channel group and clustering the main thread opened. */
  kwik?: { channelGroup: number; clustering: string };
  /** (nSpikes,) the session's assignment when the lane started (a copy, transferred). */
  assignment: Int32Array;
  /**
   * The main thread's per-spike columns when they are SharedArrayBuffer-backed (then shared,
   * not copied): the thread opens the dataset with them instead of reading them again.
   */
  columns?: SpikeColumns | null;
}

/** The built worker bundle; throws a clear error when it has not been built. */
export function defaultAssistantWorkerFile(): string {
  const file = join(packageRoot(), 'dist', 'native-workers', 'assistant.mjs');
  if (!existsSync(file)) throw new Error(`assistant worker bundle not found at ${file}: run \`node scripts/build.mjs --no-renderer\` first`);
  return file;
}

export class WorkerLane extends LaneBase {
  private readonly worker: Worker;
  /** Ids whose spike lists the thread has (it keeps every list it was sent). */
  private readonly known: Set<number>;
  private readonly exit: Promise<void>;
  private running = true;

  constructor(
    dataset: Dataset,
    private readonly clustering: ClusteringView,
    opts: { workerFile?: string } = {},
  ) {
    super();
    const assignment = flatAssignment(clustering.assignment);
    this.known = new Set(clustering.clusterIds());
    const columns = dataset.format === 'template' ? sharedSpikeColumns(dataset) : null;
    const data: AssistantWorkerData = { path: dataset.path, assignment, columns, ...(dataset.kwik ? { kwik: { channelGroup: dataset.kwik.channelGroup, clustering: dataset.kwik.clustering } } : {}) };
    this.worker = new Worker(opts.workerFile ?? defaultAssistantWorkerFile(), { workerData: data, transferList: [assignment.buffer as ArrayBuffer], name: 'spikedock assistant' });
    // Never the reason a process stays alive (a CLI, a test): the owner closes it.
    this.worker.unref();
    this.worker.on('message', (e: LaneEvent) => this.receive(e));
    this.worker.on('error', (e) => this.fail(`the background worker failed: ${e.message}`));
    this.exit = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.running = false;
        if (!this.closing && code !== 0) this.fail(`the background worker stopped (exit code ${code})`);
        resolve();
      }),
    );
  }

  /** Whether the thread is still running (false once it has exited). */
  get alive(): boolean {
    return this.running;
  }

  /** The thread's id (`worker_threads.threadId` inside it). */
  get threadId(): number {
    return this.worker.threadId;
  }

  override update(u: { added: readonly number[]; deleted: readonly number[] }): void {
    if (!u.added.length && !u.deleted.length) return;
    const lists: Array<Int32Array | null> = [];
    const transfer: ArrayBuffer[] = [];
    for (const c of u.added) {
      if (this.known.has(c)) {
        lists.push(null);
        continue;
      }
      this.known.add(c);
      const ids = this.clustering.spikeIds(c);
      // Shared memory is shared, not copied (lists never change); anything else is copied
      // once, exactly the cluster's spikes (a view would clone its whole buffer), and moved.
      if (ids.buffer instanceof SharedArrayBuffer) lists.push(ids);
      else {
        const own = ids.slice();
        lists.push(own);
        transfer.push(own.buffer as ArrayBuffer);
      }
    }
    this.send({ type: 'update', seq: 0, added: [...u.added], deleted: [...u.deleted], lists }, transfer);
  }

  protected post(req: LaneRequest, transfer: ArrayBuffer[]): void {
    this.worker.postMessage(req, transfer);
  }

  private fail(message: string): void {
    if (this.closing || this.failure) return;
    this.receive({ type: 'failed', seq: 0, message });
  }

  /** Ends the thread: it closes its files and exits, or is terminated after {@link CLOSE_GRACE_MS}. */
  async close(): Promise<void> {
    if (!this.closing) {
      if (this.running) this.worker.postMessage({ type: 'close', seq: 0 } satisfies LaneRequest);
      this.closing = true;
      const timer = setTimeout(() => void this.worker.terminate(), CLOSE_GRACE_MS);
      await this.exit;
      clearTimeout(timer);
    }
    await this.exit;
  }
}
