/**
 * Entry of the assistant's worker thread (bundled to `dist/native-workers/assistant.mjs`, started
 * by WorkerLane, one per opened dataset): opens the dataset with the backend's own
 * `openDataset` (its own lazy readers; a template folder's per-spike columns are the main
 * thread's SharedArrayBuffers, not a second copy), keeps a copy of the session's clustering that it updates
 * from the requests (ClusterLabels applying each added cluster's spike list), and runs
 * AssistantEngine with the core's QualityMetrics and MergeSuggester on it.
 *
 * It lives in src/main, not src/native-workers: it is the backend's code on a second thread
 * (the same dataset opening, the same services' engine), and src/native-workers may not import
 * src/main (GUIDE §1); see decision 0010, "Background lane".
 */
import { parentPort, workerData } from 'node:worker_threads';
import { constants, setPriority } from 'node:os';
import { openDataset } from '../openDataset';
import { cacheBudget } from '../memoryBudget';
import type { Dataset } from '../../core/dataset/Dataset';
import { ClusterLabels } from '../../core/session/ClusterLabels';
import { QualityMetrics } from '../../core/metrics/qualityMetrics';
import { MergeSuggester } from '../../core/suggest/MergeSuggester';
import { AssistantEngine } from './AssistantEngine';
import type { LaneEvent, LaneRequest } from './laneProtocol';
import type { AssistantWorkerData } from './WorkerLane';


const port = parentPort!;
const data = workerData as AssistantWorkerData;
const post = (e: LaneEvent) => port.postMessage(e);

// Linux: the nice value is per thread, so this lowers only this thread's priority; the main
// thread and the view workers win the CPU when the machine is busy. (Elsewhere it would apply
// to the whole process: left alone.)
if (process.platform === 'linux') {
  try {
    setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // not permitted: the normal priority does
  }
}

let dataset: Dataset | null = null;
let engine: AssistantEngine | null = null;
let labels: ClusterLabels | null = null;
/** Spike lists of the clusters an update deleted, for an undo or redo that brings them back. */
const retired = new Map<number, Int32Array>();
const pending: LaneRequest[] = [];
let closing = false;

function close(): void {
  closing = true;
  engine?.close();
  dataset?.close();
  port.close();
}

function handle(req: LaneRequest): void {
  if (req.type === 'close') return close();
  if (!engine || !labels) {
    pending.push(req);
    return;
  }
  if (req.type === 'update') {
    const lists = req.added.map((c, k) => {
      const l = req.lists?.[k] ?? retired.get(c);
      if (!l) throw new Error(`cluster ${c} was added without its spikes`);
      return l;
    });
    for (const d of req.deleted) retired.set(d, labels.spikeIds(d));
    for (const c of req.added) retired.delete(c);
    labels.adopt(req.deleted, req.added, lists);
  }
  engine.handle(req);
}

port.on('message', (req: LaneRequest) => {
  try {
    handle(req);
  } catch (e) {
    post({ type: 'failed', seq: req.seq, message: (e as Error).message });
    close();
  }
});

try {
  dataset = await openDataset(data.path, { pageCacheBytes: cacheBudget().assistantPageCacheBytes, columns: data.columns, ...(data.kwik ?? {}) });
  if (closing) dataset.close();
  else {
    if (dataset.nSpikes !== data.assignment.length) {
      throw new Error(`${data.path} now holds ${dataset.nSpikes} spikes, the session ${data.assignment.length}: reopen the dataset`);
    }
    labels = new ClusterLabels(data.assignment);
    // ClusterLabels made its own copy: the transferred one is not needed any more.
    data.assignment = new Int32Array(0);
    engine = new AssistantEngine(labels, new QualityMetrics(dataset, labels), new MergeSuggester(dataset, labels), post);
    for (const req of pending.splice(0)) handle(req);
  }
} catch (e) {
  post({ type: 'failed', seq: 0, message: `the background worker cannot read ${data.path}: ${(e as Error).message}` });
  close();
}
