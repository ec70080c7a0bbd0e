import { useEffect, useMemo, useRef, useState } from 'react';
import { bestChannels } from '../../../core/compute/templates';
import type { WaveformsData } from '../../../shared/ipc/contract';
import { PlotCanvas } from '../../plot/PlotCanvas';
import { PlotPoints } from '../../plot/Geometry';
import { Axes, PlotLabels, type PlotLabel } from '../../plot/Overlay';
import { VertexBuffer } from '../../plot/VertexBuffer';
import { useAppStore, useBackend, useSelectedClusters } from '../../store';
import type { Command } from '../../store/Command';
import { ViewFrame, ToolButton, PLACEHOLDER } from '../ViewFrame';
import { useViewData } from '../useViewData';
import { useViewSettings, patchViewSettings, readViewSettings } from '../../store/viewSettings';
import { useViewCommands } from '../useViewCommands';
import { selectionRgba } from '../viewColors';
import { probeLayout } from './probeLayout';

const VIEW = 'ProbeView';
/** phy highlights the best channels of up to 20 selected clusters. */
const MAX_CLUSTERS = 20;
const BEST_CHANNELS = 8;

export const PROBE_DEFAULTS = { showLabels: false };
export const PROBE_COMMANDS: Command[] = [
  { id: 'probe.toggleLabels', title: 'Toggle probe channel labels', view: VIEW, menu: 'View', section: 'Probe', perform: () => patchViewSettings(VIEW, { showLabels: !readViewSettings(VIEW, PROBE_DEFAULTS).showLabels }) },
];

/**
 * The probe's channel layout at its true proportions (one µm as long on x as on y, depth axis in
 * µm), with the best channels of the selected clusters in their colours: from their templates,
 * or, for a dataset without templates (Kwik), the channels nearest each cluster's best channel.
 */
export default function ProbeView({ viewId }: { viewId: string }) {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  const selected = useSelectedClusters().slice(0, MAX_CLUSTERS);
  const [settings] = useViewSettings(VIEW, PROBE_DEFAULTS);
  useViewCommands(PROBE_COMMANDS);
  const clusters = useAppStore((s) => s.clusters);

  const hostRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 300, height: 300 });
  useEffect(() => {
    const el = hostRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ width: el.clientWidth, height: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const { state, data, error, generation: g } = useViewData<WaveformsData | { generation: number; clusters: [] }>(
    (signal) => (!dataset ? null : selected.length === 0 ? Promise.resolve({ generation, clusters: [] }) : backend.viewData.templates({ clusterIds: selected, nChannels: BEST_CHANNELS }, signal)),
    [backend, dataset, selected.join(','), generation],
  );

  // Each selected cluster's highlighted channels (indices): its template's best channels, or
  // around the best channel the cluster table knows when there is no template (Kwik).
  const channelsOf = useMemo(() => {
    if (!dataset) return [];
    const fromTemplates = new Map((data?.clusters ?? []).map((c) => [c.clusterId, c.channelIds] as const));
    return selected.map((id) => {
      const t = fromTemplates.get(id);
      if (t && t.length) return t;
      const label = clusters.find((c) => c.id === id)?.ch;
      const peak = label === undefined ? -1 : dataset.channelIds.indexOf(label);
      return bestChannels(peak, dataset.channelPositions, dataset.channelShanks, BEST_CHANNELS);
    });
  }, [dataset, data, selected.join(','), clusters]);

  const plot = useMemo(() => {
    if (!dataset) return null;
    const pos = dataset.channelPositions;
    const n = dataset.nChannels;
    const focus = channelsOf.flatMap((chs) => Array.from(chs.subarray(0, 1)));
    const layout = probeLayout(pos, n, focus, size.width, size.height);
    const base = new VertexBuffer(n);
    for (let c = 0; c < n; c++) base.push(pos[2 * c], pos[2 * c + 1], [0.5, 0.5, 0.5, 1]);
    const hits = new VertexBuffer(64);
    const perChannel = new Map<number, number>();
    channelsOf.forEach((chs, k) => {
      const color = selectionRgba(k, 1);
      for (const ch of chs) {
        const m = perChannel.get(ch) ?? 0;
        perChannel.set(ch, m + 1);
        // Several clusters on one channel sit side by side (phy's blue/red pairs).
        hits.push(pos[2 * ch] + m * layout.pitch * 0.3, pos[2 * ch + 1], color);
      }
    });
    const labels: PlotLabel[] = [];
    for (let c = 0; c < n; c++) labels.push({ x: pos[2 * c], y: pos[2 * c + 1], text: String(dataset.channelIds[c]), dx: 8, color: '#bdbdbd', size: 10 });
    return { layout, base: base.finish(), hits: hits.finish(), labels, focusKey: focus.join(',') };
  }, [dataset, channelsOf, size.width, size.height]);

  return (
    <ViewFrame
      view={VIEW}
      viewId={viewId}
      state={state}
      generation={g}
      placeholder={!dataset ? PLACEHOLDER.noClusters : null}
      error={error}
      status="y: depth (µm), x and y at one scale; wheel zooms, drag moves along the probe"
      toolbar={<ToolButton label="labels" title="Channel labels" active={settings.showLabels} onClick={() => patchViewSettings(VIEW, { showLabels: !settings.showLabels })} />}
    >
      <div ref={hostRef} style={{ position: 'absolute', inset: 0 }}>
        <PlotCanvas
          label="Probe layout"
          bounds={plot?.layout.bounds ?? { x0: 0, x1: 1, y0: 0, y1: 1 }}
          resetKey={plot?.focusKey}
          overlay={
            <>
              <Axes y={{ grid: false }} />
              {plot && settings.showLabels ? <PlotLabels labels={plot.labels} /> : null}
            </>
          }
        >
          {plot ? (
            <>
              <PlotPoints data={plot.base} size={plot.layout.sitePx} renderOrder={0} />
              <PlotPoints data={plot.hits} size={plot.layout.sitePx + 4} renderOrder={1} />
            </>
          ) : null}
        </PlotCanvas>
      </div>
    </ViewFrame>
  );
}
