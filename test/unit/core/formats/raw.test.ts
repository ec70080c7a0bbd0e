import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryByteSource } from '../../../../src/core/formats/ByteSource';
import { createNpyRawRecording, createRawRecording } from '../../../../src/core/formats/raw';
import { encodeNpy, encodeNpyData, type NpyDtype } from '../../../../src/core/formats/npy';
import { FormatError } from '../../../../src/core/diagnostics';
import { hasPhyData, phyDataDir, phyDataSkipReason } from '../../../helpers/phyData';
import { RecordingSource } from '../../../helpers/RecordingSource';


/** value(t, c) = t * 10 + c: every sample says where it came from. */
function synth(nSamples: number, nChannels: number, first = 0): number[] {
  const v: number[] = [];
  for (let t = 0; t < nSamples; t++) for (let c = 0; c < nChannels; c++) v.push((first + t) * 10 + c);
  return v;
}

function file(values: number[], dtype: NpyDtype, name: string, header = 0): MemoryByteSource {
  const data = encodeNpyData(values, dtype);
  const bytes = new Uint8Array(header + data.length);
  bytes.fill(0xab, 0, header);
  bytes.set(data, header);
  return new MemoryByteSource(bytes, name);
}

function expected(start: number, end: number, columns: number[], nSamples: number): number[] {
  const out: number[] = [];
  for (let t = start; t < end; t++) for (const c of columns) out.push(t >= 0 && t < nSamples ? t * 10 + c : 0);
  return out;
}

describe('createRawRecording', () => {
  it('reads a window × channel subset with one contiguous read of that window only', () => {
    const src = new RecordingSource(file(synth(1000, 8), 'int16', '/d/rec.dat'));
    const { recording, diagnostics } = createRawRecording({ sources: [src], dtype: 'int16', offset: 0, nChannelsDat: 8, sampleRate: 30000 });
    expect(diagnostics).toEqual([]);
    expect(src.reads).toEqual([]); // creating reads nothing
    expect(recording.nSamples).toBe(1000);
    expect(recording.files).toEqual(['/d/rec.dat']);
    expect(recording.gain).toBe(1);
    expect(recording.unit).toBe('a.u.');
    const got = recording.read(100, 150, [6, 1, 1, 3]);
    expect(got).toBeInstanceOf(Float32Array);
    expect(Array.from(got)).toEqual(expected(100, 150, [6, 1, 1, 3], 1000));
    expect(src.reads).toEqual([[100 * 8 * 2, 50 * 8 * 2]]);
  });

  it('skips the header offset of each file and concatenates files in time', () => {
    const a = new RecordingSource(file(synth(300, 3), 'float32', '/d/a.bin', 64));
    const b = new RecordingSource(file(synth(200, 3, 300), 'float32', '/d/b.bin', 64));
    const { recording, diagnostics } = createRawRecording({ sources: [a, b], dtype: 'float32', offset: 64, nChannelsDat: 3, sampleRate: 20000, gain: 0.5, unit: 'µV' });
    expect(diagnostics).toEqual([]);
    expect(recording.nSamples).toBe(500);
    expect(recording.files).toEqual(['/d/a.bin', '/d/b.bin']);
    expect(recording.gain).toBe(0.5);
    expect(recording.unit).toBe('µV');
    expect(Array.from(recording.read(290, 310, [2, 0]))).toEqual(expected(290, 310, [2, 0], 500));
    expect(a.reads).toEqual([[64 + 290 * 12, 10 * 12]]);
    expect(b.reads).toEqual([[64, 10 * 12]]);
    a.reads.length = 0;
    b.reads.length = 0;
    recording.read(350, 360, [1]);
    expect(a.reads).toEqual([]);
    expect(b.reads).toEqual([[64 + 50 * 12, 10 * 12]]);
  });

  it('zero-fills samples outside the recording', () => {
    const src = new RecordingSource(file(synth(100, 2), 'int16', '/d/r.dat'));
    const { recording } = createRawRecording({ sources: [src], dtype: '<i2', offset: 0, nChannelsDat: 2, sampleRate: 1000 });
    expect(Array.from(recording.read(-5, 3, [1, 0]))).toEqual(expected(-5, 3, [1, 0], 100));
    expect(Array.from(recording.read(97, 104, [0]))).toEqual(expected(97, 104, [0], 100));
    expect(Array.from(recording.read(200, 203, [0]))).toEqual([0, 0, 0]);
    expect(recording.read(10, 10, [0]).length).toBe(0);
    expect(src.reads).toEqual([
      [0, 3 * 4],
      [97 * 4, 3 * 4],
    ]);
  });

  it('reads every dtype, big-endian included', () => {
    for (const dtype of ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'float64', 'int64'] as NpyDtype[]) {
      const { recording } = createRawRecording({ sources: [file(synth(12, 2), dtype, 'x')], dtype, offset: 0, nChannelsDat: 2, sampleRate: 1 });
      const win = dtype.endsWith('int8') ? [0, 12] : [3, 9];
      expect(Array.from(recording.read(win[0], win[1], [1, 0]))).toEqual(expected(win[0], win[1], [1, 0], 12).map((v) => (dtype === 'int8' ? ((v + 128) % 256) - 128 : v)));
    }
    const be = new Uint8Array(8);
    const dv = new DataView(be.buffer);
    [1, -2, 300, -400].forEach((v, i) => dv.setInt16(i * 2, v, false));
    const { recording } = createRawRecording({ sources: [new MemoryByteSource(be)], dtype: '>i2', offset: 0, nChannelsDat: 2, sampleRate: 1 });
    expect(Array.from(recording.read(0, 2, [0, 1]))).toEqual([1, -2, 300, -400]);
  });

  it('reads int16 through an unaligned view (odd header) correctly', () => {
    const { recording } = createRawRecording({ sources: [file(synth(50, 4), 'int16', 'odd', 7)], dtype: 'int16', offset: 7, nChannelsDat: 4, sampleRate: 1 });
    expect(Array.from(recording.read(10, 20, [3, 2]))).toEqual(expected(10, 20, [3, 2], 50));
  });

  it('warns with raw.sizeMismatch (naming file and numbers) when the data is not whole frames', () => {
    const bytes = new Uint8Array(2 * 4 * 10 + 3);
    const { recording, diagnostics } = createRawRecording({ sources: [new MemoryByteSource(bytes, '/d/odd.dat')], dtype: 'int16', offset: 0, nChannelsDat: 4, sampleRate: 1 });
    expect(recording.nSamples).toBe(10);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'warning', code: 'raw.sizeMismatch', file: '/d/odd.dat' });
    expect(diagnostics[0].message).toContain('83');
    expect(diagnostics[0].message).toContain('n_channels_dat (4)');
    expect(diagnostics[0].message).toContain('= 8');
  });

  it('reports a zero-length file as an error and a file shorter than its header', () => {
    const { recording, diagnostics } = createRawRecording({
      sources: [new MemoryByteSource(new Uint8Array(0), '/d/empty.dat'), new MemoryByteSource(new Uint8Array(10), '/d/short.dat'), file(synth(5, 1), 'int16', '/d/ok.dat', 16)],
      dtype: 'int16',
      offset: 16,
      nChannelsDat: 1,
      sampleRate: 1,
    });
    expect(diagnostics.map((d) => [d.severity, d.code, d.file])).toEqual([
      ['error', 'raw.empty', '/d/empty.dat'],
      ['error', 'raw.tooShort', '/d/short.dat'],
    ]);
    expect(recording.nSamples).toBe(5);
    expect(Array.from(recording.read(0, 5, [0]))).toEqual([0, 10, 20, 30, 40]);
  });

  it('rejects unusable parameters with FormatErrors', () => {
    const src = file(synth(4, 1), 'int16', '/d/r.dat');
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        return (e as FormatError).code;
      }
      return 'no error';
    };
    expect(err(() => createRawRecording({ sources: [src], dtype: 'complex64', offset: 0, nChannelsDat: 1, sampleRate: 1 }))).toBe('raw.badDtype');
    expect(err(() => createRawRecording({ sources: [src], dtype: 'int16', offset: 0, nChannelsDat: 0, sampleRate: 1 }))).toBe('raw.badParams');
    expect(err(() => createRawRecording({ sources: [src], dtype: 'int16', offset: -1, nChannelsDat: 1, sampleRate: 1 }))).toBe('raw.badParams');
    expect(err(() => createRawRecording({ sources: [], dtype: 'int16', offset: 0, nChannelsDat: 1, sampleRate: 1 }))).toBe('raw.badParams');
    const { recording } = createRawRecording({ sources: [src], dtype: 'int16', offset: 0, nChannelsDat: 1, sampleRate: 1 });
    expect(() => recording.read(0, 2, [1])).toThrow(RangeError);
    expect(() => recording.read(3, 2, [0])).toThrow(RangeError);
  });
});

describe('createNpyRawRecording', () => {
  it('reads a C-order (n_samples, n_channels) .npy window by window', () => {
    const src = new RecordingSource(new MemoryByteSource(encodeNpy(synth(100, 5), 'int16', [100, 5]), '/d/rec.npy'));
    const { recording, diagnostics } = createNpyRawRecording(src, { sampleRate: 30000 });
    expect(diagnostics).toEqual([]);
    expect(recording.nSamples).toBe(100);
    expect(recording.nChannelsDat).toBe(5);
    expect(recording.dtype).toBe('int16');
    src.reads.length = 0;
    expect(Array.from(recording.read(40, 45, [4, 0]))).toEqual(expected(40, 45, [4, 0], 100));
    expect(src.reads).toHaveLength(1);
    expect(src.reads[0][1]).toBe(5 * 5 * 2);
  });

  it('reads a Fortran-order .npy with one read per column of the window', () => {
    const nS = 50;
    const nC = 3;
    const cOrder = synth(nS, nC);
    const fOrder: number[] = [];
    for (let c = 0; c < nC; c++) for (let t = 0; t < nS; t++) fOrder.push(cOrder[t * nC + c]);
    const data = encodeNpyData(fOrder, 'float32');
    const head = encodeNpy([], 'float32', [0]);
    const dict = `{'descr': '<f4', 'fortran_order': True, 'shape': (${nS}, ${nC}), }`;
    const hdr = dict + ' '.repeat((64 - ((10 + dict.length + 1) % 64)) % 64) + '\n';
    const bytes = new Uint8Array(10 + hdr.length + data.length);
    bytes.set(head.subarray(0, 8), 0);
    bytes[8] = hdr.length & 0xff;
    bytes[9] = hdr.length >> 8;
    bytes.set(new TextEncoder().encode(hdr), 10);
    bytes.set(data, 10 + hdr.length);
    const src = new RecordingSource(new MemoryByteSource(bytes, '/d/f.npy'));
    const { recording } = createNpyRawRecording(src, { sampleRate: 1 });
    src.reads.length = 0;
    expect(Array.from(recording.read(45, 55, [2, 0]))).toEqual(expected(45, 55, [2, 0], nS));
    expect(src.reads.map((r) => r[1])).toEqual([5 * 4, 5 * 4]);
  });

  it('rejects a .npy that is not 2-D', () => {
    expect(() => createNpyRawRecording(new MemoryByteSource(encodeNpy([1, 2, 3], 'int16'), '/d/x.npy'), { sampleRate: 1 })).toThrow(/must be 2-D/);
  });
});

describe.skipIf(!hasPhyData)(`phy-data test/test-4ch-1s.dat (skipped: ${hasPhyData ? '' : phyDataSkipReason})`, () => {
  it('is 4 channels × 20,000 int16 samples (1 s at 20 kHz) and reads the values numpy reads', () => {
    const p = path.join(phyDataDir, 'test', 'test-4ch-1s.dat');
    const bytes = new Uint8Array(readFileSync(p));
    expect(bytes.length).toBe(160000);
    const { recording, diagnostics } = createRawRecording({ sources: [new MemoryByteSource(bytes, p)], dtype: 'int16', offset: 0, nChannelsDat: 4, sampleRate: 20000 });
    expect(diagnostics).toEqual([]);
    expect(recording.nSamples).toBe(20000);
    expect(recording.nSamples / recording.sampleRate).toBe(1);
    expect(Array.from(recording.read(0, 3, [0, 1, 2, 3]))).toEqual([-714, -982, -1199, -851, -842, -1180, -1335, -917, -920, -1177, -1404, -929]);
    expect(Array.from(recording.read(19999, 20001, [0, 1, 2, 3]))).toEqual([3349, 2652, 2190, 2662, 0, 0, 0, 0]);
    expect(Array.from(recording.read(1000, 1003, [2, 0]))).toEqual([-9896, -8756, -9816, -8700, -9752, -8698]);
    const all = recording.read(0, 20000, [0, 1, 2, 3]);
    const sums = [0, 0, 0, 0];
    for (let i = 0; i < all.length; i++) sums[i % 4] += all[i];
    expect(sums).toEqual([-9290842, -21373636, -25029692, -16177044]);
    // The wrong channel count is caught: 160,000 B is not a multiple of 3 × 2.
    const wrong = createRawRecording({ sources: [new MemoryByteSource(bytes, p)], dtype: 'int16', offset: 0, nChannelsDat: 3, sampleRate: 20000 });
    expect(wrong.diagnostics.map((d) => d.code)).toEqual(['raw.sizeMismatch']);
  });
});
