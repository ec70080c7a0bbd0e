import { describe, expect, it } from 'vitest';
import { readColumn, type ColumnStats } from '../../../../src/core/dataset/readColumn';
import { compactSpikeTimes } from '../../../../src/core/dataset/Dataset';
import { MemoryByteSource, type ByteSource } from '../../../../src/core/formats/ByteSource';
import { NpyFile, encodeNpy } from '../../../../src/core/formats/npy';
import type { NpyDtype } from '../../../../src/core/formats/npy';
import { encodeNpyFortran } from '../../../helpers/templateFolder';

/** An npy whose data starts at an odd byte offset of its buffer (as cache pages may). */
function npyAt(bytes: Uint8Array, shift = 0): NpyFile {
  const buf = new Uint8Array(bytes.length + shift);
  buf.set(bytes, shift);
  return NpyFile.open(new MemoryByteSource(buf.subarray(shift), 'col.npy'));
}

describe('readColumn', () => {
  const values = [0, 1, -2, 300, -40000, 2147483647, -2147483648];
  it.each<[NpyDtype, number[]]>([
    ['int64', values],
    ['int32', values],
    ['int16', [0, 1, -2, 300, -32768]],
    ['uint16', [0, 1, 65535]],
    ['uint8', [0, 255]],
    ['uint32', [0, 7, 2147483647]],
    ['uint64', [0, 7, 2147483647]],
    ['float64', [0, 1, -3, 1e6]],
    ['float32', [0, 1, -3, 1e6]],
  ])('reads %s into int32, float32 and float64, aligned or not', (dtype, vals) => {
    for (const shift of [0, 1, 3]) {
      const npy = npyAt(encodeNpy(vals, dtype), shift);
      expect(Array.from(readColumn(npy, 'int32', false))).toEqual(vals);
      expect(Array.from(readColumn(npy, 'float64', true))).toEqual(vals);
      expect(Array.from(readColumn(npy, 'float32', false))).toEqual(vals.map((v) => Math.fround(v)));
    }
  });

  it('keeps 64-bit values exact up to 2^53 in float64', () => {
    const big = [2 ** 52 + 1, -(2 ** 52) - 3, 123456789012];
    expect(Array.from(readColumn(npyAt(encodeNpy(big, 'int64')), 'float64', false))).toEqual(big);
  });

  it('rejects values that do not fit, naming the index', () => {
    expect(() => readColumn(npyAt(encodeNpy([0, 2 ** 31], 'uint32')), 'int32', false)).toThrow(/index 1 does not fit a 32-bit integer/);
    expect(() => readColumn(npyAt(encodeNpy([0, 0, 2 ** 40], 'int64')), 'int32', false)).toThrow(/index 2 does not fit/);
    expect(() => readColumn(npyAt(encodeNpy([-1], 'int64')), 'int32', false)).not.toThrow();
    expect(() => readColumn(npyAt(encodeNpy([1.5], 'float64')), 'int32', false)).toThrow(/1\.5 at index 0/);
    expect(() => readColumn(npyAt(encodeNpy([NaN], 'float32')), 'int32', false)).toThrow(/NaN at index 0/);
    const tooBig = new Uint8Array(encodeNpy([0], 'uint64'));
    tooBig[tooBig.length - 1] = 0x40;
    expect(() => readColumn(npyAt(tooBig), 'float64', false)).toThrow(/exceeds 2\^53/);
  });

  it('falls back to the general reader for Fortran-order 2-D arrays', () => {
    const npy = npyAt(encodeNpyFortran([1, 2, 3, 4, 5, 6], 'float32', [3, 2]));
    expect(Array.from(readColumn(npy, 'float64', false))).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

/**
 * A source that, like Node's file reads past 2 GiB − 1 (ERR_OUT_OF_RANGE), refuses any single
 * read over `cap` bytes, and says so in `maxReadBytes` (issue 16).
 */
class CappedSource implements ByteSource {
  readonly size: number;
  readonly calls: number[] = [];
  constructor(
    private readonly inner: MemoryByteSource,
    readonly maxReadBytes: number,
  ) {
    this.size = inner.size;
  }
  get name(): string {
    return this.inner.name;
  }
  private check(length: number): void {
    this.calls.push(length);
    if (length > this.maxReadBytes) throw new RangeError(`${this.name}: cannot read ${length} bytes at once (ERR_OUT_OF_RANGE)`);
  }
  read(offset: number, length: number): Uint8Array {
    this.check(length);
    return this.inner.read(offset, length);
  }
  readInto(offset: number, target: Uint8Array): void {
    this.check(target.byteLength);
    target.set(this.inner.read(offset, target.byteLength));
  }
  readOwned(offset: number, length: number): Uint8Array {
    this.check(length);
    return this.inner.read(offset, length).slice();
  }
}

describe('readColumn of a column larger than one read (issue 16: columns over 2 GiB)', () => {
  const n = 1000;
  const vals = Array.from({ length: n }, (_, i) => (i * 7919) % 30011);
  it.each<[NpyDtype, 'int32' | 'float64' | 'float32']>([
    ['int32', 'int32'],
    ['uint32', 'int32'],
    ['int64', 'int32'],
    ['int64', 'float64'],
    ['uint64', 'float64'],
    ['float64', 'float64'],
    ['float32', 'float32'],
    ['int16', 'int32'],
    ['float64', 'int32'],
  ])('%s → %s is read in pieces no larger than the source allows', (dtype, as) => {
    const src = new CappedSource(new MemoryByteSource(encodeNpy(vals, dtype), 'spike_times.npy'), 256);
    const out = readColumn(NpyFile.open(src), as, false);
    expect(Array.from(out)).toEqual(as === 'float32' ? vals.map((v) => Math.fround(v)) : vals);
    expect(Math.max(...src.calls)).toBeLessThanOrEqual(256);
    expect(src.calls.length).toBeGreaterThan(n * 2 / 256);
  });

  it('a column that fits in one read is still handed over whole (readOwned, no copy)', () => {
    const src = new CappedSource(new MemoryByteSource(encodeNpy(vals, 'int32'), 'c.npy'), 1 << 20);
    expect(Array.from(readColumn(NpyFile.open(src), 'int32', false))).toEqual(vals);
    expect(src.calls.filter((c) => c === n * 4)).toHaveLength(1);
  });

  it('Fortran-order 2-D columns are read in pieces too', () => {
    const rows = 300;
    const c = Array.from({ length: rows * 2 }, (_, i) => i);
    const src = new CappedSource(new MemoryByteSource(encodeNpyFortran(c, 'float64', [rows, 2]), 'f.npy'), 128);
    expect(Array.from(NpyFile.open(src).read())).toEqual(c);
    expect(Math.max(...src.calls)).toBeLessThanOrEqual(128);
  });
});

describe("readColumn 'times' (issue 16: spike times in 4 bytes when they fit)", () => {
  const TWO32 = 2 ** 32;
  const stats = (): ColumnStats => ({ kind: 'order', min: 0, max: 0, nonDecreasing: true });

  it.each<NpyDtype>(['uint64', 'int64', 'uint32', 'int32'])('%s times below 2^32 become a Uint32Array, exact', (dtype) => {
    const vals = dtype.endsWith('32') && dtype !== 'uint32' ? [0, 5, 2 ** 31 - 1] : [0, 5, 2 ** 31, TWO32 - 1];
    for (const shift of [0, 3]) {
      const s = stats();
      const out = readColumn(npyAt(encodeNpy(vals, dtype), shift), 'times', true, s);
      expect(out).toBeInstanceOf(Uint32Array);
      expect(out.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(Array.from(out)).toEqual(vals);
      expect(s.nonDecreasing).toBe(true);
    }
  });

  it.each<NpyDtype>(['uint64', 'int64'])('%s times past 2^32 samples take the 64-bit path and stay exact', (dtype) => {
    const vals = [0, 7, TWO32 - 1, TWO32, TWO32 + 1, 2 ** 40 + 3, 2 ** 52 + 1];
    const out = readColumn(npyAt(encodeNpy(vals, dtype)), 'times', false);
    expect(out).toBeInstanceOf(Float64Array);
    expect(Array.from(out)).toEqual(vals);
  });

  it('negative, fractional or float times stay float64', () => {
    expect(readColumn(npyAt(encodeNpy([-3, 0, 4], 'int64')), 'times', false)).toBeInstanceOf(Float64Array);
    expect(readColumn(npyAt(encodeNpy([-3, 0, 4], 'int32')), 'times', false)).toBeInstanceOf(Float64Array);
    expect(Array.from(readColumn(npyAt(encodeNpy([0.5, 1], 'float64')), 'times', false))).toEqual([0.5, 1]);
  });

  it('out-of-order times are reported by the order stats, whichever path reads them', () => {
    // The last value fits but one before it does not: the file is out of order; read as float64, exact.
    const s1 = stats();
    const wide = readColumn(npyAt(encodeNpy([1, TWO32 + 5, 2], 'uint64')), 'times', false, s1);
    expect(Array.from(wide)).toEqual([1, TWO32 + 5, 2]);
    expect(s1.nonDecreasing).toBe(false);
    // A decrease that fits 32 bits, in a later read of a capped source (256 bytes = 32 values a read).
    const vals = Array.from({ length: 1000 }, (_, i) => (i === 700 ? 3 : i * 1000));
    const src = new CappedSource(new MemoryByteSource(encodeNpy(vals, 'uint64'), 'spike_times.npy'), 256);
    const s2 = stats();
    const out = readColumn(NpyFile.open(src), 'times', false, s2);
    expect(out).toBeInstanceOf(Uint32Array);
    expect(Array.from(out)).toEqual(vals);
    expect(s2.nonDecreasing).toBe(false);
    expect(Math.max(...src.calls)).toBeLessThanOrEqual(256);
  });

  it('matches the float64 read on a column spanning many reads', () => {
    // 1 MB reads of 8-byte values: 131 072 a read, so 200 000 values take two.
    const vals = Array.from({ length: 200_000 }, (_, i) => i * 21_000);
    const npy = npyAt(encodeNpy(vals, 'int64'));
    const s = stats();
    const out = readColumn(npy, 'times', false, s);
    const wide = readColumn(npy, 'float64', false);
    expect(out).toBeInstanceOf(Uint32Array);
    let differ = 0;
    for (let i = 0; i < vals.length; i++) if (out[i] !== wide[i] || out[i] !== vals[i]) differ++;
    expect(differ).toBe(0);
    expect(out[vals.length - 1]).toBe(199_999 * 21_000);
    expect(s.nonDecreasing).toBe(true);
  });
});

describe('compactSpikeTimes', () => {
  it('keeps float64 for times a Uint32Array cannot hold exactly', () => {
    expect(compactSpikeTimes(new Float64Array([0, 2 ** 32 - 1]), false)).toBeInstanceOf(Uint32Array);
    expect(compactSpikeTimes(new Float64Array([0, 2 ** 32]), false)).toBeInstanceOf(Float64Array);
    expect(compactSpikeTimes(new Float64Array([-1, 3]), false)).toBeInstanceOf(Float64Array);
    expect(compactSpikeTimes(new Float64Array([0, 1.5]), false)).toBeInstanceOf(Float64Array);
    const shared = compactSpikeTimes(new Float64Array([1, 2, 3]), true);
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(shared)).toEqual([1, 2, 3]);
  });
});

describe("readColumn 'ids' (issue 16: template ids in 2 bytes when they fit)", () => {
  const range = (): ColumnStats => ({ kind: 'range', min: 0, max: 0, nonDecreasing: true });

  it.each<NpyDtype>(['uint32', 'int32', 'int64', 'uint64', 'uint16', 'int16', 'uint8'])('%s ids below 65 536 become a Uint16Array with their range', (dtype) => {
    const vals = dtype.endsWith('8') ? [3, 0, 255, 7] : dtype === 'int16' ? [3, 0, 32767, 7] : [3, 0, 65535, 7];
    for (const shift of [0, 1]) {
      const s = range();
      const out = readColumn(npyAt(encodeNpy(vals, dtype), shift), 'ids', true, s);
      expect(out).toBeInstanceOf(Uint16Array);
      expect(out.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(Array.from(out)).toEqual(vals);
      expect([s.min, s.max]).toEqual([0, Math.max(...vals)]);
    }
  });

  it('ids from 65 536 up, or negative, are read as int32 (which reports a negative one)', () => {
    const wide = readColumn(npyAt(encodeNpy([0, 65536, 70000], 'uint32')), 'ids', false);
    expect(wide).toBeInstanceOf(Int32Array);
    expect(Array.from(wide)).toEqual([0, 65536, 70000]);
    // An int64 id past 2^32 does not fit int32 either: the int32 read names it.
    expect(() => readColumn(npyAt(encodeNpy([1, 2 ** 32 + 1], 'int64')), 'ids', false)).toThrow(/index 1 does not fit a 32-bit integer/);
    const s = range();
    const neg = readColumn(npyAt(encodeNpy([4, -1, 2], 'int32')), 'ids', false, s);
    expect(neg).toBeInstanceOf(Int32Array);
    expect(s.min).toBe(-1);
  });

  it('falls back past the first chunk: 1 MB reads, the id that does not fit in the second one', () => {
    const n = 300_000;
    const vals = Array.from({ length: n }, (_, i) => (i === 290_000 ? 100_000 : i % 600));
    const out = readColumn(npyAt(encodeNpy(vals, 'uint32')), 'ids', false);
    expect(out).toBeInstanceOf(Int32Array);
    expect(out[290_000]).toBe(100_000);
    expect(out[289_999]).toBe(289_999 % 600);
  });

  it('reads in pieces no larger than the source allows', () => {
    const vals = Array.from({ length: 1000 }, (_, i) => (i * 7) % 517);
    const src = new CappedSource(new MemoryByteSource(encodeNpy(vals, 'uint32'), 'spike_templates.npy'), 256);
    const out = readColumn(NpyFile.open(src), 'ids', false);
    expect(out).toBeInstanceOf(Uint16Array);
    expect(Array.from(out)).toEqual(vals);
    expect(Math.max(...src.calls)).toBeLessThanOrEqual(256);
  });
});
