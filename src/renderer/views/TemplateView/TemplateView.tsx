import { useMemo } from 'react';
import type { WaveformsData } from '../../../shared/ipc/contract';
import { PlotCanvas, usePlot, type PlotClick } from '../../plot/PlotCanvas';
import { PlotLines } from '../../plot/Geometry';
import { Axes } from '../../plot/Overlay';
import { VertexBuffer, type VertexData } from '../../plot/VertexBuffer';
import type { Rgba } from '../../plot/color';
import { useAppStore, useBackend, useSelectedClusters, visibleClusters } from '../../store';
import type { Command } from '../../store/Command';
import { ViewFrame, PLACEHOLDER } from '../ViewFrame';
import { useViewData } from '../useViewData';
import { useViewSettings, patchViewSettings, readViewSettings } from '../../store/viewSettings';
import { useViewCommands } from '../useViewCommands';
import { colorSchemeCommands, colorSchemeLabel, colorSchemeWheel, useClusterColors } from '../colorSchemes';
import { selectionRgba } from '../viewColors';
import { selectFromClick } from '../../store/actions';
import { labelledColumns, labelStride } from './templateLayout';

const VIEW = 'TemplateView';
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
 * The cluster ids under their columns, as many as fit without overlapping (every column once
 * zoomed in: the wheel zooms, drag pans), re-laid out on every pan/zoom.
 */
function ClusterIdAxis({ ids }: { ids: readonly number[] }) {
  const pz = usePlot();
  const v = pz.view;
  const first = Math.max(0, Math.floor(v.x0));
  const last = Math.min(ids.length, Math.ceil(v.x1));
  const stride = labelStride(ids, Math.max(1, v.x1 - v.x0), pz.width);
  return (
    <svg className="cluster-id-axis" data-label-stride={stride} width={pz.width} height={pz.height} style={{ position: 'absolute', inset: 0 }} aria-hidden="true">
      {labelledColumns(first, last, stride, ids.length).map((c) => ({ c, px: pz.toPixelX(c + 0.5), half: String(ids[c]).length * 3.5 }))
        // Not cut by the left edge, nor over the channel ticks at the right edge (≈30 px).
        .filter(({ px, half }) => px - half >= 0 && px + half <= pz.width - 30)
        .map(({ c, px }) => (
        <text key={c} x={px} y={pz.height - 6} textAnchor="middle" style={{ font: '11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fill: '#d0d0d0' }}>
          {ids[c]}
        </text>
      ))}
    </svg>
  );
}

/**
 * phy's TemplateView: every cluster's template on its best channels, x = cluster (ClusterView
 * order), y = channel; every cluster, however many (the ids under the columns thin out to what
 * fits; zoom in to see each); ctrl+click / click select, shift+click adds; shift+wheel cycles the
 * colour scheme of the clusters that are not selected. A dataset without templates (Kwik) says so.
 */
export default function TemplateView({ viewId }: { viewId: string }) {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  const { clusters } = useAppStore(visibleClusters);
  const selected = useSelectedClusters();
  const [settings] = useViewSettings(VIEW, TEMPLATE_DEFAULTS);
  useViewCommands(TEMPLATE_COMMANDS);
  const ids = useMemo(() => clusters.map((c) => c.id), [clusters]);
  const { scheme, colorOf } = useClusterColors(VIEW, clusters, { alpha: 0.9, lightness: 0.6 });
  const noTemplates = !!dataset && dataset.nTemplates === 0;
  const onWheel = useMemo(() => colorSchemeWheel(VIEW), []);

  const { state, data, error, generation: g } = useViewData<WaveformsData>(
    (signal) => (!dataset || ids.length === 0 || noTemplates ? null : backend.viewData.templates({ clusterIds: ids, nChannels: N_CHANNELS }, signal)),
    [backend, dataset, ids.join(','), noTemplates, generation],
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
      placeholder={!dataset || ids.length === 0 ? PLACEHOLDER.noClusters : noTemplates ? `This ${dataset.format === 'kwik' ? 'Kwik file' : 'dataset'} has no templates: TemplateView has nothing to show` : null}
      error={error}
      status={`${ids.length} clusters; x: cluster (ClusterView order; the wheel zooms x), y: channel; colours: ${colorSchemeLabel(scheme)}`}
    >
      <PlotCanvas
        label="Templates of every cluster"
        axes="x"
        bounds={{ x0: 0, x1: Math.max(1, ids.length), y0: -1, y1: nChannels }}
        onClick={onClick}
        onModifiedWheel={onWheel}
        overlay={
          <>
            <Axes y={{}} />
            <ClusterIdAxis ids={ids} />
          </>
        }
      >
        {base ? <PlotLines data={base} renderOrder={0} /> : null}
        {overlay ? <PlotLines data={overlay} renderOrder={1} /> : null}
      </PlotCanvas>
    </ViewFrame>
  );
}
