/**
 * The status bar's reviewed count is the session's (`ClusterInfo.reviewed`, i.e.
 * Curation.isReviewed), the number the start screen remembers. Before (#10.9) it also counted
 * every cluster with a group from cluster_group.tsv, so it read 5/26 where the start screen said 2/26.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterInfo } from '../../../../src/shared/ipc/contract';
import { initialAppState } from '../../../../src/renderer/store/AppState';
import { reviewProgress } from '../../../../src/renderer/store/selectors';
import { nextUnreviewed } from '../../../../src/renderer/commands/wizard';

const c = (id: number, group: string | null, reviewed: boolean): ClusterInfo => ({
  id, nSpikes: 100 - id, fr: 1, amp: 1, ch: 0, depth: 0, sh: 0, group, isiViolations: null, reviewed, labels: {},
});

describe('reviewProgress (status bar)', () => {
  const state = { ...initialAppState(), clusters: [c(0, 'mua', false), c(1, 'good', true), c(2, null, false), c(3, 'noise', false), c(4, 'good', false)] };

  it('counts the clusters the session says are reviewed, not the groups read from the files', () => {
    expect(reviewProgress(state)).toEqual({ reviewed: 1, total: 5 });
  });

  it('"next cluster left to review" goes to the next unreviewed cluster, labelled in the files or not', () => {
    expect(nextUnreviewed({ ...state, selection: { clusterIds: [1], similarIds: [] } })).toEqual({ clusterIds: [2], similarIds: [] });
    expect(nextUnreviewed({ ...state, selection: { clusterIds: [2], similarIds: [] } })).toEqual({ clusterIds: [3], similarIds: [] });
  });
});
