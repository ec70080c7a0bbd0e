import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryByteSource } from '../../../../src/core/formats/ByteSource';
import { FormatError } from '../../../../src/core/diagnostics';
import { NpyFile, encodeNpyHeaderDescr } from '../../../../src/core/formats/npy';
import { NpyStructuredFile, encodeStructuredNpy, parseStructuredDescr, structuredDescr, type FieldSpec } from '../../../../src/core/formats/npyStructured';

const SPIKE_FIELDS: FieldSpec[] = [
  { name: 'sample_index', dtype: 'int64' },
  { name: 'unit_index', dtype: 'int64' },
  { name: 'segment_index', dtype: 'int64' },
];

function open(bytes: Uint8Array, name = 'spikes.npy'): NpyStructuredFile {
  return NpyStructuredFile.open(new MemoryByteSource(bytes, name));
}

/** Python with NumPy, when this machine has it (the round trip through np.load / np.save). */
const python = (() => {
  const r = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  return r.status === 0 ? 'python3' : null;
})();

describe('structured .npy', () => {
  it('writes the descr NumPy writes for the spike vector', () => {
    expect(structuredDescr(SPIKE_FIELDS)).toBe("[('sample_index', '<i8'), ('unit_index', '<i8'), ('segment_index', '<i8')]");
    const bytes = encodeStructuredNpy(SPIKE_FIELDS, [[5, 7], [1, 0], [0, 0]]);
    const head = new TextDecoder('latin1').decode(bytes.subarray(10, 10 + (bytes[8] | (bytes[9] << 8))));
    expect(head.startsWith("{'descr': [('sample_index', '<i8'), ('unit_index', '<i8'), ('segment_index', '<i8')], 'fortran_order': False, 'shape': (2,), }")).toBe(true);
    expect((10 + head.length) % 64).toBe(0);
  });

  it('reads each field of records, whole, by range and by rows', () => {
    const times = [5, 7, 2 ** 40, 12];
    const units = [1, 0, 2, 1];
    const f = open(encodeStructuredNpy(SPIKE_FIELDS, [times, units, [0, 0, 0, 0]]));
    expect(f.length).toBe(4);
    expect(f.header.recordSize).toBe(24);
    expect(Array.from(f.readField('sample_index'))).toEqual(times);
    expect(f.readField('sample_index')).toBeInstanceOf(Float64Array);
    expect(Array.from(f.readField('unit_index', { as: 'int32' }))).toEqual(units);
    expect(Array.from(f.readField('unit_index', { as: 'int32', start: 1, end: 3 }))).toEqual([0, 2]);
    expect(Array.from(f.readRowsAt([3, 0], ['sample_index', 'unit_index'], 'float64'))).toEqual([12, 1, 5, 1]);
    expect(() => f.readField('sample_index', { as: 'int32' })).toThrow(/does not fit a 32-bit integer/);
    expect(() => f.readField('depth')).toThrow(/no field 'depth' \(fields: sample_index, unit_index, segment_index\)/);
  });

  it('reads mixed dtypes, big endian and padding', () => {
    const descr = "[('x', '>f8'), ('y', '<f4'), ('f2', '|V4')]";
    const head = encodeNpyHeaderDescr(descr, [2]);
    const data = new Uint8Array(2 * 16);
    const dv = new DataView(data.buffer);
    dv.setFloat64(0, 1.5, false);
    dv.setFloat32(8, -2.25, true);
    dv.setFloat64(16, 3, false);
    dv.setFloat32(24, 4, true);
    const bytes = new Uint8Array(head.length + data.length);
    bytes.set(head);
    bytes.set(data, head.length);
    const f = open(bytes, 'locations.npy');
    expect(f.header.fields.map((x) => [x.name, x.offset])).toEqual([
      ['x', 0],
      ['y', 8],
    ]);
    expect(f.header.recordSize).toBe(16);
    expect(Array.from(f.readField('x'))).toEqual([1.5, 3]);
    expect(Array.from(f.readRowsAt([1, 0], ['x', 'y']))).toEqual([3, 4, 1.5, -2.25]);
  });

  it('refuses what it cannot read, naming the file', () => {
    const bad = (descr: string, shape: number[] = [1], pad = 64) => {
      const head = encodeNpyHeaderDescr(descr, shape);
      const out = new Uint8Array(head.length + pad);
      out.set(head);
      return out;
    };
    expect(() => open(bad("'<f4'"))).toThrow(/spikes\.npy: not a structured array/);
    expect(() => open(bad("[('w', '<f4', (3,))]"))).toThrow(/field 'w' is a subarray/);
    expect(() => open(bad("[('s', '<U4')]"))).toThrow(/field 's' has dtype '<U4'/);
    expect(() => open(bad("[('x', '<f8')]", [2, 2]))).toThrow(/expected a 1-D array of records/);
    expect(() => open(bad("[('x', '<f8')]", [100], 8))).toThrow(FormatError);
    expect(() => open(bad("[('x', '<f8')]", [100], 8))).toThrow(/truncated/);
    // The numeric reader says what it is instead of "unreadable header".
    expect(() => NpyFile.open(new MemoryByteSource(encodeStructuredNpy(SPIKE_FIELDS, [[1], [0], [0]]), 'spikes.npy'))).toThrow(/structured array/);
  });

  it('reads records of odd sizes and reports 64-bit values beyond 2^53', () => {
    const odd = open(encodeStructuredNpy([{ name: 'a', dtype: 'int32' }, { name: 'b', dtype: 'uint8' }], [[-5, 6, 7], [1, 255, 3]]));
    expect(odd.header.recordSize).toBe(5);
    expect(odd.readFields([{ name: 'a' }, { name: 'b' }]).map((c) => Array.from(c))).toEqual([
      [-5, 6, 7],
      [1, 255, 3],
    ]);
    const big = open(encodeStructuredNpy(SPIKE_FIELDS, [[1, 2 ** 53, 3], [0, 0, 0], [0, 0, 0]]));
    expect(Array.from(big.readField('sample_index'))).toEqual([1, 2 ** 53, 3]);
    const bytes = encodeStructuredNpy(SPIKE_FIELDS, [[1, 2, 3], [0, 0, 0], [0, 0, 0]]);
    // Record 1's sample_index high word → 2^61.
    new DataView(bytes.buffer).setUint32(bytes.length - 2 * 24 + 4, 2 ** 29, true);
    expect(() => open(bytes).readField('sample_index')).toThrow(/spikes\.npy: 64-bit value 230584300921369395\d of field 'sample_index' exceeds 2\^53/);
  });

  it('parses descr lists with either quote style', () => {
    const { fields, recordSize } = parseStructuredDescr(`{"descr": [("a", "<i4"), ("b", "|u1")], "fortran_order": False, "shape": (3,)}`, 'f.npy');
    expect(fields.map((f) => f.name)).toEqual(['a', 'b']);
    expect(recordSize).toBe(5);
  });

  it.skipIf(!python)('round-trips through NumPy (np.load of what we write, our read of what np.save writes)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spikedock-npystruct-'));
    try {
      const ours = path.join(dir, 'ours.npy');
      writeFileSync(ours, encodeStructuredNpy(SPIKE_FIELDS, [[3, 9, 2 ** 35], [2, 0, 1], [0, 0, 0]]));
      const theirs = path.join(dir, 'theirs.npy');
      const script = [
        'import numpy as np, sys',
        `a = np.load(${JSON.stringify(ours)})`,
        "assert a.dtype.names == ('sample_index', 'unit_index', 'segment_index'), a.dtype",
        "assert a['sample_index'].tolist() == [3, 9, 2**35], a",
        "assert a['unit_index'].tolist() == [2, 0, 1], a",
        "b = np.zeros(3, dtype=[('x', 'float64'), ('y', 'float64'), ('z', 'float64'), ('alpha', 'float64')])",
        "b['x'] = [1, 2, 3]; b['y'] = [-4, 5.5, 6]",
        `np.save(${JSON.stringify(theirs)}, b)`,
      ].join('\n');
      const r = spawnSync(python!, ['-c', script], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const f = open(new Uint8Array(readFileSync(theirs)), theirs);
      expect(f.header.fields.map((x) => x.name)).toEqual(['x', 'y', 'z', 'alpha']);
      expect(Array.from(f.readRowsAt([0, 1, 2], ['x', 'y']))).toEqual([1, -4, 2, 5.5, 3, 6]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
