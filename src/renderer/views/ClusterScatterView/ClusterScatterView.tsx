import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ClusterInfo } from '../../../shared/ipc/contract';
import { PlotCanvas, type PlotClick } from '../../plot/PlotCanvas';
import { PlotPoints } from '../../plot/Geometry';
import { Axes } from '../../plot/Overlay';
import { padRect } from '../../plot/rect';
import { clustersInLasso, selectLasso } from './clusterLasso';
import { VertexBuffer } from '../../plot/VertexBuffer';
import { appStore, useAppStore, useSelectedClusters, visibleClusters } from '../../store';
import { ViewFrame, PLACEHOLDER } from '../ViewFrame';
import { clusterRgba } from '../viewColors';
import { useViewCommands } from '../useViewCommands';
import type { Command } from '../../commands/Command';

const VIEW = 'ClusterScatterView';

/** Marker diameter (CSS px) from the firing rate (log scale, as in phy). */
const markerSize = (fr: number) => 4 + 4.5 * Math.log1p(Math.max(0, fr));

/** Selects a cluster from the scatter: click replaces the selection, shift+click adds to it. */
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

/**
 * phy's ClusterScatterView: every (filtered) cluster at x = amplitude, y = depth, marker size =
 * firing rate; selected clusters in their colours and on top. Click selects, shift+click adds;
 * ctrl+click draws a lasso, and Enter (or releasing ctrl) selects every cluster inside it.
 */
export default function ClusterScatterView({ viewId }: { viewId: string }) {
  const { clusters } = useAppStore(visibleClusters);
  const generation = useAppStore((s) => s.generation);
  const selected = useSelectedClusters();
  const [lassoPoints, setLassoPoints] = useState<Float32Array | null>(null);
  const lassoRef = useRef<Float32Array | null>(null);
  lassoRef.current = lassoPoints;
  const clustersRef = useRef(clusters);
  clustersRef.current = clusters;

  /** Selects what the lasso holds and clears it; false when there was no usable lasso. */
  const commitLasso = useCallback((): boolean => {
    const points = lassoRef.current;
    if (!points || points.length < 6) return false;
    selectLasso(clustersInLasso(clustersRef.current, points));
    setLassoPoints(null);
    return true;
  }, []);

  useEffect(() => {
    const onKeyUp = (e: KeyboardEvent) => {
      if (e.key === 'Control' || e.key === 'Meta') commitLasso();
    };
    window.addEventListener('keyup', onKeyUp);
    return () => window.removeEventListener('keyup', onKeyUp);
  }, [commitLasso]);

  const commands = useMemo<Command[]>(
    () => [{ id: 'clusterScatter.selectLasso', title: 'Select the clusters in the lasso', keys: ['enter'], view: VIEW, focusOnly: true, perform: () => void commitLasso() }],
    [commitLasso],
  );
  useViewCommands(commands);

  const plot = useMemo(() => {
    if (clusters.length === 0) return null;
    const amp = (c: ClusterInfo) => c.amp ?? 0;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const c of clusters) {
      x0 = Math.min(x0, amp(c));
      x1 = Math.max(x1, amp(c));
      y0 = Math.min(y0, c.depth);
      y1 = Math.max(y1, c.depth);
    }
    const v = new VertexBuffer(clusters.length, true);
    const order = [...clusters].sort((a, b) => selected.indexOf(a.id) - selected.indexOf(b.id));
    for (const c of order) {
      const isSel = selected.includes(c.id);
      v.push(amp(c), c.depth, clusterRgba(c.id, selected, isSel ? 1 : 0.75, 0.5), markerSize(c.fr) + (isSel ? 3 : 0));
    }
    return { points: v.finish(), bounds: padRect({ x0, x1: Math.max(x1, x0 + 1), y0, y1: Math.max(y1, y0 + 1) }, 0.06, 0.06) };
  }, [clusters, selected]);

  const onClick = (c: PlotClick) => {
    if (c.button !== 0 || !plot) return;
    // Nearest cluster within its marker radius, in pixels.
    const [wx, wy] = [(plot.bounds.x1 - plot.bounds.x0) / 1, (plot.bounds.y1 - plot.bounds.y0) / 1];
    let best: ClusterInfo | null = null;
    let bestD = Infinity;
    for (const k of clusters) {
      const d = Math.hypot(((k.amp ?? 0) - c.x) / wx, (k.depth - c.y) / wy);
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    if (best && bestD < 0.04) selectFromClick(best.id, c.shiftKey);
  };

  return (
    <ViewFrame
      view={VIEW}
      viewId={viewId}
      state={plot ? 'ready' : 'empty'}
      generation={generation}
      placeholder={plot ? null : PLACEHOLDER.noClusters}
      status={`x: amp, y: depth, size: fr${lassoPoints ? ` — lasso: ${lassoPoints.length / 2} points (Enter or release ctrl selects)` : ''}`}
    >
      <PlotCanvas
        label="Cluster scatter"
        bounds={plot?.bounds ?? { x0: 0, x1: 1, y0: 0, y1: 1 }}
        onClick={onClick}
        lasso={{ points: lassoPoints, onChange: setLassoPoints }}
        overlay={<Axes x={{ title: 'amp' }} y={{ title: 'depth' }} />}>
        {plot ? <PlotPoints data={plot.points} /> : null}
      </PlotCanvas>
    </ViewFrame>
  );
}
