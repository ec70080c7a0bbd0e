/**
 * A read-only {@link ClusteringView} over a fixed spike→cluster column (the clustering as saved
 * on disk), for the CLI and tools that do not run a session. Spike lists are built once in
 * O(nSpikes) with a counting sort, so `spikeIds(c)` is a subarray view.
 */
import type { ClusteringView } from '../session/ClusteringView';

export class StaticClustering implements ClusteringView {
  readonly generation = 0;
  private readonly ids: number[];
  private readonly start = new Map<number, number>();
  private readonly count = new Map<number, number>();
  private readonly order: Int32Array;

  /** `spikeClusters` (nSpikes,) cluster of each spike; kept by reference, never modified. */
  constructor(readonly spikeClusters: Int32Array) {
    const n = spikeClusters.length;
    let lo = 0;
    let hi = -1;
    for (let i = 0; i < n; i++) {
      const c = spikeClusters[i];
      if (c < lo) lo = c;
      if (c > hi) hi = c;
    }
    // Counting sort over [lo, hi] (cluster ids are small integers in every sorter output).
    const counts = new Int32Array(Math.max(0, hi - lo + 1));
    for (let i = 0; i < n; i++) counts[spikeClusters[i] - lo]++;
    const fill = new Int32Array(counts.length);
    this.ids = [];
    let s = 0;
    for (let k = 0; k < counts.length; k++) {
      if (counts[k] === 0) continue;
      const c = k + lo;
      this.ids.push(c);
      this.start.set(c, s);
      this.count.set(c, counts[k]);
      fill[k] = s;
      s += counts[k];
    }
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[fill[spikeClusters[i] - lo]++] = i;
  }

  spikeIds(clusterId: number): Int32Array {
    const s = this.start.get(clusterId);
    if (s === undefined) return new Int32Array(0);
    return this.order.subarray(s, s + this.count.get(clusterId)!);
  }

  nSpikes(clusterId: number): number {
    return this.count.get(clusterId) ?? 0;
  }

  clusterIds(): number[] {
    return this.ids.slice();
  }
}
