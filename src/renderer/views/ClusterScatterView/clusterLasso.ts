import type { ClusterInfo } from '../../../shared/ipc/contract';
import { pointInPolygon } from '../../plot/rect';
import { appStore } from '../../store/appStore';

/** Ids of the clusters whose (amp, depth) point lies inside `polygon` ((n, 2) world coordinates), in table order. */
export function clustersInLasso(clusters: readonly ClusterInfo[], polygon: ArrayLike<number>): number[] {
  if (polygon.length < 6) return [];
  return clusters.filter((c) => pointInPolygon(c.amp ?? 0, c.depth, polygon)).map((c) => c.id);
}

/** Selects the clusters of a lasso (replacing the selection); an empty lasso changes nothing. */
export function selectLasso(ids: readonly number[]): void {
  if (ids.length === 0) return;
  appStore.update((d) => void (d.selection = { clusterIds: [...ids], similarIds: [] }), { capture: 'none' });
}
