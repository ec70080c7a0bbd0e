/**
 * The application store instance and the hooks that read it. One instance per renderer window,
 * created here so that views, commands and the shell share it without prop drilling.
 */
import { useCallback, useRef, useSyncExternalStore } from 'react';
import { Store } from './Store';
import { initialAppState, type AppState } from './AppState';
import type { ProposalInfo } from '../../shared/ipc/contract';

export type AppStore = Store<AppState>;

/** Creates an empty store (tests create their own). */
export function createAppStore(initial: AppState = initialAppState()): AppStore {
  return new Store<AppState>(initial);
}

/** The window's store. */
export const appStore: AppStore = createAppStore();

function shallowEqualArrays(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * Reads a slice of the state and re-renders when it changes. Selectors that build a new array
 * each time (e.g. `s => [...a, ...b]`) are compared element-wise, so they do not loop.
 */
export function useAppStore<T>(selector: (s: AppState) => T, store: AppStore = appStore): T {
  const last = useRef<{ state: AppState; selector: (s: AppState) => T; value: T } | null>(null);
  const get = useCallback(() => {
    const state = store.getState();
    const prev = last.current;
    if (prev && prev.state === state && prev.selector === selector) return prev.value;
    const value = selector(state);
    if (prev && (Object.is(prev.value, value) || shallowEqualArrays(prev.value, value))) {
      last.current = { state, selector, value: prev.value };
      return prev.value;
    }
    last.current = { state, selector, value };
    return value;
  }, [store, selector]);
  return useSyncExternalStore(store.subscribe, get, get);
}

/** Selected clusters in colour order: best clusters first, then similar ones. */
export function selectedClusters(s: AppState): number[] {
  return [...s.selection.clusterIds, ...s.selection.similarIds];
}

/** `[...selection.clusterIds, ...selection.similarIds]`, stable between renders. */
export function useSelectedClusters(): number[] {
  return useAppStore(selectedClusters);
}

/**
 * The cluster ids the selection-following views ask data for (FeatureView, WaveformView,
 * AmplitudeView, CorrelogramView, ISIView, FiringRateView, SpikeAttributeView): the selection,
 * with each source cluster of the split proposal shown now replaced, in place, by its parts
 * (virtual clusters, negative ids), so the parts take the selection colours in order. Without a
 * proposal, or when the selection no longer holds all its sources, the selection itself.
 */
export function viewClusterIds(s: AppState): number[] {
  const selected = selectedClusters(s);
  const p = s.proposal.current;
  if (!p || !p.clusterIds.every((c) => selected.includes(c))) return selected;
  return selected.flatMap((c) => (p.clusterIds.includes(c) ? p.parts.filter((part) => part.sourceId === c).map((part) => part.id) : [c]));
}

/** {@link viewClusterIds}, stable between renders. */
export function useViewClusterIds(): number[] {
  return useAppStore(viewClusterIds);
}

/** The name a view shows for a cluster id: a proposal part's (`13 early`), else the id. */
export function clusterName(proposal: ProposalInfo | null, clusterId: number): string {
  if (clusterId >= 0) return String(clusterId);
  return proposal?.parts.find((p) => p.id === clusterId)?.name ?? String(clusterId);
}
