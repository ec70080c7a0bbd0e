/**
 * Hash samples of per-spike columns: about `max` spikes per cluster, decided by the spike alone,
 * so a merged cluster's sample is composed from its parents' without a read and equals the one
 * read from the file.
 */
import { describe, expect, it } from 'vitest';
import { sampleCut, sampleHash, sampleSpikes, SampledColumn, type ColumnReader } from '../../../../src/core/suggest/spikeSamples';

/** A column of 2 values per spike: (id, 10·id), counting the rows read. */
function reader(): ColumnReader & { rowsRead: number } {
  const r = {
    width: 2,
    chWidth: 0,
    spikeIds: null,
    rowsRead: 0,
    read(ids: Int32Array) {
      r.rowsRead += ids.length;
      const data = new Float32Array(ids.length * 2);
      ids.forEach((id, k) => data.set([id, 10 * id], 2 * k));
      return { data, channels: null };
    },
  };
  return r;
}

describe('spike samples', () => {
  it('keeps every spike of a small cluster and about max of a large one, spread over its ids', () => {
    const small = Int32Array.from({ length: 50 }, (_, i) => i * 7);
    expect(sampleSpikes(small, 100)).toBe(small);
    const large = Int32Array.from({ length: 100_000 }, (_, i) => i);
    const s = sampleSpikes(large, 300);
    expect(s.length).toBeGreaterThan(270);
    expect(s.length).toBeLessThan(330);
    // Spread: every tenth of the ids holds 30 ± 10 of them.
    for (let q = 0; q < 10; q++) expect(s.filter((i) => i >= q * 10_000 && i < (q + 1) * 10_000).length).toBeGreaterThan(19);
    for (const i of s) expect(sampleHash(i)).toBeLessThan(sampleCut(100_000, 300));
  });

  it("composes a merged cluster's sample from its parents' without reading, equal to a fresh read", () => {
    // Two interleaved clusters of 2,000 and 3,000 spikes.
    const a = Int32Array.from({ length: 2000 }, (_, i) => 5 * i);
    const b = Int32Array.from({ length: 3000 }, (_, i) => 5 * i + 2).filter((i) => i < 20000).slice(0, 3000);
    const all = new Map<number, Int32Array>([
      [1, a],
      [2, b],
      [3, Int32Array.from([...a, ...b].sort((x, y) => x - y))],
    ]);
    const r = reader();
    const col = new SampledColumn(r, 300);
    col.load([1, 2], (c) => all.get(c)!);
    const read = r.rowsRead;
    expect(col.compose(3, all.get(3)!.length, [1, 2])).toBe(true);
    expect(r.rowsRead).toBe(read);
    const fresh = new SampledColumn(reader(), 300);
    fresh.load([3], (c) => all.get(c)!);
    expect(col.cached(3)).toEqual(fresh.cached(3));
    expect(Array.from(col.cached(3)!.data.subarray(0, 2))).toEqual([col.cached(3)!.ids[0], 10 * col.cached(3)!.ids[0]]);
    // Not a union of these parents (a split, or a missing parent): nothing composed.
    expect(col.compose(4, 1000, [1])).toBe(false);
    expect(col.compose(5, 5000, [1, 9])).toBe(false);
    expect(col.cached(4)).toBeUndefined();
  });
});
