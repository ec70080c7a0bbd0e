/**
 * `spikedock export` (issue #15 slice 4): a curated session (merge, split, labels, through the
 * journal) exported as SpikeInterface's curation.json in the sorting's own unit ids and as a phy
 * folder, each read back: the curation by a re-implementation of `apply_curation`'s semantics,
 * the phy folder by our template reader — both must give the session's final clusters.
 */
import { spawnSync } from 'node:child_process';
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
import { flatAssignment } from '../../../src/core/session/SpikeAssignment';

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
    return { final: flatAssignment(s.clustering.assignment).slice(), merged, noise: d };
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

/** A Python with h5py: the PATH's python3, else the system one (Debian's python3-h5py). */
const PY_H5PY = ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', 'import h5py'], { encoding: 'utf8' }).status === 0) ?? null;
/** A Python with hdmf (Debian's python3-hdmf) and h5py. */
const PY_HDMF = ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', 'import h5py, hdmf.common'], { encoding: 'utf8' }).status === 0) ?? null;

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

  it('phy and nwb: a template folder and an NWB Units table our readers reopen with the same clusters and groups', async () => {
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
    // NWB: our reader reopens the Units table with the session's clusters, groups and spike times.
    const nwb = join(tmp, 'curated.nwb');
    const n = await runCli('export', dir, '--format', 'nwb', nwb);
    expect(n.stderr).toBe('');
    expect(n.code).toBe(0);
    const unitsBack = await openDataset(nwb);
    const src2 = await openDataset(dir);
    try {
      expect(unitsBack.nwb!.idsMapped).toBe(false);
      const count = (a: Int32Array) => [...a.reduce((m, c) => m.set(c, (m.get(c) ?? 0) + 1), new Map<number, number>())].sort((x, y) => x[0] - y[0]);
      expect(count(unitsBack.spikeClusters)).toEqual(count(final));
      expect(unitsBack.clusterGroups.get(merged)).toBe('good');
      expect(unitsBack.clusterGroups.get(noise)).toBe('noise');
      expect(unitsBack.nChannels).toBe(src2.nChannels);
      expect(unitsBack.clusterColumns.map((c) => c.name)).toEqual(expect.arrayContaining(['n_spikes', 'firing_rate', 'depth']));
    } finally {
      unitsBack.close();
      src2.close();
    }
    if (PY_H5PY) {
      const py = spawnSync(PY_H5PY, ['-c', [
        'import h5py, json, sys',
        'f = h5py.File(sys.argv[1], "r")',
        'u = f["units"]',
        'ends = u["spike_times_index"][:]',
        'print(json.dumps({"type": u.attrs["neurodata_type"], "ids": [int(i) for i in u["id"][:]], "n": [int(e) for e in ends], "quality": [q.decode() if isinstance(q, bytes) else q for q in u["quality"][:]], "version": f.attrs["nwb_version"]}))',
      ].join('\n'), nwb], { encoding: 'utf8' });
      expect(py.stderr).toBe('');
      const got = JSON.parse(py.stdout) as { type: string; ids: number[]; n: number[]; quality: string[]; version: string };
      expect(got.type).toBe('Units');
      expect(got.version).toBe('2.7.0');
      const ids = [...new Set(final)].sort((x, y) => x - y);
      expect(got.ids).toEqual(ids);
      expect(got.n.at(-1)).toBe(final.length);
      expect(got.quality[ids.indexOf(merged)]).toBe('good');
    }
    if (PY_HDMF) {
      // hdmf builds the Units DynamicTable from the file's columns (its checks of ids, ragged index
      // and column lengths) and flattens it. The NWB core schema is not cached in the file
      // (/specifications), so hdmf's HDF5IO cannot map the whole NWBFile without pynwb.
      const py = spawnSync(PY_HDMF, ['-c', [
        'import sys, h5py',
        'from hdmf.common import DynamicTable, VectorData, VectorIndex, ElementIdentifiers',
        'f = h5py.File(sys.argv[1], "r")',
        'u = f["units"]',
        'cols = []',
        'st = VectorData(name="spike_times", description="s", data=u["spike_times"][:])',
        'cols += [st, VectorIndex(name="spike_times_index", data=u["spike_times_index"][:], target=st)]',
        'for c in [c for c in u.attrs["colnames"] if c not in ("spike_times", "electrodes")]:',
        '    cols.append(VectorData(name=c, description=u[c].attrs["description"], data=u[c][:]))',
        't = DynamicTable(name="units", description=u.attrs["description"], id=ElementIdentifiers(name="id", data=u["id"][:]), columns=cols)',
        'df = t.to_dataframe()',
        'print(len(df), sum(len(x) for x in df["spike_times"]))'
      ].join('\n'), nwb], { encoding: 'utf8' });
      expect(py.status, py.stderr).toBe(0);
      expect(py.stdout.trim()).toBe(`${new Set(final).size} ${final.length}`);
    }
    expect((await runCli('export', dir, '--format', 'nwb', nwb)).code).not.toBe(0);
    // Never over a non-empty folder, nor the dataset's own.
    expect((await runCli('export', dir, '--format', 'phy', out)).code).not.toBe(0);
    expect((await runCli('export', dir, '--format', 'nope', join(tmp, 'x'))).code).toBe(2);
  });
});
