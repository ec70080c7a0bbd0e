import { describe, expect, it } from 'vitest';
import { spikeInterfaceCuration, type SiCurationModel } from '../../../../src/core/session/curationFormat';

const group = (m: Record<number, string>) => (id: number) => m[id] ?? null;

describe('SpikeInterface curation export', () => {
  it('one model for merges, splits and labels of untouched units', () => {
    const base = Int32Array.from([0, 1, 2, 0, 1, 2, 3, 3]);
    // 0 + 1 merged into 4; 2 split into 5 (spike 2) and 6 (spike 5).
    const cur = Int32Array.from([4, 4, 5, 4, 4, 6, 3, 3]);
    const out = spikeInterfaceCuration(base, cur, [3, 4, 5, 6], group({ 3: 'good', 9: 'noise' }), 7) as SiCurationModel;
    expect(out.format_version).toBe('2');
    expect(out.unit_ids).toEqual([0, 1, 2, 3]);
    expect(out.merges).toEqual([{ unit_ids: [0, 1], new_unit_id: 4 }]);
    expect(out.splits).toEqual([{ unit_id: 2, mode: 'indices', indices: [[0], [1]], new_unit_ids: [5, 6] }]);
    expect(out.manual_labels).toEqual([{ unit_id: 3, labels: { quality: ['good'] } }]);
    expect(out.label_definitions.quality).toEqual({ name: 'quality', label_options: ['good', 'mua', 'noise'], exclusive: true });
  });

  it('a sequence when a unit is split and a piece merged, and labels of new clusters', () => {
    const base = Int32Array.from([0, 0, 1, 1]);
    // Spike 1 of unit 0 merged with unit 1 into 3; spike 0 alone is 2.
    const cur = Int32Array.from([2, 3, 3, 3]);
    const out = spikeInterfaceCuration(base, cur, [2, 3], group({ 3: 'mua' }), 10) as { curation_steps: SiCurationModel[] };
    expect(out.curation_steps.length).toBe(3);
    const [s1, s2, s3] = out.curation_steps;
    expect(s1.splits).toEqual([{ unit_id: 0, mode: 'indices', indices: [[0], [1]], new_unit_ids: [2, 10] }]);
    expect(s2.unit_ids).toEqual([1, 2, 10]);
    expect(s2.merges).toEqual([{ unit_ids: [1, 10], new_unit_id: 3 }]);
    expect(s3.unit_ids).toEqual([2, 3]);
    expect(s3.manual_labels).toEqual([{ unit_id: 3, labels: { quality: ['mua'] } }]);
  });
});
