/**
 * `spikedock export` (issue #15 slice 4): a curated session (merge, split, labels, through the
 * journal) exported as SpikeInterface's curation.json in the sorting's own unit ids and as a phy
 * folder, each read back: the curation by a re-implementation of `apply_curation`'s semantics,
 * the phy folder by our template reader — both must give the session's final clusters.
 */
import * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siCurationProblems, type SiCurationModel, type SiUnitId } from '../../../src/core/session/curationFormat';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { openDataset } from '../../../src/main/openDataset';
import { SessionService } from '../../../src/main/session/SessionService';
import { runCli } from '../../helpers/runCli';

let tmp: string;
beforeAll(() => void (tmp = mkdtempSync(join(tmpdir(), 'spikedock-export-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Curates `dir` through a session (merge 0+1, split half of unit 2, labels); returns the final assignment and the merged cluster. */
async function curate(dir: string): Promise<{ final: Int32Array; merged: number; noise: number }> {
  const ds = await openDataset(dir);
  const s = await SessionService.open(ds, { autosaveSeconds: 0 });
  try {
    const [a, b, c, d] = [...new Set(ds.spikeClusters)].sort((x, y) => x - y);
    const merged = (await s.merge([a, b])).added[0];
    await s.label([merged], 'group', 'good');
    const two = s.clustering.spikeIds(c);
    await s.split({ kind: 'spikes', spikeIds: Int32Array.from(two.subarray(0, Math.floor(two.length / 2))) });
    await s.label([d], 'group', 'noise');
    return { final: s.clustering.spikeClusters.slice(), merged, noise: d };
  } finally {
    await s.close();
    ds.close();
  }
}

/** apply_curation's semantics on a sorting given as one unit id per spike (see curationFormatUnitIds.test.ts). */
function applyCuration(unitOfSpike: SiUnitId[], c: SiCurationModel<SiUnitId>): SiUnitId[] {
  const out = unitOfSpike.slice();
  const trains = new Map<SiUnitId, number[]>();
  unitOfSpike.forEach((u, i) => (trains.get(u) ?? trains.set(u, []).get(u)!).push(i));
  for (const mg of c.merges) for (const u of mg.unit_ids) for (const i of trains.get(u) ?? []) out[i] = mg.new_unit_id;
  for (const sp of c.splits) sp.indices.forEach((idx, k) => idx.forEach((p) => (out[trains.get(sp.unit_id)![p]] = sp.new_unit_ids[k])));
  for (const u of c.spikedock_unexpressed ?? []) for (const part of u.from) part.indices.forEach((p) => (out[trains.get(part.unit_id)![p]] = u.new_unit_id));
  return out;
}

/** Same partition of spikes (cluster ids may differ). */
function samePartition(a: ArrayLike<SiUnitId>, b: ArrayLike<number>): void {
  const ab = new Map<SiUnitId, number>();
  const ba = new Map<number, SiUnitId>();
  for (let i = 0; i < a.length; i++) {
    if (!ab.has(a[i])) ab.set(a[i], b[i]);
    if (!ba.has(b[i])) ba.set(b[i], a[i]);
    if (ab.get(a[i]) !== b[i] || ba.get(b[i]) !== a[i]) throw new Error(`spike ${i}: ${String(a[i])} / ${b[i]} breaks the partition`);
  }
}

describe('spikedock export', () => {
  it('si-curation of an analyzer with string unit ids: apply_curation gives the session back', async () => {
    const dir = join(tmp, 'an');
    await generateDataset(dir, { preset: 'small', seed: 5, raw: false, format: 'analyzer', stringUnitIds: true });
    const ds = await openDataset(dir);
    const unitIds = ds.analyzer!.unitIds;
    const unitOfSpike = Array.from(ds.spikeClusters, (c) => unitIds[ds.analyzer!.unitClusterIds.indexOf(c)]);
    ds.close();
    const { final } = await curate(dir);
    const out = join(tmp, 'an-curation.json');
    const r = await runCli('export', dir, '--format', 'si-curation', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const c = JSON.parse(fs.readFileSync(out, 'utf8')) as SiCurationModel<SiUnitId>;
    expect(siCurationProblems(c)).toEqual([]);
    expect(c.unit_ids).toEqual(unitIds);
    expect(c.merges.map((m) => m.unit_ids)).toEqual([unitIds.slice(0, 2)]);
    expect(c.splits.map((s) => s.unit_id)).toEqual([unitIds[2]]);
    expect(c.manual_labels.find((l) => l.unit_id === unitIds[3])?.labels.quality).toEqual(['noise']);
    const after = applyCuration(unitOfSpike, c);
    samePartition(after, final);
    // New ids link to the clusters of spike_clusters.npy.
    for (let i = 0; i < after.length; i++) if (String(after[i]) in c.spikedock_cluster_ids!) expect(c.spikedock_cluster_ids![String(after[i])]).toBe(final[i]);
    // The same session as a phy folder: the analyzer's templates and amplitudes come along.
    const phy = join(tmp, 'an-phy');
    expect((await runCli('export', dir, '--format', 'phy', phy)).code).toBe(0);
    const back = await openDataset(phy);
    try {
      expect(Array.from(back.spikeClusters)).toEqual(Array.from(final));
      expect(back.templates).not.toBeNull();
      expect(back.amplitudes).not.toBeNull();
    } finally {
      back.close();
    }
  });

  it('phy: a template folder our reader reopens with the same clusters and groups', async () => {
    const dir = join(tmp, 'phy');
    await generateDataset(dir, { preset: 'small', seed: 6, raw: false });
    const { final, merged, noise } = await curate(dir);
    const out = join(tmp, 'phy-out');
    const r = await runCli('export', dir, '--format', 'phy', out);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(expect.arrayContaining(['params.py', 'spike_times.npy', 'spike_clusters.npy', 'spike_templates.npy', 'amplitudes.npy', 'templates.npy', 'channel_map.npy', 'channel_positions.npy', 'cluster_group.tsv', 'cluster_info.tsv']));
    const src = await openDataset(dir);
    const back = await openDataset(out);
    try {
      expect(Array.from(back.spikeClusters)).toEqual(Array.from(final));
      expect(Array.from(back.spikeTimes)).toEqual(Array.from(src.spikeTimes));
      expect(back.clusterGroups.get(merged)).toBe('good');
      expect(back.clusterGroups.get(noise)).toBe('noise');
      expect(back.nTemplates).toBe(src.nTemplates);
      const k = 4;
      expect(Array.from(back.templates!.getTemplate(k).data.subarray(0, 50))).toEqual(Array.from(src.templates!.getTemplate(k).data.subarray(0, 50)));
    } finally {
      src.close();
      back.close();
    }
    // Never over a non-empty folder, nor the dataset's own.
    expect((await runCli('export', dir, '--format', 'phy', out)).code).not.toBe(0);
    expect((await runCli('export', dir, '--format', 'nope', join(tmp, 'x'))).code).toBe(2);
  });
});
