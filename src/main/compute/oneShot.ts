/**
 * Compute for a command-line call that asks one question of a few clusters (`spikedock ccg`,
 * `spikedock waveforms`): every cluster counted and the asked clusters' spikes gathered in one pass (no session index),
 * tasks run in this thread (no worker threads to start), and no background grouping of spike
 * times — each of which costs more than such a call's own work on a 10 M-spike dataset.
 */
import type { Dataset } from '../../core/dataset/Dataset';
import { SavedClusters } from '../../core/session/SavedClusters';
import { ComputeService } from './ComputeService';
import { WorkerPool } from './WorkerPool';

export interface OneShotCompute {
  /** The saved clusters (the asked ones' spikes gathered at once, the others' when read). */
  readonly clusters: SavedClusters;
  readonly compute: ComputeService;
  close(): Promise<void>;
}

export function oneShotCompute(dataset: Dataset, clusterIds: readonly number[]): OneShotCompute {
  const pool = new WorkerPool({ inline: true });
  const clusters = new SavedClusters(dataset.spikeClusters, clusterIds);
  const compute = new ComputeService(dataset, clusters, pool, { groupClusterTimes: false });
  return {
    clusters,
    compute,
    async close() {
      compute.close();
      await pool.close();
    },
  };
}
