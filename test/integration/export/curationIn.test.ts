/**
 * Curation in (issue #15 slice 4): a SpikeInterface curation file applied with
 * `spikedock curate --si-curation` as ordinary journaled actions. Round trip: the file our export
 * writes for a curated analyzer (string unit ids), applied to a fresh copy of the same analyzer,
 * gives the same partition of spikes; every step is in the journal and undoable. The app's File →
 * Import SpikeInterface curation… (`session.importSiCuration` through the BackendHost, with the
 * transport's argument check) applies a file the same way and says what it skipped.
 */
import * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siCurationPlan, unitIdResolver } from '../../../src/core/session/curationImport';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { openDataset } from '../../../src/main/openDataset';
import { BackendHost } from '../../../src/main/BackendHost';
import { SessionService } from '../../../src/main/session/SessionService';
import type { SiCurationImportResult, UpdateInfo } from '../../../src/shared/ipc/contract';
import { runCli } from '../../helpers/runCli';
import { flatAssignment } from '../../../src/core/session/SpikeAssignment';

let tmp: string;
beforeAll(() => void (tmp = mkdtempSync(join(tmpdir(), 'spikedock-curation-in-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
  return true;
}

describe('spikedock curate --si-curation', () => {
  it('applies our own export of a curated analyzer to a fresh copy: same clusters, journaled, undoable', async () => {
    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    for (const d of [a, b]) await generateDataset(d, { preset: 'small', seed: 7, raw: false, format: 'analyzer', stringUnitIds: true });
    const ds = await openDataset(a);
    const s = await SessionService.open(ds, { autosaveSeconds: 0 });
    let final: Int32Array;
    try {
      const merged = (await s.merge([0, 1])).added[0];
      await s.label([merged], 'group', 'good');
      const t = s.clustering.spikeIds(2);
      await s.split({ kind: 'spikes', spikeIds: Int32Array.from(t.subarray(0, Math.floor(t.length / 3))) });
      await s.label([4], 'group', 'noise');
      final = flatAssignment(s.clustering.assignment).slice();
    } finally {
      await s.close();
      ds.close();
    }
    const file = join(tmp, 'curation.json');
    expect((await runCli('export', a, '--format', 'si-curation', file)).code).toBe(0);
    const r = await runCli('curate', b, '--si-curation', file, '--no-save');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const again = await openDataset(b);
    const peek = SessionService.peek(again);
    try {
      expect(samePartition(flatAssignment(peek.curation.labels.assignment), final)).toBe(true);
      expect(peek.curation.meta.group(4)).toBe('noise');
      const kinds = peek.curation.history().map((h) => h.description);
      expect(kinds.length).toBeGreaterThanOrEqual(4);
    } finally {
      again.close();
    }
    // Undoable like any action: undo everything, the sorter's units come back.
    const n = (await runCli('history', b, '--json')).stdout;
    const steps = (JSON.parse(n) as Array<{ undone: boolean }>).filter((h) => !h.undone).length;
    fs.writeFileSync(join(tmp, 'undo.json'), JSON.stringify(Array.from({ length: steps }, () => ({ op: 'undo' }))));
    expect((await runCli('curate', b, '--script', join(tmp, 'undo.json'), '--no-save')).code).toBe(0);
    const back = await openDataset(b);
    try {
      expect(Array.from(flatAssignment(SessionService.peek(back).curation.labels.assignment))).toEqual(Array.from(back.spikeClusters));
    } finally {
      back.close();
    }
  });

  it('reads format 1 (merge_unit_groups, removed_units, v1 labels) and reports units it cannot find', () => {
    const trains = new Map<number, number[]>([[0, [0, 3]], [1, [1, 4]], [2, [2, 5, 6]]]);
    const resolve = unitIdResolver({ unitIds: ['x', 'y', 'z'], unitClusterIds: Int32Array.from([0, 1, 2]) }, (c) => trains.has(c));
    const plan = siCurationPlan(
      { format_version: '1', unit_ids: ['x', 'y', 'z'], label_definitions: { quality: { label_options: ['good', 'MUA'], exclusive: true } }, manual_labels: [{ unit_id: 'z', quality: ['MUA'] }, { unit_id: 'q', quality: ['good'] }], merge_unit_groups: [['x', 'y']], removed_units: ['z'] },
      resolve,
      (c) => trains.get(c)!,
    );
    expect(plan.actions).toEqual([
      { op: 'label', clusters: [2], group: 'mua' },
      { op: 'label', clusters: [2], group: 'noise' },
      { op: 'merge', clusters: [0, 1] },
    ]);
    expect(plan.problems).toEqual(['manual_labels[1]: unit "q" is no cluster of this dataset; skipped']);
    const v2 = siCurationPlan({ format_version: '2', unit_ids: ['x', 'y', 'z'], splits: [{ unit_id: 'z', mode: 'indices', indices: [[0, 2], [1]] }] }, resolve, (c) => trains.get(c)!);
    expect(v2.actions).toEqual([{ op: 'split', spikes: [2, 6] }]);
  });

  it('the app (session.importSiCuration) applies a v2 file in string unit ids as undoable actions and names what it skipped', async () => {
    const dir = join(tmp, 'app');
    await generateDataset(dir, { preset: 'small', seed: 7, raw: false, format: 'analyzer', stringUnitIds: true });
    const unitIds = (JSON.parse(fs.readFileSync(join(dir, 'sorting', 'numpysorting_info.json'), 'utf8')) as { unit_ids: string[] }).unit_ids;
    const host = new BackendHost({ userDataDir: join(tmp, 'app-user'), autosaveSeconds: 0 });
    try {
      await host.openDataset(dir);
      const s = host.current!.session;
      const before = flatAssignment(s.clustering.assignment);
      const train2 = s.clustering.spikeIds(2).slice();
      const file = join(tmp, 'app-curation.json');
      fs.writeFileSync(
        file,
        JSON.stringify({
          format_version: '2',
          unit_ids: unitIds,
          label_definitions: { quality: { label_options: ['good', 'mua', 'noise'], exclusive: true } },
          manual_labels: [{ unit_id: unitIds[3], labels: { quality: ['mua'] } }, { unit_id: 'nope', labels: { quality: ['good'] } }],
          merges: [{ unit_ids: [unitIds[0], unitIds[1]], new_unit_id: 'm' }],
          splits: [{ unit_id: unitIds[2], mode: 'indices', indices: [[0, 1, 2], Array.from({ length: train2.length - 3 }, (_, k) => k + 3)], new_unit_ids: ['a', 'b'] }],
          removed: [],
        }),
      );
      const changes: UpdateInfo[] = [];
      host.on('onDidChangeSession', (u) => changes.push(u));
      const r = (await host.call('session', 'importSiCuration', [file])) as SiCurationImportResult;
      expect(r.file).toBe(file);
      expect(r.applied).toHaveLength(3);
      expect(r.applied[1]).toMatch(/^Merge/);
      expect(r.skipped).toEqual(['manual_labels[1]: unit "nope" is no cluster of this dataset; skipped']);
      expect(changes).toHaveLength(3);
      // What the file says, in cluster ids: 3 is mua, 0 and 1 are one cluster, 2's first three spikes are apart.
      const now = flatAssignment(s.clustering.assignment);
      expect(s.curation.meta.group(3)).toBe('mua');
      const merged = changes[1].added[0];
      for (let i = 0; i < now.length; i++) if (before[i] === 0 || before[i] === 1) expect(now[i]).toBe(merged);
      const piece = new Set(Array.from(train2.subarray(0, 3), (k) => now[k]));
      expect(piece.size).toBe(1);
      expect(now[train2[3]]).not.toBe([...piece][0]);
      expect((await s.history()).filter((h) => !h.undone)).toHaveLength(3);
      // Each one undoable: three undos give the sorter's units back.
      for (let k = 0; k < 3; k++) await host.call('session', 'undo', []);
      expect(Array.from(flatAssignment(s.clustering.assignment))).toEqual(Array.from(before));
      await expect(host.call('session', 'importSiCuration', [join(tmp, 'missing.json')])).rejects.toThrow(join(tmp, 'missing.json'));
      fs.writeFileSync(join(tmp, 'broken.json'), '{"format_version": "2", ');
      await expect(host.call('session', 'importSiCuration', [join(tmp, 'broken.json')])).rejects.toThrow(`${join(tmp, 'broken.json')}: not valid JSON`);
      fs.writeFileSync(join(tmp, 'v3.json'), '{"format_version": "3"}');
      const v3 = (await host.call('session', 'importSiCuration', [join(tmp, 'v3.json')])) as SiCurationImportResult;
      expect(v3.applied).toEqual([]);
      expect(v3.skipped[0]).toContain('format_version "3" is not supported');
    } finally {
      await host.dispose();
    }
  });
});
