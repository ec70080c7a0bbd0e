/**
 * Derived state. `visibleClusters` is the ClusterView order (filter, then sort) that the wizard,
 * RasterView, TemplateView and ClusterScatterView follow, as in phy.
 */
import type { ClusterInfo } from '../../shared/ipc/contract';
import type { AppState } from './AppState';
import { reviewProgress as coreReviewProgress } from '../../core/session/wizard';
import { filterClusters, isMetricColumn, METRIC_COLUMNS, sortClusters } from './clusterColumns';
import { orderSimilar } from '../../core/session/Similarity';

/** Whether a filter expression mentions a metric column (a word of the text). */
function namesMetric(text: string): boolean {
  if (!text) return false;
  const words = new Set(text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
  return METRIC_COLUMNS.some((c) => words.has(c.name));
}

export interface VisibleClusters {
  clusters: ClusterInfo[];
  /** Filter error (the table then shows every cluster). */
  error: string | null;
}

/** Makes a memoised selector of the filtered+sorted cluster list (recomputed only when its inputs change). */
export function createVisibleClustersSelector(): (s: AppState) => VisibleClusters {
  let key: [ClusterInfo[], AppState['sort'], string, string[], AppState['quality']['rows'] | null] | null = null;
  let value: VisibleClusters = { clusters: [], error: null };
  return (s) => {
    // The metric rows matter only when the sort or the filter names a metric: new rows arrive
    // ~10 times a second while the background pass runs, and must not re-sort the table otherwise.
    const rows = isMetricColumn(s.sort.column) || namesMetric(s.filter.text) ? s.quality.rows : null;
    if (key && key[0] === s.clusters && key[1] === s.sort && key[2] === s.filter.text && key[3] === s.session.labelColumns && key[4] === rows) return value;
    const filtered = filterClusters(s.clusters, s.filter.text, s.session.labelColumns, s.quality.rows);
    value = { clusters: sortClusters(filtered.clusters, s.sort, s.quality.rows), error: filtered.error };
    key = [s.clusters, s.sort, s.filter.text, s.session.labelColumns, rows];
    return value;
  };
}

/** The ClusterView's rows in display order. */
export const visibleClusters = createVisibleClustersSelector();

/** Makes a memoised selector of the similar list in the wizard's order (`ui.similarOrder`). */
export function createOrderedSimilarSelector(): (s: AppState) => AppState['similar']['items'] {
  let key: [AppState['similar']['items'], AppState['ui']['similarOrder']] | null = null;
  let value: AppState['similar']['items'] = [];
  return (s) => {
    if (key && key[0] === s.similar.items && key[1] === s.ui.similarOrder) return value;
    value = orderSimilar(s.similar.items, s.ui.similarOrder);
    key = [s.similar.items, s.ui.similarOrder];
    return value;
  };
}

/** The similar clusters in the order the wizard walks them and SimilarityView lists them. */
export const orderedSimilar = createOrderedSimilarSelector();

/** Cluster by id (linear scan is fine: called per command, not per frame). */
export function clusterById(s: AppState, id: number): ClusterInfo | undefined {
  return s.clusters.find((c) => c.id === id);
}

/**
 * Clusters reviewed / total, for the status bar: the session's count (core `reviewProgress` over
 * `ClusterInfo.reviewed`, which is `Curation.isReviewed`), the same the start screen remembers.
 */
export function reviewProgress(s: AppState): { reviewed: number; total: number } {
  const reviewed = new Set(s.clusters.filter((c) => c.reviewed).map((c) => c.id));
  return coreReviewProgress(s.clusters.map((c) => c.id), (id) => reviewed.has(id));
}
