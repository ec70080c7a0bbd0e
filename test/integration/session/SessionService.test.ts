import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryByteSource } from '../../../src/core/formats/ByteSource';
import { NpyFile } from '../../../src/core/formats/npy';
import { parseClusterTable, parseTable } from '../../../src/core/formats/tsv';
import { DatasetLock, DatasetLockedError } from '../../../src/main/session/DatasetLock';
import { SessionService } from '../../../src/main/session/SessionService';
import type { UpdateInfo } from '../../../src/core/session/UpdateInfo';
import { memoryDataset } from '../../unit/core/session/memoryDataset';
import { flatAssignment } from '../../../src/core/session/SpikeAssignment';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'spikedock-session-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) {
    fs.chmodSync(d, 0o755);
    fs.rmSync(d, { recursive: true, force: true });
  }
});

function readNpyInt32(file: string): Int32Array {
  return NpyFile.open(new MemoryByteSource(new Uint8Array(fs.readFileSync(file)), file)).read({ as: 'int32' }) as Int32Array;
}

describe('SessionService', () => {
  it('acknowledges actions only after journaling them, and reopening restores the curation and the undo/redo history', async () => {
    const dir = tempDir();
    const ds = memoryDataset({ dir, nSpikes: 20_000, nClusters: 30, groups: [[1, 'good']] });
    const s = await SessionService.open(ds, { autosaveSeconds: 0 });
    const seen: UpdateInfo[] = [];
    s.onDidChange((u) => seen.push(u));
    const m = await s.merge([1, 2], { selection: { clusterIds: [1], similarIds: [2] } });
    expect(m.added).toEqual([30]);
    expect(m.selection).toEqual({ clusterIds: [30], similarIds: [] });
    // phy's inheritance for the curator's group: one parent was good, the other unlabelled → largest wins.
    const sp = await s.split({ kind: 'spikes', spikeIds: Int32Array.from(s.clustering.spikeIds(5).subarray(0, 10)) });
    expect(sp.added).toEqual([31, 32]);
    await s.label([31], 'group', 'noise', { selection: { clusterIds: [31] } });
    await s.label([32], 'quality', 'nice');
    const u = await s.undo();
    expect(u!.kind).toBe('undo');
    expect(u!.undoneKind).toBe('metadata');
    await s.markReviewed([3], true);
    expect(seen.map((x) => x.kind)).toEqual(['merge', 'split', 'metadata', 'metadata', 'undo', 'reviewed']);
    const journal = fs.readFileSync(path.join(dir, '.spikedock', 'journal.jsonl'), 'utf8').trim().split('\n');
    expect(journal.length).toBe(7);
    const assignment = flatAssignment(s.clustering.assignment);
    const snap = await s.snapshot();
    expect(snap.canRedo).toBe(true);
    await s.close();

    const s2 = await SessionService.open(memoryDataset({ dir, nSpikes: 20_000, nClusters: 30, groups: [[1, 'good']] }), { autosaveSeconds: 0 });
    expect(Array.from(flatAssignment(s2.clustering.assignment))).toEqual(Array.from(assignment));
    const snap2 = await s2.snapshot();
    expect(snap2.canUndo).toBe(true);
    expect(snap2.canRedo).toBe(true);
    expect(snap2.clusters.find((c) => c.id === 31)!.group).toBe('noise');
    expect(snap2.clusters.find((c) => c.id === 3)!.reviewed).toBe(true);
    expect(snap2.clusters.find((c) => c.id === 31)!.reviewed).toBe(true);
    const h = await s2.history();
    expect(h.map((e) => [e.kind, e.undone])).toEqual([
      ['merge', false],
      ['split', false],
      ['metadata', false],
      ['metadata', true],
    ]);
    const r = await s2.redo();
    expect(r!.metadata).toEqual({ field: 'quality', clusterIds: [32], value: 'nice' });
    // Undo everything: back to the original assignment; ids are never reused.
    while (await s2.undo());
    expect(Array.from(flatAssignment(s2.clustering.assignment))).toEqual(Array.from(ds.spikeClusters));
    expect((await s2.merge([3, 4])).added).toEqual([33]);
    await s2.close();
  });

  it('ignores a torn last journal line with a diagnostic', async () => {
    const dir = tempDir();
    const s = await SessionService.open(memoryDataset({ dir }), { autosaveSeconds: 0 });
    await s.merge([1, 2]);
    await s.close();
    const jp = path.join(dir, '.spikedock', 'journal.jsonl');
    fs.appendFileSync(jp, '{"t":"op","opId":2,"time":"x","action":{"op":"merge","clus');
    const s2 = await SessionService.open(memoryDataset({ dir }), { autosaveSeconds: 0 });
    expect(s2.diagnostics.map((d) => d.code)).toContain('journal.tornLine');
    expect(s2.clustering.clusterIds()).toContain(20);
    await s2.merge([3, 4]);
    await s2.close();
    // The torn bytes were cut: the file is clean JSON lines again.
    for (const line of fs.readFileSync(jp, 'utf8').trim().split('\n')) JSON.parse(line);
  });

  it('refuses a second open while the lock is held, and takes over a stale lock', async () => {
    const dir = tempDir();
    const s = await SessionService.open(memoryDataset({ dir }), { autosaveSeconds: 0 });
    await expect(SessionService.open(memoryDataset({ dir }), { autosaveSeconds: 0 })).rejects.toBeInstanceOf(DatasetLockedError);
    await s.close();
    // A lock left by a dead process on this host is stale.
    const lockFile = path.join(dir, '.spikedock', 'lock');
    fs.writeFileSync(lockFile, JSON.stringify({ pid: 2 ** 22 + 12345, hostname: os.hostname(), started: '2020-01-01T00:00:00Z' }));
    const s2 = await SessionService.open(memoryDataset({ dir }), { autosaveSeconds: 0 });
    expect(s2.diagnostics.map((d) => d.code)).toContain('session.staleLock');
    await s2.close();
    expect(fs.existsSync(lockFile)).toBe(false);
    // A lock from another host cannot be checked: refused.
    fs.writeFileSync(lockFile, JSON.stringify({ pid: 1, hostname: 'elsewhere', started: '2020-01-01T00:00:00Z' }));
    expect(() => DatasetLock.acquire(lockFile)).toThrow(/process 1 on elsewhere/);
  });

  it('keeps the journal in a per-user folder when the dataset folder cannot hold .spikedock', async () => {
    const dir = tempDir();
    const userDataDir = tempDir();
    // A file named .spikedock makes the state folder impossible to create, as a read-only folder would
    // (folder permissions cannot be used: tests may run as root).
    fs.writeFileSync(path.join(dir, '.spikedock'), '');
    const s = await SessionService.open(memoryDataset({ dir }), { autosaveSeconds: 0, userDataDir });
    expect(s.journalPath.startsWith(path.join(userDataDir, 'journals'))).toBe(true);
    expect(s.diagnostics.map((d) => d.code)).toContain('session.perUserJournal');
    await s.merge([1, 2]);
    await s.close();
    const s2 = await SessionService.open(memoryDataset({ dir }), { autosaveSeconds: 0, userDataDir });
    expect(s2.clustering.clusterIds()).toContain(20);
    await s2.close();
  });

  it('saves phy files atomically: spike_clusters, a group row for every cluster, cluster_info in phy order, custom labels', async () => {
    const dir = tempDir();
    const cols = [{ name: 'KSLabel', values: Array.from({ length: 20 }, (_, i) => [i, i % 2 ? 'good' : 'mua'] as [number, string]) }];
    const ds = memoryDataset({ dir, groups: [[0, 'good']], columns: cols });
    fs.writeFileSync(path.join(dir, 'spike_clusters.npy'), 'original bytes');
    const s = await SessionService.open(ds, { autosaveSeconds: 0 });
    await s.merge([1, 3]);
    await s.label([4], 'quality', 'great');
    const res = await s.save();
    expect(res.files.map((f) => path.basename(f))).toEqual(['spike_clusters.npy', 'cluster_group.tsv', 'cluster_quality.tsv', 'cluster_info.tsv', 'curation.json']);
    expect(fs.readFileSync(path.join(dir, '.spikedock', 'spike_clusters.npy.orig'), 'utf8')).toBe('original bytes');
    expect(Array.from(readNpyInt32(path.join(dir, 'spike_clusters.npy')))).toEqual(Array.from(flatAssignment(s.clustering.assignment)));
    const groups = parseClusterTable(fs.readFileSync(path.join(dir, 'cluster_group.tsv'), 'utf8'), 'cluster_group.tsv').fields.get('group')!;
    expect(groups.size).toBe(s.clustering.clusterIds().length);
    expect(groups.get(0)).toBe('good');
    expect(groups.get(2)).toBe('unsorted');
    const info = parseTable(fs.readFileSync(path.join(dir, 'cluster_info.tsv'), 'utf8'), 'cluster_info.tsv');
    expect(info.columns).toEqual(['cluster_id', 'KSLabel', 'amp', 'ch', 'depth', 'fr', 'group', 'n_spikes', 'quality', 'sh']);
    const row20 = info.rows.find((r) => r.cluster_id === 20)!;
    // Sorter columns are empty for new clusters (never copied from a parent).
    expect(row20.KSLabel).toBeUndefined();
    expect(row20.n_spikes).toBe(s.clustering.nSpikes(20));
    expect(info.rows.find((r) => r.cluster_id === 5)!.KSLabel).toBe('good');
    const cur = JSON.parse(fs.readFileSync(path.join(dir, 'curation.json'), 'utf8'));
    expect(cur.format_version).toBe('2');
    expect(cur.merges).toEqual([{ unit_ids: [1, 3], new_unit_id: 20 }]);
    expect(cur.label_definitions.quality.label_options).toEqual(['good', 'mua', 'noise']);
    expect(cur.manual_labels).toContainEqual({ unit_id: 0, labels: { quality: ['good'] } });
    // No temp files left behind.
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await s.snapshot()).dirty).toBe(false);
    await s.close();
  });
});
