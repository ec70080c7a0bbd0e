import { useMemo } from 'react';
import type { WaveformsData } from '../../../shared/ipc/contract';
import { PlotCanvas } from '../../plot/PlotCanvas';
import { PlotPoints } from '../../plot/Geometry';
import { PlotLabels, type PlotLabel } from '../../plot/Overlay';
import { extent, padRect } from '../../plot/rect';
import { VertexBuffer } from '../../plot/VertexBuffer';
import { useAppStore, useBackend, useSelectedClusters } from '../../store';
import type { Command } from '../../commands/Command';
import { ViewFrame, ToolButton, PLACEHOLDER } from '../ViewFrame';
import { useViewData } from '../useViewData';
import { useViewSettings, patchViewSettings, readViewSettings } from '../../store/viewSettings';
import { useViewCommands } from '../useViewCommands';
import { selectionRgba } from '../viewColors';

const VIEW = 'ProbeView';
/** phy highlights the best channels of up to 20 selected clusters. */
const MAX_CLUSTERS = 20;
const BEST_CHANNELS = 8;

export const PROBE_DEFAULTS = { showLabels: false };
export const PROBE_COMMANDS: Command[] = [
  { id: 'probe.toggleLabels', title: 'Toggle probe channel labels', view: VIEW, menu: 'View', section: 'Probe', perform: () => patchViewSettings(VIEW, { showLabels: !readViewSettings(VIEW, PROBE_DEFAULTS).showLabels }) },
];

/** The probe's channel layout, with the best channels of the selected clusters in their colours. */
export default function ProbeView({ viewId }: { viewId: string }) {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  const selected = useSelectedClusters().slice(0, MAX_CLUSTERS);
  const [settings] = useViewSettings(VIEW, PROBE_DEFAULTS);
  useViewCommands(PROBE_COMMANDS);

  const { state, data, error, generation: g } = useViewData<WaveformsData | { generation: number; clusters: [] }>(
    (signal) => (!dataset ? null : selected.length === 0 ? Promise.resolve({ generation, clusters: [] }) : backend.viewData.templates({ clusterIds: selected, nChannels: BEST_CHANNELS }, signal)),
    [backend, dataset, selected.join(','), generation],
  );

  const plot = useMemo(() => {
    if (!dataset) return null;
    const pos = dataset.channelPositions;
    const n = dataset.nChannels;
    const [x0, x1] = extent(pos, 2, 0);
    const [y0, y1] = extent(pos, 2, 1);
    const bounds = padRect({ x0, x1: Math.max(x1, x0 + 1), y0, y1: Math.max(y1, y0 + 1) }, 0.08, 0.04);
    const span = bounds.x1 - bounds.x0;
    const base = new VertexBuffer(n);
    for (let c = 0; c < n; c++) base.push(pos[2 * c], pos[2 * c + 1], [0.5, 0.5, 0.5, 1]);
    const hits = new VertexBuffer(64);
    const perChannel = new Map<number, number>();
    (data?.clusters ?? []).forEach((c, k) => {
      const color = selectionRgba(k, 1);
      for (const ch of c.channelIds) {
        const m = perChannel.get(ch) ?? 0;
        perChannel.set(ch, m + 1);
        // Several clusters on one channel sit side by side (phy's blue/red pairs).
        hits.push(pos[2 * ch] + m * span * 0.012, pos[2 * ch + 1], color);
      }
    });
    const labels: PlotLabel[] = [];
    for (let c = 0; c < n; c++) labels.push({ x: pos[2 * c], y: pos[2 * c + 1], text: String(dataset.channelIds[c]), dx: 8, color: '#bdbdbd', size: 10 });
    return { bounds, base: base.finish(), hits: hits.finish(), labels };
  }, [dataset, data]);

  return (
    <ViewFrame
      view={VIEW}
      viewId={viewId}
      state={state}
      generation={g}
      placeholder={!dataset ? PLACEHOLDER.noClusters : null}
      error={error}
      toolbar={<ToolButton label="labels" title="Channel labels" active={settings.showLabels} onClick={() => patchViewSettings(VIEW, { showLabels: !settings.showLabels })} />}
    >
      <PlotCanvas label="Probe layout" bounds={plot?.bounds ?? { x0: 0, x1: 1, y0: 0, y1: 1 }} overlay={plot && settings.showLabels ? <PlotLabels labels={plot.labels} /> : null}>
        {plot ? (
          <>
            <PlotPoints data={plot.base} size={7} renderOrder={0} />
            <PlotPoints data={plot.hits} size={11} renderOrder={1} />
          </>
        ) : null}
      </PlotCanvas>
    </ViewFrame>
  );
}
