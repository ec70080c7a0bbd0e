/**
 * Remote open benchmark (issue #15 slice 5): a local NWB file served over HTTP with range
 * requests (`rangeServer.ts`, in its own thread), opened by URL with an empty block cache, as the
 * app opens it: the dataset, the session (cluster table), then a first selection — the largest
 * cluster's templates, raw waveforms and a traces window — through the real worker pool, as the
 * backend serves them. The bytes counted are the ones the server sent (what crossed the network,
 * every thread included).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ComputeService } from '../compute/ComputeService';
import { WorkerPool } from '../compute/WorkerPool';
import { openDataset } from '../openDataset';
import { SessionService } from '../session/SessionService';
import { startRangeServer } from './rangeServer';

/** What {@link runRemoteBench} measures. */
export interface RemoteBenchFigures {
  /** Size of the served file, bytes. */
  fileBytes: number;
  /** Bytes sent by the server until the cluster table was ready. */
  bytesFetchedToOpen: number;
  /** Bytes sent by the server until the first selection's views had their data (open included). */
  bytesFetchedToFirstSelection: number;
  /** Of the first selection: bytes sent for the templates, the raw waveforms and the traces window. */
  selectionBytes: { templates: number; waveforms: number; traces: number };
  /** HTTP requests until the cluster table / the first selection (cumulative). */
  requestsToOpen: number;
  requestsToFirstSelection: number;
  /** ms from "open this URL" to the cluster table (over loopback: no network latency). */
  openMs: number;
  /** ms of the first selection (templates, waveforms, traces). */
  firstSelectionMs: number;
  /** Block size used, bytes. */
  blockBytes: number;
  nSpikes: number;
  nClusters: number;
}

/** Options of {@link runRemoteBench}. */
export interface RemoteBenchOptions {
  /** Block size of the range reads (default: the app's). */
  blockBytes?: number;
  /** Raw waveforms fetched for the selection (default 100, WaveformView's default). */
  nWaveforms?: number;
  /** Worker pool bundle (default `dist/native-workers/worker.mjs`). */
  workerFile?: string;
}

/** Serves `nwbFile` locally and opens it by URL with a fresh cache; see {@link RemoteBenchFigures}. */
export async function runRemoteBench(nwbFile: string, opts: RemoteBenchOptions = {}): Promise<RemoteBenchFigures> {
  const tmp = mkdtempSync(join(tmpdir(), 'spikedock-remote-bench-'));
  const name = basename(nwbFile);
  const server = await startRangeServer({ [name]: nwbFile });
  const pool = new WorkerPool(opts.workerFile ? { workerFile: opts.workerFile } : {});
  try {
    const t0 = performance.now();
    const dataset = await openDataset(`${server.baseUrl}${encodeURIComponent(name)}`, {
      userDataDir: join(tmp, 'user'),
      remoteCache: { cacheDir: join(tmp, 'cache'), ...(opts.blockBytes ? { blockBytes: opts.blockBytes } : {}) },
    });
    const session = await SessionService.open(dataset, { autosaveSeconds: 0 });
    const snapshot = await session.snapshot();
    const openMs = performance.now() - t0;
    const atOpen = await server.stats();
    const compute = new ComputeService(dataset, session.clustering, pool, { clusterFacts: (id) => session.metrics.facts(id) });
    const labels = session.clustering;
    const largest = snapshot.clusters.reduce((a, c) => (labels.nSpikes(c.id) > labels.nSpikes(a.id) ? c : a)).id;
    const t1 = performance.now();
    await compute.templates({ clusterIds: [largest] });
    const atTemplates = await server.stats();
    await compute.waveforms({ clusterIds: [largest], kind: 'waveforms', nSpikes: opts.nWaveforms ?? 100, filter: true });
    const atWaveforms = await server.stats();
    const firstSpike = dataset.spikeTimes[0] / dataset.sampleRate;
    await compute.traces({ t0: firstSpike, t1: firstSpike + 0.1, filter: true });
    const firstSelectionMs = performance.now() - t1;
    const atSelection = await server.stats();
    compute.close();
    await session.close();
    dataset.close();
    return {
      fileBytes: statSync(nwbFile).size,
      bytesFetchedToOpen: atOpen.bytesSent,
      bytesFetchedToFirstSelection: atSelection.bytesSent,
      selectionBytes: { templates: atTemplates.bytesSent - atOpen.bytesSent, waveforms: atWaveforms.bytesSent - atTemplates.bytesSent, traces: atSelection.bytesSent - atWaveforms.bytesSent },
      requestsToOpen: atOpen.requests,
      requestsToFirstSelection: atSelection.requests,
      openMs,
      firstSelectionMs,
      blockBytes: dataset.remote!.spec.blockBytes,
      nSpikes: dataset.nSpikes,
      nClusters: snapshot.clusters.length,
    };
  } finally {
    await pool.close();
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
