import { describe, expect, it } from 'vitest';
import { ClusterLabels } from '../../../../src/core/session/ClusterLabels';
import { ClusterMeta } from '../../../../src/core/session/ClusterMeta';
import { Curation, type JournalRecord } from '../../../../src/core/session/Curation';
import { unitIdResolver } from '../../../../src/core/session/curationImport';
import {
  buildReviewQueue,
  decisionsOf,
  nextPending,
  parseCurationProposals,
  parseReviewItemId,
  pendingCount,
  reviewItemId,
  type ReviewItem,
  type ReviewProposal,
} from '../../../../src/core/session/reviewQueue';

// SpikeInterface's own example curations (spikeinterface/curation/tests/test_curation_format.py:
// curation_ids_int, curation_ids_int_dict, curation_ids_str), as JSON files carry them.
const curationIdsInt = {
  format_version: '2',
  unit_ids: [1, 2, 3, 6, 10, 14, 20, 31, 42],
  label_definitions: {
    quality: { label_options: ['good', 'noise', 'MUA', 'artifact'], exclusive: true },
    putative_type: { label_options: ['excitatory', 'inhibitory', 'pyramidal', 'mitral'], exclusive: false },
  },
  manual_labels: [
    { unit_id: 1, quality: ['good'] },
    { unit_id: 2, quality: ['noise'], putative_type: ['excitatory', 'pyramidal'] },
    { unit_id: 3, putative_type: ['inhibitory'] },
  ],
  merges: [{ unit_ids: [3, 6] }, { unit_ids: [10, 14, 20] }],
  splits: [],
  removed: [31, 42],
};
const curationIdsIntDict = { ...curationIdsInt, merges: { 50: [3, 6], 51: [10, 14, 20] } };
const curationIdsStr = { ...curationIdsInt, unit_ids: curationIdsInt.unit_ids.map((u) => `u${u}`), merges: [{ unit_ids: ['u3', 'u6'] }, { unit_ids: ['u10', 'u14', 'u20'] }] };
const units = new Set(curationIdsInt.unit_ids);
const known = (id: number) => units.has(id);

describe('parseCurationProposals (SpikeInterface curation.json)', () => {
  it('reads format 2 merges as a list of {unit_ids}', () => {
    const r = parseCurationProposals(JSON.stringify(curationIdsInt), '/d/curation.json', known);
    expect(r.groups).toEqual([
      [3, 6],
      [10, 14, 20],
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it('reads format 2 merges as a dict {new_unit_id: unit_ids} and as a list of lists', () => {
    expect(parseCurationProposals(JSON.stringify(curationIdsIntDict), 'c.json', known).groups).toEqual([
      [3, 6],
      [10, 14, 20],
    ]);
    const lists = { ...curationIdsInt, merges: [[6, 3], ['10', '14', '20']] };
    expect(parseCurationProposals(JSON.stringify(lists), 'c.json', known).groups).toEqual([
      [3, 6],
      [10, 14, 20],
    ]);
  });

  it('reads format 1 merge_unit_groups and sortingview mergeGroups', () => {
    const v1 = { format_version: '1', unit_ids: [1, 2, 3, 6], merge_unit_groups: [[1, 2], [3, 6]], removed_units: [] };
    expect(parseCurationProposals(JSON.stringify(v1), 'c.json', known).groups).toEqual([
      [1, 2],
      [3, 6],
    ]);
    const v0 = { labelsByUnit: { '1': ['good'] }, mergeGroups: [['2', '3']] };
    expect(parseCurationProposals(JSON.stringify(v0), 'c.json', known).groups).toEqual([[2, 3]]);
  });

  it('names the file and the group for string ids that are not cluster ids, and keeps the valid groups', () => {
    const r = parseCurationProposals(JSON.stringify(curationIdsStr), '/d/curation.json', known);
    expect(r.groups).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['review.unknownUnit', 'review.unknownUnit']);
    expect(r.diagnostics[0].file).toBe('/d/curation.json');
    expect(r.diagnostics[0].message).toBe('/d/curation.json: merges[0] names units "u3", "u6", not clusters of this dataset (unit ids must be the sorter\'s cluster ids); that merge proposal is skipped');
    const mixed = { ...curationIdsInt, merges: [{ unit_ids: [3, 6, 99] }, { unit_ids: [10, 14, 20] }] };
    const m = parseCurationProposals(JSON.stringify(mixed), 'c.json', known);
    expect(m.groups).toEqual([[10, 14, 20]]);
    expect(m.diagnostics[0].message).toContain('merges[0] names unit 99, not a cluster of this dataset');
  });

  it('refuses bad files with one error naming the file', () => {
    const cases: Array<[string, string]> = [
      ['{"format_version": "2", "merges": [', 'not valid JSON'],
      ['[1, 2]', 'expected one JSON object'],
      ['{"format_version": "3", "merges": []}', 'format_version "3" is not supported'],
      ['{"format_version": "2", "merges": 7}', 'merges must be a list of merge groups'],
      ['{"curation_steps": []}', 'curation_steps'],
    ];
    for (const [text, words] of cases) {
      const r = parseCurationProposals(text, '/x/curation.json', known);
      expect(r.groups).toEqual([]);
      expect(r.diagnostics).toHaveLength(1);
      expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'review.badFile', file: '/x/curation.json' });
      expect(r.diagnostics[0].message).toContain('/x/curation.json: ');
      expect(r.diagnostics[0].message).toContain(words);
    }
  });

  it('skips groups of fewer than 2 distinct units and non-list groups', () => {
    const r = parseCurationProposals(JSON.stringify({ format_version: '2', merges: [{ unit_ids: [3, 3] }, { unit_ids: 'x' }, { unit_ids: [1, 2] }] }), 'c.json', known);
    expect(r.groups).toEqual([[1, 2]]);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      'c.json: merges[0] has fewer than 2 distinct units (a merge needs at least 2); skipped',
      'c.json: merges[1] is not a list of unit ids; skipped',
    ]);
  });
});

describe('review item ids', () => {
  it('are the sorted cluster ids joined by +, and parse back', () => {
    expect(reviewItemId([14, 3, 14])).toBe('3+14');
    expect(parseReviewItemId('3+14')).toEqual([3, 14]);
    expect(parseReviewItemId('14+3')).toBeNull();
    expect(parseReviewItemId('3')).toBeNull();
    expect(parseReviewItemId('a+b')).toBeNull();
  });
});

/** A session of 6 clusters (0..5, 2 spikes each) and its review queue. */
function session() {
  const labels = new ClusterLabels([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  const cur = new Curation(labels, new ClusterMeta([], []));
  const proposals: ReviewProposal[] = [
    { clusters: [0, 1], source: 'curation.json', file: 'c.json' },
    { clusters: [2, 3, 4], source: 'curation.json', file: 'c.json' },
    { clusters: [1, 0], source: 'suggested', score: 0.5, evidence: { template: 0.9 } },
    { clusters: [4, 5], source: 'suggested', score: 0.8, evidence: { template: 0.7 } },
  ];
  const queue = () => buildReviewQueue(proposals, decisionsOf(cur.reviewDecisions()), cur.appliedMerges(), (id) => labels.hasCluster(id));
  const state = (id: string) => queue().find((it) => it.id === id)!.state;
  return { cur, labels, queue, state };
}

describe('buildReviewQueue', () => {
  it('orders suggestions best first, then imported proposals; one item per cluster set', () => {
    const { queue } = session();
    const q = queue();
    expect(q.map((it) => it.id)).toEqual(['4+5', '0+1', '2+3+4']);
    expect(q[1]).toMatchObject({ sources: ['curation.json', 'suggested'], files: ['c.json'], score: 0.5, evidence: { template: 0.9 }, state: 'pending' });
    expect(pendingCount(q)).toBe(3);
  });

  it('derives accepted from the merge in the history; undo makes it pending again, redo accepted', () => {
    const { cur, state, queue } = session();
    cur.perform({ op: 'merge', clusters: [0, 1] }, undefined, 't', '0+1');
    expect(state('0+1')).toBe('accepted');
    expect(queue().find((it) => it.id === '0+1')!.mergedInto).toBe(6);
    cur.undo('t');
    expect(state('0+1')).toBe('pending');
    cur.redo('t');
    expect(state('0+1')).toBe('accepted');
  });

  it('says accepted-modified for a subset, for the proposal plus one, and accepted for a merge done in two steps', () => {
    const { cur, state } = session();
    cur.perform({ op: 'merge', clusters: [2, 3] }, undefined, 't');
    expect(state('2+3+4')).toBe('accepted-modified');
    cur.perform({ op: 'merge', clusters: [6, 4] }, undefined, 't');
    expect(state('2+3+4')).toBe('accepted');
    // 4 went into the 2+3+4 merge, so 4+5 can no longer be merged as proposed.
    expect(state('4+5')).toBe('stale');
    cur.perform({ op: 'merge', clusters: [0, 1, 5] }, undefined, 't');
    expect(state('0+1')).toBe('accepted-modified');
  });

  it('says stale when a cluster was split or merged into something unrelated', () => {
    const { cur, state } = session();
    cur.perform({ op: 'split', spikes: [0] }, undefined, 't');
    expect(state('0+1')).toBe('stale');
    cur.perform({ op: 'merge', clusters: [3, 5] }, undefined, 't');
    expect(state('2+3+4')).toBe('stale');
  });

  it('applies reject and skip decisions to pending items only; reset undoes them; next pending skips skipped ones', () => {
    const { cur, state, queue } = session();
    cur.decideReview('4+5', 'reject', 't');
    cur.decideReview('0+1', 'skip', 't');
    expect(state('4+5')).toBe('rejected');
    const q = queue();
    expect(q.find((it) => it.id === '0+1')).toMatchObject({ state: 'pending', skipped: true });
    expect(pendingCount(q)).toBe(2);
    expect(nextPending(q)!.id).toBe('2+3+4');
    expect(nextPending(q, '2+3+4')!.id).toBe('0+1');
    // A rejected proposal that the curator merges anyway is accepted: the history wins.
    cur.perform({ op: 'merge', clusters: [4, 5] }, undefined, 't');
    expect(state('4+5')).toBe('accepted');
    cur.undo('t');
    expect(state('4+5')).toBe('rejected');
    cur.decideReview('4+5', 'reset', 't');
    expect(state('4+5')).toBe('pending');
  });

  it('nextPending returns null when nothing is pending', () => {
    const items: ReviewItem[] = [{ id: '1+2', clusters: [1, 2], sources: ['suggested'], files: [], score: 1, evidence: {}, state: 'rejected', skipped: false, mergedInto: null }];
    expect(nextPending(items)).toBeNull();
    expect(nextPending([])).toBeNull();
  });
});

describe('Curation journal records of the review queue', () => {
  it('replays decisions, imported proposals and the accepted item of a merge', () => {
    const { cur } = session();
    const records: JournalRecord[] = [];
    records.push(cur.importProposals('/d/curation.json', [[0, 1]], 't'));
    records.push(cur.perform({ op: 'merge', clusters: [0, 1] }, { clusterIds: [0, 1] }, 't', '0+1').record);
    records.push(cur.decideReview('4+5', 'reject', 't'));
    records.push(cur.undo('t')!.record);
    expect(records.map((r) => r.t)).toEqual(['proposals', 'op', 'decide', 'undo']);
    expect(records[1]).toMatchObject({ t: 'op', review: '0+1' });
    expect(records.map((r) => (r as { opId: number }).opId)).toEqual([1, 2, 3, 2]);

    const again = session();
    for (const r of JSON.parse(JSON.stringify(records)) as JournalRecord[]) again.cur.replay(r);
    expect(again.cur.importedProposals()).toEqual([{ file: '/d/curation.json', groups: [[0, 1]] }]);
    expect(again.cur.reviewDecisions()).toEqual([{ item: '4+5', decision: 'reject' }]);
    expect(again.cur.reviewItemsOfHistory()).toEqual(['0+1']);
    expect(again.state('4+5')).toBe('rejected');
    expect(again.state('0+1')).toBe('pending');
    expect(again.cur.lastId).toBe(3);
    again.cur.redo('t');
    expect(again.state('0+1')).toBe('accepted');
  });

  it('rollbackReview forgets a decision whose record could not be written', () => {
    const { cur, state } = session();
    const rec = cur.decideReview('4+5', 'reject', 't');
    cur.rollbackReview(rec);
    expect(state('4+5')).toBe('pending');
    expect(cur.lastId).toBe(0);
  });
});

describe('parseCurationProposals in a dataset\'s own unit ids (analyzer string ids)', () => {
  it('resolves string unit ids through the mapping and reports the unknown ones', () => {
    const resolve = unitIdResolver({ unitIds: ['u3', 'u7', 'u9'], unitClusterIds: Int32Array.from([0, 1, 2]) }, (c) => c <= 2);
    const text = JSON.stringify({ format_version: '2', unit_ids: ['u3', 'u7', 'u9'], merges: [{ unit_ids: ['u3', 'u9'], new_unit_id: 'merge0' }, { unit_ids: ['u7', 'zz'] }] });
    const r = parseCurationProposals(text, 'c.json', (c) => c <= 2, resolve);
    expect(r.groups).toEqual([[0, 2]]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['review.unknownUnit']);
    expect(r.diagnostics[0].message).toContain("the sorter's unit ids");
  });
});
