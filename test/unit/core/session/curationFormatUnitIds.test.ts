/**
 * curation.json in the sorting's own unit ids (issue #15 slice 4): every file is checked by a
 * small re-implementation of SpikeInterface's `apply_curation` semantics (`curation/curation_model.py`
 * + `core/sorting_tools.py`: merges, then splits by indices into each unit's spike train, all in
 * unit ids), which must give the session's final assignment back.
 */
import { describe, expect, it } from 'vitest';
import { datasetSiCuration, inOriginalUnitIds, siCurationProblems, spikeInterfaceCuration, type SiCurationModel, type SiUnitId } from '../../../../src/core/session/curationFormat';

/** apply_curation on a sorting given as one unit id per spike; returns the unit id of each spike after it. */
function applyCuration(unitOfSpike: SiUnitId[], c: SiCurationModel<SiUnitId>): SiUnitId[] {
  const out = unitOfSpike.slice();
  const train = (u: SiUnitId) => unitOfSpike.flatMap((v, i) => (v === u ? [i] : []));
  for (const mg of c.merges) for (const u of mg.unit_ids) for (const i of train(u)) out[i] = mg.new_unit_id;
  for (const sp of c.splits) {
    const t = train(sp.unit_id);
    const seen = new Set(sp.indices.flat());
    sp.indices.forEach((idx, k) => idx.forEach((p) => (out[t[p]] = sp.new_unit_ids[k])));
    // new_unit_ids one longer than indices: the rest of the train is the last piece.
    if (sp.new_unit_ids.length === sp.indices.length + 1) t.forEach((s, p) => !seen.has(p) && (out[s] = sp.new_unit_ids[sp.indices.length]));
  }
  for (const u of c.spikedock_unexpressed ?? []) for (const part of u.from) part.indices.forEach((p) => (out[train(part.unit_id)[p]] = u.new_unit_id));
  return out;
}

/** Checks the file against the final assignment: same partition, new ids link to our clusters. */
function roundTrips(unitIds: SiUnitId[], base: Int32Array, cur: Int32Array, c: SiCurationModel<SiUnitId>): void {
  const unitOf = new Map<number, SiUnitId>(unitIds.map((u, i) => [i, u]));
  const after = applyCuration(Array.from(base, (b) => unitOf.get(b)!), c);
  const link = c.spikedock_cluster_ids ?? {};
  const asCluster = after.map((u) => (String(u) in link && !unitIds.includes(u) ? link[String(u)] : unitIds.indexOf(u)));
  expect(asCluster).toEqual(Array.from(cur));
  const newIds = Object.keys(link);
  for (const n of newIds) expect(unitIds.map(String)).not.toContain(n);
  expect(new Set(newIds).size).toBe(newIds.length);
}

// Units 0..3 in unit-index order (cluster id = unit index, as clusterIdsForUnits maps them).
const base = Int32Array.from([0, 1, 2, 0, 1, 2, 3, 3, 2]);
// 0 + 1 merged into 4; 2 split into 5 (spikes 2, 8) and 6 (spike 5); 3 untouched.
const cur = Int32Array.from([4, 4, 5, 4, 4, 6, 3, 3, 5]);
const groups = (id: number) => ({ 3: 'good', 4: 'mua' } as Record<number, string>)[id] ?? null;
const naming = (unitIds: SiUnitId[]) => ({ unitIds, unitClusterIds: Int32Array.from(unitIds, (_, i) => i) });

describe('curation.json in the original unit ids', () => {
  it('string ids: merge<i> and <unit>-split<i>, as SpikeInterface names new string units', () => {
    const ids = ['a3', 'b7', 'c1', 'd0'];
    const c = inOriginalUnitIds(spikeInterfaceCuration(base, cur, groups), naming(ids)) as SiCurationModel<SiUnitId>;
    expect(c.unit_ids).toEqual(ids);
    expect(c.merges).toEqual([{ unit_ids: ['a3', 'b7'], new_unit_id: 'merge0' }]);
    expect(c.splits).toEqual([{ unit_id: 'c1', mode: 'indices', indices: [[0, 2], [1]], new_unit_ids: ['c1-split0', 'c1-split1'] }]);
    expect(c.manual_labels).toEqual([
      { unit_id: 'a3', labels: { quality: ['mua'] } },
      { unit_id: 'b7', labels: { quality: ['mua'] } },
      { unit_id: 'd0', labels: { quality: ['good'] } },
    ]);
    expect(c.spikedock_cluster_ids).toEqual({ merge0: 4, 'c1-split0': 5, 'c1-split1': 6 });
    expect(siCurationProblems(c)).toEqual([]);
    roundTrips(ids, base, cur, c);
  });

  it('a generated name that is already a unit id gets a suffix', () => {
    const ids = ['merge0', 'b', 'c1-split0', 'd'];
    const c = inOriginalUnitIds(spikeInterfaceCuration(base, cur, groups), naming(ids)) as SiCurationModel<SiUnitId>;
    expect(c.merges[0].new_unit_id).toBe('merge0_2');
    expect(c.splits[0].unit_id).toBe('c1-split0');
    expect(c.splits[0].new_unit_ids).toEqual(['c1-split0-split0', 'c1-split0-split1']);
    expect(siCurationProblems(c)).toEqual([]);
    roundTrips(ids, base, cur, c);
  });

  it('digit strings and negative integers: max + 1, + 2, … (as strings for strings)', () => {
    const digits = ['10', '3', '7', '12'];
    const d = inOriginalUnitIds(spikeInterfaceCuration(base, cur, groups), naming(digits)) as SiCurationModel<SiUnitId>;
    expect(d.merges[0].new_unit_id).toBe('13');
    expect(d.splits[0].new_unit_ids).toEqual(['14', '15']);
    roundTrips(digits, base, cur, d);
    const ints = [-4, 2, -1, 5];
    const n = inOriginalUnitIds(spikeInterfaceCuration(base, cur, groups), naming(ints)) as SiCurationModel<SiUnitId>;
    expect(n.unit_ids).toEqual(ints);
    expect(n.merges[0]).toEqual({ unit_ids: [-4, 2], new_unit_id: 6 });
    expect(n.splits[0].new_unit_ids).toEqual([7, 8]);
    expect(siCurationProblems(n)).toEqual([]);
    roundTrips(ints, base, cur, n);
  });

  it('clusters one model cannot state are renamed too, and still round-trip', () => {
    const b = Int32Array.from([0, 1, 0, 1]);
    const c2 = Int32Array.from([3, 3, 4, 4]); // merge then split of the merge
    const ids = ['x', 'y'];
    const c = inOriginalUnitIds(spikeInterfaceCuration(b, c2, () => null), naming(ids)) as SiCurationModel<SiUnitId>;
    expect(c.spikedock_unexpressed).toEqual([
      { new_unit_id: 'merge0', from: [{ unit_id: 'x', indices: [0] }, { unit_id: 'y', indices: [0] }] },
      { new_unit_id: 'merge1', from: [{ unit_id: 'x', indices: [1] }, { unit_id: 'y', indices: [1] }] },
    ]);
    roundTrips(ids, b, c2, c);
  });

  it('repeated unit ids or a base cluster that is no unit: no file, with the reason', () => {
    const m = spikeInterfaceCuration(base, cur, groups);
    expect(inOriginalUnitIds(m, naming([1, 1, 2, 3]))).toMatch(/repeated unit ids/);
    expect(inOriginalUnitIds(m, { unitIds: ['a', 'b', 'c'], unitClusterIds: Int32Array.from([0, 1, 2]) })).toMatch(/cluster 3 of the session's base is no unit/);
  });

  it('datasetSiCuration renames only when the dataset maps its ids', () => {
    const phy = datasetSiCuration({ analyzer: undefined, nwb: undefined }, base, cur, groups) as SiCurationModel<SiUnitId>;
    expect(phy.unit_ids).toEqual([0, 1, 2, 3]);
    expect(phy.spikedock_cluster_ids).toBeUndefined();
    const nwb = { version: '2.7.0', units: '/units', otherUnits: [], electricalSeries: null, otherSeries: [], rateSource: 'default' as const, t0: 0, unitIds: [-4, 2, -1, 5], unitClusterIds: Int32Array.from([0, 1, 2, 3]), idsMapped: true };
    const c = datasetSiCuration({ analyzer: undefined, nwb }, base, cur, groups) as SiCurationModel<SiUnitId>;
    expect(c.unit_ids).toEqual([-4, 2, -1, 5]);
  });
});
