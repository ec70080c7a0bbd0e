/**
 * `ClusterLabels`: the live spike → cluster assignment of a curation session.
 *
 * Model (phy's rule, `phy/cluster/clustering.py`): a cluster id always names one fixed set of
 * spikes. A change therefore never edits a cluster; it *deletes* some clusters and *adds* new
 * ones whose spikes are exactly the deleted clusters' spikes, redistributed. Because of that, a
 * change is fully described by the sorted spike lists of the deleted and the added clusters, and
 * applying, undoing and redoing it touches only those spikes: O(changed spikes), never a pass
 * over all spikes. Caches keyed by cluster id (metrics, template sets, similarity signatures)
 * stay valid forever, because an id is never reused — the id counter never goes back, not even
 * on undo.
 */
import type { ClusteringView } from './ClusteringView';
import { flatAssignment, type SpikeAssignment } from './SpikeAssignment';
import { copyInt32, isStrictlyAscending, mergeSortedMany } from './sortedLists';

/** What a clustering change did; kept by the history to undo and redo it. */
export interface ClusterChange {
  readonly kind: 'merge' | 'split' | 'assign';
  /** Cluster ids removed by the change, ascending. */
  readonly deleted: number[];
  /** Cluster ids created by the change, ascending. */
  readonly added: number[];
  /**
   * Segment ids of each deleted cluster (see {@link SpikeAssignment}): undo maps them back to
   * their clusters (and, for a split, points their spikes back at them).
   */
  readonly deletedSegments: Int32Array[];
  /**
   * Segment ids of each added cluster: a merge's child holds its parents' segments (only the
   * segment table changes); a split's or assign's added cluster is one new segment, its own id
   * (its spikes are pointed at it).
   */
  readonly addedSegments: Int32Array[];
  /** Number of spikes of each deleted cluster. */
  readonly deletedSizes: number[];
  /** Number of spikes of each added cluster. */
  readonly addedSizes: number[];
  /** (parent, child) pairs: which deleted cluster's spikes went to which added cluster. */
  readonly descendants: Array<[number, number]>;
  /** Number of spikes whose cluster changed (all spikes of the deleted clusters). */
  readonly changedSpikes: number;
}

/** Thrown for an op that cannot be applied (unknown cluster, spike id out of range…). */
export class ClusteringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusteringError';
  }
}

const EMPTY = new Int32Array(0);

/** Spare segment-table entries beyond the ids in use: ids grow by one or a few per op, so the table (and the array workers hold) rarely needs replacing. */
const TABLE_HEADROOM = 65_536;

/** Allocates an Int32Array on a SharedArrayBuffer where the platform has one (so workers read it without a copy). */
export function sharedInt32(n: number): Int32Array {
  if (typeof SharedArrayBuffer !== 'undefined') return new Int32Array(new SharedArrayBuffer(n * 4));
  return new Int32Array(n);
}

/** The per-cluster index of an assignment, as {@link buildClusterIndex} makes it. */
export interface ClusterIndex {
  /** (nSpikes,) copy of the assignment (the live one of the labels built from it). */
  spikeClusters: Int32Array;
  /** (nSpikes,) spike ids ordered by cluster, ascending within each cluster. */
  order: Int32Array;
  /** (max + 2,) cluster c's spikes are `order[offsets[c], offsets[c + 1])`. */
  offsets: Int32Array;
  /** Smallest and largest cluster id (min 0, max -1 when there are no spikes). */
  min: number;
  max: number;
}

/**
 * Copies `input` into `sc` and sorts spike ids by cluster into `order` (a counting sort: one
 * pass for the range and the counts, one scatter), returning the CSR offsets. Each cluster's
 * list is then a subarray view of `order`: one allocation instead of one per cluster (lists are
 * immutable once built, so sharing a buffer is safe). With a negative id only `min` is
 * meaningful. O(nSpikes) — ≈ 0.1 s at 10 M spikes, so the session runs it in a worker thread
 * over shared memory while it does other work: the function refers to nothing outside its
 * body (no helpers, no closures) so its source runs there as is.
 */
export function buildClusterIndex(input: Int32Array, sc: Int32Array, order: Int32Array): { offsets: Int32Array; min: number; max: number } {
  const n = input.length;
  if (sc !== input) sc.set(input);
  // One pass for the range and the per-cluster counts (offsets[c + 1]); the count array grows
  // on the rare larger id instead of costing a separate min/max pass over all spikes.
  let max = -1;
  let min = 0;
  let offsets = new Int32Array(1026);
  for (let i = 0; i < n; i++) {
    const c = sc[i];
    if (c > max) {
      max = c;
      if (c + 2 > offsets.length) {
        const grown = new Int32Array(Math.max(c + 2, offsets.length * 2));
        grown.set(offsets);
        offsets = grown;
      }
    }
    if (c < min) min = c;
    offsets[c + 1]++;
  }
  if (min < 0) return { offsets: new Int32Array(1), min, max };
  offsets = offsets.slice(0, max + 2);
  for (let c = 0; c <= max; c++) offsets[c + 1] += offsets[c];
  const fill = offsets.slice(0, max + 1);
  for (let i = 0; i < n; i++) order[fill[sc[i]]++] = i;
  return { offsets, min, max };
}

/**
 * The live clustering: the spike → segment → cluster assignment ({@link SpikeAssignment}) and
 * the sorted spike list of each cluster, both updated incrementally. Implements
 * {@link ClusteringView} for readers.
 *
 * Costs: a merge writes only its parents' segment-table entries (O(segments)); the child's
 * sorted list is built on its first read ({@link spikeIds}) from the lists already built — a
 * chain of merges nobody looks at in between costs no spike work. A split builds its lists and
 * points the touched clusters' spikes at the new segments (O(changed spikes), as before); its
 * undo points them back. Undo and redo of a merge swap table entries only. A caller that
 * undoes a change for good without a history ({@link Curation} does this itself) calls
 * {@link forget} so its lists are freed.
 */
export class ClusterLabels implements ClusteringView {
  /** (nSpikes,) segment of each spike, shared. */
  private readonly seg: Int32Array;
  /** Live cluster of each segment id, shared; replaced by a larger copy when ids outgrow it. */
  private table: Int32Array;
  private view: SpikeAssignment;
  /** Segments of each live cluster. */
  private readonly live = new Map<number, Int32Array>();
  /** Spike count of every cluster that exists or existed. */
  private readonly sizes = new Map<number, number>();
  /**
   * Sorted spike list of every cluster built so far: always those of segments (base and split
   * clusters); a merged cluster's once read. Lists are immutable once built.
   */
  private readonly lists = new Map<number, Int32Array>();
  /** Parents of each merged cluster, to build its list on first read. */
  private readonly mergedFrom = new Map<number, readonly number[]>();
  private sortedIdsCache: number[] | null = null;
  private nextId: number;
  private gen = 0;

  /**
   * Builds the assignment from `spikeClusters` (copied into shared memory; the input is not
   * kept). O(nSpikes) once. `firstNewId` overrides the first new id (default max id + 1), e.g.
   * to keep ids increasing across sessions. `prebuilt`: the index {@link buildClusterIndex}
   * made of `spikeClusters` elsewhere (a worker thread); its arrays are taken over.
   * @throws ClusteringError for a negative cluster id
   */
  constructor(spikeClusters: ArrayLike<number>, firstNewId?: number, prebuilt?: ClusterIndex) {
    const n = spikeClusters.length;
    let index = prebuilt && prebuilt.spikeClusters.length === n && prebuilt.order.length === n ? prebuilt : null;
    if (!index) {
      const sc = sharedInt32(n);
      const order = new Int32Array(n);
      if (ArrayBuffer.isView(spikeClusters)) {
        const r = buildClusterIndex(spikeClusters as unknown as Int32Array, sc, order);
        index = { spikeClusters: sc, order, ...r };
      } else {
        for (let i = 0; i < n; i++) sc[i] = spikeClusters[i];
        const r = buildClusterIndex(sc, sc, order);
        index = { spikeClusters: sc, order, ...r };
      }
    }
    if (index.min < 0) throw new ClusteringError(`negative cluster id ${index.min} in the assignment`);
    // The base assignment is the first segmentation: segment c = base cluster c.
    this.seg = index.spikeClusters;
    const { order, offsets, max } = index;
    this.nextId = Math.max(max + 1, firstNewId ?? 0);
    this.table = sharedInt32(this.nextId + TABLE_HEADROOM);
    for (let c = 0; c <= max; c++) {
      if (offsets[c + 1] === offsets[c]) continue;
      this.table[c] = c;
      this.live.set(c, Int32Array.of(c));
      this.lists.set(c, order.subarray(offsets[c], offsets[c + 1]));
      this.sizes.set(c, offsets[c + 1] - offsets[c]);
    }
    this.view = { spikeSegments: this.seg, segmentClusters: this.table };
  }

  /** The shared arrays workers read the assignment through (a new object when the table grows). */
  get assignment(): SpikeAssignment {
    return this.view;
  }

  /** The live cluster of a spike. O(1). */
  clusterOf(spikeId: number): number {
    return this.table[this.seg[spikeId]];
  }

  /** The flat (nSpikes,) assignment, into `out` when given. O(nSpikes): saves, hashes, exports. */
  flatAssignment(out?: Int32Array): Int32Array {
    return flatAssignment(this.view, out);
  }

  get nSpikesTotal(): number {
    return this.seg.length;
  }

  /** Session generation: bumped by every change, undo and redo (see {@link bumpGeneration}). */
  get generation(): number {
    return this.gen;
  }

  /** Increments the generation for a change that is not a clustering change (labels) and returns it. */
  bumpGeneration(): number {
    return ++this.gen;
  }

  /** The id the next new cluster will get. Only ever increases. */
  get nextClusterId(): number {
    return this.nextId;
  }

  /** Raises the id counter (used when replaying a journal written with a higher counter). */
  reserveIdsUpTo(nextId: number): void {
    if (nextId > this.nextId) this.nextId = nextId;
  }

  spikeIds(clusterId: number): Int32Array {
    return this.live.has(clusterId) ? this.listOf(clusterId) : EMPTY;
  }

  nSpikes(clusterId: number): number {
    return this.live.has(clusterId) ? this.sizes.get(clusterId)! : 0;
  }

  hasCluster(clusterId: number): boolean {
    return this.live.has(clusterId);
  }

  clusterIds(): number[] {
    if (!this.sortedIdsCache) this.sortedIdsCache = [...this.live.keys()].sort((a, b) => a - b);
    return this.sortedIdsCache;
  }

  /** Number of existing clusters. */
  get nClusters(): number {
    return this.live.size;
  }

  /**
   * The sorted list of a cluster that exists or existed, built once: a merged cluster's is the
   * merge of the lists already built among its ancestors (its parents', else theirs, down to
   * segments, whose lists always exist).
   */
  private listOf(clusterId: number): Int32Array {
    const have = this.lists.get(clusterId);
    if (have) return have;
    const pieces: Int32Array[] = [];
    const stack = [clusterId];
    while (stack.length) {
      const c = stack.pop()!;
      const l = this.lists.get(c);
      if (l) pieces.push(l);
      else for (const p of this.mergedFrom.get(c)!) stack.push(p);
    }
    const list = mergeSortedMany(pieces);
    this.lists.set(clusterId, list);
    return list;
  }

  /**
   * Merges clusters into one new cluster. Cost: O(segments of the parents) — the child's list
   * is built on its first read. Throws {@link ClusteringError} for fewer than two distinct
   * existing clusters.
   */
  merge(clusterIds: readonly number[]): ClusterChange {
    const parents = [...new Set(clusterIds)].sort((a, b) => a - b);
    if (parents.length < 2) throw new ClusteringError(`merge needs at least two different clusters (got ${clusterIds.join(', ') || 'none'})`);
    for (const c of parents) if (!this.live.has(c)) throw new ClusteringError(`cluster ${c} does not exist`);
    const deletedSegments = parents.map((c) => this.live.get(c)!);
    let nSegs = 0;
    for (const s of deletedSegments) nSegs += s.length;
    const childSegments = new Int32Array(nSegs);
    nSegs = 0;
    for (const s of deletedSegments) {
      childSegments.set(s, nSegs);
      nSegs += s.length;
    }
    const deletedSizes = parents.map((c) => this.sizes.get(c)!);
    const size = deletedSizes.reduce((a, b) => a + b, 0);
    const id = this.nextId++;
    this.sizes.set(id, size);
    this.mergedFrom.set(id, parents);
    const change: ClusterChange = {
      kind: 'merge',
      deleted: parents,
      added: [id],
      deletedSegments,
      addedSegments: [childSegments],
      deletedSizes,
      addedSizes: [size],
      descendants: parents.map((p) => [p, id] as [number, number]),
      changedSpikes: size,
    };
    this.redo(change);
    return change;
  }

  /**
   * Splits off `spikeIds`: they get one new cluster, and the rest of every touched cluster gets
   * a new id too (phy's `_extend_assignment`). Ids: the chosen spikes first, then the rests in
   * ascending order of their old cluster. Spike ids may be unsorted; duplicates are ignored.
   */
  split(spikeIds: ArrayLike<number>): ClusterChange {
    return this.assign(spikeIds, null, 'split');
  }

  /**
   * General assignment (phy's `assign`): spike `spikeIds[i]` goes to a new cluster per distinct
   * relative label `labels[i]` (all the same label when `labels` is null); the remaining spikes of
   * each touched cluster get one new cluster per old cluster. Cost O(changed spikes + k log k).
   */
  assign(spikeIds: ArrayLike<number>, labels: ArrayLike<number> | null, kind: 'split' | 'assign' = 'assign'): ClusterChange {
    const n = this.seg.length;
    const k = spikeIds.length;
    if (k === 0) throw new ClusteringError(`${kind}: no spikes given`);
    if (labels && labels.length !== k) throw new ClusteringError(`${kind}: ${k} spikes but ${labels.length} labels`);
    // Sort (spike, label) by spike id, dropping duplicates; skipped when already sorted (lasso results are).
    let ids: Int32Array;
    let labs: Int32Array | null = null;
    if (isStrictlyAscending(spikeIds)) {
      ids = copyInt32(spikeIds);
      if (labels) labs = copyInt32(labels);
    } else if (!labels) {
      const s = Int32Array.from(spikeIds).sort();
      let m = 0;
      for (let i = 0; i < s.length; i++) if (i === 0 || s[i] !== s[i - 1]) s[m++] = s[i];
      ids = s.slice(0, m);
    } else {
      const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => spikeIds[a] - spikeIds[b]);
      const tmpIds: number[] = [];
      const tmpLabs: number[] = [];
      for (const i of order) {
        if (tmpIds.length && tmpIds[tmpIds.length - 1] === spikeIds[i]) continue;
        tmpIds.push(spikeIds[i]);
        tmpLabs.push(labels[i]);
      }
      ids = Int32Array.from(tmpIds);
      labs = Int32Array.from(tmpLabs);
    }
    if (ids[0] < 0 || ids[ids.length - 1] >= n) {
      throw new ClusteringError(`${kind}: spike id out of range [0, ${n}) (got ${ids[0] < 0 ? ids[0] : ids[ids.length - 1]})`);
    }
    // Touched clusters and how many chosen spikes each has.
    // Runs of the same cluster are the common case (a lasso inside one cluster): the Map is
    // touched once per run, not once per spike.
    const chosenPerCluster = new Map<number, number>();
    const seg = this.seg;
    const table = this.table;
    let runC = table[seg[ids[0]]];
    let runN = 0;
    for (let i = 0; i < ids.length; i++) {
      const c = table[seg[ids[i]]];
      if (c !== runC) {
        chosenPerCluster.set(runC, (chosenPerCluster.get(runC) ?? 0) + runN);
        runC = c;
        runN = 0;
      }
      runN++;
    }
    chosenPerCluster.set(runC, (chosenPerCluster.get(runC) ?? 0) + runN);
    const touched = [...chosenPerCluster.keys()].sort((a, b) => a - b);
    // Relative labels of the chosen spikes → groups, ordered by first label value.
    const labelValues = labs ? [...new Set(labs)].sort((a, b) => a - b) : [0];
    if (touched.length === 1 && labelValues.length === 1 && chosenPerCluster.get(touched[0]) === this.nSpikes(touched[0])) {
      throw new ClusteringError(`${kind}: the spikes are all the spikes of cluster ${touched[0]}; nothing to split`);
    }
    const groupLists: Int32Array[] = [];
    if (!labs) groupLists.push(ids);
    else {
      const pos = new Map<number, number>();
      labelValues.forEach((v, i) => pos.set(v, i));
      const counts = new Int32Array(labelValues.length);
      for (let i = 0; i < labs.length; i++) counts[pos.get(labs[i])!]++;
      for (let g = 0; g < labelValues.length; g++) groupLists.push(new Int32Array(counts[g]));
      const fill = new Int32Array(labelValues.length);
      for (let i = 0; i < ids.length; i++) {
        const g = pos.get(labs[i])!;
        groupLists[g][fill[g]++] = ids[i];
      }
    }
    // Rest of each touched cluster: sorted difference of its list and the chosen spikes (both sorted).
    const deletedLists = touched.map((c) => this.listOf(c));
    const restLists: Array<Int32Array | null> = [];
    for (let t = 0; t < touched.length; t++) {
      const list = deletedLists[t];
      const restN = list.length - chosenPerCluster.get(touched[t])!;
      if (restN === 0) {
        restLists.push(null);
        continue;
      }
      const rest = new Int32Array(restN);
      let r = 0;
      let j = 0;
      for (let i = 0; i < list.length; i++) {
        const s = list[i];
        while (j < ids.length && ids[j] < s) j++;
        if (j < ids.length && ids[j] === s) continue;
        rest[r++] = s;
      }
      restLists.push(rest);
    }
    const added: number[] = [];
    const addedLists: Int32Array[] = [];
    const descendants: Array<[number, number]> = [];
    for (const g of groupLists) {
      const id = this.nextId++;
      added.push(id);
      addedLists.push(g);
      // Parents of a group: the touched clusters its spikes came from (all of them for a split).
      let parents: number[] = touched;
      if (groupLists.length > 1) {
        const set = new Set<number>();
        let prev = -1;
        for (let i = 0; i < g.length; i++) {
          const c = table[seg[g[i]]];
          if (c !== prev) set.add((prev = c));
        }
        parents = [...set].sort((a, b) => a - b);
      }
      for (const p of parents) descendants.push([p, id]);
    }
    for (let t = 0; t < touched.length; t++) {
      const rest = restLists[t];
      if (!rest) continue;
      const id = this.nextId++;
      added.push(id);
      addedLists.push(rest);
      descendants.push([touched[t], id]);
    }
    let changed = 0;
    for (const l of deletedLists) changed += l.length;
    // Each added cluster is one new segment: its own id, its list kept for good.
    added.forEach((id, k) => {
      this.lists.set(id, addedLists[k]);
      this.sizes.set(id, addedLists[k].length);
    });
    const change: ClusterChange = {
      kind,
      deleted: touched,
      added,
      deletedSegments: touched.map((c) => this.live.get(c)!),
      addedSegments: added.map((id) => Int32Array.of(id)),
      deletedSizes: deletedLists.map((l) => l.length),
      addedSizes: addedLists.map((l) => l.length),
      descendants,
      changedSpikes: changed,
    };
    this.redo(change);
    return change;
  }

  /**
   * Applies a change made by another copy of this clustering (a worker's mirror), given the
   * added clusters' sorted spike lists: each becomes its own segment. O(added spikes).
   */
  adopt(deleted: readonly number[], added: readonly number[], lists: readonly Int32Array[]): void {
    added.forEach((id, k) => {
      this.lists.set(id, lists[k]);
      this.sizes.set(id, lists[k].length);
      this.reserveIdsUpTo(id + 1);
    });
    this.swap(deleted, added, added.map((id) => Int32Array.of(id)), true);
  }

  /**
   * Forgets what only `change` needed: it was undone and will never be redone (the history
   * dropped it), so no state can hold its added clusters again. Frees their spike lists.
   */
  forget(change: ClusterChange): void {
    for (const id of change.added) {
      if (this.live.has(id)) continue;
      this.lists.delete(id);
      this.sizes.delete(id);
      this.mergedFrom.delete(id);
    }
  }

  /** Reverts a change (the last one applied). Merge: O(segments); split: O(changed spikes). */
  undo(change: ClusterChange): void {
    this.swap(change.added, change.deleted, change.deletedSegments, change.kind !== 'merge');
  }

  /** (Re)applies a change. Merge: O(segments); split: O(changed spikes). */
  redo(change: ClusterChange): void {
    this.swap(change.deleted, change.added, change.addedSegments, change.kind !== 'merge');
  }

  /**
   * Removes clusters `remove` and makes `add[k]` the cluster of segments `segments[k]`; with
   * `repoint`, the spikes of those segments are pointed at them (after a split moved them).
   */
  private swap(remove: readonly number[], add: readonly number[], segments: readonly Int32Array[], repoint: boolean): void {
    for (const c of remove) this.live.delete(c);
    let maxId = -1;
    for (const id of add) maxId = Math.max(maxId, id);
    for (const s of segments) for (let k = 0; k < s.length; k++) maxId = Math.max(maxId, s[k]);
    this.ensureTable(maxId);
    const seg = this.seg;
    const table = this.table;
    for (let a = 0; a < add.length; a++) {
      const id = add[a];
      const segs = segments[a];
      this.live.set(id, segs);
      for (let k = 0; k < segs.length; k++) {
        const s = segs[k];
        table[s] = id;
        if (!repoint) continue;
        const list = this.lists.get(s)!;
        for (let i = 0; i < list.length; i++) seg[list[i]] = s;
      }
    }
    this.sortedIdsCache = null;
    this.gen++;
  }

  /** Grows the segment table (a new shared array, so {@link assignment} changes) to hold id `maxId`. */
  private ensureTable(maxId: number): void {
    if (maxId < this.table.length) return;
    const grown = sharedInt32(Math.max(maxId + 1 + TABLE_HEADROOM, this.table.length * 2));
    grown.set(this.table);
    this.table = grown;
    this.view = { spikeSegments: this.seg, segmentClusters: grown };
  }
}
