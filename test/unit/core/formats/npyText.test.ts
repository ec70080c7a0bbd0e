import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryByteSource } from '../../../../src/core/formats/ByteSource';
import { encodeNpy, encodeNpyHeaderDescr } from '../../../../src/core/formats/npy';
import { encodeNpyStrings, isStringNpy, readNpyStrings } from '../../../../src/core/formats/npyText';

const src = (bytes: Uint8Array, name = 'quality.npy') => new MemoryByteSource(bytes, name);
const python = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

describe('.npy of fixed-width strings', () => {
  it('round-trips unicode strings (NUL padded to the longest)', () => {
    const values = ['good', 'mua', '', 'noise', 'µ-unit'];
    const bytes = encodeNpyStrings(values);
    expect(isStringNpy(src(bytes))).toBe(true);
    expect(readNpyStrings(src(bytes))).toEqual(values);
  });

  it('reads |S byte strings and refuses what is not strings', () => {
    const head = encodeNpyHeaderDescr("'|S3'", [2]);
    const bytes = new Uint8Array(head.length + 6);
    bytes.set(head);
    bytes.set([0x61, 0x62, 0x63, 0x78, 0, 0], head.length);
    expect(readNpyStrings(src(bytes))).toEqual(['abc', 'x']);
    expect(isStringNpy(src(encodeNpy([1, 2], 'int32')))).toBe(false);
    expect(() => readNpyStrings(src(encodeNpy([1, 2], 'int32')))).toThrow(/quality\.npy: not an array of fixed-width strings/);
    const short = encodeNpyStrings(['abcd', 'efgh']).subarray(0, 80);
    expect(() => readNpyStrings(src(short))).toThrow(/truncated/);
  });

  it.skipIf(!python)('matches NumPy both ways', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spikedock-npytext-'));
    try {
      writeFileSync(path.join(dir, 'ours.npy'), encodeNpyStrings(['good', 'unsorted']));
      const script = `import numpy as np\na = np.load(${JSON.stringify(path.join(dir, 'ours.npy'))})\nassert a.tolist() == ['good', 'unsorted'], a\nnp.save(${JSON.stringify(path.join(dir, 'theirs.npy'))}, np.array(['mua', 'noise', 'é']))`;
      const r = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(readNpyStrings(src(new Uint8Array(readFileSync(path.join(dir, 'theirs.npy')))))).toEqual(['mua', 'noise', 'é']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
