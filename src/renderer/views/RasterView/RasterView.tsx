import { useMemo } from 'react';
import type { AmplitudesData } from '../../../shared/ipc/contract';
import { PlotCanvas, type PlotClick } from '../../plot/PlotCanvas';
import { PlotLines } from '../../plot/Geometry';
import { Axes } from '../../plot/Overlay';
import { VertexBuffer } from '../../plot/VertexBuffer';
import { useAppStore, useBackend, useSelectedClusters, visibleClusters } from '../../store';
import { ViewFrame, PLACEHOLDER } from '../ViewFrame';
import { useViewData } from '../useViewData';
import { useViewCommands } from '../useViewCommands';
import { colorSchemeCommands, colorSchemeLabel, colorSchemeWheel, useClusterColors, withSelection } from '../colorSchemes';
import { selectFromClick } from '../ClusterScatterView/ClusterScatterView';

const VIEW = 'RasterView';
/** Spikes drawn in total: the raster is an overview, ~300k ticks stay fluid in SwiftShader too. */
const TOTAL_SPIKES = 300_000;
const RASTER_COMMANDS = colorSchemeCommands(VIEW, 'raster');

/**
 * phy's RasterView: the spikes of every cluster over time, one row per cluster in the
 * ClusterView's order and filter (first row at the top); click / shift+click select; the
 * clusters that are not selected take the view's colour scheme (shift+wheel).
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

  const { state, data, error, generation: g } = useViewData<AmplitudesData>(
    (signal) =>
      !dataset || ids.length === 0
        ? null
        : backend.viewData.amplitudes({ clusterIds: ids, kind: 'template', nSpikes: Math.max(20, Math.floor(TOTAL_SPIKES / ids.length)), background: false }, signal),
    [backend, dataset, ids.join(','), generation],
  );

  const duration = dataset?.duration || 1;
  const plot = useMemo(() => {
    if (!data) return null;
    const n = ids.length;
    const rowOf = new Map<number, number>();
    ids.forEach((id, i) => rowOf.set(id, n - 1 - i));
    const total = data.clusters.reduce((a, c) => a + c.times.length, 0);
    const v = new VertexBuffer(total * 2);
    const colorOfTick = withSelection(colorOf, selected);
    for (const c of data.clusters) {
      const row = rowOf.get(c.clusterId);
      if (row === undefined) continue;
      const color = colorOfTick(c.clusterId);
      for (let i = 0; i < c.times.length; i++) v.segment(c.times[i], row + 0.2, c.times[i], row + 0.8, color);
    }
    return { ticks: v.finish(), n };
  }, [data, ids, selected, colorOf]);

  const onClick = (c: PlotClick) => {
    if (!plot || c.button !== 0) return;
    const i = plot.n - 1 - Math.floor(c.y);
    if (i >= 0 && i < ids.length) selectFromClick(ids[i], c.shiftKey);
  };

  return (
    <ViewFrame view={VIEW} viewId={viewId} state={state} generation={g} placeholder={!dataset || ids.length === 0 ? PLACEHOLDER.noClusters : null} error={error} status={`${ids.length} clusters, ClusterView order; colours: ${colorSchemeLabel(scheme)}`}>
      <PlotCanvas label="Raster" axes="xy" bounds={{ x0: 0, x1: duration, y0: 0, y1: Math.max(1, plot?.n ?? ids.length) }} onClick={onClick} onModifiedWheel={onWheel} overlay={<Axes x={{ title: 's', grid: false }} />}>
        {plot ? <PlotLines data={plot.ticks} /> : null}
      </PlotCanvas>
    </ViewFrame>
  );
}
