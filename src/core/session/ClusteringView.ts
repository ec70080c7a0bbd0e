/**
 * The read-only view of the live clustering that compute and views use: the session owns the
 * assignment, everyone else reads it through this interface and updates from `UpdateInfo`.
 */
export interface ClusteringView {
  /** Current session generation (changes with every op, undo and redo). */
  readonly generation: number;
  /** (nSpikes,) live cluster of each spike. Read-only for everyone but the session. */
  readonly spikeClusters: Int32Array;
  /** Sorted spike ids of a cluster (empty when the cluster does not exist). Do not modify. */
  spikeIds(clusterId: number): Int32Array;
  /** Number of spikes of a cluster (0 when it does not exist). */
  nSpikes(clusterId: number): number;
  /** Ids of the clusters that exist now, ascending. */
  clusterIds(): number[];
}
