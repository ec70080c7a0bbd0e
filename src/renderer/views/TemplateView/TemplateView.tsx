import { useMemo } from 'react';
import type { WaveformsData } from '../../../shared/ipc/contract';
import { PlotCanvas, type PlotClick } from '../../plot/PlotCanvas';
import { PlotLines } from '../../plot/Geometry';
import { Axes } from '../../plot/Overlay';
import { VertexBuffer, type VertexData } from '../../plot/VertexBuffer';
import type { Rgba } from '../../plot/color';
import { useAppStore, useBackend, useSelectedClusters, visibleClusters } from '../../store';
import type { Command } from '../../commands/Command';
import { ViewFrame, PLACEHOLDER } from '../ViewFrame';
import { useViewData } from '../useViewData';
import { useViewSettings, patchViewSettings, readViewSettings } from '../../store/viewSettings';
import { useViewCommands } from '../useViewCommands';
import { colorSchemeCommands, colorSchemeLabel, colorSchemeWheel, useClusterColors } from '../colorSchemes';
import { selectionRgba } from '../viewColors';
import { selectFromClick } from '../ClusterScatterView/ClusterScatterView';

const VIEW = 'TemplateView';
/** Templates drawn at once; beyond this the grid is unreadable anyway (filter the ClusterView). */
const MAX_CLUSTERS = 400;
const N_CHANNELS = 8;

export const TEMPLATE_DEFAULTS = { scale: 1 };
export const TEMPLATE_COMMANDS: Command[] = [
  { id: 'template.increase', title: 'Increase template amplitude', keys: ['ctrl+alt++'], view: VIEW, perform: () => patchViewSettings(VIEW, { scale: readViewSettings(VIEW, TEMPLATE_DEFAULTS).scale * 1.25 }) },
  { id: 'template.decrease', title: 'Decrease template amplitude', keys: ['ctrl+alt+-'], view: VIEW, perform: () => patchViewSettings(VIEW, { scale: readViewSettings(VIEW, TEMPLATE_DEFAULTS).scale / 1.25 }) },
  ...colorSchemeCommands(VIEW, 'template'),
];

/** Line segments of the templates of the clusters that `include` accepts, at their ClusterView column. */
function templateLines(
  data: WaveformsData,
  layout: { yScale: number; col: Map<number, number> },
  include: (clusterId: number) => boolean,
  colorOf: (clusterId: number) => Rgba,
): VertexData {
  const ns = data.nSamples;
  let n = 0;
  for (const c of data.clusters) if (layout.col.has(c.clusterId) && include(c.clusterId)) n += c.channelIds.length * (ns - 1) * 2;
  const v = new VertexBuffer(Math.max(1, n));
  for (const c of data.clusters) {
    const x0 = layout.col.get(c.clusterId);
    if (x0 === undefined || !include(c.clusterId)) continue;
    const color = colorOf(c.clusterId);
    const nCh = c.channelIds.length;
    const src = c.mean.length >= ns * nCh ? c.mean : c.data;
    for (let j = 0; j < nCh; j++) {
      const y = c.channelIds[j];
      for (let t = 1; t < ns; t++)
        v.segment(x0 + 0.1 + ((t - 1) / ns) * 0.8, y + src[(t - 1) * nCh + j] * layout.yScale, x0 + 0.1 + (t / ns) * 0.8, y + src[t * nCh + j] * layout.yScale, color);
    }
  }
  return v.finish();
}

/**
 * phy's TemplateView: every cluster's template on its best channels, x = cluster (ClusterView
 * order), y = channel; ctrl+click / click select, shift+click adds; shift+wheel cycles the colour
 * scheme of the clusters that are not selected.
 */
export default function TemplateView({ viewId }: { viewId: string }) {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  const { clusters } = useAppStore(visibleClusters);
  const selected = useSelectedClusters();
  const [settings] = useViewSettings(VIEW, TEMPLATE_DEFAULTS);
  useViewCommands(TEMPLATE_COMMANDS);
  const shown = useMemo(() => clusters.slice(0, MAX_CLUSTERS), [clusters]);
  const ids = useMemo(() => shown.map((c) => c.id), [shown]);
  const { scheme, colorOf } = useClusterColors(VIEW, shown, { alpha: 0.9, lightness: 0.6 });
  const onWheel = useMemo(() => colorSchemeWheel(VIEW), []);

  const { state, data, error, generation: g } = useViewData<WaveformsData>(
    (signal) => (!dataset || ids.length === 0 ? null : backend.viewData.templates({ clusterIds: ids, nChannels: N_CHANNELS }, signal)),
    [backend, dataset, ids.join(','), generation],
  );

  const nChannels = dataset?.nChannels ?? 1;
  // Two layers: every template in its colour-scheme colour (rebuilt only with new data or a new
  // scheme, never on a selection change), and the selected clusters' templates on top in their
  // selection colours (rebuilt on a switch).
  const layout = useMemo(() => {
    if (!data) return null;
    let vmax = 0;
    for (const c of data.clusters) for (let i = 0; i < c.mean.length; i++) vmax = Math.max(vmax, Math.abs(c.mean[i]));
    const col = new Map<number, number>();
    ids.forEach((id, i) => col.set(id, i));
    return { yScale: (0.9 * settings.scale) / (vmax || 1), col };
  }, [data, ids, settings.scale]);
  const base = useMemo(() => (data && layout ? templateLines(data, layout, () => true, colorOf) : null), [data, layout, colorOf]);
  const overlay = useMemo(
    () => (data && layout ? templateLines(data, layout, (id) => selected.includes(id), (id) => selectionRgba(selected.indexOf(id))) : null),
    [data, layout, selected],
  );

  const onClick = (c: PlotClick) => {
    if (c.button !== 0) return;
    const i = Math.floor(c.x);
    if (i >= 0 && i < ids.length) selectFromClick(ids[i], c.shiftKey);
  };

  return (
    <ViewFrame
      view={VIEW}
      viewId={viewId}
      state={state}
      generation={g}
      placeholder={!dataset || ids.length === 0 ? PLACEHOLDER.noClusters : null}
      error={error}
      status={`${ids.length} clusters${clusters.length > MAX_CLUSTERS ? ` (first ${MAX_CLUSTERS})` : ''}; x: cluster (ClusterView order), y: channel; colours: ${colorSchemeLabel(scheme)}`}
    >
      <PlotCanvas
        label="Templates of every cluster"
        bounds={{ x0: 0, x1: Math.max(1, ids.length), y0: -1, y1: nChannels }}
        onClick={onClick}
        onModifiedWheel={onWheel}
        overlay={<Axes x={{ format: (v) => String(ids[Math.round(v)] ?? ''), count: Math.min(12, ids.length) }} y={{}} />}
      >
        {base ? <PlotLines data={base} renderOrder={0} /> : null}
        {overlay ? <PlotLines data={overlay} renderOrder={1} /> : null}
      </PlotCanvas>
    </ViewFrame>
  );
}
