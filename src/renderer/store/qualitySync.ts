/**
 * Keeps `AppState.quality` in step with the backend's QualityService: one `quality.snapshot()`
 * when the workspace starts, then every `onDidUpdateQuality` event, each applied in ONE store
 * update (the service sends at most ~10 a second while its background pass runs).
 */
import type { BackendClient } from '../backend/BackendClient';
import type { QualityUpdate } from '../../shared/ipc/contract';
import type { QualityState } from './AppState';
import type { AppStore } from './appStore';

/**
 * Merges an update into the quality state (inside a store update). Rows are merged by id
 * (a row of an id never changes); the counts are taken unless they are older than the ones held
 * (a snapshot answered after a later event).
 */
export function applyQualityUpdate(q: QualityState, u: QualityUpdate): void {
  if (u.names.length && q.names.join() !== u.names.join()) q.names = [...u.names];
  for (const r of u.rows) q.rows[r.cluster_id] = r;
  if (u.generation > q.generation || (u.generation === q.generation && u.computed >= q.computed)) {
    q.generation = u.generation;
    q.computed = u.computed;
    q.total = u.total;
  }
}

/** Subscribes to quality updates and applies the snapshot; returns the unsubscribe function. */
export function startQualitySync(backend: BackendClient, store: AppStore, onError?: (message: string) => void): () => void {
  let disposed = false;
  const apply = (u: QualityUpdate) => {
    if (!disposed) store.update((d) => applyQualityUpdate(d.quality, u), { capture: 'none' });
  };
  const off = backend.on('onDidUpdateQuality', apply);
  backend.quality.snapshot().then(apply, (e: unknown) => onError?.(`quality metrics: ${e instanceof Error ? e.message : String(e)}`));
  return () => {
    disposed = true;
    off();
  };
}
