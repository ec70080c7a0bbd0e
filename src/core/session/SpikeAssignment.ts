/**
 * `SpikeAssignment`: how everyone (main thread and worker threads) reads "the cluster of spike
 * i" of the live clustering — the one definition of that read.
 *
 * The session stores the assignment with one indirection, spike → segment → cluster, so that a
 * merge rewrites only the small segment table, never the spikes (decision 0013, "Session at
 * scale"). A *segment* is a fixed set of spikes: the spikes of one base cluster, or of one
 * cluster a split (or assign) created; its id is that cluster's id. A cluster is a set of
 * segments: one for a base or split cluster, the union of its parents' for a merged one.
 * Both arrays live on SharedArrayBuffers, so workers read them without a copy; they are
 * written only by `ClusterLabels`.
 */

/** The live assignment as two shared arrays (see the module comment). */
export interface SpikeAssignment {
  /** (nSpikes,) int32 segment of each spike (the id of the cluster that created the segment). */
  readonly spikeSegments: Int32Array;
  /** (≥ largest cluster id + 1,) int32 live cluster of each segment (stale for segments no spike is in). */
  readonly segmentClusters: Int32Array;
}

/** The live cluster of spike `spikeId`. O(1): two reads. */
export function clusterOfSpike(a: SpikeAssignment, spikeId: number): number {
  return a.segmentClusters[a.spikeSegments[spikeId]];
}

/**
 * The flat (nSpikes,) int32 assignment (what `spike_clusters.npy` holds), written into `out`
 * when given. O(nSpikes): for saving, hashing and exporting, never on an interactive path.
 */
export function flatAssignment(a: SpikeAssignment, out: Int32Array = new Int32Array(a.spikeSegments.length)): Int32Array {
  const seg = a.spikeSegments;
  const table = a.segmentClusters;
  const n = seg.length;
  for (let i = 0; i < n; i++) out[i] = table[seg[i]];
  return out;
}

/**
 * `byCluster` (indexed by cluster id; e.g. cluster → output row, −1 = skip) composed with the
 * segment table: the same map indexed by segment, so a pass over all spikes reads
 * `bySegment[spikeSegments[i]]` — exactly the loop it runs over a flat assignment. O(table).
 * Segments whose cluster is outside `byCluster` get `missing`.
 */
export function bySegment(a: SpikeAssignment, byCluster: Int32Array, missing = -1): Int32Array {
  const table = a.segmentClusters;
  const out = new Int32Array(table.length);
  for (let s = 0; s < table.length; s++) {
    const c = table[s];
    out[s] = c >= 0 && c < byCluster.length ? byCluster[c] : missing;
  }
  return out;
}
