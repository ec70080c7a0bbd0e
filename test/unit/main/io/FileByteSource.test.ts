import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BYPASS_PAGES, FileByteSource, fileError } from '../../../../src/main/io/FileByteSource';
import { PageCache } from '../../../../src/main/io/PageCache';
import { FormatError } from '../../../../src/core/diagnostics';
import { NpyFile } from '../../../../src/core/formats/npy';
import { hasPhyData, phyDataDir, phyDataSkipReason } from '../../../helpers/phyData';

const dir = mkdtempSync(path.join(tmpdir(), 'spikedock-fbs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeFile(name: string, n: number): { file: string; bytes: Uint8Array } {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return { file, bytes };
}

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return (e as FormatError).code;
  }
  return 'no error';
}

describe('FileByteSource', () => {
  it('reads any range equal to the file, within and across pages', () => {
    const { file, bytes } = makeFile('a.bin', 1000);
    const cache = new PageCache({ capacityBytes: 10_000, pageSize: 64 });
    const src = FileByteSource.open(file, cache);
    expect(src.name).toBe(file);
    expect(src.size).toBe(1000);
    for (const [o, l] of [
      [0, 10],
      [60, 10],
      [63, 1],
      [64, 64],
      [100, 200],
      [990, 10],
      [0, 0],
      [999, 1],
    ]) {
      expect(Array.from(src.read(o, l))).toEqual(Array.from(bytes.subarray(o, o + l)));
    }
    expect(Array.from(src.read(0, 1000))).toEqual(Array.from(bytes));
    src.close();
  });

  it('serves repeated small reads from the cache', () => {
    const { file } = makeFile('b.bin', 4096);
    const cache = new PageCache({ capacityBytes: 1 << 20, pageSize: 512 });
    const src = FileByteSource.open(file, cache);
    src.read(10, 20);
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 1, pages: 1 });
    src.read(100, 20);
    src.read(500, 20); // pages 0 and 1
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 2, pages: 2 });
    src.close();
    expect(cache.stats().pages).toBe(0);
  });

  it('lets reads larger than the bypass threshold go straight to the file, leaving the cache alone', () => {
    const { file, bytes } = makeFile('c.bin', 64 * 20);
    const cache = new PageCache({ capacityBytes: 1 << 20, pageSize: 64 });
    const src = FileByteSource.open(file, cache);
    src.read(0, 10);
    const before = cache.stats();
    const big = src.read(5, 64 * (BYPASS_PAGES + 2));
    expect(Array.from(big)).toEqual(Array.from(bytes.subarray(5, 5 + 64 * (BYPASS_PAGES + 2))));
    expect(cache.stats()).toMatchObject({ pages: before.pages, hits: before.hits, misses: before.misses });
    src.close();
  });

  it('shares one cache between files without mixing their pages', () => {
    const a = makeFile('d1.bin', 300);
    const b = makeFile('d2.bin', 300);
    b.bytes.reverse();
    writeFileSync(b.file, b.bytes);
    const cache = new PageCache({ capacityBytes: 1 << 20, pageSize: 128 });
    const sa = FileByteSource.open(a.file, cache);
    const sb = FileByteSource.open(b.file, cache);
    expect(Array.from(sa.read(0, 5))).toEqual(Array.from(a.bytes.subarray(0, 5)));
    expect(Array.from(sb.read(0, 5))).toEqual(Array.from(b.bytes.subarray(0, 5)));
    sa.close();
    sb.close();
  });

  it('works without a shared cache', () => {
    const { file, bytes } = makeFile('e.bin', 100);
    const src = FileByteSource.open(file);
    expect(Array.from(src.read(3, 4))).toEqual(Array.from(bytes.subarray(3, 7)));
    src.close();
  });

  it('rejects ranges outside the file and reads after close', () => {
    const { file } = makeFile('f.bin', 100);
    const src = FileByteSource.open(file);
    expect(() => src.read(90, 11)).toThrow(RangeError);
    expect(() => src.read(-1, 1)).toThrow(RangeError);
    src.close();
    src.close();
    expect(() => src.read(0, 1)).toThrow(/after close/);
  });

  it('turns open failures into FormatErrors naming the file', () => {
    expect(codeOf(() => FileByteSource.open(path.join(dir, 'missing.bin')))).toBe('file.missing');
    expect(codeOf(() => FileByteSource.open(dir))).toBe('file.unreadable');
    try {
      FileByteSource.open(dir);
    } catch (e) {
      expect((e as FormatError).message).toBe(`${dir}: is a folder, not a file`);
    }
  });

  it.skipIf(process.getuid?.() === 0)('reports a file without read permission as file.unreadable (skipped as root, who can read anything)', () => {
    const { file } = makeFile('noperm.bin', 10);
    chmodSync(file, 0o000);
    try {
      expect(codeOf(() => FileByteSource.open(file))).toBe('file.unreadable');
    } finally {
      chmodSync(file, 0o644);
    }
  });

  it('maps errno codes to user messages', () => {
    const errno = (code: string) => Object.assign(new Error(code), { code });
    expect(fileError('/d/x', errno('EACCES'))).toMatchObject({ code: 'file.unreadable', file: '/d/x', message: '/d/x: permission denied: the file cannot be read' });
    expect(fileError('/d/x', errno('EPERM')).code).toBe('file.unreadable');
    expect(fileError('/d/x', errno('EISDIR')).message).toBe('/d/x: is a folder, not a file');
    expect(fileError('/d/x', errno('ENOENT'))).toMatchObject({ code: 'file.missing', message: '/d/x: file not found' });
    expect(fileError('/d/x', errno('EIO')).message).toBe('/d/x: cannot read the file (EIO)');
  });

  it('reports a file that shrank while open as file.changed', () => {
    const { file } = makeFile('shrink.bin', 1000);
    const src = FileByteSource.open(file, new PageCache({ pageSize: 64 }));
    writeFileSync(file, new Uint8Array(10));
    expect(codeOf(() => src.read(500, 10))).toBe('file.changed');
    src.close();
  });

  it.skipIf(!hasPhyData)(`reads phy-data templates.npy (Fortran) through the page cache (${hasPhyData ? 'present' : phyDataSkipReason})`, () => {
    const cache = new PageCache({ pageSize: 4096 });
    const src = FileByteSource.open(path.join(phyDataDir, 'template', 'templates.npy'), cache);
    const f = NpyFile.open(src);
    expect(f.header.shape).toEqual([64, 82, 32]);
    const t51 = f.readRowsAt([51]);
    expect(t51[40 * 32 + 31]).toBe(-0.2554450035095215);
    expect(f.read()[51 * 82 * 32 + 40 * 32 + 31]).toBe(-0.2554450035095215);
    expect(cache.stats().hits).toBeGreaterThan(0);
    src.close();
  });
});
