/**
 * The main-side compute stack of the integration tests on one dataset folder: the dataset opened
 * from disk, its ClusterLabels, a WorkerPool running the freshly built worker bundle and a
 * ComputeService over them. `dispose()` closes them in reverse order and deletes the temp folder.
 * The folder is a generated dataset (`generatedComputeFixture`) or a copy of phy-data
 * (`phyDataComputeFixture`, which needs `hasPhyData`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildWorkerBundle } from '../integration/compute/workerBundle';
import { copyPhyData } from './phyData';
import { generateDataset, type GenerateOptions } from '../../src/main/generate/generateDataset';
import { openDataset } from '../../src/main/openDataset';
import { WorkerPool, type WorkerPoolOptions } from '../../src/main/compute/WorkerPool';
import { ComputeService, type ComputeServiceOptions } from '../../src/main/compute/ComputeService';
import { ClusterLabels } from '../../src/core/session/ClusterLabels';
import type { Dataset } from '../../src/core/dataset/Dataset';

export interface ComputeFixture {
  /** The dataset folder (inside a temp folder that `dispose()` deletes). */
  dir: string;
  dataset: Dataset;
  labels: ClusterLabels;
  pool: WorkerPool;
  svc: ComputeService;
  /** Closes the service, the pool and the dataset, then deletes the temp folder. */
  dispose(): Promise<void>;
}

export interface ComputeFixtureOptions {
  /** Threads of the pool's lanes (default: 1 interactive, 1 background). */
  pool?: WorkerPoolOptions;
  compute?: ComputeServiceOptions;
}

/**
 * The worker bundle, built once per test file: a second fixture of the same file must not rewrite
 * the bundle while the first one's pool may still start workers from it.
 */
let workerBundle: Promise<string> | undefined;
const ensureWorkerBundle = () => (workerBundle ??= buildWorkerBundle());

/** The `n` clusters with the most spikes, largest first (reads `labels` as they are now). */
export function largestClusters(labels: ClusterLabels, n: number): number[] {
  return labels
    .clusterIds()
    .slice()
    .sort((a, b) => labels.nSpikes(b) - labels.nSpikes(a))
    .slice(0, n);
}

/** Generates a dataset (`generate` options, e.g. `{ preset: 'small', rawSeconds: 5 }`) into a new temp folder and opens the compute stack on it. */
export async function generatedComputeFixture(
  generate: GenerateOptions,
  opts: ComputeFixtureOptions & { afterGenerate?: (dir: string) => void } = {},
): Promise<ComputeFixture> {
  await ensureWorkerBundle();
  const dir = mkdtempSync(join(tmpdir(), `spikedock-compute-${generate.preset}-`));
  return openComputeFixture(dir, dir, opts, async () => {
    await generateDataset(dir, generate);
    // e.g. remove a file, to test what the app does without it.
    opts.afterGenerate?.(dir);
  });
}

/** Copies a phy-data subfolder to a new temp folder and opens the compute stack on it. */
export async function phyDataComputeFixture(sub: 'template' | 'kwik' | 'test', opts: ComputeFixtureOptions = {}): Promise<ComputeFixture> {
  await ensureWorkerBundle();
  const dir = copyPhyData(sub);
  return openComputeFixture(dir, dirname(dir), opts);
}

/** Opens `dir` (after `prepare` writes it) with the compute stack; `tempDir` (holding `dir`) is deleted on dispose, or at once if opening fails. */
async function openComputeFixture(dir: string, tempDir: string, opts: ComputeFixtureOptions, prepare?: () => Promise<unknown>): Promise<ComputeFixture> {
  let dataset: Dataset;
  try {
    await prepare?.();
    dataset = await openDataset(dir);
  } catch (e) {
    rmSync(tempDir, { recursive: true, force: true });
    throw e;
  }
  const labels = new ClusterLabels(dataset.spikeClusters);
  const pool = new WorkerPool({ interactiveThreads: 1, backgroundThreads: 1, ...opts.pool });
  const svc = new ComputeService(dataset, labels, pool, opts.compute);
  return {
    dir,
    dataset,
    labels,
    pool,
    svc,
    async dispose() {
      svc.close();
      await pool.close();
      dataset.close();
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}
