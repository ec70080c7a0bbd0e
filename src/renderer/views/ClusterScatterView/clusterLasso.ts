import type { ClusterInfo } from '../../../shared/ipc/contract';
import { clustersInPolygon } from '../clusterPoints';
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
  return clustersInPolygon(layout, polygon);
}
