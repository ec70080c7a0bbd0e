/** The `n` clusters with the most spikes of a dataset as saved (ties by id), ascending. */
import { openDataset } from '../openDataset';
import { clusterSpikeCounts } from '../../core/dataset/datasetInfo';

export async function largestClusters(dir: string, n: number): Promise<number[]> {
  const ds = await openDataset(dir, { shared: false });
  try {
    const { ids, counts } = clusterSpikeCounts(ds.spikeClusters);
    return Array.from(ids, (id, i) => [id, counts[i]])
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, n)
      .map(([id]) => id)
      .sort((a, b) => a - b);
  } finally {
    ds.close();
  }
}
