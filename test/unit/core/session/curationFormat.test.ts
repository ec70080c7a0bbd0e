import { describe, expect, it } from 'vitest';
import { applySiCuration, siCurationProblems, spikeInterfaceCuration } from '../../../../src/core/session/curationFormat';

const group = (m: Record<number, string>) => (id: number) => m[id] ?? null;

describe('SpikeInterface curation export: always one format-v2 Curation object', () => {
  it('merges, splits and labels, with final ids only', () => {
    const base = Int32Array.from([0, 1, 2, 0, 1, 2, 3, 3]);
    // 0 + 1 merged into 4; 2 split into 5 (spike 2) and 6 (spike 5).
    const cur = Int32Array.from([4, 4, 5, 4, 4, 6, 3, 3]);
    const out = spikeInterfaceCuration(base, cur, group({ 3: 'good', 4: 'mua', 9: 'noise' }));
    expect(out.format_version).toBe('2');
    expect(out.unit_ids).toEqual([0, 1, 2, 3]);
    expect(out.merges).toEqual([{ unit_ids: [0, 1], new_unit_id: 4 }]);
    expect(out.splits).toEqual([{ unit_id: 2, mode: 'indices', indices: [[0], [1]], new_unit_ids: [5, 6] }]);
    // Labels name original units only (SpikeInterface's rule): 0 and 1 are now all in 4 (mua).
    expect(out.manual_labels).toEqual([
      { unit_id: 0, labels: { quality: ['mua'] } },
      { unit_id: 1, labels: { quality: ['mua'] } },
      { unit_id: 3, labels: { quality: ['good'] } },
    ]);
    expect(out.removed).toEqual([]);
    expect(out.label_definitions.quality).toEqual({ name: 'quality', label_options: ['good', 'mua', 'noise'], exclusive: true });
    expect(out.spikedock_unexpressed).toBeUndefined();
    expect(siCurationProblems(out)).toEqual([]);
    expect(Array.from(applySiCuration(base, out))).toEqual(Array.from(cur));
  });

  it('merge then split of the merged cluster: each original unit is a split into the final ids (no intermediate id)', () => {
    const base = Int32Array.from([0, 1, 0, 1]);
    // 0 + 1 merged into 2 (gone), then 2 split into 3 (spikes 0, 1) and 4 (spikes 2, 3).
    const cur = Int32Array.from([3, 3, 4, 4]);
    const out = spikeInterfaceCuration(base, cur, group({}));
    expect(out.merges).toEqual([]);
    expect(out.splits).toEqual([]);
    // 3 and 4 each hold part of 0 and part of 1: not expressible in one model, listed aside.
    expect(out.spikedock_unexpressed).toEqual([
      { new_unit_id: 3, from: [{ unit_id: 0, indices: [0] }, { unit_id: 1, indices: [0] }] },
      { new_unit_id: 4, from: [{ unit_id: 0, indices: [1] }, { unit_id: 1, indices: [1] }] },
    ]);
    expect(JSON.stringify(out)).not.toContain('"curation_steps"');
    expect(siCurationProblems(out)).toEqual([]);
    expect(Array.from(applySiCuration(base, out))).toEqual(Array.from(cur));
  });

  it('a unit split and a piece merged with another unit: the rest of the curation stays exact', () => {
    const base = Int32Array.from([0, 0, 1, 1, 5, 5]);
    // Spike 1 of unit 0 merged with unit 1 into 3; spike 0 alone is 2; unit 5 renamed to 7 whole.
    const cur = Int32Array.from([2, 3, 3, 3, 7, 7]);
    const out = spikeInterfaceCuration(base, cur, group({ 3: 'mua', 7: 'good' }));
    expect(out.unit_ids).toEqual([0, 1, 5]);
    // Unit 5 moved whole to 7 is the same unit to SpikeInterface: apply_curation refuses a
    // one-piece split (check_unit_splits_consistency), so 7 is only named aside.
    expect(out.splits).toEqual([]);
    expect(out.merges).toEqual([]);
    expect(out.spikedock_unexpressed).toEqual([
      { new_unit_id: 2, from: [{ unit_id: 0, indices: [0] }] },
      { new_unit_id: 3, from: [{ unit_id: 0, indices: [1] }, { unit_id: 1, indices: [0, 1] }] },
      { new_unit_id: 7, from: [{ unit_id: 5, indices: [0, 1] }] },
    ]);
    expect(out.manual_labels).toEqual([{ unit_id: 5, labels: { quality: ['good'] } }]);
    expect(siCurationProblems(out)).toEqual([]);
    expect(Array.from(applySiCuration(base, out))).toEqual(Array.from(cur));
  });

  it('nothing changed: unit_ids and labels only', () => {
    const base = Int32Array.from([2, 4, 4]);
    const out = spikeInterfaceCuration(base, base.slice(), group({ 4: 'noise', 2: 'unsorted' }));
    expect(out).toEqual({ format_version: '2', unit_ids: [2, 4], label_definitions: { quality: { name: 'quality', label_options: ['good', 'mua', 'noise'], exclusive: true } }, manual_labels: [{ unit_id: 4, labels: { quality: ['noise'] } }], merges: [], splits: [], removed: [] });
  });
});

describe("siCurationProblems mirrors SpikeInterface's Curation model rules (curation_model.py)", () => {
  const ok = () => ({
    format_version: '2',
    unit_ids: [0, 1, 2, 3],
    label_definitions: { quality: { name: 'quality', label_options: ['good', 'mua', 'noise'], exclusive: true } },
    manual_labels: [{ unit_id: 3, labels: { quality: ['good'] } }],
    merges: [{ unit_ids: [0, 1], new_unit_id: 4 }],
    splits: [{ unit_id: 2, mode: 'indices', indices: [[0], [1]], new_unit_ids: [5, 6] }],
    removed: [] as number[],
  });

  it('accepts a valid object', () => {
    expect(siCurationProblems(ok())).toEqual([]);
  });

  it.each([
    ['a sequence', (c: ReturnType<typeof ok>) => ({ curation_steps: [c] }), /curation_steps/],
    ['another version', (c: ReturnType<typeof ok>) => ({ ...c, format_version: '3' }), /format_version must be "2"/],
    ['a label of a unit not in unit_ids', (c: ReturnType<typeof ok>) => ({ ...c, manual_labels: [{ unit_id: 9, labels: { quality: ['good'] } }] }), /unit 9: not in unit_ids/],
    ['an unknown label', (c: ReturnType<typeof ok>) => ({ ...c, manual_labels: [{ unit_id: 3, labels: { colour: ['red'] } }] }), /unknown label colour/],
    ['two values of an exclusive label', (c: ReturnType<typeof ok>) => ({ ...c, manual_labels: [{ unit_id: 3, labels: { quality: ['good', 'mua'] } }] }), /exclusive/],
    ['a one-unit merge', (c: ReturnType<typeof ok>) => ({ ...c, merges: [{ unit_ids: [0], new_unit_id: 4 }] }), /at least 2 units/],
    ['a merge new id already used', (c: ReturnType<typeof ok>) => ({ ...c, merges: [{ unit_ids: [0, 1], new_unit_id: 3 }] }), /new id 3 is already in unit_ids/],
    ['a unit in two merges', (c: ReturnType<typeof ok>) => ({ ...c, merges: [{ unit_ids: [0, 1], new_unit_id: 4 }, { unit_ids: [1, 3], new_unit_id: 7 }] }), /several merge groups/],
    ['a unit merged and split', (c: ReturnType<typeof ok>) => ({ ...c, splits: [{ unit_id: 1, mode: 'indices', indices: [[0]], new_unit_ids: [8] }] }), /both merged and split/],
    ['a split new id already used', (c: ReturnType<typeof ok>) => ({ ...c, splits: [{ unit_id: 2, mode: 'indices', indices: [[0], [1]], new_unit_ids: [3, 6] }] }), /new id 3 is already in unit_ids/],
    ['duplicate split indices', (c: ReturnType<typeof ok>) => ({ ...c, splits: [{ unit_id: 2, mode: 'indices', indices: [[0], [0]], new_unit_ids: [5, 6] }] }), /duplicate indices/],
    ['new ids not matching the pieces', (c: ReturnType<typeof ok>) => ({ ...c, splits: [{ unit_id: 2, mode: 'indices', indices: [[0], [1]], new_unit_ids: [5, 6, 7, 8] }] }), /4 new ids for 2 pieces/],
    ['a removed unit that is merged', (c: ReturnType<typeof ok>) => ({ ...c, removed: [0] }), /merged and removed/],
    ['too few label options', (c: ReturnType<typeof ok>) => ({ ...c, label_definitions: { quality: { name: 'quality', label_options: ['good'], exclusive: true } } }), /at least 2 options/],
  ])('refuses %s', (_name, mutate, re) => {
    const problems = siCurationProblems(mutate(ok()));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('; ')).toMatch(re);
  });
});
