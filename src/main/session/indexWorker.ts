/**
 * The start-up work of a session that runs beside the journal replay: the per-cluster index
 * built in a worker thread (large assignments), and the templates unwhitened meanwhile.
 */
import { Worker } from 'node:worker_threads';
import type { Dataset } from '../../core/dataset/Dataset';
import { buildClusterIndex, sharedInt32 } from '../../core/session/ClusterLabels';
import type { ClusterIndex } from '../../core/session/ClusterLabels';
import { unwhitenTemplateOf } from '../../core/session/ClusterMetrics';
import type { UnwhitenedTemplate } from '../../core/session/ClusterMetrics';
import { sparseRows } from '../../core/compute/templates';
import { hashInt32 } from '../../core/session/spikeCodec';

/** Below this many spikes the index is built in place: a worker's start-up (≈ 30 ms) would cost more. */
const INDEX_WORKER_MIN_SPIKES = 1 << 20;

/** A per-cluster index being built in a worker thread. */
export interface IndexJob {
  /**
   * The index and the assignment's {@link hashInt32}, or null when the worker could not build
   * them (the caller builds them in place).
   */
  result: Promise<(ClusterIndex & { hash: string }) | null>;
  /** Whether `result` has settled. */
  done(): boolean;
  /** Stops the worker (open failed). */
  cancel(): void;
}

/**
 * Runs {@link buildClusterIndex} over `spikeClusters` (which must live in a SharedArrayBuffer)
 * in a worker thread writing into shared arrays, so neither the input nor the 2 × 40 MB output
 * of a 10 M-spike assignment is copied. The worker runs the function's own source (it refers to
 * nothing outside its body), so no separate worker bundle is needed.
 */
export function startIndexWorker(spikeClusters: Int32Array): IndexJob {
  const n = spikeClusters.length;
  if (!(spikeClusters.buffer instanceof SharedArrayBuffer) || n < INDEX_WORKER_MIN_SPIKES) {
    return { result: Promise.resolve(null), done: () => true, cancel: () => undefined };
  }
  const sc = sharedInt32(n);
  const order = sharedInt32(n);
  const source = [
    "const { parentPort, workerData } = require('node:worker_threads');",
    `const build = (${buildClusterIndex.toString()});`,
    `const hash = (${hashInt32.toString()});`,
    'const r = build(workerData.input, workerData.sc, workerData.order);',
    'parentPort.postMessage({ ...r, hash: hash(workerData.input) });',
  ].join('\n');
  let settled = false;
  let worker: Worker | null = null;
  const result = new Promise<(ClusterIndex & { hash: string }) | null>((resolve) => {
    const finish = (v: (ClusterIndex & { hash: string }) | null) => {
      if (settled) return;
      settled = true;
      resolve(v);
      void worker?.terminate();
    };
    try {
      worker = new Worker(source, { eval: true, workerData: { input: spikeClusters, sc, order } });
    } catch {
      finish(null);
      return;
    }
    worker.once('message', (r: { offsets: Int32Array; min: number; max: number; hash: string }) => finish({ spikeClusters: sc, order, ...r }));
    worker.once('error', () => finish(null));
    worker.once('exit', () => finish(null));
  });
  return { result, done: () => settled, cancel: () => void worker?.terminate() };
}

/** Lets the event loop run pending I/O (e.g. HTTP requests) before the next synchronous stretch. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Unwhitens templates (ascending ids, 16 per event-loop turn) while `job` runs, stopping when it
 * is done: the cluster table needs the dominant template of every cluster, and on a Kilosort
 * sort that is nearly every template. Whatever is left is computed on demand as before. A read
 * error stops the warm-up (the on-demand read reports it).
 */
export async function warmTemplates(dataset: Dataset, job: IndexJob): Promise<Map<number, UnwhitenedTemplate>> {
  const out = new Map<number, UnwhitenedTemplate>();
  const nT = dataset.templates?.nTemplates ?? 0;
  if (job.done() || nT === 0) return out;
  try {
    const W = dataset.whiteningMatInv;
    const rows = W ? sparseRows(W, dataset.nChannels) : undefined;
    for (let t = 0; t < nT && !job.done(); ) {
      for (const end = Math.min(nT, t + 16); t < end; t++) {
        const u = unwhitenTemplateOf(dataset, t, rows);
        if (u) out.set(t, u);
      }
      await nextTurn();
    }
  } catch {
    // Left to the on-demand path, which reports the error with its message.
  }
  return out;
}
