import type { ClusterInfo } from '../../../shared/ipc/contract';
import { pointInPolygon } from '../../plot/rect';
import { selectClusters } from '../../store/actions';
import { SCATTER_DEFAULTS, scatterLayout, type ScatterBindings, type ScatterLayout } from './scatterLayout';

/**
 * Ids of the clusters whose scatter point lies inside `polygon` ((n, 2) plot coordinates, as
 * drawn), in table order. Points are placed by the view's bindings (x/y columns, log scales).
 */
export function clustersInLasso(clusters: readonly ClusterInfo[], polygon: ArrayLike<number>, bindings: ScatterBindings = SCATTER_DEFAULTS): number[] {
  return layoutInLasso(scatterLayout(clusters, bindings), polygon);
}

/** Same as `clustersInLasso`, on an existing layout. */
export function layoutInLasso(layout: ScatterLayout, polygon: ArrayLike<number>): number[] {
  if (polygon.length < 6) return [];
  return layout.ids.filter((_, i) => pointInPolygon(layout.x[i], layout.y[i], polygon));
}

/** Selects the clusters of a lasso (replacing the selection); an empty lasso changes nothing. */
export function selectLasso(ids: readonly number[]): void {
  if (ids.length === 0) return;
  selectClusters(ids);
}
