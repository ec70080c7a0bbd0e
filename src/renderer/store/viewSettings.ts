import { useCallback, useMemo } from 'react';
import { appStore, useAppStore } from './appStore';
import type { AppState } from './AppState';

/**
 * A view's settings (waveform type, bin size, gain, …) kept in the store under its view type,
 * merged over `defaults`. Changes are never captured on the undo stack (GUIDE §3).
 */
export function useViewSettings<T extends object>(viewType: string, defaults: T): [T, (patch: Partial<T>) => void] {
  const stored = useAppStore(useCallback((s: AppState) => s.viewSettings[viewType], [viewType]));
  const settings = useMemo(() => ({ ...defaults, ...(stored ?? {}) }) as T, [defaults, stored]);
  const set = useCallback(
    (patch: Partial<T>) => {
      appStore.update(
        (d) => {
          d.viewSettings[viewType] = { ...(d.viewSettings[viewType] ?? {}), ...(patch as Record<string, unknown>) };
        },
        { capture: 'none' },
      );
    },
    [viewType],
  );
  return [settings, set];
}

/** Reads a view's current settings outside React (command handlers). */
export function readViewSettings<T extends object>(viewType: string, defaults: T): T {
  return { ...defaults, ...(appStore.getState().viewSettings[viewType] ?? {}) } as T;
}

/** Patches a view's settings outside React (command handlers). */
export function patchViewSettings(viewType: string, patch: Record<string, unknown>): void {
  appStore.update(
    (d) => {
      d.viewSettings[viewType] = { ...(d.viewSettings[viewType] ?? {}), ...patch };
    },
    { capture: 'none' },
  );
}
