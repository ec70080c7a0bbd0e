/**
 * Per-cluster samples of a lazily read per-spike column (PC features, `spike_positions.npy`) that
 * a merge can compose without reading the files again.
 *
 * A cluster of n spikes keeps its spikes i with h(i) < cut(n), h a fixed multiplicative hash of
 * the spike id and cut(n) = 2³² · min(1, max / n): about `max` spikes, spread evenly over the
 * recording (h is a Weyl sequence over consecutive ids), decided by the spike alone. So the sample
 * of a merged cluster (n = n₁ + n₂, a lower cut) is exactly the part of its parents' samples
 * under the new cut: the rows are already in memory. phylib's regular subset (the FeatureView's)
 * does not compose like that — the merged cluster's every-k-th spikes are others — and on a
 * Neuropixels file read in 1 MiB pages its 300 scattered rows cost ~300 MiB of reads, which is
 * what kept an update after a merge far above 50 ms.
 */
import { mergeSpikeTrains } from '../compute/ccg';
import { lowerBound } from '../search';

/** The sample hash of a spike id, 0…2³² − 1 (Knuth's multiplicative constant). */
export function sampleHash(spikeId: number): number {
  return Math.imul(spikeId, 0x9e3779b1) >>> 0;
}

/** The hash threshold for a cluster of `n` spikes and a sample of about `max`. */
export function sampleCut(n: number, max: number): number {
  return n <= max ? 2 ** 32 : Math.floor((2 ** 32 * max) / n);
}

/** The sampled spikes (ascending) of a cluster's ascending spike ids. */
export function sampleSpikes(spikeIds: Int32Array, max: number): Int32Array {
  const cut = sampleCut(spikeIds.length, max);
  if (cut >= 2 ** 32) return spikeIds;
  return spikeIds.filter((i) => sampleHash(i) < cut);
}

/** A cluster's sample: its sampled spike ids and their rows (`width` values, `chWidth` channel indices each). */
export interface Sample {
  /** Spikes of the cluster (its size decides the cut). */
  nSpikes: number;
  ids: Int32Array;
  data: Float32Array;
  /** (ids.length, chWidth) channel of each column (features), or null. */
  channels: Int32Array | null;
}

/** How a column is read: rows of ascending spike ids. */
export interface ColumnReader {
  /** Values per row. */
  width: number;
  /** Channel indices per row (0 when the column has none). */
  chWidth: number;
  /** Which spikes have a row (ascending), or null for all. */
  spikeIds: Int32Array | null;
  read(sortedIds: Int32Array): { data: Float32Array; channels: Int32Array | null };
}

/** The samples of every cluster asked for, by id (an id names a fixed spike set, so they never go stale). */
export class SampledColumn {
  private readonly samples = new Map<number, Sample>();

  constructor(
    private readonly reader: ColumnReader,
    private readonly max: number,
  ) {}

  /** The cached sample of a cluster, or undefined. */
  cached(c: number): Sample | undefined {
    return this.samples.get(c);
  }

  /**
   * Reads the samples of the clusters not cached yet in one pass over the file, spike ids
   * ascending (each page read once, instead of once per cluster). `spikeIdsOf(c)`: the cluster's
   * ascending spike ids.
   */
  load(clusterIds: readonly number[], spikeIdsOf: (c: number) => Int32Array): void {
    const todo = clusterIds.filter((c) => !this.samples.has(c));
    if (!todo.length) return;
    const all = todo.map((c) => spikeIdsOf(c));
    const subs = all.map((ids) => this.withRows(sampleSpikes(ids, this.max)));
    // Spike ids are disjoint between clusters: one ascending list, with the cluster of each.
    const { spikeIds: sorted, clusterIndex: owner } = mergeSpikeTrains(subs);
    const total = sorted.length;
    const r = total ? this.reader.read(sorted) : { data: new Float32Array(0), channels: null };
    const { width, chWidth } = this.reader;
    const parts = subs.map((s, j) => ({ nSpikes: all[j].length, ids: s, data: new Float32Array(s.length * width), channels: r.channels ? new Int32Array(s.length * chWidth) : null, fill: 0 }));
    for (let k = 0; k < total; k++) {
      const p = parts[owner[k]];
      p.data.set(r.data.subarray(k * width, (k + 1) * width), p.fill * width);
      if (p.channels && r.channels) p.channels.set(r.channels.subarray(k * chWidth, (k + 1) * chWidth), p.fill * chWidth);
      p.fill++;
    }
    todo.forEach((c, j) => this.samples.set(c, { nSpikes: parts[j].nSpikes, ids: parts[j].ids, data: parts[j].data, channels: parts[j].channels }));
  }

  /**
   * The sample of `c` composed from its `parents`' cached samples, without reading, when `c` is
   * exactly their union (a merge: `nSpikes` = Σ the parents' — `c` is new, so all its spikes came
   * from deleted clusters). Returns false (nothing cached) otherwise.
   */
  compose(c: number, nSpikes: number, parents: readonly number[]): boolean {
    const ps = parents.map((p) => this.samples.get(p));
    if (!ps.length || ps.some((p) => !p) || ps.reduce((s, p) => s + p!.nSpikes, 0) !== nSpikes) return false;
    const cut = sampleCut(nSpikes, this.max);
    const { width, chWidth } = this.reader;
    const rows: Array<{ id: number; p: Sample; k: number }> = [];
    for (const p of ps as Sample[]) p.ids.forEach((id, k) => sampleHash(id) < cut && rows.push({ id, p, k }));
    rows.sort((a, b) => a.id - b.id);
    const data = new Float32Array(rows.length * width);
    const channels = ps[0]!.channels ? new Int32Array(rows.length * chWidth) : null;
    rows.forEach((r, i) => {
      data.set(r.p.data.subarray(r.k * width, (r.k + 1) * width), i * width);
      if (channels) channels.set(r.p.channels!.subarray(r.k * chWidth, (r.k + 1) * chWidth), i * chWidth);
    });
    this.samples.set(c, { nSpikes, ids: Int32Array.from(rows, (r) => r.id), data, channels });
    return true;
  }

  /** The spikes of `ids` that have a row in the file. */
  private withRows(ids: Int32Array): Int32Array {
    const have = this.reader.spikeIds;
    if (!have) return ids;
    return ids.filter((i) => {
      const k = lowerBound(have, i);
      return k < have.length && have[k] === i;
    });
  }
}
