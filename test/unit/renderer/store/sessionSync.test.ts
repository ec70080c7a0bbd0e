/**
 * SessionSync, the renderer's one write path for session changes: whatever the order in which
 * a change's event and its op's answer arrive, the store sees the new cluster table and the
 * selection the change asks for in ONE update, every notification's selection names clusters
 * that exist, and one change costs one snapshot.
 */
import { describe, expect, it } from 'vitest';
import type { BackendClient } from '../../../../src/renderer/backend/BackendClient';
import { createAppStore, type AppStore } from '../../../../src/renderer/store/appStore';
import { SessionSync } from '../../../../src/renderer/store/sessionSync';
import type { BackendEvents, SessionSnapshot, UpdateInfo } from '../../../../src/shared/ipc/contract';
import { clusterInfo } from '../clusterInfo';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/** A backend whose session is a list of cluster tables by generation; snapshots answer when told. */
class FakeBackend {
  generation = 0;
  tables = new Map<number, number[]>([[0, [1, 2, 3]]]);
  snapshotCalls = 0;
  /** When set, each snapshot call waits for the test to release it. */
  gate: Array<Deferred<void>> | null = null;
  private listeners = new Map<string, Array<(p: unknown) => void>>();

  client(): BackendClient {
    const session = {
      snapshot: async (): Promise<SessionSnapshot> => {
        this.snapshotCalls++;
        if (this.gate) {
          const d = deferred<void>();
          this.gate.push(d);
          await d.promise;
        }
        const g = this.generation;
        return {
          generation: g,
          clusters: this.tables.get(g)!.map((id) => clusterInfo(id)),
          labelColumns: [],
          canUndo: g > 0,
          canRedo: false,
          dirty: g > 0,
          lastSavedAt: null,
          autosaveSeconds: 0,
          journalPath: '/tmp/journal',
        };
      },
      similar: async () => [],
    };
    return {
      session,
      on: <E extends keyof BackendEvents>(event: E, listener: (p: BackendEvents[E]) => void) => {
        const list = this.listeners.get(event) ?? [];
        list.push(listener as (p: unknown) => void);
        this.listeners.set(event, list);
        return () => undefined;
      },
    } as unknown as BackendClient;
  }

  /** The backend performs a merge of `parts` into `into`: returns its UpdateInfo (not yet sent). */
  merge(parts: number[], into: number): UpdateInfo {
    const before = this.tables.get(this.generation)!;
    this.generation++;
    this.tables.set(this.generation, [...before.filter((id) => !parts.includes(id)), into]);
    return {
      opId: this.generation,
      generation: this.generation,
      kind: 'merge',
      description: `Merge ${parts.join(', ')} → ${into}`,
      added: [into],
      deleted: parts,
      descendants: parts.map((p) => [p, into] as [number, number]),
      changedSpikes: 10,
      selection: { clusterIds: [into], similarIds: [] },
    };
  }

  /** Lets every gated snapshot answer, for a few turns of the event loop. */
  async drain(): Promise<void> {
    for (let i = 0; i < 10; i++) {
      for (const g of this.gate?.splice(0) ?? []) g.resolve();
      await tick();
    }
  }

  emit(info: UpdateInfo): void {
    for (const l of this.listeners.get('onDidChangeSession') ?? []) l(info);
  }
}

/**
 * Watches store notifications: `commits` counts those that changed the generation,
 * `selectionMoves` those that changed the selection without changing the generation (a second
 * write for one change), and every notification's selection must name existing clusters. (The
 * similar list, which follows the selection, notifies too; it is not counted.)
 */
function watch(store: AppStore): { commits: number; selectionMoves: number; violations: string[] } {
  const seen = { commits: 0, selectionMoves: 0, violations: [] as string[] };
  let prev = store.getState();
  store.subscribe(() => {
    const s = store.getState();
    if (s.generation !== prev.generation) seen.commits++;
    else if (s.selection !== prev.selection) seen.selectionMoves++;
    prev = s;
    const ids = new Set(s.clusters.map((c) => c.id));
    for (const id of [...s.selection.clusterIds, ...s.selection.similarIds]) {
      if (!ids.has(id)) seen.violations.push(`generation ${s.generation}: selection names ${id}, not in the table`);
    }
  });
  return seen;
}

async function started(): Promise<{ backend: FakeBackend; store: AppStore; sync: SessionSync }> {
  const backend = new FakeBackend();
  const store = createAppStore();
  const sync = new SessionSync(backend.client(), store);
  await sync.start();
  sync.select({ clusterIds: [1], similarIds: [2] });
  return { backend, store, sync };
}

describe('SessionSync: one write path for session changes', () => {
  it('event before answer: one snapshot, committed with the merge’s selection in one update', async () => {
    const { backend, store, sync } = await started();
    const calls = backend.snapshotCalls;
    const seen = watch(store);

    sync.beginOp();
    const info = backend.merge([1, 2], 4);
    backend.emit(info); // the event arrives while the op's answer is still on its way
    await tick();
    expect(store.getState().generation).toBe(0); // held: the answer (and its selection) is not in yet
    await sync.endOp(info);

    const s = store.getState();
    expect(s.generation).toBe(1);
    expect(s.clusters.map((c) => c.id)).toEqual([3, 4]);
    expect(s.selection).toEqual({ clusterIds: [4], similarIds: [] });
    expect(s.session.lastAction).toBe('Merge 1, 2 → 4');
    expect(backend.snapshotCalls - calls).toBe(1);
    expect(seen.commits).toBe(1);
    expect(seen.selectionMoves).toBe(0);
    expect(seen.violations).toEqual([]);
  });

  it('answer before event: the answer fetches the snapshot, the late event fetches nothing', async () => {
    const { backend, store, sync } = await started();
    const calls = backend.snapshotCalls;
    const seen = watch(store);

    sync.beginOp();
    const info = backend.merge([1, 2], 4);
    await sync.endOp(info);
    backend.emit(info); // the event comes after the commit
    await tick();

    expect(store.getState().generation).toBe(1);
    expect(store.getState().selection.clusterIds).toEqual([4]);
    expect(backend.snapshotCalls - calls).toBe(1);
    expect(seen.commits).toBe(1);
    expect(seen.selectionMoves).toBe(0);
    expect(seen.violations).toEqual([]);
  });

  it('two changes in flight: the store never shows a selection of deleted clusters, and ends on the last one', async () => {
    const { backend, store, sync } = await started();
    const calls = backend.snapshotCalls;
    const seen = watch(store);
    backend.gate = [];

    sync.beginOp();
    const first = backend.merge([1, 2], 4);
    backend.emit(first); // snapshot 1 starts, gated
    sync.beginOp();
    const second = backend.merge([3, 4], 5);
    const firstDone = sync.endOp(first);
    backend.emit(second);
    await backend.drain(); // snapshots answer (the backend already holds generation 2)
    expect(store.getState().generation).toBe(0); // held: the second op's answer is not in yet
    const secondDone = sync.endOp(second);
    await backend.drain();
    await Promise.all([firstDone, secondDone]);

    const s = store.getState();
    expect(s.generation).toBe(2);
    expect(s.clusters.map((c) => c.id)).toEqual([5]);
    expect(s.selection.clusterIds).toEqual([5]);
    expect(seen.violations).toEqual([]);
    expect(seen.commits).toBe(1);
    expect(seen.selectionMoves).toBe(0);
    expect(backend.snapshotCalls - calls).toBeLessThanOrEqual(2);
  });

  it('a change made elsewhere (no op of this window) is committed without moving the selection', async () => {
    const { backend, store } = await started();
    const info = backend.merge([3], 6);
    backend.emit(info);
    for (let i = 0; i < 5; i++) await tick();
    expect(store.getState().generation).toBe(1);
    expect(store.getState().clusters.map((c) => c.id)).toEqual([1, 2, 6]);
    expect(store.getState().selection).toEqual({ clusterIds: [1], similarIds: [2] });
  });

  it('a failed op releases the held snapshot and its waiters', async () => {
    const { backend, store, sync } = await started();
    sync.beginOp();
    const info = backend.merge([3], 6);
    backend.emit(info);
    await tick();
    expect(store.getState().generation).toBe(0);
    await sync.endOp(null); // the op's call failed: nothing to claim
    for (let i = 0; i < 3; i++) await tick();
    expect(store.getState().generation).toBe(1);
  });
});
