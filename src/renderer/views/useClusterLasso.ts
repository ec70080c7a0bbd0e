import { useCallback, useEffect, useRef, useState } from 'react';
import type { LassoProps } from '../plot/PlotCanvas';
import { selectLasso } from './clusterPoints';

/**
 * The lasso of a view that shows one point per cluster (ClusterScatterView, MetricsView): drawn
 * with ctrl+click, it selects the clusters inside (`inPolygon`, in plot coordinates) when ctrl is
 * released or on `commit()` (Enter). Unlike the spike lasso of `useLasso` (kept in the store for
 * `k`, the split), it never reaches the store: it is a way to select. A new `resetKey` (other
 * axes) clears it, since a polygon drawn in the old units means nothing any more.
 */
export function useClusterLasso(inPolygon: ((polygon: Float32Array) => number[]) | null, resetKey: string): { lasso: LassoProps; commit: () => boolean } {
  const [points, setPoints] = useState<Float32Array | null>(null);
  useEffect(() => setPoints(null), [resetKey]);
  const latest = useRef({ points, inPolygon });
  latest.current = { points, inPolygon };

  /** Selects what the lasso holds and clears it; false when there was no usable lasso. */
  const commit = useCallback((): boolean => {
    const { points: p, inPolygon: pick } = latest.current;
    if (!p || p.length < 6 || !pick) return false;
    selectLasso(pick(p));
    setPoints(null);
    return true;
  }, []);

  useEffect(() => {
    const onKeyUp = (e: KeyboardEvent) => {
      if (e.key === 'Control' || e.key === 'Meta') commit();
    };
    window.addEventListener('keyup', onKeyUp);
    return () => window.removeEventListener('keyup', onKeyUp);
  }, [commit]);

  return { lasso: { points, onChange: setPoints }, commit };
}
