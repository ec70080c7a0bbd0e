/**
 * Plots of one point per cluster (ClusterScatterView, MetricsView): the value ↔ plot mapping of
 * an axis (linear or log), the axis' ticks under it, the click hit-test and the lasso, so that
 * every such view places, picks and lassoes clusters the same way.
 */
import type { Rect } from '../plot/rect';
import { formatTick, pointInPolygon } from '../plot/rect';
import type { AxisSpec } from '../plot/Overlay';
import { selectClusters } from '../store/actions';

/** A value ↔ plot coordinate mapping of one axis. */
export interface AxisScale {
  log: boolean;
  forward(value: number): number;
  inverse(world: number): number;
}

/**
 * Linear, or log10 when `log`: of the value itself if every value is positive, else of
 * 1 + value − min (phy's shift, so that zeros and negatives stay on the plot). NaN values are
 * ignored when looking for the minimum.
 */
export function axisScale(values: ArrayLike<number>, log: boolean): AxisScale {
  if (!log) return { log, forward: (v) => v, inverse: (w) => w };
  let min = Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] < min) min = values[i];
  if (!Number.isFinite(min) || min > 0) return { log, forward: (v) => Math.log10(v), inverse: (w) => 10 ** w };
  return { log, forward: (v) => Math.log10(1 + v - min), inverse: (w) => 10 ** w - 1 + min };
}

/** An axis whose ticks show values (not log10 of them) under `scale`, with its title. */
export function scaledAxis(title: string, scale: AxisScale): AxisSpec {
  return scale.log ? { title, format: (w) => formatTick(Number(scale.inverse(w).toPrecision(3))) } : { title };
}

/** Clusters placed in plot coordinates. */
export interface ClusterPoints {
  /** Cluster ids, (n,). */
  ids: readonly number[];
  /** Plot coordinates (after the axes' scales), (n,). */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Home rectangle: the click radius is a fraction of its size. */
  bounds: Rect;
}

/** Hit radius of a click, as a fraction of the home rectangle's width and height. */
const CLICK_RADIUS = 0.04;

/** The cluster nearest to (x, y) in plot coordinates, or null when none is within the click radius. */
export function clusterAtPoint(points: ClusterPoints, x: number, y: number): number | null {
  const wx = points.bounds.x1 - points.bounds.x0 || 1;
  const wy = points.bounds.y1 - points.bounds.y0 || 1;
  let best = -1;
  let bestD = Infinity;
  for (let i = 0; i < points.ids.length; i++) {
    const d = Math.hypot((points.x[i] - x) / wx, (points.y[i] - y) / wy);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best >= 0 && bestD < CLICK_RADIUS ? points.ids[best] : null;
}

/** Ids of the clusters whose point lies inside `polygon` ((n, 2) plot coordinates, as drawn), in the points' order. */
export function clustersInPolygon(points: ClusterPoints, polygon: ArrayLike<number>): number[] {
  if (polygon.length < 6) return [];
  return points.ids.filter((_, i) => pointInPolygon(points.x[i], points.y[i], polygon));
}

/** Selects the clusters of a lasso (replacing the selection); an empty lasso changes nothing. */
export function selectLasso(ids: readonly number[]): void {
  if (ids.length === 0) return;
  selectClusters(ids);
}
