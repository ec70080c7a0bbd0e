import type { SpikeDim } from '../../../../src/shared/ipc/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { appStore } from '../../../../src/renderer/store/appStore';
import { initialAppState } from '../../../../src/renderer/store/AppState';
import { clearLassoOf, selectClusters, selectFromClick, setLasso, setSimilarSelection, setTraceTime, toggleSort } from '../../../../src/renderer/store/actions';

const dim: SpikeDim = { type: 'amplitude', kind: 'template' };
const lasso = { clusterIds: [3], x: dim, y: dim, polygon: new Float32Array(6) };

describe('store actions (the writes views make)', () => {
  afterEach(() =>
    appStore.update((d) => {
      const s = initialAppState();
      d.selection = s.selection;
      d.sort = s.sort;
      d.lasso = null;
      d.traceTime = s.traceTime;
    }, { capture: 'none' }),
  );

  it('selectFromClick replaces the selection; with add it appends once', () => {
    selectClusters([1, 2]);
    setSimilarSelection([9]);
    selectFromClick(5, true);
    selectFromClick(5, true);
    expect(appStore.getState().selection).toEqual({ clusterIds: [1, 2, 5], similarIds: [9] });
    selectFromClick(7, false);
    expect(appStore.getState().selection).toEqual({ clusterIds: [7], similarIds: [] });
  });

  it('toggleSort flips the same column; a new one starts ascending for id and group, else descending', () => {
    toggleSort('fr');
    expect(appStore.getState().sort).toEqual({ column: 'fr', direction: 'desc' });
    toggleSort('fr');
    expect(appStore.getState().sort).toEqual({ column: 'fr', direction: 'asc' });
    toggleSort('group');
    expect(appStore.getState().sort).toEqual({ column: 'group', direction: 'asc' });
  });

  it("setLasso(null) and clearLassoOf remove only that view's lasso", () => {
    setLasso('FeatureView', lasso);
    setLasso('AmplitudeView', null);
    clearLassoOf('AmplitudeView');
    expect(appStore.getState().lasso?.viewType).toBe('FeatureView');
    setLasso('FeatureView', null);
    expect(appStore.getState().lasso).toBeNull();
  });

  it('setTraceTime takes a time or a function of the state', () => {
    setTraceTime(4);
    setTraceTime((s) => s.traceTime + 0.5);
    expect(appStore.getState().traceTime).toBe(4.5);
  });
});
