/**
 * Entry of the compute worker threads (bundled to `dist/native-workers/worker.mjs`, run by
 * piscina). A task arrives as a {@link TaskMessage}; the handler named by `name` runs with this
 * thread's state for the task's dataset and a cancel token; typed-array results that own their
 * memory are transferred back (never copied).
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { constants, setPriority } from 'node:os';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { CANCELLED_MESSAGE, type TaskMessage, type DatasetHandle } from '../shared/tasks/tasks';
import { CancelToken, WorkerDatasets } from './WorkerDataset';
import { hdf5Loaded, loadHdf5 } from './WorkerHdf5';
import type { HandlerContext } from './handlers/context';
import { allPairsCorrelograms, clusterTimes, correlograms, histograms, mergePreview } from './handlers/correlograms';
import { rawAmplitudes, traces, waveforms } from './handlers/waveforms';
import { features } from './handlers/features';
import { templateInfo } from './handlers/templateInfo';
import { outliers } from './handlers/cleanup';
import { driftDensity, driftPick, spikeDepths } from './handlers/drift';
import { reclusterTask } from './handlers/recluster';

/** A task handler; `never` accepts every handler's own argument type (checked at the call site by the task spec). */
type Handler = (args: never, ctx: HandlerContext) => unknown;

const handlers: Record<string, Handler> = {
  correlograms,
  mergePreview,
  allPairsCorrelograms,
  clusterTimes,
  histograms,
  waveforms,
  rawAmplitudes,
  traces,
  features,
  templateInfo,
  outliers,
  spikeDepths,
  driftDensity,
  driftPick,
  recluster: reclusterTask,
};

// The background lane's threads run below normal priority (Linux: nice is per thread), so the
// kernel hands the cores to the interactive threads the moment a click's task starts, even in
// the middle of a long background chunk — as the assistant's thread does (decision 0013).
if (!isMainThread && (workerData as { lane?: string } | null)?.lane === 'background' && process.platform === 'linux') {
  try {
    setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // not permitted: the normal priority does
  }
}

// This thread's datasets. A worker thread is its own isolate, so this per-thread registry is
// the thread's state, not a process-wide singleton.
const datasets = new WorkerDatasets();

/** Non-shared ArrayBuffers reachable from a result (each once). */
function transferables(value: unknown, out: Set<ArrayBuffer>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 6) return;
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
    return;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) transferables(v, out, depth + 1);
}

export default function run(message: TaskMessage): unknown {
  // A dataset whose raw data is an HDF5 dataset (NWB) needs h5wasm, loaded asynchronously once.
  const raw = (message.args as { dataset?: DatasetHandle }).dataset?.raw;
  if (raw?.hdf5Dataset && !hdf5Loaded(!!raw.remote)) return loadHdf5(!!raw.remote).then(() => runTask(message));
  return runTask(message);
}

/**
 * Runs a task in the calling thread, with the same handlers and per-thread dataset state as a
 * worker thread: for a command-line call that needs one thread, where starting a pool (threads,
 * each loading this bundle and opening the dataset) costs more than the task.
 */
export function runHere(message: TaskMessage): unknown {
  const raw = (message.args as { dataset?: DatasetHandle }).dataset?.raw;
  if (raw?.hdf5Dataset && !hdf5Loaded()) return loadHdf5().then(() => handle(message));
  return handle(message);
}

/** Runs the task's handler on this thread's state for its dataset. */
function handle(message: TaskMessage): unknown {
  const handler = handlers[message.name];
  if (!handler) throw new Error(`unknown compute task '${message.name}'`);
  const cancel = new CancelToken(message.cancel);
  if (cancel.cancelled) throw new Error(CANCELLED_MESSAGE);
  const dataset = (message.args as { dataset: DatasetHandle }).dataset;
  return handler(message.args as never, { ds: datasets.get(dataset), cancel });
}

function runTask(message: TaskMessage): unknown {
  const result = handle(message);
  const list = new Set<ArrayBuffer>();
  transferables(result, list);
  // Views sharing one buffer with other data (subarrays of a larger array) would transfer the
  // whole buffer; handlers return arrays that own their memory.
  return move({ [transferableSymbol]: [...list], [valueSymbol]: result } as unknown as Parameters<typeof move>[0]);
}
