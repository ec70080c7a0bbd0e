/**
 * The read-only view of the live clustering that compute and views use: the session owns the
 * assignment, everyone else reads it through this interface and updates from `UpdateInfo`.
 */
import type { SpikeAssignment } from './SpikeAssignment';

export interface ClusteringView {
  /** Current session generation (changes with every op, undo and redo). */
  readonly generation: number;
  /**
   * The live spike → cluster assignment as shared arrays (spike → segment → cluster), for
   * workers and whole-recording passes; read it with `clusterOfSpike` / `flatAssignment`
   * (`SpikeAssignment.ts`). Read-only for everyone but the session; re-read it after a change
   * (the object is replaced when the segment table grows).
   */
  readonly assignment: SpikeAssignment;
  /** The live cluster of spike `spikeId`. O(1). */
  clusterOf(spikeId: number): number;
  /** Sorted spike ids of a cluster (empty when the cluster does not exist). Do not modify. */
  spikeIds(clusterId: number): Int32Array;
  /** Number of spikes of a cluster (0 when it does not exist). */
  nSpikes(clusterId: number): number;
  /** Ids of the clusters that exist now, ascending. */
  clusterIds(): number[];
}
