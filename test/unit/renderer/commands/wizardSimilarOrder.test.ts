import { describe, expect, it } from 'vitest';
import { initialAppState, type AppState } from '../../../../src/renderer/store/AppState';
import { wizardNext } from '../../../../src/renderer/commands/wizard';
import type { ClusterInfo } from '../../../../src/shared/ipc/contract';

function cluster(id: number): ClusterInfo {
  return { id, nSpikes: 100, fr: 1, amp: 1, ch: 0, depth: 0, sh: 0, group: null, isiViolations: null, reviewed: false, labels: {} };
}

function state(order: AppState['ui']['similarOrder']): AppState {
  const s = initialAppState();
  s.clusters = [1, 2, 3, 4].map(cluster);
  s.selection = { clusterIds: [1], similarIds: [] };
  // As session.similar returns them: most similar first, each with its suggestion score.
  s.similar = {
    clusterId: 1,
    loading: false,
    items: [
      { id: 2, similarity: 0.99, score: 0.6 },
      { id: 3, similarity: 0.9, score: 1.05 },
      { id: 4, similarity: 0.8, score: null },
    ],
  };
  s.ui.similarOrder = order;
  return s;
}

describe("the wizard's similar order", () => {
  it('walks the similar clusters by suggestion score (space), unscored ones last', () => {
    const s = state('suggestion');
    const first = wizardNext(s, 'nextSimilar')!;
    expect(first).toEqual({ clusterIds: [1], similarIds: [3] });
    const second = wizardNext({ ...s, selection: first }, 'nextSimilar')!;
    expect(second.similarIds).toEqual([2]);
    expect(wizardNext({ ...s, selection: second }, 'nextSimilar')!.similarIds).toEqual([4]);
  });

  it("walks them by phy's similar_templates when that setting is on", () => {
    expect(wizardNext(state('similarity'), 'nextSimilar')).toEqual({ clusterIds: [1], similarIds: [2] });
  });
});
