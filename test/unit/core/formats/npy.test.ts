import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryByteSource } from '../../../../src/core/formats/ByteSource';
import { DTYPE_SIZE, NpyFile, encodeNpy, encodeNpyData, encodeNpyHeader, parseDtype, readNpy, readNpyHeader, type NpyDtype } from '../../../../src/core/formats/npy';
import { FormatError } from '../../../../src/core/diagnostics';
import { hasPhyData, phyDataDir, phyDataSkipReason } from '../../../helpers/phyData';
import { RecordingSource } from '../../../helpers/RecordingSource';

import { rng } from '../session/rng';

const ALL_DTYPES: NpyDtype[] = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64'];

function randomValue(dtype: NpyDtype, r: () => number): number {
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  switch (dtype) {
    case 'bool':
      return int(0, 1);
    case 'int8':
      return int(-128, 127);
    case 'uint8':
      return int(0, 255);
    case 'int16':
      return int(-32768, 32767);
    case 'uint16':
      return int(0, 65535);
    case 'int32':
      return int(-2147483648, 2147483647);
    case 'uint32':
      return int(0, 4294967295);
    case 'int64':
      return int(-(2 ** 53), 2 ** 53);
    case 'uint64':
      return int(0, 2 ** 53);
    case 'float32':
      return Math.fround((r() - 0.5) * 1e6);
    case 'float64':
      return (r() - 0.5) * 1e12;
  }
}

function product(xs: number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

/** The Fortran-order flat sequence of a C-order array of `shape`. */
function toFortran(values: number[], shape: number[]): number[] {
  const n = product(shape);
  const out = new Array<number>(n);
  const idx = new Array<number>(shape.length).fill(0);
  for (let f = 0; f < n; f++) {
    let rem = f;
    for (let d = 0; d < shape.length; d++) {
      idx[d] = rem % shape[d];
      rem = Math.floor(rem / shape[d]);
    }
    let c = 0;
    for (let d = 0; d < shape.length; d++) c = c * shape[d] + idx[d];
    out[f] = values[c];
  }
  return out;
}

/** A hand-built .npy: header dict text, then `data`; version 1, 2 or 3 length field. */
function npyBytes(dict: string, data: Uint8Array, major = 1): Uint8Array {
  const pre = major === 1 ? 10 : 12;
  let h = dict;
  const pad = (64 - ((pre + h.length + 1) % 64)) % 64;
  h = h + ' '.repeat(pad) + '\n';
  const hb = new TextEncoder().encode(h);
  const out = new Uint8Array(pre + hb.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0], 0);
  if (major === 1) {
    out[8] = hb.length & 0xff;
    out[9] = hb.length >> 8;
  } else {
    new DataView(out.buffer).setUint32(8, hb.length, true);
  }
  out.set(hb, pre);
  out.set(data, pre + hb.length);
  return out;
}

function shapeText(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function fortranNpy(values: number[], dtype: NpyDtype, shape: number[]): Uint8Array {
  const descr = encodeNpyHeader(dtype, shape);
  const m = /'descr': '([^']+)'/.exec(new TextDecoder().decode(descr))!;
  return npyBytes(`{'descr': '${m[1]}', 'fortran_order': True, 'shape': ${shapeText(shape)}, }`, encodeNpyData(toFortran(values, shape), dtype));
}

function open(bytes: Uint8Array, name = 'x.npy'): NpyFile {
  return NpyFile.open(new MemoryByteSource(bytes, name));
}

function formatErrorOf(f: () => unknown): FormatError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return e as FormatError;
  }
  throw new Error('expected a FormatError');
}


describe('npy round trips (property tests)', () => {
  it('reads back what encodeNpy wrote, for random shapes and every dtype, in C and Fortran order', () => {
    const r = rng(12345);
    for (let trial = 0; trial < 300; trial++) {
      const dtype = ALL_DTYPES[trial % ALL_DTYPES.length];
      const ndim = 1 + Math.floor(r() * 3);
      const shape = Array.from({ length: ndim }, () => Math.floor(r() * 6));
      if (r() < 0.8) shape[0] = Math.max(1, shape[0]);
      const n = product(shape);
      const values = Array.from({ length: n }, () => randomValue(dtype, r));
      for (const fortran of [false, true]) {
        const f = open(fortran ? fortranNpy(values, dtype, shape) : encodeNpy(values, dtype, shape));
        expect(f.header.shape).toEqual(shape);
        expect(f.header.dtype).toBe(dtype);
        expect(f.header.fortranOrder).toBe(fortran);
        expect(Array.from(f.read())).toEqual(values);
        expect(Array.from(f.read({ as: 'float64' }))).toEqual(values);
        // Rows [a, b) equal the C-order slice.
        const rs = f.rowSize;
        const a = Math.floor(r() * (f.length + 1));
        const b = a + Math.floor(r() * (f.length - a + 1));
        expect(Array.from(f.readRows(a, b))).toEqual(values.slice(a * rs, b * rs));
        // Arbitrary rows (unsorted, duplicates, gaps).
        if (f.length > 0) {
          const rows = Array.from({ length: 1 + Math.floor(r() * 8) }, () => Math.floor(r() * f.length));
          if (r() < 0.5) rows.sort((x, y) => x - y);
          const expected = rows.flatMap((row) => values.slice(row * rs, (row + 1) * rs));
          expect(Array.from(f.readRowsAt(rows))).toEqual(expected);
        }
      }
    }
  });

  it('writes the header NumPy writes (64-byte aligned, version 1.0)', () => {
    const bytes = encodeNpy([1, 2, 3], 'int16');
    const h = readNpyHeader(new MemoryByteSource(bytes));
    expect(h.dataOffset % 64).toBe(0);
    expect(h.version).toBe('1.0');
    expect(h.descr).toBe('<i2');
    expect(new TextDecoder().decode(bytes.subarray(10, h.dataOffset))).toMatch(/^\{'descr': '<i2', 'fortran_order': False, 'shape': \(3,\), \} *\n$/);
  });

  it('parses dtype names and descriptors', () => {
    expect(parseDtype('int16')).toEqual({ dtype: 'int16', littleEndian: true });
    expect(parseDtype('np.float32')).toEqual({ dtype: 'float32', littleEndian: true });
    expect(parseDtype('<i2')).toEqual({ dtype: 'int16', littleEndian: true });
    expect(parseDtype('>f8')).toEqual({ dtype: 'float64', littleEndian: false });
    expect(parseDtype('|b1')).toEqual({ dtype: 'bool', littleEndian: true });
    expect(parseDtype('complex64')).toBeNull();
    expect(parseDtype('<c8')).toBeNull();
  });
});

describe('npy headers', () => {
  const data = encodeNpyData([1, -2, 3, -4], 'int32');
  it('reads version 2.0 (4-byte header length)', () => {
    const f = open(npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }", data, 2));
    expect(f.header.version).toBe('2.0');
    expect(f.header.dataOffset % 64).toBe(0);
    expect(Array.from(f.read())).toEqual([1, -2, 3, -4]);
  });

  it('reads version 3.0 (UTF-8 header)', () => {
    const f = open(npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (4,), }", data, 3));
    expect(f.header.version).toBe('3.0');
    expect(Array.from(f.read())).toEqual([1, -2, 3, -4]);
  });

  it('reads double-quoted keys, Python 2 long shapes and a scalar', () => {
    const f = open(npyBytes('{"descr": "<i4", "fortran_order": False, "shape": (4L,)}', data));
    expect(f.header.shape).toEqual([4]);
    const s = open(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", encodeNpyData([2.5], 'float64')));
    expect(s.header.shape).toEqual([]);
    expect(s.length).toBe(1);
    expect(Array.from(s.read())).toEqual([2.5]);
  });

  it('rejects bad magic, unknown versions, bad headers and unsupported dtypes with FormatErrors', () => {
    const good = encodeNpy([1, 2], 'int16');
    const badMagic = good.slice();
    badMagic[1] = 0x58;
    const e1 = formatErrorOf(() => open(badMagic, '/d/bad.npy'));
    expect(e1.code).toBe('npy.badMagic');
    expect(e1.file).toBe('/d/bad.npy');
    expect(e1.message).toContain('/d/bad.npy');

    const badVersion = good.slice();
    badVersion[6] = 9;
    expect(formatErrorOf(() => open(badVersion)).code).toBe('npy.badVersion');

    expect(formatErrorOf(() => open(npyBytes("{'descr': '<i2', 'shape': (2,), }", encodeNpyData([1, 2], 'int16')))).code).toBe('npy.badHeader');
    expect(formatErrorOf(() => open(npyBytes("{'descr': '<i2', 'fortran_order': False, 'shape': (2, -1), }", new Uint8Array(0)))).code).toBe('npy.badHeader');
    expect(formatErrorOf(() => open(npyBytes("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)))).code).toBe('npy.badDtype');
    expect(formatErrorOf(() => open(npyBytes("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)))).code).toMatch(/^npy\.bad(Header|Dtype)$/);
  });

  it('reports truncated files (data, header, tiny file) as npy.truncated', () => {
    const good = encodeNpy([1, 2, 3, 4], 'float32');
    const e = formatErrorOf(() => open(good.subarray(0, good.length - 1), '/d/t.npy'));
    expect(e.code).toBe('npy.truncated');
    expect(e.message).toMatch(/needs \d+ bytes but the file has \d+/);
    expect(formatErrorOf(() => open(good.subarray(0, 40))).code).toBe('npy.truncated');
    expect(formatErrorOf(() => open(good.subarray(0, 5))).code).toBe('npy.truncated');
  });
});

describe('npy values', () => {
  it('reads big-endian data built by hand', () => {
    const i2 = new Uint8Array(6);
    const dv = new DataView(i2.buffer);
    [1, -300, 32767].forEach((v, k) => dv.setInt16(k * 2, v, false));
    expect(Array.from(open(npyBytes("{'descr': '>i2', 'fortran_order': False, 'shape': (3,), }", i2)).read())).toEqual([1, -300, 32767]);

    const f8 = new Uint8Array(16);
    new DataView(f8.buffer).setFloat64(0, Math.PI, false);
    new DataView(f8.buffer).setFloat64(8, -1e-300, false);
    expect(Array.from(open(npyBytes("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", f8)).read())).toEqual([Math.PI, -1e-300]);

    const u8 = new Uint8Array(16);
    new DataView(u8.buffer).setBigUint64(0, 2n ** 40n + 5n, false);
    new DataView(u8.buffer).setBigUint64(8, 7n, false);
    expect(Array.from(open(npyBytes("{'descr': '>u8', 'fortran_order': False, 'shape': (2,), }", u8)).read())).toEqual([2 ** 40 + 5, 7]);

    const i8 = new Uint8Array(8);
    new DataView(i8.buffer).setBigInt64(0, -(2n ** 50n) - 3n, false);
    expect(Array.from(open(npyBytes("{'descr': '>i8', 'fortran_order': False, 'shape': (1,), }", i8)).read())).toEqual([-(2 ** 50) - 3]);

    const f4 = new Uint8Array(8);
    new DataView(f4.buffer).setFloat32(0, 1.5, false);
    new DataView(f4.buffer).setFloat32(4, -2.25, false);
    const be = open(npyBytes("{'descr': '>f4', 'fortran_order': True, 'shape': (2, 1), }", f4));
    expect(be.header.littleEndian).toBe(false);
    expect(Array.from(be.read())).toEqual([1.5, -2.25]);
  });

  it('reads bool as 0/1 bytes', () => {
    const f = open(npyBytes("{'descr': '|b1', 'fortran_order': False, 'shape': (4,), }", new Uint8Array([1, 0, 0, 1])));
    const v = f.read();
    expect(v).toBeInstanceOf(Uint8Array);
    expect(Array.from(v)).toEqual([1, 0, 0, 1]);
    expect(Array.from(f.read({ as: 'int32' }))).toEqual([1, 0, 0, 1]);
  });

  it('returns 64-bit ints as exact float64 and rejects values beyond 2^53 with npy.inexact', () => {
    const ok = open(encodeNpy([2 ** 53, -(2 ** 53), 0], 'int64'));
    expect(ok.read()).toBeInstanceOf(Float64Array);
    expect(Array.from(ok.read())).toEqual([2 ** 53, -(2 ** 53), 0]);
    const big = new Uint8Array(16);
    new DataView(big.buffer).setBigInt64(8, 2n ** 53n + 1n, true);
    const f = open(npyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", big), '/d/times.npy');
    const e = formatErrorOf(() => f.read());
    expect(e.code).toBe('npy.inexact');
    expect(e.file).toBe('/d/times.npy');
    expect(e.message).toContain('9007199254740993');
    const ubig = new Uint8Array(8);
    new DataView(ubig.buffer).setBigUint64(0, 2n ** 63n, true);
    expect(formatErrorOf(() => open(npyBytes("{'descr': '<u8', 'fortran_order': False, 'shape': (1,), }", ubig)).read()).code).toBe('npy.inexact');
    const neg = new Uint8Array(8);
    new DataView(neg.buffer).setBigInt64(0, -(2n ** 53n) - 1n, true);
    expect(formatErrorOf(() => open(npyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", neg)).read()).code).toBe('npy.inexact');
    // Rows that are not asked for are never decoded, so their values cannot fail the read.
    expect(Array.from(f.readRows(0, 1))).toEqual([0]);
  });

  it('converts to int32 on request and rejects values that do not fit', () => {
    expect(Array.from(open(encodeNpy([1, 2, 3], 'float64')).read({ as: 'int32' }))).toEqual([1, 2, 3]);
    expect(formatErrorOf(() => open(encodeNpy([1.5], 'float64')).read({ as: 'int32' })).code).toBe('npy.range');
    expect(formatErrorOf(() => open(encodeNpy([2 ** 31], 'uint32')).read({ as: 'int32' })).code).toBe('npy.range');
    expect(formatErrorOf(() => open(encodeNpy([2 ** 40], 'int64')).read({ as: 'int32' })).code).toBe('npy.range');
  });

  it('treats (N,) and (N, 1) alike, in both orders', () => {
    const values = [5, 6, 7];
    for (const bytes of [encodeNpy(values, 'uint32', [3]), encodeNpy(values, 'uint32', [3, 1]), fortranNpy(values, 'uint32', [3, 1])]) {
      const f = open(bytes);
      expect(f.length).toBe(3);
      expect(f.rowSize).toBe(1);
      expect(f.squeezedShape).toEqual([3]);
      expect(Array.from(f.read({ as: 'int32' }))).toEqual(values);
    }
  });

  it('backs results with a SharedArrayBuffer on request', () => {
    const v = open(encodeNpy([1, 2], 'int32')).read({ shared: true });
    expect(v.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(v)).toEqual([1, 2]);
  });
});

describe('npy Fortran order', () => {
  it('reads a 2-D Fortran array as its C-order equivalent', () => {
    // [[0, 1, 2], [10, 11, 12]] stored column-major: 0, 10, 1, 11, 2, 12.
    const f = open(npyBytes("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", encodeNpyData([0, 10, 1, 11, 2, 12], 'float64')));
    expect(Array.from(f.read())).toEqual([0, 1, 2, 10, 11, 12]);
    expect(Array.from(f.readRows(1, 2))).toEqual([10, 11, 12]);
    expect(Array.from(f.readRowsAt([1, 0, 1]))).toEqual([10, 11, 12, 0, 1, 2, 10, 11, 12]);
  });

  it('reads a 3-D Fortran array as its C-order equivalent (templates-like layout)', () => {
    const shape = [4, 5, 3];
    const values = Array.from({ length: 60 }, (_, i) => i * 1.5 - 7);
    const c = open(encodeNpy(values, 'float32', shape));
    const f = open(fortranNpy(values, 'float32', shape));
    expect(Array.from(f.read())).toEqual(Array.from(c.read()));
    expect(Array.from(f.readRows(1, 3))).toEqual(Array.from(c.readRows(1, 3)));
    expect(Array.from(f.readRowsAt([3, 0, 2, 2]))).toEqual(Array.from(c.readRowsAt([3, 0, 2, 2])));
    // Element (i, j, k) is at C index i*15 + j*3 + k.
    expect(f.read()[2 * 15 + 4 * 3 + 1]).toBe(values[2 * 15 + 4 * 3 + 1]);
  });

  it('reads sorted Fortran row subsets with one read per column and cluster, not per element', () => {
    const shape = [1000, 3, 4];
    const values = Array.from({ length: product(shape) }, (_, i) => i % 997);
    const src = new RecordingSource(new MemoryByteSource(fortranNpy(values, 'float32', shape)));
    const f = NpyFile.open(src);
    src.reads.length = 0;
    const rows = [10, 11, 15, 40, 41, 900];
    const got = Array.from(f.readRowsAt(rows));
    expect(got).toEqual(rows.flatMap((r) => values.slice(r * 12, (r + 1) * 12)));
    // Rows 10..900 are within the gap budget of float32 (1024 elements): one span per column.
    expect(src.reads.length).toBe(12);
  });

  it('never decodes unrequested rows when a conversion could fail', () => {
    // Column of float64 with a non-integer in row 1; rows 0 and 2 as int32 must still work.
    const f = open(npyBytes("{'descr': '<f8', 'fortran_order': True, 'shape': (3, 2), }", encodeNpyData([1, 1.5, 3, 4, 5.5, 6], 'float64')));
    expect(Array.from(f.readRowsAt([0, 2], { as: 'int32' }))).toEqual([1, 4, 3, 6]);
    expect(formatErrorOf(() => f.readRowsAt([1], { as: 'int32' })).code).toBe('npy.range');
  });

  it('rejects out-of-range rows', () => {
    const f = open(fortranNpy([1, 2, 3, 4], 'int16', [2, 2]));
    expect(() => f.readRowsAt([2])).toThrow(RangeError);
    expect(() => f.readRows(1, 3)).toThrow(RangeError);
  });
});

/** numpy reference values (C-order ravel): sum, Σ v·(i mod 7 + 1), and elements at indices. */
const REFERENCE: Record<string, { dtype: NpyDtype; shape: number[]; fortran: boolean; sum: number; wsum: number; at: Array<[number, number]> }> = {
  'amplitudes.npy': { dtype: 'float64', shape: [314, 1], fortran: true, sum: 3502.9092559814453, wsum: 14013.944320678711, at: [[0, 12.019012451171875], [104, 13.764678955078125], [313, 12.0413818359375]] },
  'channel_map.npy': { dtype: 'int32', shape: [32, 1], fortran: true, sum: 496, wsum: 1948, at: [[0, 7], [10, 27], [31, 5]] },
  'channel_positions.npy': { dtype: 'float64', shape: [32, 2], fortran: true, sum: 10380, wsum: 40680, at: [[0, 20], [1, 140], [21, 260], [63, 480]] },
  'channel_shanks.npy': { dtype: 'int32', shape: [32, 1], fortran: false, sum: 16, wsum: 63, at: [[0, 0], [31, 1]] },
  'pc_feature_ind.npy': { dtype: 'float64', shape: [64, 12], fortran: true, sum: 9209, wsum: 36781, at: [[0, 4], [1, 3], [256, 4], [767, 11]] },
  'pc_feature_spike_ids.npy': { dtype: 'int64', shape: [314], fortran: false, sum: 49141, wsum: 196882, at: [[104, 104], [313, 313]] },
  'pc_features.npy': { dtype: 'float32', shape: [314, 3, 12], fortran: true, sum: 8296.115189387085, wsum: 32865.42949706936, at: [[0, 2.436675786972046], [1, 22.383785247802734], [3768, 17.715106964111328], [11303, -1.5204929113388062]] },
  'similar_templates.npy': { dtype: 'float32', shape: [64, 64], fortran: true, sum: 0, wsum: 0, at: [[4095, 0]] },
  'spike_clusters.npy': { dtype: 'uint32', shape: [314, 1], fortran: true, sum: 9677, wsum: 38930, at: [[0, 40], [1, 17], [104, 55], [313, 51]] },
  'spike_templates.npy': { dtype: 'uint32', shape: [314, 1], fortran: true, sum: 9677, wsum: 38930, at: [[0, 40], [1, 17], [104, 55], [313, 51]] },
  'spike_times.npy': { dtype: 'uint64', shape: [314, 1], fortran: true, sum: 44498793, wsum: 178306107, at: [[0, 1006], [1, 1270], [104, 92610], [313, 298403]] },
  'template_feature_ind.npy': { dtype: 'float64', shape: [64, 16], fortran: true, sum: 7680, wsum: 30704, at: [[1, 1], [341, 5], [1023, 15]] },
  'template_feature_spike_ids.npy': { dtype: 'int64', shape: [314], fortran: false, sum: 49141, wsum: 196882, at: [[313, 313]] },
  'template_features.npy': { dtype: 'float32', shape: [314, 16], fortran: true, sum: 222870.6539993286, wsum: 891218.0032577515, at: [[0, 45.86179733276367], [1, 43.6435661315918], [1674, 46.54127883911133], [5023, 43.895938873291016]] },
  'template_ind.npy': { dtype: 'int64', shape: [64, 32], fortran: false, sum: 31744, wsum: 126916, at: [[682, 10], [2047, 31]] },
  // templates[51, 40, 31] is the largest |value|; templates[5, 40, 3] = -0.0951…
  'templates.npy': { dtype: 'float32', shape: [64, 82, 32], fortran: true, sum: -248.3967154558763, wsum: -993.6004323046241, at: [[135135, -0.2554450035095215], [43295, -0.19803127646446228], [5 * 82 * 32 + 40 * 32 + 3, -0.09511715918779373]] },
  'whitening_mat.npy': { dtype: 'float64', shape: [32, 32], fortran: true, sum: 0.0906790678995204, wsum: 0.3387771286136605, at: [[0, 0.007346909027546644], [1, -0.0034975805319845676], [341, -1.561055614729412e-5], [1023, 0.00914426613599062]] },
  'whitening_mat_inv.npy': { dtype: 'float64', shape: [32, 32], fortran: false, sum: 11384.40713112881, wsum: 44903.31416302601, at: [[0, 173.31131611673712], [341, -0.14098483188192235], [1023, 167.2285195610146]] },
};

describe.skipIf(!hasPhyData)(`npy on phy-data template/ (skipped: ${hasPhyData ? '' : phyDataSkipReason})`, () => {
  const dir = path.join(phyDataDir, 'template');
  const load = (name: string) => NpyFile.open(new MemoryByteSource(new Uint8Array(readFileSync(path.join(dir, name))), path.join(dir, name)));

  for (const [name, ref] of Object.entries(REFERENCE)) {
    it(`${name}: ${ref.dtype} (${ref.shape.join(', ')})${ref.fortran ? ' Fortran' : ''} equals numpy`, () => {
      const f = load(name);
      expect(f.header.dtype).toBe(ref.dtype);
      expect(f.header.shape).toEqual(ref.shape);
      expect(f.header.fortranOrder).toBe(ref.fortran);
      const v = f.read({ as: 'float64' });
      let sum = 0;
      let wsum = 0;
      for (let i = 0; i < v.length; i++) {
        sum += v[i];
        wsum += v[i] * ((i % 7) + 1);
      }
      const tol = (x: number) => 1e-9 * Math.max(1, Math.abs(x)) + 1e-6;
      expect(Math.abs(sum - ref.sum)).toBeLessThan(tol(ref.sum));
      expect(Math.abs(wsum - ref.wsum)).toBeLessThan(tol(ref.wsum));
      for (const [i, x] of ref.at) expect(v[i]).toBe(x);
    });
  }

  it('reads templates by row (template) equal to the whole read, and pc_features rows by spike', () => {
    const t = load('templates.npy');
    const all = t.read();
    const rs = 82 * 32;
    expect(Array.from(t.readRows(5, 8))).toEqual(Array.from(all.subarray(5 * rs, 8 * rs)));
    expect(Array.from(t.readRowsAt([51, 5]))).toEqual([...all.subarray(51 * rs, 52 * rs), ...all.subarray(5 * rs, 6 * rs)]);
    const pc = load('pc_features.npy');
    const pcAll = pc.read();
    const rows = [3, 4, 5, 100, 313, 200, 201];
    const got = pc.readRowsAt(rows);
    expect(Array.from(got)).toEqual(rows.flatMap((r) => Array.from(pcAll.subarray(r * 36, (r + 1) * 36))));
    let s = 0;
    for (let i = 0; i < got.length; i++) s += got[i];
    expect(s).toBeCloseTo(125.94751560734585, 4);
  });

  it('reads spike_times as exact float64 and spike_clusters as int32', () => {
    const times = load('spike_times.npy').read();
    expect(times).toBeInstanceOf(Float64Array);
    expect(Array.from(times.subarray(0, 5))).toEqual([1006, 1270, 1687, 2160, 2864]);
    const clusters = readNpy(new MemoryByteSource(new Uint8Array(readFileSync(path.join(dir, 'spike_clusters.npy')))), { as: 'int32' });
    expect(clusters.data).toBeInstanceOf(Int32Array);
    expect(clusters.data.length).toBe(314);
    expect(Array.from(load('channel_map.npy').read({ as: 'int32' }))).toEqual([7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 0, 1, 2, 3, 4, 5]);
  });
});

it('DTYPE_SIZE covers every dtype', () => {
  for (const d of ALL_DTYPES) expect(DTYPE_SIZE[d]).toBeGreaterThan(0);
});
