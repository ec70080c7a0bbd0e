import { useCallback, useEffect, useState } from 'react';
import type { SpikeDim } from '../../shared/ipc/contract';
import { useAppStore } from '../store';
import { clearLassoOf, setLasso } from '../store/actions';
import type { LassoProps } from '../plot/PlotCanvas';

/** Converts a world polygon to data coordinates and names its dimensions; null when the lasso cannot be used (e.g. it crosses subplots). */
export type LassoResolver = (worldPoints: Float32Array) => { x: SpikeDim; y: SpikeDim; polygon: Float32Array } | null;

/**
 * The lasso of a spike scatter view: the polygon drawn in this view (world coordinates), kept
 * in the store in data coordinates once it has 3 points so that `k` (split) can use it. A split,
 * a new selection or a lasso drawn in another view clears it here.
 */
export function useLasso(viewType: string, clusterIds: readonly number[], resolve: LassoResolver): LassoProps {
  const [points, setPoints] = useState<Float32Array | null>(null);
  const stored = useAppStore((s) => s.lasso);
  const key = clusterIds.join(',');

  useEffect(() => {
    if (points && points.length >= 6 && (!stored || stored.viewType !== viewType)) setPoints(null);
    // Only the store's lasso decides: a local 1–2 point lasso is not stored yet.
  }, [stored]);

  useEffect(() => {
    setPoints(null);
    clearLassoOf(viewType);
  }, [key, viewType]);

  const onChange = useCallback(
    (next: Float32Array | null) => {
      setPoints(next);
      const resolved = next && next.length >= 6 ? resolve(next) : null;
      setLasso(viewType, resolved ? { clusterIds: [...clusterIds], x: resolved.x, y: resolved.y, polygon: resolved.polygon } : null);
    },
    [viewType, clusterIds, resolve],
  );

  return { points, onChange };
}
