import { describe, expect, it } from 'vitest';
import { ClusterLabels, ClusteringError } from '../../../../src/core/session/ClusterLabels';
import { ClusterMeta } from '../../../../src/core/session/ClusterMeta';
import { Curation, type JournalRecord } from '../../../../src/core/session/Curation';

const T = '2026-12-03T12:00:00.000Z';
/** Clusters 0..5 (two spikes each); 1 is good and 2 unsorted from the files. */
function curation(): Curation {
  return new Curation(new ClusterLabels([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]), new ClusterMeta([[1, 'good'], [2, 'unsorted']], []));
}
const groups = (c: Curation) => [0, 1, 2, 3, 4, 5].map((id) => c.meta.group(id));

describe('Curation labelEach (many clusters, different labels, one action)', () => {
  it('given rule labels, when performed, then every cluster gets its value in one undoable entry, and undo/redo restore every previous value', () => {
    const c = curation();
    const { update, record } = c.perform({ op: 'labelEach', field: 'group', clusters: [4, 0, 2, 1], values: ['noise', 'mua', 'good', 'mua'], source: "Bombcell's defaults" }, { clusterIds: [3] }, T);
    expect(groups(c)).toEqual(['mua', 'mua', 'good', null, 'noise', null]);
    expect(update.kind).toBe('metadata');
    expect(update.description).toBe("Label 4 clusters (Bombcell's defaults): noise 1, mua 2, good 1");
    expect(update.metadata).toEqual({ field: 'group', clusterIds: [0, 1, 2, 4], value: null, values: ['mua', 'mua', 'good', 'noise'] });
    expect(update.selection).toBeUndefined();
    expect(c.history()).toHaveLength(1);
    // Rule labels are not reviews: the curator has not looked at these clusters.
    expect([0, 1, 2, 4].map((id) => c.isReviewed(id))).toEqual([false, false, false, false]);

    const u = c.undo(T)!;
    expect(groups(c)).toEqual([null, 'good', 'unsorted', null, null, null]);
    expect(u.update.metadata).toEqual({ field: 'group', clusterIds: [0, 1, 2, 4], value: null, values: [null, 'good', 'unsorted', null] });
    expect(u.update.selection).toEqual({ clusterIds: [3] });
    c.redo(T);
    expect(groups(c)).toEqual(['mua', 'mua', 'good', null, 'noise', null]);
    expect(c.canUndo).toBe(true);

    // Replaying the journal on a fresh curation gives the same state and the same history.
    const r = curation();
    const records: JournalRecord[] = [record, { t: 'undo', opId: 1, time: T }, { t: 'redo', opId: 1, time: T }];
    for (const rec of JSON.parse(JSON.stringify(records)) as JournalRecord[]) r.replay(rec);
    expect(groups(r)).toEqual(groups(c));
    expect(r.history()).toEqual(c.history());
    r.undo(T);
    expect(groups(r)).toEqual([null, 'good', 'unsorted', null, null, null]);
  });

  it('given a cluster labelled by hand in the same history, when a rule label is undone, then the hand label is kept and still counts as reviewed', () => {
    const c = curation();
    c.perform({ op: 'label', clusters: [3], field: 'group', value: 'good' }, undefined, T);
    c.perform({ op: 'labelEach', field: 'group', clusters: [3, 5], values: ['noise', 'mua'] }, undefined, T);
    expect(c.isReviewed(3)).toBe(true);
    c.undo(T);
    expect(groups(c)).toEqual([null, 'good', 'unsorted', 'good', null, null]);
    expect(c.isReviewed(3)).toBe(true);
    expect(c.isReviewed(5)).toBe(false);
  });

  it.each([
    [{ clusters: [0, 1], values: ['mua'] }, /as many values as clusters/],
    [{ clusters: [], values: [] }, /no clusters given/],
    [{ clusters: [0, 99], values: ['mua', 'mua'] }, /cluster 99 does not exist/],
    [{ clusters: [0, 0], values: ['mua', 'noise'] }, /cluster 0 is given twice/],
    [{ clusters: [0, 1], values: ['mua', 'bad\nlabel'] }, /label of cluster 1 refused: .*control character/],
  ])('given a bad action %o, when performed, then it is refused and nothing changes', (a, message) => {
    const c = curation();
    expect(() => c.perform({ op: 'labelEach', field: 'group', ...a }, undefined, T)).toThrow(ClusteringError);
    expect(() => c.perform({ op: 'labelEach', field: 'group', ...a }, undefined, T)).toThrow(message);
    expect(groups(c)).toEqual([null, 'good', 'unsorted', null, null, null]);
    expect(c.canUndo).toBe(false);
  });
});
