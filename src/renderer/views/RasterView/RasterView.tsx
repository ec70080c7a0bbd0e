import { useEffect, useMemo, useRef, useState } from 'react';
import type { RasterData } from '../../../shared/ipc/contract';
import { PlotCanvas, type PlotClick } from '../../plot/PlotCanvas';
import { PlotLines } from '../../plot/Geometry';
import { Axes } from '../../plot/Overlay';
import { formatTick } from '../../plot/rect';
import { useAppStore, useBackend, useSelectedClusters, visibleClusters } from '../../store';
import { ViewFrame, PLACEHOLDER } from '../ViewFrame';
import { useViewData } from '../useViewData';
import { useViewCommands } from '../useViewCommands';
import { colorSchemeCommands, colorSchemeLabel, colorSchemeWheel, useClusterColors, withSelection } from '../colorSchemes';
import { selectFromClick } from '../../store/actions';
import { rasterBins, rasterLines } from './rasterLayout';

const VIEW = 'RasterView';
const RASTER_COMMANDS = colorSchemeCommands(VIEW, 'raster');

/**
 * phy's RasterView: the spikes of every cluster over time, one row per cluster in the
 * ClusterView's order and filter (first row at the top); click / shift+click select; the
 * clusters that are not selected take the view's colour scheme (shift+wheel). Every spike of
 * every cluster, binned by the backend to the plot's pixel width (`viewData.raster`).
 */
export default function RasterView({ viewId }: { viewId: string }) {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  const { clusters } = useAppStore(visibleClusters);
  const selected = useSelectedClusters();
  const ids = useMemo(() => clusters.map((c) => c.id), [clusters]);
  const { scheme, colorOf } = useClusterColors(VIEW, clusters, { alpha: 0.45, lightness: 0.55 });
  useViewCommands(RASTER_COMMANDS);
  const onWheel = useMemo(() => colorSchemeWheel(VIEW), []);

  const hostRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 1000, height: 400 });
  useEffect(() => {
    const el = hostRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ width: el.clientWidth * (window.devicePixelRatio || 1), height: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const nBins = rasterBins(size.width, ids.length);

  const { state, data, error, generation: g } = useViewData<RasterData>(
    (signal) => (!dataset || ids.length === 0 ? null : backend.viewData.raster({ clusterIds: ids, nBins }, signal)),
    [backend, dataset, ids.join(','), nBins, generation],
  );

  const duration = data?.duration || dataset?.duration || 1;
  const plot = useMemo(() => {
    // Rows are the request's ids: a result for an older list of clusters is not drawn.
    if (!data || data.counts.length !== ids.length * data.nBins) return null;
    const colorOfTick = withSelection(colorOf, selected);
    const rowPx = size.height / Math.max(1, ids.length);
    return { ticks: rasterLines(data.counts, data.nBins, data.duration, rowPx, (k) => colorOfTick(ids[k])), n: ids.length };
  }, [data, ids, selected, colorOf, size.height]);

  const onClick = (c: PlotClick) => {
    if (!plot || c.button !== 0) return;
    const i = plot.n - 1 - Math.floor(c.y);
    if (i >= 0 && i < ids.length) selectFromClick(ids[i], c.shiftKey);
  };

  return (
    <ViewFrame view={VIEW} viewId={viewId} state={state} generation={g} placeholder={!dataset || ids.length === 0 ? PLACEHOLDER.noClusters : null} error={error} status={`${ids.length} clusters, ClusterView order; colours: ${colorSchemeLabel(scheme)}`}>
      <div ref={hostRef} style={{ position: 'absolute', inset: 0 }}>
        <PlotCanvas label="Raster" axes="xy" bounds={{ x0: 0, x1: duration, y0: 0, y1: Math.max(1, plot?.n ?? ids.length) }} onClick={onClick} onModifiedWheel={onWheel} overlay={<Axes x={{ format: (v) => `${formatTick(v)} s`, grid: false }} />}>
          {plot ? <PlotLines data={plot.ticks} /> : null}
        </PlotCanvas>
      </div>
    </ViewFrame>
  );
}
