/**
 * The application store instance and the hooks that read it. One instance per renderer window,
 * created here so that views, commands and the shell share it without prop drilling.
 */
import { useCallback, useRef, useSyncExternalStore } from 'react';
import { Store } from './Store';
import { initialAppState, type AppState } from './AppState';

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
