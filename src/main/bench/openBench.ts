/**
 * Open benchmark: time from "open this folder" until the cluster table is ready (dataset loaded,
 * session restored, snapshot built), and the process's peak RSS. Run in a fresh child process
 * per measurement so the RSS is the open's own.
 */
import { openDataset } from '../openDataset';
import { SessionService } from '../session/SessionService';

export interface OpenFigures {
  /** ms until the Dataset is loaded (columns in memory, lazy sources ready). */
  datasetMs: number;
  /** ms until the cluster table (session snapshot) is ready, from the start. */
  clusterTableMs: number;
  nSpikes: number;
  nClusters: number;
  /** Peak resident set size of the process, MB. */
  peakRssMb: number;
  /** Where the memory is once the dataset is loaded and once the cluster table is ready. */
  memory: { afterDataset: MemoryFigures; afterSession: MemoryFigures };
  /** MB of each typed-array column the Dataset holds (its own properties), largest first. */
  columnsMb: Record<string, number>;
}

/** `process.memoryUsage()` in MB: typed-array columns show in `arrayBuffersMb`, JS objects in `heapUsedMb`. */
export interface MemoryFigures {
  rssMb: number;
  heapUsedMb: number;
  externalMb: number;
  arrayBuffersMb: number;
}

/** The Dataset's typed-array properties and their sizes, MB (where the open's memory goes). */
function columnSizes(dataset: object): Record<string, number> {
  const sizes = Object.entries(dataset)
    .filter((e): e is [string, ArrayBufferView] => ArrayBuffer.isView(e[1]))
    .map(([k, v]) => [k, v.byteLength / 2 ** 20] as const)
    .sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(sizes);
}

function memoryNow(): MemoryFigures {
  const m = process.memoryUsage();
  const mb = (x: number): number => x / 2 ** 20;
  return { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external), arrayBuffersMb: mb(m.arrayBuffers) };
}

export async function measureOpen(dir: string, stateDir?: string): Promise<OpenFigures> {
  const t0 = performance.now();
  const dataset = await openDataset(dir);
  const t1 = performance.now();
  const afterDataset = memoryNow();
  const session = await SessionService.open(dataset, { stateDir, autosaveSeconds: 0 });
  const snapshot = await session.snapshot();
  const t2 = performance.now();
  const afterSession = memoryNow();
  const figures: OpenFigures = {
    datasetMs: t1 - t0,
    clusterTableMs: t2 - t0,
    nSpikes: dataset.nSpikes,
    nClusters: snapshot.clusters.length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    memory: { afterDataset, afterSession },
    columnsMb: columnSizes(dataset),
  };
  await session.close();
  dataset.close();
  return figures;
}
