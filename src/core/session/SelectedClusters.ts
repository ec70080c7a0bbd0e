/**
 * A read-only {@link ClusteringView} of a few clusters of a saved assignment, built in one pass
 * over `spikeClusters` that collects only those clusters' spikes: for a command-line call that
 * reads a handful of clusters (`spikedock ccg`, `waveforms`), where the full per-cluster index
 * that a session builds ({@link ClusterLabels}: a counting sort of every spike) costs more than
 * the call's own work. The other clusters exist in `clusterIds()` only when asked for.
 */
import type { ClusteringView } from './ClusteringView';

export class SelectedClusters implements ClusteringView {
  readonly generation = 0;
  private readonly lists = new Map<number, Int32Array>();

  /**
   * `spikeClusters`: the (nSpikes,) assignment (kept, not copied); `clusterIds`: the clusters
   * whose spikes are collected (others read as empty).
   */
  constructor(
    readonly spikeClusters: Int32Array,
    clusterIds: readonly number[],
  ) {
    const wanted = [...new Set(clusterIds)];
    const max = wanted.reduce((m, c) => Math.max(m, c), -1);
    // slot[c] = 1 + position of c in `wanted` (0: not wanted), over the ids' range.
    const slot = new Int32Array(max + 1);
    wanted.forEach((c, k) => {
      if (c >= 0) slot[c] = k + 1;
    });
    const counts = new Int32Array(wanted.length);
    const n = spikeClusters.length;
    for (let i = 0; i < n; i++) {
      const c = spikeClusters[i];
      if (c >= 0 && c <= max && slot[c] !== 0) counts[slot[c] - 1]++;
    }
    const out = wanted.map((_, k) => new Int32Array(counts[k]));
    const fill = new Int32Array(wanted.length);
    for (let i = 0; i < n; i++) {
      const c = spikeClusters[i];
      if (c >= 0 && c <= max && slot[c] !== 0) {
        const k = slot[c] - 1;
        out[k][fill[k]++] = i;
      }
    }
    wanted.forEach((c, k) => {
      if (out[k].length > 0) this.lists.set(c, out[k]);
    });
  }

  spikeIds(clusterId: number): Int32Array {
    return this.lists.get(clusterId) ?? new Int32Array(0);
  }

  nSpikes(clusterId: number): number {
    return this.lists.get(clusterId)?.length ?? 0;
  }

  /** The selected clusters that have spikes, ascending. */
  clusterIds(): number[] {
    return [...this.lists.keys()].sort((a, b) => a - b);
  }
}
