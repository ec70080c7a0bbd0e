import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeFileSystem } from '../../../../src/main/io/NodeFileSystem';
import { PageCache } from '../../../../src/main/io/PageCache';
import { FormatError } from '../../../../src/core/diagnostics';
import { parseParams } from '../../../../src/core/formats/params';
import { createRawRecording } from '../../../../src/core/formats/raw';
import { copyPhyData, hasPhyData, phyDataSkipReason } from '../../../helpers/phyData';

const dir = mkdtempSync(path.join(tmpdir(), 'spikedock-nfs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('NodeFileSystem', () => {
  it('joins, splits and resolves paths with node:path', () => {
    const fs = new NodeFileSystem();
    expect(fs.join('/a', 'b', '../c.txt')).toBe('/a/c.txt');
    expect(fs.dirname('/a/b/c.txt')).toBe('/a/b');
    expect(fs.basename('/a/b/c.txt')).toBe('c.txt');
    expect(fs.resolve('/a/./b/')).toBe('/a/b');
  });

  it('stats and lists, returning null for what does not exist', () => {
    const fs = new NodeFileSystem();
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'x.txt'), 'hello');
    expect(fs.stat(path.join(dir, 'x.txt'))).toEqual({ size: 5, isDirectory: false });
    expect(fs.stat(path.join(dir, 'sub'))).toEqual({ size: expect.any(Number), isDirectory: true });
    expect(fs.stat(path.join(dir, 'nope'))).toBeNull();
    expect(fs.list(dir)!.sort()).toEqual(['sub', 'x.txt']);
    expect(fs.list(path.join(dir, 'nope'))).toBeNull();
    expect(fs.list(path.join(dir, 'x.txt'))).toBeNull();
  });

  it('reads text and opens files through its shared cache; errors are FormatErrors', () => {
    const cache = new PageCache({ pageSize: 16 });
    const fs = new NodeFileSystem(cache);
    expect(fs.cache).toBe(cache);
    writeFileSync(path.join(dir, 'p.py'), "dtype = 'int16'\n");
    expect(fs.readText(path.join(dir, 'p.py'))).toBe("dtype = 'int16'\n");
    const src = fs.open(path.join(dir, 'p.py'));
    expect(new TextDecoder().decode(src.read(0, 5))).toBe('dtype');
    expect(cache.stats().misses).toBe(1);
    src.close();
    for (const f of [() => fs.readText(path.join(dir, 'missing.py')), () => fs.open(path.join(dir, 'missing.bin'))]) {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        expect((e as FormatError).code).toBe('file.missing');
      }
    }
    expect(() => fs.readText(dir)).toThrow(FormatError);
  });

  it('gives each instance its own cache unless one is passed', () => {
    expect(new NodeFileSystem().cache).not.toBe(new NodeFileSystem().cache);
  });

  it.skipIf(!hasPhyData)(`opens a copy of phy-data: params.py and the 4-channel raw file (${hasPhyData ? 'present' : phyDataSkipReason})`, () => {
    const fs = new NodeFileSystem();
    const template = copyPhyData('template');
    const params = parseParams(fs.readText(fs.join(template, 'params.py')), fs.join(template, 'params.py'));
    expect(params.n_channels_dat).toBe(34);
    expect(fs.stat(fs.join(template, String(params.dat_path)))).toBeNull(); // sim_binary.dat is not published
    const test = copyPhyData('test');
    const src = fs.open(fs.join(test, 'test-4ch-1s.dat'));
    const { recording, diagnostics } = createRawRecording({ sources: [src], dtype: 'int16', offset: 0, nChannelsDat: 4, sampleRate: 20000 });
    expect(diagnostics).toEqual([]);
    expect(recording.nSamples).toBe(20000);
    expect(Array.from(recording.read(0, 1, [0, 1, 2, 3]))).toEqual([-714, -982, -1199, -851]);
    src.close();
    rmSync(path.dirname(template), { recursive: true, force: true });
    rmSync(path.dirname(test), { recursive: true, force: true });
  });
});
