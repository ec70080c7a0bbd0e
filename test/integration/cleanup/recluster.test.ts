/**
 * `spikedock curate` with the `recluster` op on a generated `small` dataset: a cluster that merges
 * two true units (ground truth) is re-clustered headlessly into new clusters that separate them,
 * the save writes the new ids, and one undo restores the exact previous assignment.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroundTruth } from '../../../src/core/generate/groundTruth';
import { NpyFile } from '../../../src/core/formats/npy';
import { MemoryByteSource } from '../../../src/core/formats/ByteSource';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { runCli } from '../../helpers/runCli';

let dir = '';
let gt: GroundTruth;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spikedock-recluster-'));
  await generateDataset(dir, { preset: 'small', seed: 2, raw: false });
  gt = JSON.parse(readFileSync(join(dir, 'ground_truth.json'), 'utf8')) as GroundTruth;
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const run = runCli;

const readInt32 = (file: string) => NpyFile.open(new MemoryByteSource(new Uint8Array(readFileSync(join(dir, file))), file)).read({ as: 'int32' }) as Int32Array;

describe('spikedock curate: recluster', () => {
  it('splits a cluster of two true units into parts that separate them; save writes the new ids; one undo restores', async () => {
    const merged = gt.merged[0];
    expect(merged, 'the small preset has a merged cluster').toBeDefined();
    const c = merged.cluster;
    const before = readInt32('spike_clusters.npy');
    const script = join(dir, 'recluster.json');
    writeFileSync(script, JSON.stringify([{ op: 'recluster', cluster: c }]));
    const r = await run('curate', dir, '--script', script, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const line = JSON.parse(r.stdout.split('\n')[0]) as { op: string; deleted: number[]; added: number[]; parts: number[]; description: string };
    expect(line.op).toBe('recluster');
    expect(line.deleted).toEqual([c]);
    expect(line.added.length).toBeGreaterThanOrEqual(2);
    expect(line.description).toMatch(new RegExp(`^Split ${c} into ${line.added.length} \\(re-cluster\\)`));

    // Saved: the cluster's spikes now belong to the new ids only, every other spike untouched.
    const after = readInt32('spike_clusters.npy');
    const units = readInt32('ground_truth_units.npy');
    const perPart = new Map<number, Map<number, number>>();
    for (let i = 0; i < before.length; i++) {
      if (before[i] !== c) {
        expect(after[i]).toBe(before[i]);
        continue;
      }
      expect(line.added).toContain(after[i]);
      const m = perPart.get(after[i]) ?? new Map<number, number>();
      m.set(units[i], (m.get(units[i]) ?? 0) + 1);
      perPart.set(after[i], m);
    }
    expect(line.parts.reduce((a, b) => a + b, 0)).toBe(before.filter((x) => x === c).length);
    // Each true unit lands mostly (≥ 90 %) in one part, and the two units in different parts.
    const home = merged.units.map((u) => {
      const total = [...perPart.values()].reduce((s, m) => s + (m.get(u) ?? 0), 0);
      const [part, n] = [...perPart].map(([p, m]) => [p, m.get(u) ?? 0] as const).sort((a, b) => b[1] - a[1])[0];
      expect(n / total, `unit ${u}`).toBeGreaterThanOrEqual(0.9);
      return part;
    });
    expect(new Set(home).size).toBe(2);

    // One undo restores the exact assignment.
    writeFileSync(script, JSON.stringify([{ op: 'undo' }]));
    const u = await run('curate', dir, '--script', script);
    expect(u.code).toBe(0);
    expect(Array.from(readInt32('spike_clusters.npy'))).toEqual(Array.from(before));
  });

  it('refuses a cluster that does not exist and a bad n, naming the action', async () => {
    const script = join(dir, 'bad.json');
    writeFileSync(script, JSON.stringify([{ op: 'recluster', cluster: 999_999 }]));
    const r = await run('curate', dir, '--script', script);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/action 1 \(recluster\) refused: recluster: cluster 999999 does not exist/);
    writeFileSync(script, JSON.stringify([{ op: 'recluster', cluster: 1, n: 9 }]));
    const b = await run('curate', dir, '--script', script);
    expect(b.code).not.toBe(0);
    expect(b.stderr).toMatch(/action 1: recluster's "n" is a whole number of parts from 1 to 6/);
  });
});
