import { describe, expect, it } from 'vitest';
import { predictedSelection } from '../../../../src/renderer/commands/prefetchNext';
import { initialAppState, type AppState } from '../../../../src/renderer/store/AppState';
import { clusterInfo } from '../clusterInfo';

const cluster = (id: number, nSpikes: number) => clusterInfo(id, { nSpikes });

function state(selection: AppState['selection'], similar: AppState['similar'], wizardDirection: AppState['wizardDirection'] = 'nextBest'): AppState {
  const s = initialAppState();
  // ClusterView order: by n_spikes, largest first (the wizard's "best" order here).
  return { ...s, clusters: [cluster(3, 300), cluster(5, 200), cluster(8, 100)], selection, similar, wizardDirection };
}

describe('prefetch of the wizard’s next selection', () => {
  it('predicts the next best cluster while walking the best clusters', () => {
    const s = state({ clusterIds: [3], similarIds: [] }, { clusterId: 3, items: [], loading: false });
    const next = predictedSelection(s);
    expect(next).not.toBeNull();
    expect(next).not.toEqual([3]);
    expect(next!.length).toBe(1);
  });

  it('predicts the next similar cluster while walking the similar list, once that list is loaded', () => {
    const items: AppState['similar']['items'] = [{ id: 5, similarity: 0.9 }, { id: 8, similarity: 0.5 }];
    expect(predictedSelection(state({ clusterIds: [3], similarIds: [5] }, { clusterId: 3, items, loading: false }, 'nextSimilar'))).toEqual([3, 8]);
    expect(predictedSelection(state({ clusterIds: [3], similarIds: [5] }, { clusterId: 3, items, loading: true }, 'nextSimilar'))).toBeNull();
  });

  it('predicts nothing without a selection', () => {
    expect(predictedSelection(state({ clusterIds: [], similarIds: [] }, { clusterId: null, items: [], loading: false }))).toBeNull();
  });
});
