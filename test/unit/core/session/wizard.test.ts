import { describe, expect, it } from 'vitest';
import { reviewProgress, selectionAfterLabel, skippedText, wizardMove, wizardStep, type WizardContext } from '../../../../src/core/session/wizard';

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

  it('names the noise/mua clusters a move passed over, and none when nothing was skipped (#10.8)', () => {
    const firstMasked: WizardContext = { ...ctx(), order: [2, 5, 1, 3, 4, 6] };
    expect(wizardMove('first', { clusterIds: [], similarIds: [] }, firstMasked)).toEqual({ selection: { clusterIds: [1], similarIds: [] }, skipped: [2, 5] });
    expect(wizardMove('nextBest', { clusterIds: [1], similarIds: [] }, ctx()).skipped).toEqual([2]);
    expect(wizardMove('nextBest', { clusterIds: [3], similarIds: [] }, ctx()).skipped).toEqual([]);
    expect(wizardMove('previousBest', { clusterIds: [6], similarIds: [] }, ctx()).skipped).toEqual([5]);
    // Skipping off: nothing is skipped.
    expect(wizardMove('first', { clusterIds: [], similarIds: [] }, { ...firstMasked, skipNoiseMua: false }).skipped).toEqual([]);
    // At the end the selection stays: nothing was skipped over, even if masked rows follow.
    const end = { clusterIds: [4], similarIds: [] };
    const tail: WizardContext = { ...ctx(), order: [1, 4, 5, 2] };
    expect(wizardMove('nextBest', end, tail)).toEqual({ selection: end, skipped: [] });
    // Similar: 6 → (5 masked) → 4; selectFirstNSimilar passes over 5 and 2.
    expect(wizardMove('nextSimilar', { clusterIds: [1], similarIds: [6] }, ctx()).skipped).toEqual([5]);
    expect(wizardMove('selectFirstNSimilar', { clusterIds: [1], similarIds: [] }, ctx(), 3)).toEqual({ selection: { clusterIds: [1], similarIds: [6, 4, 3] }, skipped: [5] });
  });

  it('says what was skipped in one line for the status bar', () => {
    expect(skippedText([])).toBeNull();
    expect(skippedText([7])).toBe('skipped 1 cluster labelled mua/noise: 7');
    expect(skippedText([2, 5, 9])).toBe('skipped 3 clusters labelled mua/noise: 2, 5, 9');
    expect(skippedText([1, 2, 3, 4, 5, 6, 7])).toBe('skipped 7 clusters labelled mua/noise: 1, 2, 3, 4, 5, …');
  });

  it('counts reviewed clusters with the one predicate it is given', () => {
    expect(reviewProgress([1, 2, 3, 4], (id) => id % 2 === 0)).toEqual({ reviewed: 2, total: 4 });
  });
});
