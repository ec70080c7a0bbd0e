/**
 * Keeps the store in step with the backend session — the renderer's one write path for session
 * changes (GUIDE §5):
 *
 * - a change is known either from the `onDidChangeSession` event or from the answer to an op this
 *   window sent (`runOp`), whichever comes first; both name the same UpdateInfo (its generation);
 * - one `session.snapshot()` is fetched for whatever changes are known but not yet in the store
 *   (coalesced: two changes in flight cost one or two snapshots, never one per notice);
 * - the snapshot is committed in ONE store update together with the selection the change asks
 *   for (phy's rules: the merged cluster, the split's parts, undo's restored selection), so no
 *   store notification ever shows the new generation with a selection naming deleted clusters;
 * - while an op of this window is in flight, a fetched snapshot is held until its answer is in
 *   (the event can arrive first), then committed with that answer's selection;
 * - `runOp` awaits that commit (`endOp`), it never fetches its own copy.
 *
 * The similar list follows the last selected best cluster (latest wins: a newer selection aborts
 * the older fetch). The review queue is mirrored by {@link ReviewSync} (`review`).
 */
import type { BackendClient } from '../backend/BackendClient';
import type { SessionSnapshot, UpdateInfo } from '../../shared/ipc/contract';
import type { AppStore } from './appStore';
import { applySnapshotMeta, type Selection } from './AppState';
import { setSelection } from './actions';
import { ReviewSync } from './reviewSync';

/** How many similar clusters to list (phy: top 100). */
export const SIMILAR_TOP = 100;

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class SessionSync {
  private readonly disposers: Array<() => void> = [];
  private similarFor: { id: number | null; generation: number; scored: boolean } = { id: null, generation: -1, scored: false };
  private similarRequest = 0;
  private toastId = 1;
  /** Changes known (event or answer) and not yet committed, by generation. */
  private readonly pending = new Map<number, UpdateInfo>();
  /** Selections asked for by this window's ops, by generation. */
  private readonly claimed = new Map<number, Selection>();
  /** The highest generation known to exist (−1: only the first snapshot is wanted). */
  private wanted = -1;
  /** A fetched snapshot not yet committed (held while an op of this window is in flight). */
  private held: SessionSnapshot | null = null;
  private fetching: Promise<void> | null = null;
  private opsInFlight = 0;
  private readonly waiters: Array<{ generation: number; resolve: () => void }> = [];
  /** The review queue's mirror (SuggestionsView, the status bar's pending count). */
  readonly review: ReviewSync;

  constructor(
    private readonly backend: BackendClient,
    private readonly store: AppStore,
  ) {
    this.review = new ReviewSync(backend, store, (text) => this.toast('warning', text));
  }

  /** Subscribes to backend events and commits the first snapshot. */
  async start(): Promise<void> {
    this.disposers.push(
      this.backend.on('onDidChangeSession', (u) => this.notice(u)),
      this.backend.on('onDidProgress', (p) =>
        this.store.update(
          (d) => {
            if (p.total > 0 && p.done >= p.total) delete d.progress[p.task];
            else d.progress[p.task] = p;
          },
          { capture: 'none' },
        ),
      ),
      this.backend.on('onDidSave', (r) =>
        this.store.update(
          (d) => {
            d.session.dirty = false;
            d.session.lastSavedAt = r.savedAt;
          },
          { capture: 'none' },
        ),
      ),
      this.backend.on('onDidMessage', (m) => this.toast(m.level, m.text)),
      this.store.subscribe(() => this.followSelection()),
      this.review.start(),
    );
    this.wanted = Math.max(this.wanted, this.store.getState().generation);
    await this.fetch(true);
  }

  dispose(): void {
    for (const d of this.disposers.splice(0)) d();
    for (const w of this.waiters.splice(0)) w.resolve();
  }

  /** Shows a non-blocking message. */
  toast(level: 'info' | 'warning' | 'error', text: string): void {
    const id = this.toastId++;
    this.store.update((d) => {
      d.messages.push({ id, level, text });
      if (d.messages.length > 6) d.messages.splice(0, d.messages.length - 6);
    }, { capture: 'none' });
  }

  /** An op of this window is about to be sent: snapshots are held until its answer (`endOp`). */
  beginOp(): void {
    this.opsInFlight++;
  }

  /**
   * The op's answer (null when it changed nothing or failed). Resolves once the store holds its
   * generation, committed with the selection it asks for.
   */
  endOp(info: UpdateInfo | null): Promise<void> {
    this.opsInFlight = Math.max(0, this.opsInFlight - 1);
    let done: Promise<void> = Promise.resolve();
    if (info) {
      if (info.selection) this.claimed.set(info.generation, { clusterIds: [...info.selection.clusterIds], similarIds: [...(info.selection.similarIds ?? [])] });
      done = new Promise<void>((resolve) => this.waiters.push({ generation: info.generation, resolve }));
      this.notice(info);
    }
    this.commitHeld();
    this.settleWaiters();
    return done;
  }

  /** Sets the selection; `wizardNote` says what a wizard move skipped (any other selection clears it). */
  select(sel: Selection, wizardNote: string | null = null): void {
    setSelection(sel, wizardNote, this.store);
  }

  /** A change is known (event or answer): fetch a snapshot unless the store already has it. */
  private notice(u: UpdateInfo): void {
    if (u.generation <= this.store.getState().generation) {
      this.settleWaiters();
      return;
    }
    this.pending.set(u.generation, u);
    this.wanted = Math.max(this.wanted, u.generation);
    void this.fetch(false);
  }

  /** Fetches snapshots until one is at least as new as every known change. */
  private fetch(force: boolean): Promise<void> {
    if (this.fetching) return this.fetching;
    this.fetching = (async () => {
      // A backend whose snapshot lags the generation it announced would loop: a few tries at most.
      for (let tries = 0; tries < 4 && (force || this.wanted > Math.max(this.store.getState().generation, this.held?.generation ?? -1)); tries++) {
        force = false;
        try {
          const snap = await this.backend.session.snapshot();
          if (!this.held || snap.generation >= this.held.generation) this.held = snap;
          // The backend's generation is the truth: a change we missed is covered too.
          if (snap.generation >= this.wanted) this.wanted = snap.generation;
        } catch (e) {
          this.toast('error', `Could not read the session: ${describe(e)}`);
          break;
        }
        this.commitHeld();
      }
    })().finally(() => {
      this.fetching = null;
      this.settleWaiters(true);
    });
    return this.fetching;
  }

  /** Commits the held snapshot with its changes' selection, in one store update. */
  private commitHeld(): void {
    const snap = this.held;
    if (!snap || this.opsInFlight > 0) return;
    this.held = null;
    const changes = [...this.pending.values()].filter((u) => u.generation <= snap.generation).sort((a, b) => a.generation - b.generation);
    for (const u of changes) this.pending.delete(u.generation);
    let selection: Selection | undefined;
    for (const [generation, sel] of [...this.claimed].sort((a, b) => a[0] - b[0])) {
      if (generation > snap.generation) continue;
      selection = sel;
      this.claimed.delete(generation);
    }
    const last = changes[changes.length - 1];
    const deleted = new Set(changes.flatMap((u) => u.deleted));
    this.store.update(
      (d) => {
        if (snap.generation < d.generation) return;
        d.clusters = snap.clusters as typeof d.clusters;
        d.generation = snap.generation;
        const s = d.session;
        applySnapshotMeta(s, snap);
        if (last) s.lastAction = last.description;
        // A split consumes the lasso it was drawn on; any cluster change may invalidate it.
        if (d.lasso && d.lasso.clusterIds.some((id) => deleted.has(id))) d.lasso = null;
        if (selection) {
          d.selection.clusterIds = selection.clusterIds;
          d.selection.similarIds = selection.similarIds;
          d.wizardNote = null;
        }
      },
      last ? { capture: 'history', label: last.description } : { capture: 'none' },
    );
    this.settleWaiters();
  }

  /** Resolves the `endOp` promises whose generation the store holds (all of them on `force`). */
  private settleWaiters(force = false): void {
    const generation = this.store.getState().generation;
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const unreachable = force && !this.fetching && !this.held;
      if (unreachable || this.waiters[i].generation <= generation) {
        this.waiters.splice(i, 1)[0].resolve();
      }
    }
  }

  /** Fetches the similar list when the last best cluster or the generation changes. */
  private followSelection(): void {
    const s = this.store.getState();
    const best = s.selection.clusterIds[s.selection.clusterIds.length - 1] ?? null;
    // Refetched once the suggestions are scored too: the rows then carry their suggestion scores.
    const scored = s.review.list?.suggestions.state === 'ready';
    if (best === this.similarFor.id && s.generation === this.similarFor.generation && scored === this.similarFor.scored) return;
    this.similarFor = { id: best, generation: s.generation, scored };
    const req = ++this.similarRequest;
    // Between a merge's snapshot and its new selection the old best cluster no longer exists.
    if (best !== null && s.clusters.length > 0 && !s.clusters.some((c) => c.id === best)) {
      if (s.similar.clusterId !== null || s.similar.items.length) {
        this.store.update((d) => {
          d.similar = { clusterId: null, items: [], loading: false };
        }, { capture: 'none' });
      }
      return;
    }
    if (best === null) {
      this.store.update((d) => {
        d.similar = { clusterId: null, items: [], loading: false };
      }, { capture: 'none' });
      return;
    }
    this.store.update((d) => {
      if (d.similar.clusterId !== best) d.similar.items = [];
      d.similar.clusterId = best;
      d.similar.loading = true;
    }, { capture: 'none' });
    this.backend.session.similar(best, SIMILAR_TOP).then(
      (items) => {
        if (req !== this.similarRequest) return;
        this.store.update((d) => {
          d.similar = { clusterId: best, items, loading: false };
        }, { capture: 'none' });
      },
      (e) => {
        if (req !== this.similarRequest) return;
        this.store.update((d) => {
          d.similar = { clusterId: best, items: [], loading: false };
        }, { capture: 'none' });
        this.toast('warning', `Similar clusters of ${best}: ${describe(e)}`);
      },
    );
  }
}
