import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoDatasetDir, ensureDemoDataset } from '../../../../src/main/app/ensureDemoDataset';
import { resolveDatasetPath } from '../../../../src/main/openDataset';

describe('ensureDemoDataset', () => {
  // Generating the small preset takes a few seconds per run on a loaded 2-core machine: one test, two generations.
  it('generates the small preset into <userData>/demo, raw data included, replacing an unfinished folder, even when two starts race; then reuses it', { timeout: 180_000 }, async () => {
    const userData = path.join(mkdtempSync(path.join(tmpdir(), 'spikedock-demo-')), 'user data ü');
    // A demo folder without the marker of a finished generation (an old version, or a hand-made folder).
    mkdirSync(path.join(userData, 'demo'), { recursive: true });
    writeFileSync(path.join(userData, 'demo', 'leftover.txt'), 'from an old version');

    let generations = 0;
    const onGenerate = () => generations++;
    const [a, b] = await Promise.all([ensureDemoDataset(userData, { onGenerate }), ensureDemoDataset(userData, { onGenerate })]);
    expect(a).toBe(demoDatasetDir(userData));
    expect(b).toBe(a);
    expect(resolveDatasetPath(a)).toEqual({ kind: 'template', path: a, dir: a });
    expect(existsSync(path.join(a, 'recording.dat'))).toBe(true);
    expect(existsSync(path.join(a, 'leftover.txt'))).toBe(false);
    // Only the finished folder is left: no partial generation or old copy beside it.
    expect(readdirSync(userData)).toEqual(['demo']);
    expect(generations).toBe(2);

    const params = statSync(path.join(a, 'params.py')).mtimeMs;
    expect(await ensureDemoDataset(userData, { onGenerate })).toBe(a);
    expect(generations).toBe(2);
    expect(statSync(path.join(a, 'params.py')).mtimeMs).toBe(params);
  });
});
