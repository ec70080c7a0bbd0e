/**
 * Sessions on real files: a generated `small` dataset, and phy-data's template folder and Kwik
 * file (copied to a temp folder first; skipped when ../shared is absent). Saved folders must
 * reload with the same clusters and groups.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { openDataset } from '../../../src/main/openDataset';
import { SessionService } from '../../../src/main/session/SessionService';
import { flatAssignment } from '../../../src/core/session/SpikeAssignment';

const repoRoot = path.resolve(__dirname, '../../..');
const phyData = path.resolve(repoRoot, '../shared/datasets/phy-data');
const hasPhyData = fs.existsSync(phyData);
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spikedock-sessiondata-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function copyDir(src: string, dst: string): string {
  fs.cpSync(src, dst, { recursive: true });
  for (const f of fs.readdirSync(dst)) fs.chmodSync(path.join(dst, f), 0o644);
  fs.chmodSync(dst, 0o755);
  return dst;
}

async function curateSaveReload(input: string, pick: (ids: number[]) => { merge: number[]; label: number }) {
  const ds = await openDataset(input);
  const s = await SessionService.open(ds, { autosaveSeconds: 0 });
  const ids = s.clustering.clusterIds();
  const { merge, label } = pick([...ids]);
  const m = await s.merge(merge);
  const newId = m.added[0];
  const half = s.clustering.spikeIds(newId).filter((_, i) => i % 2 === 0);
  const sp = await s.split({ kind: 'spikes', spikeIds: half });
  await s.label([label], 'group', 'good');
  await s.label([sp.added[0]], 'group', 'noise');
  const sim = await s.similar(sp.added[1], 5);
  expect(sim.length).toBeGreaterThan(0);
  expect(new Set(sim.map((x) => x.similarity)).size).toBeGreaterThan(1);
  const saved = await s.save();
  const assignment = flatAssignment(s.clustering.assignment);
  const snap = await s.snapshot();
  await s.close();
  ds.close();
  const ds2 = await openDataset(input);
  expect(Array.from(ds2.spikeClusters)).toEqual(Array.from(assignment));
  for (const c of snap.clusters) expect(ds2.clusterGroups.get(c.id) ?? 'unsorted').toBe(c.group ?? 'unsorted');
  // The session resumes with its history; undoing everything restores the sorter's assignment.
  const s2 = await SessionService.open(ds2, { autosaveSeconds: 0 });
  expect(s2.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  expect((await s2.history()).length).toBe(4);
  while (await s2.undo());
  const s2ids = s2.clustering.clusterIds();
  expect(s2ids).toEqual(ids);
  await s2.close();
  ds2.close();
  return saved;
}

describe('sessions on real datasets', () => {
  it('generated small dataset: curate, save, reload', async () => {
    const dir = path.join(tmp, 'small');
    await generateDataset(dir, { preset: 'small', raw: false });
    const saved = await curateSaveReload(dir, (ids) => ({ merge: [ids[0], ids[1]], label: ids[2] }));
    expect(saved.files.map((f) => path.basename(f))).toContain('spike_clusters.npy');
    expect(fs.existsSync(path.join(dir, 'templates.npy'))).toBe(true);
  });

  it.skipIf(!hasPhyData)('phy-data template folder: curate, save, reload (sorter files backed up, never rewritten)', async () => {
    const dir = copyDir(path.join(phyData, 'template'), path.join(tmp, 'template'));
    const before = fs.readFileSync(path.join(dir, 'templates.npy'));
    const wmi = fs.readFileSync(path.join(dir, 'whitening_mat_inv.npy'));
    await curateSaveReload(dir, () => ({ merge: [2, 3], label: 4 }));
    expect(fs.readFileSync(path.join(dir, 'templates.npy')).equals(before)).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'whitening_mat_inv.npy')).equals(wmi)).toBe(true);
    expect(fs.existsSync(path.join(dir, '.spikedock', 'spike_clusters.npy.orig'))).toBe(true);
  });

  it.skipIf(!hasPhyData)('lasso split on phy-data: all spikes of the clusters inside the polygon (time × template amplitude)', async () => {
    const dir = copyDir(path.join(phyData, 'template'), path.join(tmp, 'lasso'));
    const ds = await openDataset(dir);
    const s = await SessionService.open(ds, { autosaveSeconds: 0 });
    const ids = s.clustering.clusterIds();
    const c = ids.reduce((a, b) => (s.clustering.nSpikes(b) > s.clustering.nSpikes(a) ? b : a));
    const spikes = s.clustering.spikeIds(c);
    const tMid = ds.spikeTimes[spikes[Math.floor(spikes.length / 2)]] / ds.sampleRate;
    // Everything before tMid at any amplitude.
    const polygon = Float32Array.from([-1, -1e9, tMid - 1e-6, -1e9, tMid - 1e-6, 1e9, -1, 1e9]);
    const expected = Array.from(spikes).filter((i) => ds.spikeTimes[i] / ds.sampleRate < tMid - 1e-6);
    const u = await s.split({ kind: 'lasso', clusterIds: [c], x: { type: 'time' }, y: { type: 'amplitude', kind: 'template' }, polygon });
    expect(Array.from(s.clustering.spikeIds(u.added[0]))).toEqual(expected);
    expect(u.deleted).toEqual([c]);
    await expect(s.split({ kind: 'lasso', clusterIds: [c + 1000], x: { type: 'time' }, y: { type: 'time' }, polygon })).rejects.toThrow(/does not exist/);
    await s.close();
    ds.close();
  });

  it.skipIf(!hasPhyData)('phy-data Kwik file: clustering and groups written into the .kwik after a .kwik.bak', async () => {
    const dir = copyDir(path.join(phyData, 'kwik'), path.join(tmp, 'kwik'));
    const kwik = path.join(dir, 'hybrid_10sec.kwik');
    const original = fs.readFileSync(kwik);
    await curateSaveReload(kwik, () => ({ merge: [2, 3], label: 4 }));
    expect(fs.readFileSync(`${kwik}.bak`).equals(original)).toBe(true);
  });
});
