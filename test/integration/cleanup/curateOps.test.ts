/**
 * The clean-up ops of `spikedock curate` (threshold_split, remove_outliers, remove_duplicates):
 * headless, through the same proposers and the same one-action commit as the app; the saved
 * spike_clusters.npy has the split; undo through curate restores the sorter's assignment exactly.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { openDataset } from '../../../src/main/openDataset';
import { censoredSamples, duplicatesWithin } from '../../../src/core/cleanup/duplicates';
import { buildWorkerBundle } from '../compute/workerBundle';
import { copyPhyData, hasPhyData, phyDataSkipReason } from '../../helpers/phyData';
import { runCli } from '../../helpers/runCli';

let tmp = '';
let dir = '';
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'spikedock-curate-tools-'));
  dir = join(tmp, 'ds');
  await buildWorkerBundle();
  await generateDataset(dir, { preset: 'small', seed: 3, raw: false });
}, 120_000);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const run = runCli;

async function script(folder: string, actions: unknown[]) {
  const file = join(tmp, `script-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(actions));
  return run('curate', folder, '--script', file, '--json');
}

async function assignment(folder: string): Promise<{ clusters: Int32Array; times: Float64Array; amplitudes: Float32Array | null; sampleRate: number }> {
  const ds = await openDataset(folder);
  try {
    return { clusters: ds.spikeClusters.slice(), times: Float64Array.from(ds.spikeTimes), amplitudes: ds.amplitudes?.slice() ?? null, sampleRate: ds.sampleRate };
  } finally {
    ds.close();
  }
}

const spikesOf = (clusters: Int32Array, c: number) => Array.from(clusters.keys()).filter((i) => clusters[i] === c);

describe('spikedock curate: clean-up ops', () => {
  it('threshold_split, remove_outliers and remove_duplicates, each one action, saved; three undos restore the assignment', async () => {
    const orig = await assignment(dir);
    const counts = new Map<number, number>();
    for (const c of orig.clusters) counts.set(c, (counts.get(c) ?? 0) + 1);
    const byCount = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)!);
    const [big, second] = byCount;
    const amp = spikesOf(orig.clusters, big).map((i) => orig.amplitudes![i]).sort((a, b) => a - b);
    const threshold = amp[Math.floor(amp.length / 4)];
    const below = spikesOf(orig.clusters, big).filter((i) => orig.amplitudes![i] < threshold);
    const cens = censoredSamples(0.2, orig.sampleRate);
    const dupCluster = byCount.find((c) => c !== big && c !== second && duplicatesWithin(Float64Array.from(spikesOf(orig.clusters, c), (i) => orig.times[i]), cens).length > 0)!;
    const dupSpikes = spikesOf(orig.clusters, dupCluster);
    const dups = Array.from(duplicatesWithin(Float64Array.from(dupSpikes, (i) => orig.times[i]), cens), (k) => dupSpikes[k]);

    const r = await script(dir, [
      { op: 'threshold_split', cluster: big, threshold },
      { op: 'remove_outliers', cluster: second },
      { op: 'remove_duplicates', clusters: [dupCluster] },
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { op: string; added?: number[]; deleted?: number[]; summary?: string });
    expect(lines.slice(0, 3).map((l) => [l.op, l.deleted])).toEqual([
      ['threshold_split', [big]],
      ['remove_outliers', [second]],
      ['remove_duplicates', [dupCluster]],
    ]);
    expect(lines[0].summary).toContain(`spikes below`);
    expect(lines[2].summary).toBe(`${dupCluster}: ${dups.length} duplicate spikes (≤ 0.2 ms (6 samples) after the previous one)`);
    expect(lines[3].op).toBe('save');

    // The saved files: the spikes below the threshold form one of the threshold split's clusters,
    // the duplicates one of the duplicate split's, and the outliers' cluster is labelled noise.
    const saved = await assignment(dir);
    const partsOf = (l: (typeof lines)[number]) => l.added!.map((c) => spikesOf(saved.clusters, c));
    // Later ops do not touch the threshold split's clusters (other clusters).
    expect(partsOf(lines[0])).toContainEqual(below);
    expect(partsOf(lines[2])).toContainEqual(dups);
    const groups = readFileSync(join(dir, 'cluster_group.tsv'), 'utf8');
    const outlierId = lines[1].added!.find((c) => spikesOf(saved.clusters, c).length < counts.get(second)! / 2)!;
    expect(groups).toMatch(new RegExp(`^${outlierId}\\tnoise$`, 'm'));

    const u = await script(dir, [{ op: 'undo' }, { op: 'undo' }, { op: 'undo' }]);
    expect(u.code).toBe(0);
    expect(Array.from((await assignment(dir)).clusters)).toEqual(Array.from(orig.clusters));
  }, 120_000);

  it('refuses what a tool cannot do, naming the action and the cluster, and keeps the actions before it', async () => {
    const orig = await assignment(dir);
    const c = orig.clusters[0];
    const r = await script(dir, [{ op: 'threshold_split', cluster: c, threshold: -1e9 }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`action 1 (threshold_split) refused: threshold split of cluster ${c}: no spike is below the threshold -1000000000`);
    const bad = await script(dir, [{ op: 'remove_duplicates', clusters: [1, 2, 3] }]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/action 1: remove_duplicates needs "clusters": \[id\] or \[id, id\]/);
    const q = await script(dir, [{ op: 'remove_outliers', cluster: c, quantile: 2 }]);
    expect(q.stderr).toMatch(/remove_outliers' "quantile" is between 0 and 1/);
    expect(Array.from((await assignment(dir)).clusters)).toEqual(Array.from(orig.clusters));
  });

  it.skipIf(!hasPhyData)(`phy-data Kwik file: remove_outliers (features read in main through h5wasm) and a feature threshold_split, undone (${hasPhyData ? 'phy-data present' : phyDataSkipReason})`, async () => {
    const folder = copyPhyData('kwik');
    const kwik = join(folder, 'hybrid_10sec.kwik');
    try {
      const orig = await assignment(kwik);
      const r = await script(kwik, [
        { op: 'remove_outliers', cluster: 2, quantile: 0.95 },
        { op: 'threshold_split', cluster: 3, threshold: 0, amplitude: 'feature', channel: 0, pc: 0 },
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { op: string; summary?: string; deleted?: number[] });
      expect(lines[0].summary).toMatch(/^2: \d+ outliers of \d+ spikes \(Mahalanobis D² > 21\.03, χ² 95 %, 12 dims\) → noise$/);
      expect(lines[1].summary).toMatch(/^3: \d+ of \d+ spikes below 0 \(feature amplitude\)$/);
      const u = await script(kwik, [{ op: 'undo' }, { op: 'undo' }]);
      expect(u.code).toBe(0);
      expect(Array.from((await assignment(kwik)).clusters)).toEqual(Array.from(orig.clusters));
    } finally {
      rmSync(join(folder, '..'), { recursive: true, force: true });
    }
  });

  it.skipIf(!hasPhyData)(`phy-data template folder: threshold_split of its largest cluster, undone (${hasPhyData ? 'phy-data present' : phyDataSkipReason})`, async () => {
    const folder = copyPhyData('template');
    try {
      const orig = await assignment(folder);
      const counts = new Map<number, number>();
      for (const c of orig.clusters) counts.set(c, (counts.get(c) ?? 0) + 1);
      const big = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)!)[0];
      const amp = spikesOf(orig.clusters, big).map((i) => orig.amplitudes![i]).sort((a, b) => a - b);
      const threshold = amp[Math.floor(amp.length / 2)];
      const r = await script(folder, [{ op: 'threshold_split', cluster: big, threshold }, { op: 'undo' }]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(existsSync(join(folder, 'spike_clusters.npy'))).toBe(true);
      expect(Array.from((await assignment(folder)).clusters)).toEqual(Array.from(orig.clusters));
    } finally {
      rmSync(join(folder, '..'), { recursive: true, force: true });
    }
  });
});
