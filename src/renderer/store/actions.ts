/**
 * The writes views make to the store, as named actions: a view calls these and never
 * `appStore.update` itself, so every write to the app state lives in the store or the command
 * layer. None of them is undoable (`capture: 'none'`): selection, sort, filter, lasso and the
 * trace window are view state, not curation.
 */
import type { ReviewItem } from '../../shared/ipc/contract';
import type { AppState, LassoState, Selection } from './AppState';
import { appStore } from './appStore';

/**
 * Sets the selection — the one write of a whole selection, by views (through the helpers below)
 * and by commands (through SessionSync). `wizardNote` says what a wizard move skipped; any other
 * selection clears it.
 */
export function setSelection(sel: Selection, wizardNote: string | null = null, store: Pick<typeof appStore, 'update'> = appStore): void {
  store.update((d) => {
    d.selection = { clusterIds: [...sel.clusterIds], similarIds: [...sel.similarIds] };
    d.wizardNote = wizardNote ? { text: wizardNote, selection: { clusterIds: [...sel.clusterIds], similarIds: [...sel.similarIds] } } : null;
  }, { capture: 'none' });
}

/** Selects `ids` (in order), clearing the similar clusters. */
export function selectClusters(ids: readonly number[]): void {
  setSelection({ clusterIds: [...ids], similarIds: [] });
}

/**
 * A plot's click on a cluster (ClusterScatterView, RasterView, TemplateView): click replaces the
 * selection, shift+click adds to it. Here, in the store layer, so that views call it instead of
 * writing the store or importing each other.
 */
export function selectFromClick(clusterId: number, add: boolean): void {
  appStore.update(
    (d) => {
      if (add) {
        if (!d.selection.clusterIds.includes(clusterId)) d.selection.clusterIds.push(clusterId);
      } else d.selection = { clusterIds: [clusterId], similarIds: [] };
    },
    { capture: 'none' },
  );
}

/** Sets the similar clusters selected (SimilarityView rows). */
export function setSimilarSelection(ids: readonly number[]): void {
  appStore.update((d) => void (d.selection.similarIds = [...ids]), { capture: 'none' });
}

/** Sets ClusterView's filter expression. */
export function setFilterText(text: string): void {
  appStore.update((d) => void (d.filter.text = text), { capture: 'none' });
}

/** Sorts by `column`: the same column flips the direction; a new one starts ascending for id and group, else descending. */
export function toggleSort(column: string): void {
  appStore.update((d) => {
    if (d.sort.column === column) d.sort.direction = d.sort.direction === 'asc' ? 'desc' : 'asc';
    else d.sort = { column, direction: column === 'id' || column === 'group' ? 'asc' : 'desc' };
  }, { capture: 'none' });
}

/** Sets TraceView's window start (seconds); `next` may compute it from the state. */
export function setTraceTime(next: number | ((s: AppState) => number), store: Pick<typeof appStore, 'update'> = appStore): void {
  store.update((d) => void (d.traceTime = typeof next === 'number' ? next : next(d)), { capture: 'none' });
}

/** Clears the lasso if `viewType` drew it. */
export function clearLassoOf(viewType: string): void {
  const s = appStore.getState().lasso;
  if (s && s.viewType === viewType) appStore.update((d) => void (d.lasso = null), { capture: 'none' });
}

/** Stores `viewType`'s lasso, or with null removes it if it is that view's (another view's lasso stays). */
export function setLasso(viewType: string, lasso: Omit<LassoState, 'viewType'> | null): void {
  appStore.update((d) => {
    d.lasso = lasso ? { viewType, ...lasso } : d.lasso?.viewType === viewType ? null : d.lasso;
  }, { capture: 'none' });
}

/**
 * Goes to a review item (a SuggestionsView row, or the review keys): it becomes the current item
 * and its clusters the selection of every view — the first as the best cluster, the others as
 * similar ones (phy's pair colours: blue, red, …). An accepted item selects the cluster that holds
 * the merge; a stale one the proposed clusters that still exist.
 */
export function selectReviewItem(item: ReviewItem, store: Pick<typeof appStore, 'update' | 'getState'> = appStore): void {
  const exists = new Set(store.getState().clusters.map((c) => c.id));
  const ids = item.mergedInto !== null && exists.has(item.mergedInto) ? [item.mergedInto] : item.clusters.filter((c) => exists.has(c));
  store.update((d) => {
    d.review.current = item.id;
    if (ids.length) {
      d.selection = { clusterIds: [ids[0]], similarIds: ids.slice(1) };
      d.wizardNote = null;
    }
  }, { capture: 'none' });
}
