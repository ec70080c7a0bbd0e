/**
 * A read-only {@link ClusteringView} of a saved assignment for a command-line call that reads a
 * few clusters (`spikedock ccg`, `waveforms`, `similar`): every cluster's spike count from one
 * counting pass, and a cluster's spike list collected only when asked for (several at once in
 * one pass with {@link collect}) — instead of the per-cluster index a session builds
 * ({@link ClusterLabels}: a counting sort of every spike into a second nSpikes array), which on a
 * 10 M-spike dataset costs more than such a call's own work.
 */
import type { ClusteringView } from './ClusteringView';
import type { SpikeAssignment } from './SpikeAssignment';
import { clusterSpikeCounts } from '../dataset/datasetInfo';

export class SavedClusters implements ClusteringView {
  readonly generation = 0;
  /** The saved assignment as the session's indirection: each spike's segment is its cluster, mapped to itself. */
  readonly assignment: SpikeAssignment;
  private readonly ids: number[];
  private readonly counts = new Map<number, number>();
  private readonly lists = new Map<number, Int32Array>();

  /** `spikeClusters`: the (nSpikes,) assignment (kept, not copied); `collect`: lists to gather now. */
  constructor(
    readonly spikeClusters: Int32Array,
    collect: readonly number[] = [],
  ) {
    const { ids, counts } = clusterSpikeCounts(spikeClusters);
    this.ids = Array.from(ids);
    const size = (ids.length ? ids[ids.length - 1] : -1) + 1;
    const table = typeof SharedArrayBuffer !== 'undefined' ? new Int32Array(new SharedArrayBuffer(4 * size)) : new Int32Array(size);
    for (let c = 0; c < table.length; c++) table[c] = c;
    this.assignment = { spikeSegments: spikeClusters, segmentClusters: table };
    ids.forEach((c, i) => this.counts.set(c, counts[i]));
    this.collect(collect);
  }

  /** Gathers the spike lists of `clusterIds` not gathered yet, in one pass over the spikes. */
  collect(clusterIds: readonly number[]): void {
    const wanted = [...new Set(clusterIds)].filter((c) => this.counts.has(c) && !this.lists.has(c));
    if (wanted.length === 0) return;
    const max = wanted.reduce((m, c) => Math.max(m, c), 0);
    // slot[c] = 1 + position of c in `wanted` (0: not wanted).
    const slot = new Int32Array(max + 1);
    wanted.forEach((c, k) => (slot[c] = k + 1));
    const out = wanted.map((c) => new Int32Array(this.counts.get(c)!));
    const fill = new Int32Array(wanted.length);
    const sc = this.spikeClusters;
    for (let i = 0; i < sc.length; i++) {
      const c = sc[i];
      if (c <= max && slot[c] !== 0) {
        const k = slot[c] - 1;
        out[k][fill[k]++] = i;
      }
    }
    wanted.forEach((c, k) => this.lists.set(c, out[k]));
  }

  clusterOf(spikeId: number): number {
    return this.spikeClusters[spikeId];
  }

  spikeIds(clusterId: number): Int32Array {
    if (!this.counts.has(clusterId)) return new Int32Array(0);
    this.collect([clusterId]);
    return this.lists.get(clusterId)!;
  }

  nSpikes(clusterId: number): number {
    return this.counts.get(clusterId) ?? 0;
  }

  clusterIds(): number[] {
    return this.ids;
  }
}
