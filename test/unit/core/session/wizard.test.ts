import { describe, expect, it } from 'vitest';
import { selectionAfterLabel, wizardStep, type WizardContext } from '../../../../src/core/session/wizard';

const groups = new Map<number, string>([
  [2, 'noise'],
  [5, 'mua'],
]);
const ctx = (skip = true): WizardContext => ({
  order: [1, 2, 3, 4, 5, 6],
  group: (id) => groups.get(id) ?? null,
  similar: (id) => [6, 5, 4, 3, 2, 1].filter((x) => x !== id),
  skipNoiseMua: skip,
});

describe('wizard', () => {
  it('next/previous best skip noise and mua', () => {
    expect(wizardStep('nextBest', { clusterIds: [1], similarIds: [] }, ctx())).toEqual({ clusterIds: [3], similarIds: [] });
    expect(wizardStep('nextBest', { clusterIds: [1], similarIds: [] }, ctx(false))).toEqual({ clusterIds: [2], similarIds: [] });
    expect(wizardStep('previousBest', { clusterIds: [6], similarIds: [] }, ctx())).toEqual({ clusterIds: [4], similarIds: [] });
    // At the end the selection stays.
    const end = { clusterIds: [6], similarIds: [] };
    expect(wizardStep('nextBest', end, ctx())).toBe(end);
    expect(wizardStep('first', end, ctx())).toEqual({ clusterIds: [1], similarIds: [] });
    expect(wizardStep('last', end, ctx())).toEqual({ clusterIds: [6], similarIds: [] });
    expect(wizardStep('reset', end, ctx())).toEqual({ clusterIds: [1], similarIds: [] });
  });

  it('next similar: first best when nothing is selected, then walks the similar list', () => {
    const none = { clusterIds: [], similarIds: [] };
    expect(wizardStep('nextSimilar', none, ctx())).toEqual({ clusterIds: [1], similarIds: [] });
    let s = wizardStep('nextSimilar', { clusterIds: [1], similarIds: [] }, ctx());
    expect(s).toEqual({ clusterIds: [1], similarIds: [6] });
    s = wizardStep('nextSimilar', s, ctx());
    expect(s).toEqual({ clusterIds: [1], similarIds: [4] });
    expect(wizardStep('previousSimilar', s, ctx())).toEqual({ clusterIds: [1], similarIds: [6] });
    expect(wizardStep('selectFirstNSimilar', s, ctx(), 2)).toEqual({ clusterIds: [1], similarIds: [6, 4] });
    expect(wizardStep('unselectSimilar', s, ctx())).toEqual({ clusterIds: [1], similarIds: [] });
  });

  it('after a label: best → next best, similar → next similar', () => {
    expect(selectionAfterLabel('best', { clusterIds: [3], similarIds: [6] }, ctx())).toEqual({ clusterIds: [4], similarIds: [] });
    expect(selectionAfterLabel('similar', { clusterIds: [3], similarIds: [6] }, ctx())).toEqual({ clusterIds: [3], similarIds: [4] });
  });
});
