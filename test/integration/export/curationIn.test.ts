/**
 * Curation in (issue #15 slice 4): a SpikeInterface curation file applied with
 * `spikedock curate --si-curation` as ordinary journaled actions. Round trip: the file our export
 * writes for a curated analyzer (string unit ids), applied to a fresh copy of the same analyzer,
 * gives the same partition of spikes; every step is in the journal and undoable.
 */
import * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siCurationPlan, unitIdResolver } from '../../../src/core/session/curationImport';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { openDataset } from '../../../src/main/openDataset';
import { SessionService } from '../../../src/main/session/SessionService';
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
});
