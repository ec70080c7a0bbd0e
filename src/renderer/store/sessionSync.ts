/**
 * Keeps the store in step with the backend session: the cluster table comes from
 * `session.snapshot()`, re-fetched after every `onDidChangeSession` (one UpdateInfo = one
 * refresh; stale snapshots, older than what the store holds, are dropped), and the similar list
 * follows the last selected best cluster (latest wins: a newer selection aborts the older fetch).
 */
import type { BackendClient } from '../backend/BackendClient';
import type { UpdateInfo } from '../../shared/ipc/contract';
import type { AppStore } from './appStore';
import type { Selection } from './AppState';

/** How many similar clusters to list (phy: top 100). */
export const SIMILAR_TOP = 100;

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class SessionSync {
  private readonly disposers: Array<() => void> = [];
  private similarFor: { id: number | null; generation: number } = { id: null, generation: -1 };
  private similarRequest = 0;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  private pendingLabel: string | undefined;
  private toastId = 1;

  constructor(
    private readonly backend: BackendClient,
    private readonly store: AppStore,
  ) {}

  /** Subscribes to backend events and loads the first snapshot. */
  async start(): Promise<void> {
    this.disposers.push(
      this.backend.on('onDidChangeSession', (u) => this.onChange(u)),
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
    );
    await this.refresh();
  }

  dispose(): void {
    for (const d of this.disposers.splice(0)) d();
  }

  /** Shows a non-blocking message. */
  toast(level: 'info' | 'warning' | 'error', text: string): void {
    const id = this.toastId++;
    this.store.update((d) => {
      d.messages.push({ id, level, text });
      if (d.messages.length > 6) d.messages.splice(0, d.messages.length - 6);
    }, { capture: 'none' });
  }

  /**
   * Re-fetches the session snapshot (coalesces concurrent calls). `change` names the session
   * change that caused it: the cluster-level patches are then captured as history, labelled.
   */
  refresh(change?: string): Promise<void> {
    if (change) this.pendingLabel = change;
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        try {
          const snap = await this.backend.session.snapshot();
          const label = this.pendingLabel;
          this.pendingLabel = undefined;
          this.store.update(
            (d) => {
              if (snap.generation < d.generation) return;
              d.clusters = snap.clusters as typeof d.clusters;
              d.generation = snap.generation;
              const s = d.session;
              if (JSON.stringify(s.labelColumns) !== JSON.stringify(snap.labelColumns)) s.labelColumns = snap.labelColumns;
              s.canUndo = snap.canUndo;
              s.canRedo = snap.canRedo;
              s.dirty = snap.dirty;
              s.lastSavedAt = snap.lastSavedAt;
              s.autosaveSeconds = snap.autosaveSeconds;
              s.journalPath = snap.journalPath;
            },
            label ? { capture: 'history', label } : { capture: 'none' },
          );
        } catch (e) {
          this.toast('error', `Could not read the session: ${describe(e)}`);
        }
      } while (this.refreshAgain);
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private onChange(u: UpdateInfo): void {
    this.store.update((d) => {
      d.session.lastAction = u.description;
      // A split consumes the lasso it was drawn on; any cluster change may invalidate it.
      if (d.lasso && d.lasso.clusterIds.some((id) => u.deleted.includes(id))) d.lasso = null;
    }, { capture: 'none' });
    void this.refresh(u.description);
  }

  /** Applies the selection an UpdateInfo asks for (after merge, split, undo, redo). */
  applySelection(sel: UpdateInfo['selection']): void {
    if (!sel) return;
    this.select({ clusterIds: [...sel.clusterIds], similarIds: [...(sel.similarIds ?? [])] });
  }

  /** Sets the selection; `wizardNote` says what a wizard move skipped (any other selection clears it). */
  select(sel: Selection, wizardNote: string | null = null): void {
    this.store.update((d) => {
      d.selection.clusterIds = sel.clusterIds;
      d.selection.similarIds = sel.similarIds;
      d.wizardNote = wizardNote ? { text: wizardNote, selection: { clusterIds: [...sel.clusterIds], similarIds: [...sel.similarIds] } } : null;
    }, { capture: 'none' });
  }

  /** Fetches the similar list when the last best cluster or the generation changes. */
  private followSelection(): void {
    const s = this.store.getState();
    const best = s.selection.clusterIds[s.selection.clusterIds.length - 1] ?? null;
    if (best === this.similarFor.id && s.generation === this.similarFor.generation) return;
    this.similarFor = { id: best, generation: s.generation };
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
