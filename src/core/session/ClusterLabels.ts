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
import { lowerBound } from '../search';

/** What a clustering change did; kept by the history to undo and redo it in O(changed spikes). */
export interface ClusterChange {
  readonly kind: 'merge' | 'split' | 'assign';
  /** Cluster ids removed by the change, ascending. */
  readonly deleted: number[];
  /** Cluster ids created by the change, ascending. */
  readonly added: number[];
  /** Sorted spike ids of each deleted cluster (kept so undo restores them without recomputing). */
  readonly deletedLists: Int32Array[];
  /** Sorted spike ids of each added cluster (kept so redo restores them without recomputing). */
  readonly addedLists: Int32Array[];
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

/** Allocates an Int32Array on a SharedArrayBuffer where the platform has one (so workers read it without a copy). */
export function sharedInt32(n: number): Int32Array {
  if (typeof SharedArrayBuffer !== 'undefined') return new Int32Array(new SharedArrayBuffer(n * 4));
  return new Int32Array(n);
}

/**
 * Merges two sorted Int32Arrays into one sorted array. Balanced lists: two pointers, O(a + b).
 * Unbalanced (one ≥ 16× the other, e.g. a cluster growing by merges): each element of the small
 * list is placed by binary search and the big list is copied in runs (memcpy), so the cost is
 * O(small · log big) comparisons plus one copy of the big list.
 */
export function mergeSorted2(a: Int32Array, b: Int32Array): Int32Array {
  if (a.length < b.length) [a, b] = [b, a];
  if (b.length * 16 <= a.length) {
    const out = new Int32Array(a.length + b.length);
    let k = 0;
    let prev = 0;
    for (let j = 0; j < b.length; j++) {
      const pos = lowerBound(a, b[j], prev, a.length);
      out.set(a.subarray(prev, pos), k);
      k += pos - prev;
      out[k++] = b[j];
      prev = pos;
    }
    out.set(a.subarray(prev), k);
    return out;
  }
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  const na = a.length;
  const nb = b.length;
  // Branchless: interleaved spike lists mispredict a comparison branch about half the time;
  // arithmetic selection is ~2× faster (spike ids < 2^31, so y - x fits in int32).
  while (i < na && j < nb) {
    const x = a[i];
    const y = b[j];
    const t = ((y - x) >>> 31) ^ 1; // 1 when x <= y
    out[k++] = y + ((x - y) & -t);
    i += t;
    j += 1 - t;
  }
  if (i < na) out.set(a.subarray(i), k);
  else if (j < nb) out.set(b.subarray(j), k);
  return out;
}

/** k-way merge of sorted lists by pairwise merging in a balanced tree: O(n log k). */
export function mergeSortedMany(lists: Int32Array[]): Int32Array {
  if (lists.length === 0) return EMPTY;
  let level = lists;
  while (level.length > 1) {
    const next: Int32Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? mergeSorted2(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  // A single parent is returned as is: lists are immutable once created.
  return level[0];
}

/** A fresh Int32Array copy of any list (memcpy for typed arrays). */
function copyInt32(a: ArrayLike<number>): Int32Array {
  if (a instanceof Int32Array) return a.slice();
  const out = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i];
  return out;
}

/** True when `a` is strictly ascending. */
function isStrictlyAscending(a: ArrayLike<number>): boolean {
  for (let i = 1; i < a.length; i++) if (a[i] <= a[i - 1]) return false;
  return true;
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
 * The spike → cluster assignment with a per-cluster sorted spike index, both updated
 * incrementally. Implements {@link ClusteringView} for readers.
 */
export class ClusterLabels implements ClusteringView {
  /** (nSpikes,) int32 live cluster of each spike, on a SharedArrayBuffer when available. */
  readonly spikeClusters: Int32Array;
  private readonly index = new Map<number, Int32Array>();
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
    this.spikeClusters = index.spikeClusters;
    const { order, offsets, max } = index;
    for (let c = 0; c <= max; c++) if (offsets[c + 1] > offsets[c]) this.index.set(c, order.subarray(offsets[c], offsets[c + 1]));
    this.nextId = Math.max(max + 1, firstNewId ?? 0);
  }

  get nSpikesTotal(): number {
    return this.spikeClusters.length;
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
    return this.index.get(clusterId) ?? EMPTY;
  }

  nSpikes(clusterId: number): number {
    return this.index.get(clusterId)?.length ?? 0;
  }

  hasCluster(clusterId: number): boolean {
    return this.index.has(clusterId);
  }

  clusterIds(): number[] {
    if (!this.sortedIdsCache) this.sortedIdsCache = [...this.index.keys()].sort((a, b) => a - b);
    return this.sortedIdsCache;
  }

  /** Number of existing clusters. */
  get nClusters(): number {
    return this.index.size;
  }

  /**
   * Merges clusters into one new cluster. Cost: a k-way merge of the parents' sorted lists plus
   * one write per changed spike. Throws {@link ClusteringError} for fewer than two distinct
   * existing clusters.
   */
  merge(clusterIds: readonly number[]): ClusterChange {
    const parents = [...new Set(clusterIds)].sort((a, b) => a - b);
    if (parents.length < 2) throw new ClusteringError(`merge needs at least two different clusters (got ${clusterIds.join(', ') || 'none'})`);
    for (const c of parents) if (!this.index.has(c)) throw new ClusteringError(`cluster ${c} does not exist`);
    const deletedLists = parents.map((c) => this.index.get(c)!);
    const child = mergeSortedMany(deletedLists);
    const id = this.nextId++;
    const change: ClusterChange = {
      kind: 'merge',
      deleted: parents,
      added: [id],
      deletedLists,
      addedLists: [child],
      descendants: parents.map((p) => [p, id] as [number, number]),
      changedSpikes: child.length,
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
    const n = this.spikeClusters.length;
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
    const sc = this.spikeClusters;
    let runC = sc[ids[0]];
    let runN = 0;
    for (let i = 0; i < ids.length; i++) {
      const c = sc[ids[i]];
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
    const deletedLists = touched.map((c) => this.index.get(c)!);
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
          const c = sc[g[i]];
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
    const change: ClusterChange = { kind, deleted: touched, added, deletedLists, addedLists, descendants, changedSpikes: changed };
    this.redo(change);
    return change;
  }

  /** Reverts a change (the last one applied). O(changed spikes). */
  undo(change: ClusterChange): void {
    this.swap(change.added, change.deleted, change.deletedLists);
  }

  /** (Re)applies a change. O(changed spikes). */
  redo(change: ClusterChange): void {
    this.swap(change.deleted, change.added, change.addedLists);
  }

  private swap(remove: readonly number[], add: readonly number[], lists: readonly Int32Array[]): void {
    for (const c of remove) this.index.delete(c);
    const sc = this.spikeClusters;
    for (let a = 0; a < add.length; a++) {
      const id = add[a];
      const list = lists[a];
      this.index.set(id, list);
      for (let i = 0; i < list.length; i++) sc[list[i]] = id;
    }
    this.sortedIdsCache = null;
    this.gen++;
  }
}
