import { describe, expect, it } from 'vitest';
import { BlockByteSource, blockSpan, coalesceBlocks } from '../../../../src/core/formats/BlockByteSource';

/** A file of `size` bytes (byte i = i mod 251) and a fetcher over it that records each run asked. */
function fixture(size: number, blockBytes: number, opts: { memoryBlocks?: number; maxRunBlocks?: number } = {}) {
  const file = Uint8Array.from({ length: size }, (_, i) => i % 251);
  const runs: Array<[number, number]> = [];
  const src = new BlockByteSource('mem://f', size, blockBytes, (first, count) => {
    runs.push([first, count]);
    const bytes = file.slice(first * blockBytes, Math.min(size, (first + count) * blockBytes));
    return { bytes, networkBytes: bytes.byteLength };
  }, opts);
  return { file, runs, src };
}

describe('block math', () => {
  it('finds the blocks a range touches and groups indices into contiguous runs', () => {
    expect(blockSpan(0, 1, 10)).toEqual({ first: 0, last: 0 });
    expect(blockSpan(9, 2, 10)).toEqual({ first: 0, last: 1 });
    expect(blockSpan(20, 10, 10)).toEqual({ first: 2, last: 2 });
    expect(coalesceBlocks([3, 4, 5, 9, 10, 12])).toEqual([
      { first: 3, count: 3 },
      { first: 9, count: 2 },
      { first: 12, count: 1 },
    ]);
    expect(coalesceBlocks([1, 2, 3, 4, 5], 2)).toEqual([
      { first: 1, count: 2 },
      { first: 3, count: 2 },
      { first: 5, count: 1 },
    ]);
  });
});

describe('BlockByteSource', () => {
  it('serves any range with the file bytes, a short last block included', () => {
    const { file, src } = fixture(1000, 64);
    for (const [o, n] of [
      [0, 1],
      [63, 2],
      [100, 500],
      [960, 40],
      [999, 1],
      [0, 1000],
    ]) {
      expect(Array.from(src.read(o, n))).toEqual(Array.from(file.subarray(o, o + n)));
    }
    expect(() => src.read(990, 20)).toThrow(RangeError);
  });

  it('fetches the missing blocks of a read as one run, and serves repeats from memory', () => {
    const { runs, src } = fixture(1000, 100);
    src.read(150, 300); // blocks 1..4
    expect(runs).toEqual([[1, 4]]);
    src.read(120, 50);
    expect(runs).toHaveLength(1);
    src.read(50, 600); // 0 and 5, 6 missing: two runs around the cached 1..4
    expect(runs).toEqual([
      [1, 4],
      [0, 1],
      [5, 2],
    ]);
    expect(src.stats.fetches).toBe(3);
    expect(src.stats.bytesFetched).toBe(700);
  });

  it('keeps at most memoryBlocks blocks (least recently used dropped) and splits long runs', () => {
    const { runs, src } = fixture(1000, 100, { memoryBlocks: 2, maxRunBlocks: 3 });
    src.read(0, 1000);
    expect(runs).toEqual([
      [0, 3],
      [3, 3],
      [6, 3],
      [9, 1],
    ]);
    runs.length = 0;
    src.read(950, 10); // block 9: kept
    src.read(850, 10); // block 8: kept
    expect(runs).toEqual([]);
    src.read(0, 10); // block 0 was dropped
    expect(runs).toEqual([[0, 1]]);
  });

  it('passes the fetcher error on and keeps working after it', () => {
    let fail = true;
    const src = new BlockByteSource('mem://f', 100, 10, (first, count) => {
      if (fail) throw new Error('mem://f: the connection failed');
      return { bytes: new Uint8Array(Math.min(100, (first + count) * 10) - first * 10), networkBytes: 0 };
    });
    expect(() => src.read(0, 5)).toThrow(/mem:\/\/f: the connection failed/);
    fail = false;
    expect(src.read(0, 5)).toHaveLength(5);
    src.close();
    expect(() => src.read(0, 5)).toThrow(/after close/);
  });

  it('refuses a fetcher answer of the wrong length', () => {
    const src = new BlockByteSource('mem://f', 100, 10, () => ({ bytes: new Uint8Array(3), networkBytes: 3 }));
    expect(() => src.read(0, 5)).toThrow(/got 3 bytes for blocks 0–0, expected 10/);
  });
});
