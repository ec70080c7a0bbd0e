import { describe, expect, it } from 'vitest';
import { createAppStore, selectedClusters } from '../../../../src/renderer/store/appStore';

describe('Store capture policy', () => {
  it('given selection, sort and filter changes, then nothing lands on the history', () => {
    const store = createAppStore();
    store.update((d) => void (d.selection.clusterIds = [3]), { capture: 'none' });
    store.update((d) => void (d.sort = { column: 'fr', direction: 'asc' }), { capture: 'none' });
    store.update((d) => void (d.filter.text = 'fr > 1'), { capture: 'none' });
    expect(store.history()).toHaveLength(0);
    expect(store.getState().selection.clusterIds).toEqual([3]);
  });

  it('given a captured cluster change, then its patches and inverse patches are recorded with the label', () => {
    const store = createAppStore();
    store.update((d) => void (d.generation = 7), { capture: 'history', label: 'Merge 1, 2 → 3' });
    const [rec] = store.history();
    expect(rec.label).toBe('Merge 1, 2 → 3');
    expect(rec.patches).toEqual([{ op: 'replace', path: ['generation'], value: 7 }]);
    expect(rec.inversePatches).toEqual([{ op: 'replace', path: ['generation'], value: 0 }]);
  });

  it('does not notify listeners for a no-op and returns new state objects otherwise', () => {
    const store = createAppStore();
    let calls = 0;
    store.subscribe(() => calls++);
    const before = store.getState();
    store.update((d) => void (d.generation = 0), { capture: 'none' });
    expect(calls).toBe(0);
    store.update((d) => void (d.selection.similarIds = [5]), { capture: 'none' });
    expect(calls).toBe(1);
    expect(store.getState()).not.toBe(before);
    expect(store.getState().dataset).toBe(before.dataset);
  });

  it('orders selected clusters best first, then similar (colour slots)', () => {
    const store = createAppStore();
    store.update((d) => void (d.selection = { clusterIds: [4, 9], similarIds: [2] }), { capture: 'none' });
    expect(selectedClusters(store.getState())).toEqual([4, 9, 2]);
  });
});
