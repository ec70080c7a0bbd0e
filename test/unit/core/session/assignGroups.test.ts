import { describe, expect, it } from 'vitest';
import { ClusterLabels, ClusteringError } from '../../../../src/core/session/ClusterLabels';
import { ClusterMeta } from '../../../../src/core/session/ClusterMeta';
import { Curation, type JournalRecord } from '../../../../src/core/session/Curation';
import { flatAssignment } from '../../../../src/core/session/SpikeAssignment';

const T = '2026-12-03T12:00:00.000Z';
/** Cluster 0: spikes 0–5 (labelled good in the files); cluster 1: spikes 6–7. */
function curation(): Curation {
  return new Curation(new ClusterLabels([0, 0, 0, 0, 0, 0, 1, 1]), new ClusterMeta([[0, 'good']], []));
}
const assignment = (c: Curation) => Array.from(flatAssignment(c.labels.assignment));

describe('Curation assign with per-part groups (a split proposal committed as one action)', () => {
  it('given three parts of cluster 0, the last labelled noise, when performed, then the parts are new clusters, the noise part is noise, the others inherit good, and one undo restores both', () => {
    const c = curation();
    const before = assignment(c);
    const { update, record } = c.perform({ op: 'assign', spikes: [0, 1, 2, 3, 4, 5], labels: [0, 1, 0, 1, 2, 2], groups: [null, null, 'noise'], source: 're-cluster' }, { clusterIds: [0] }, T);
    expect(update.kind).toBe('assign');
    expect(update.deleted).toEqual([0]);
    expect(update.added).toEqual([2, 3, 4]);
    expect(assignment(c)).toEqual([2, 3, 2, 3, 4, 4, 1, 1]);
    expect([2, 3, 4].map((id) => c.meta.group(id))).toEqual(['good', 'good', 'noise']);
    expect(update.description).toBe('Split 0 into 3 (re-cluster) → 2, 3, 4; 4 noise');
    expect(c.history()).toHaveLength(1);

    const u = c.undo(T)!;
    expect(u.update.added).toEqual([0]);
    expect(assignment(c)).toEqual(before);
    expect(c.meta.group(0)).toBe('good');
    expect([2, 3, 4].map((id) => c.meta.group(id))).toEqual([null, null, null]);

    c.redo(T);
    expect(assignment(c)).toEqual([2, 3, 2, 3, 4, 4, 1, 1]);
    expect([2, 3, 4].map((id) => c.meta.group(id))).toEqual(['good', 'good', 'noise']);

    // The journal record replays the same action, labels included, and its undo/redo.
    const r = curation();
    const records: JournalRecord[] = [record, { t: 'undo', opId: 1, time: T }, { t: 'redo', opId: 1, time: T }];
    for (const rec of JSON.parse(JSON.stringify(records)) as JournalRecord[]) r.replay(rec);
    expect(assignment(r)).toEqual(assignment(c));
    expect([2, 3, 4].map((id) => r.meta.group(id))).toEqual(['good', 'good', 'noise']);
    expect(r.history()).toEqual(c.history());
    r.undo(T);
    expect(assignment(r)).toEqual(before);
    expect(r.meta.group(0)).toBe('good');
    expect(r.meta.group(4)).toBeNull();
  });

  it('given parts that leave spikes of the cluster out, when performed, then the rest is a cluster of its own and keeps the inherited group', () => {
    const c = curation();
    const { update } = c.perform({ op: 'assign', spikes: [4, 5], labels: [0, 0], groups: ['noise'] }, undefined, T);
    expect(update.added).toEqual([2, 3]);
    expect(assignment(c)).toEqual([3, 3, 3, 3, 2, 2, 1, 1]);
    expect(c.meta.group(2)).toBe('noise');
    expect(c.meta.group(3)).toBe('good');
  });

  it('given a bad group, when performed, then it is refused and nothing changes', () => {
    const c = curation();
    const before = assignment(c);
    expect(() => c.perform({ op: 'assign', spikes: [0, 1], labels: [0, 1], groups: ['bad\ngroup'] }, undefined, T)).toThrow(ClusteringError);
    expect(assignment(c)).toEqual(before);
    expect(c.canUndo).toBe(false);
    expect(c.labels.clusterIds()).toEqual([0, 1]);
    expect(c.meta.group(0)).toBe('good');
  });
});
