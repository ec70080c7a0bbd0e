/**
 * The quality slice: the snapshot and the events fill `AppState.quality`, one store update each;
 * rows merge by id, and counts older than the ones held (a late snapshot) are not taken.
 */
import { describe, expect, it } from 'vitest';
import type { BackendClient } from '../../../../src/renderer/backend/BackendClient';
import { createAppStore } from '../../../../src/renderer/store/appStore';
import { startQualitySync } from '../../../../src/renderer/store/qualitySync';
import type { QualityUpdate } from '../../../../src/shared/ipc/contract';

const names = ['num_spikes', 'snr'];

describe('startQualitySync', () => {
  it('applies the snapshot and each event in one store update, keeping the newest counts', async () => {
    let listener: ((u: QualityUpdate) => void) | null = null;
    let answer!: (u: QualityUpdate) => void;
    const backend = {
      quality: { snapshot: () => new Promise<QualityUpdate>((r) => (answer = r)) },
      on: (_e: string, l: (u: QualityUpdate) => void) => {
        listener = l;
        return () => (listener = null);
      },
    } as unknown as BackendClient;
    const store = createAppStore();
    let notifications = 0;
    store.subscribe(() => notifications++);
    const stop = startQualitySync(backend, store);

    listener!({ generation: 0, names, rows: [{ cluster_id: 2, num_spikes: 5, snr: null }], computed: 2, total: 3 });
    expect(notifications).toBe(1);
    // The snapshot answered after that event: its rows merge, its older counts are dropped.
    answer({ generation: 0, names, rows: [{ cluster_id: 1, num_spikes: 7, snr: 4.5 }], computed: 1, total: 3 });
    await Promise.resolve();
    expect(notifications).toBe(2);
    const q = store.getState().quality;
    expect(q.names).toEqual(names);
    expect(Object.keys(q.rows).map(Number)).toEqual([1, 2]);
    expect([q.computed, q.total]).toEqual([2, 3]);

    // A merge: a newer generation's counts are taken even when smaller.
    listener!({ generation: 1, names, rows: [], computed: 1, total: 2 });
    expect([store.getState().quality.computed, store.getState().quality.total]).toEqual([1, 2]);
    stop();
    expect(listener).toBeNull();
  });
});
