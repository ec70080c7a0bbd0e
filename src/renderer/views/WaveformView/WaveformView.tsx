import { useMemo } from 'react';
import type { WaveformKind, WaveformsData } from '../../../shared/ipc/contract';
import { PlotCanvas, usePlot } from '../../plot/PlotCanvas';
import { PlotLines } from '../../plot/Geometry';
import { PlotLabels } from '../../plot/Overlay';
import { useAppStore, useBackend, useViewClusterIds } from '../../store';
import { ViewFrame, ToolButton, PLACEHOLDER } from '../ViewFrame';
import { useViewData } from '../useViewData';
import { useProposalNote } from '../proposalNote';
import { useViewSettings, patchViewSettings, readViewSettings } from '../../store/viewSettings';
import { useViewCommands } from '../useViewCommands';
import type { Command } from '../../store/Command';
import { buildWaveformLines, layoutWaveforms, waveformChannelAt, type WaveformDisplay, type WaveformLayout } from './waveformLayout';
import { setFeatureChannel } from '../featureChannels';
import type { PlotClick } from '../../plot/PlotCanvas';

const VIEW = 'WaveformView';
const KINDS: WaveformKind[] = ['waveforms', 'mean', 'templates'];

export interface WaveformSettings {
  kind: WaveformKind;
  overlap: boolean;
  showLabels: boolean;
  ampScale: number;
  widthScale: number;
  nSpikes: number;
}

export const WAVEFORM_DEFAULTS: WaveformSettings = { kind: 'waveforms', overlap: false, showLabels: true, ampScale: 1, widthScale: 1, nSpikes: 100 };

const get = () => readViewSettings(VIEW, WAVEFORM_DEFAULTS);
const set = (p: Partial<WaveformSettings>) => patchViewSettings(VIEW, p);
const cycle = (dir: 1 | -1) => set({ kind: KINDS[(KINDS.indexOf(get().kind) + dir + KINDS.length) % KINDS.length] });

/** phy's WaveformView shortcuts. */
export const WAVEFORM_COMMANDS: Command[] = [
  { id: 'waveform.nextType', title: 'Next waveform type (waveforms, mean, templates)', keys: ['w'], view: VIEW, menu: 'View', section: 'Waveforms', perform: () => cycle(1) },
  { id: 'waveform.previousType', title: 'Previous waveform type', keys: ['shift+w'], view: VIEW, menu: 'View', section: 'Waveforms', perform: () => cycle(-1) },
  { id: 'waveform.toggleMean', title: 'Toggle mean waveforms', keys: ['m'], view: VIEW, menu: 'View', section: 'Waveforms', perform: () => set({ kind: get().kind === 'mean' ? 'waveforms' : 'mean' }) },
  { id: 'waveform.toggleOverlap', title: 'Toggle waveform overlap', keys: ['o'], view: VIEW, menu: 'View', section: 'Waveforms', perform: () => set({ overlap: !get().overlap }) },
  { id: 'waveform.toggleLabels', title: 'Toggle channel labels', keys: ['ctrl+l'], view: VIEW, menu: 'View', section: 'Waveforms', perform: () => set({ showLabels: !get().showLabels }) },
  { id: 'waveform.increase', title: 'Increase waveform amplitude', keys: ['ctrl+up'], view: VIEW, perform: () => set({ ampScale: get().ampScale * 1.25 }) },
  { id: 'waveform.decrease', title: 'Decrease waveform amplitude', keys: ['ctrl+down'], view: VIEW, perform: () => set({ ampScale: get().ampScale / 1.25 }) },
  { id: 'waveform.widen', title: 'Widen waveforms', keys: ['ctrl+right'], view: VIEW, perform: () => set({ widthScale: Math.min(3, get().widthScale * 1.15) }) },
  { id: 'waveform.narrow', title: 'Narrow waveforms', keys: ['ctrl+left'], view: VIEW, perform: () => set({ widthScale: Math.max(0.2, get().widthScale / 1.15) }) },
  {
    id: 'waveform.nSpikes',
    title: 'Waveforms per cluster',
    snippets: ['wn'],
    snippetArgs: '<n>',
    view: VIEW,
    perform: (_ctx, args) => {
      const n = Number.parseInt(args[0] ?? '', 10);
      if (Number.isFinite(n) && n > 0) set({ nSpikes: Math.min(2000, n) });
    },
  },
];

/**
 * Waveforms, mean waveforms or templates of the selected clusters on the probe geometry, one
 * colour per selected cluster (phy's WaveformView). ctrl+click on a channel box shows that
 * channel as FeatureView's 1st channel, ctrl+right-click as its 2nd.
 */
export default function WaveformView({ viewId }: { viewId: string }) {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  const filter = useAppStore((s) => s.rawFilter);
  // The selection, with a split proposal's parts in place of their cluster (viewClusterIds).
  const selected = useViewClusterIds();
  const [settings] = useViewSettings(VIEW, WAVEFORM_DEFAULTS);
  useViewCommands(WAVEFORM_COMMANDS);

  const { state, data, error, generation: dataGeneration } = useViewData<WaveformsData>(
    (signal) =>
      selected.length === 0 || !dataset
        ? null
        : backend.viewData.waveforms({ clusterIds: selected, kind: settings.kind, filter, nSpikes: settings.nSpikes }, signal),
    [backend, dataset, selected.join(','), settings.kind, settings.nSpikes, filter, generation],
  );

  const display = useMemo<WaveformDisplay | null>(
    () => (data ? { overlap: settings.overlap, ampScale: settings.ampScale, widthScale: settings.widthScale, showMean: data.kind === 'waveforms' } : null),
    [data, settings.overlap, settings.ampScale, settings.widthScale],
  );
  const geometry = useMemo(() => (data && dataset && display ? layoutWaveforms(data, dataset.channelPositions, dataset.channelIds, display) : null), [data, dataset, display]);

  const onClick = (c: PlotClick) => {
    if (!(c.ctrlKey || c.metaKey) || !geometry || !data || (c.button !== 0 && c.button !== 2)) return;
    const ch = waveformChannelAt(geometry.boxes, c.x, c.y);
    if (ch === null) return;
    // The channels FeatureView shows by default: the best two of the first selected cluster.
    const best = data.clusters[0]?.channelIds ?? [];
    const fallback: [number, number] = [best[0] ?? ch, best[1] ?? best[0] ?? ch];
    setFeatureChannel(ch, c.button === 0 ? 0 : 1, fallback);
  };

  // Nothing to draw and the backend says why (e.g. a Kwik file without its raw data): say it.
  const nothing = data && data.clusters.length === 0 && data.message ? data.message : null;
  const placeholder = !dataset ? PLACEHOLDER.noClusters : selected.length === 0 ? PLACEHOLDER.select : nothing;
  // With nothing drawn the placeholder says why: the status names only the kind (it claimed
  // "(from templates)" for a Kwik file, which has none, then was cut).
  const proposalNote = useProposalNote(selected);
  const status = data && !nothing ? `${proposalNote ? `${proposalNote} — ` : ''}${data.kind}${data.source === 'raw' ? (filter ? ' high_pass' : ' raw') : ' (from templates)'}${data.message ? ` — ${data.message}` : ''}` : settings.kind;

  return (
    <ViewFrame
      view={VIEW}
      viewId={viewId}
      state={state}
      generation={dataGeneration}
      placeholder={placeholder}
      error={error}
      status={status}
      toolbar={
        <>
          {KINDS.map((k) => (
            <ToolButton key={k} label={k} title={`Show ${k} (w / shift+w cycle)`} active={settings.kind === k} onClick={() => set({ kind: k })} />
          ))}
          <ToolButton label="overlap" title="Overlap clusters (o)" active={settings.overlap} onClick={() => set({ overlap: !settings.overlap })} />
          <ToolButton label="labels" title="Channel labels (ctrl+l)" active={settings.showLabels} onClick={() => set({ showLabels: !settings.showLabels })} />
        </>
      }
    >
      <PlotCanvas
        label="Waveforms on the probe geometry"
        bounds={geometry?.bounds ?? { x0: 0, x1: 1, y0: 0, y1: 1 }}
        onClick={onClick}
        overlay={geometry && settings.showLabels ? <PlotLabels labels={geometry.labels} /> : null}
      >
        {geometry ? (
          <>
            <PlotLines data={geometry.guides} renderOrder={0} />
            {data && display ? <WaveformLines data={data} layout={geometry} display={display} /> : null}
          </>
        ) : null}
      </PlotCanvas>
    </ViewFrame>
  );
}

/**
 * The waveform lines, decimated to the pixels the plot shows them on (see
 * `buildWaveformLines`): rebuilt when the zoom or the canvas width changes the device pixels per
 * world unit by more than a half octave, not on every pan.
 */
function WaveformLines({ data, layout, display }: { data: WaveformsData; layout: WaveformLayout; display: WaveformDisplay }) {
  const pz = usePlot();
  const view = pz.view;
  const measured = pz.width > 1;
  const ppu = (pz.width * (globalThis.devicePixelRatio || 1)) / Math.max(1e-9, view.x1 - view.x0);
  // Rounded up to a half octave: never coarser than the pixels, and stable while panning.
  const ppuStep = 2 ** (Math.ceil(Math.log2(Math.max(1e-9, ppu)) * 2) / 2);
  const lines = useMemo(() => (measured ? buildWaveformLines(data, layout, display, ppuStep) : null), [data, layout, display, ppuStep, measured]);
  // Before the canvas is measured there are no pixels to decimate to: nothing is drawn yet.
  if (!lines) return null;
  return (
    <>
      <PlotLines data={lines.lines} renderOrder={1} />
      <PlotLines data={lines.meanLines} renderOrder={2} />
    </>
  );
}
