/**
 * A small external store (GUIDE §5, after excalidraw's capture policy): components read it with
 * `useSyncExternalStore` + selectors; every change is an immer recipe applied with
 * `produceWithPatches`. `capture: 'history'` records the patches of a change the user made to
 * cluster-level data (the session's own undo stays authoritative in the backend; this record
 * mirrors it for the UI); `capture: 'none'` — selection, sort, filter, view settings, progress —
 * never lands on any stack.
 */
import { enablePatches, produceWithPatches, type Draft, type Patch } from 'immer';

enablePatches();

export type Capture = 'history' | 'none';

export interface UpdateOptions {
  capture: Capture;
}

/** One captured change: the patches to redo it and the inverse patches to undo it. */
export interface HistoryRecord {
  patches: Patch[];
  inversePatches: Patch[];
  /** Free-form description (e.g. the UpdateInfo description). */
  label?: string;
}

/** Upper bound of captured records kept in memory (the backend journal keeps everything). */
export const MAX_HISTORY = 200;

export class Store<S extends object> {
  private state: S;
  private readonly listeners = new Set<() => void>();
  private readonly records: HistoryRecord[] = [];

  constructor(initial: S) {
    this.state = initial;
  }

  getState = (): S => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Applies `recipe` to a draft of the state. Returns the patches (empty when nothing changed;
   * listeners are then not called, so a no-op never re-renders).
   */
  update(recipe: (draft: Draft<S>) => void, options: UpdateOptions & { label?: string } = { capture: 'none' }): Patch[] {
    const [next, patches, inversePatches] = produceWithPatches(this.state, recipe);
    if (patches.length === 0) return patches;
    this.state = next as S;
    if (options.capture === 'history') {
      this.records.push({ patches, inversePatches, label: options.label });
      if (this.records.length > MAX_HISTORY) this.records.splice(0, this.records.length - MAX_HISTORY);
    }
    for (const l of [...this.listeners]) l();
    return patches;
  }

  /** Captured records, oldest first (read-only). */
  history(): readonly HistoryRecord[] {
    return this.records;
  }
}
