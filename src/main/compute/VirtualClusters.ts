/**
 * Virtual clusters: the parts of a split proposal (`src/main/cleanup`), shown by the views as if
 * they were clusters before the curator accepts them. Each has a negative id (−1, −2, …, never
 * reused in a session, so a cached result of an old part is never served for a new one) and a
 * fixed spike list taken from one real source cluster.
 *
 * The compute service reads the clustering through this wrapper, so every provider resolves a
 * part like a real cluster (`spikeIds`, `nSpikes`) with no per-view code; a part's facts (best
 * channels, template) are its source cluster's ({@link VirtualClusters.sourceOf}). Real ids pass
 * through unchanged, and `clusterIds()` lists only the real clusters.
 */
import type { ClusteringView } from '../../core/session/ClusteringView';
import type { SpikeAssignment } from '../../core/session/SpikeAssignment';

/** A part to register: the spikes of one source cluster it shows. */
export interface VirtualPart {
  /** The real cluster the spikes belong to. */
  sourceId: number;
  /** Sorted spike ids, a subset of the source's. */
  spikeIds: Int32Array;
}

export class VirtualClusters implements ClusteringView {
  private readonly parts = new Map<number, VirtualPart>();
  private lastId = 0;

  constructor(private readonly live: ClusteringView) {}

  get generation(): number {
    return this.live.generation;
  }

  get assignment(): SpikeAssignment {
    return this.live.assignment;
  }

  /** The real cluster of a spike (parts are views on real clusters; no spike is assigned to one). */
  clusterOf(spikeId: number): number {
    return this.live.clusterOf(spikeId);
  }

  spikeIds(clusterId: number): Int32Array {
    return clusterId < 0 ? (this.parts.get(clusterId)?.spikeIds ?? new Int32Array(0)) : this.live.spikeIds(clusterId);
  }

  nSpikes(clusterId: number): number {
    return clusterId < 0 ? (this.parts.get(clusterId)?.spikeIds.length ?? 0) : this.live.nSpikes(clusterId);
  }

  /** The real clusters only: virtual parts are never listed (ClusterView, backgrounds). */
  clusterIds(): number[] {
    return this.live.clusterIds();
  }

  /** The real cluster a part's spikes come from; a real id is its own source. -1 for an unknown part. */
  sourceOf(clusterId: number): number {
    return clusterId < 0 ? (this.parts.get(clusterId)?.sourceId ?? -1) : clusterId;
  }

  /** Whether `clusterId` is a registered part. */
  has(clusterId: number): boolean {
    return this.parts.has(clusterId);
  }

  /** Registers parts; returns their new ids, in order. */
  add(parts: readonly VirtualPart[]): number[] {
    return parts.map((p) => {
      const id = --this.lastId;
      this.parts.set(id, { sourceId: p.sourceId, spikeIds: p.spikeIds });
      return id;
    });
  }

  /** Forgets parts (their ids are not reused). */
  remove(ids: readonly number[]): void {
    for (const id of ids) this.parts.delete(id);
  }
}
