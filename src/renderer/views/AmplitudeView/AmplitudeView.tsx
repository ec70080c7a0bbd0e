import { useCallback, useMemo, useState } from 'react';
import type { AmplitudeKind, AmplitudesData, ChannelFeature, ClusterAmplitudes } from '../../../shared/ipc/contract';
import { PlotCanvas } from '../../plot/PlotCanvas';
import { PlotPoints, PlotTriangles } from '../../plot/Geometry';
import { Axes } from '../../plot/Overlay';
import { GREY, type Rgba } from '../../plot/color';
import { quantileExtent } from '../../plot/rect';
import { VertexBuffer } from '../../plot/VertexBuffer';
import { appStore, useAppStore, useBackend, useSelectedClusters, useViewClusterIds } from '../../store';
import type { Command } from '../../store/Command';
import { ViewFrame, ToolButton, PLACEHOLDER } from '../ViewFrame';
import { useViewData } from '../useViewData';
import { useProposalNote } from '../proposalNote';
import { useViewSettings, patchViewSettings, readViewSettings } from '../../store/viewSettings';
import { setTraceTime } from '../../store/actions';
import { useViewCommands } from '../useViewCommands';
import { useLasso } from '../useLasso';
import { selectionRgba } from '../viewColors';
import { TRACE_DEFAULTS } from '../traceSettings';
import { AMPLITUDE_VIEW, amplitudeLassoDim, featureLabel, shownAmplitudeKind } from '../amplitudeFeature';
import { useRunCommand } from '../../commands/CommandsContext';

const VIEW = AMPLITUDE_VIEW;
const ALL_KINDS: AmplitudeKind[] = ['template', 'feature', 'raw'];

export interface AmplitudeSettings {
  kind: AmplitudeKind;
  /** Kinds the backend offered last time (for a/shift+a cycling). */
  available: AmplitudeKind[];
  markerSize: number;
  /** Channel and PC of the `feature` kind (FeatureView alt+click); null = best channel of the first cluster, PC A. */
  feature: ChannelFeature | null;
}

export const AMPLITUDE_DEFAULTS: AmplitudeSettings = { kind: 'template', available: ['template'], markerSize: 3, feature: null };
const get = () => readViewSettings(VIEW, AMPLITUDE_DEFAULTS);
const set = (p: Partial<AmplitudeSettings>) => patchViewSettings(VIEW, p);
const cycle = (dir: 1 | -1) => {
  const { kind, available } = get();
  const kinds = appStore.getState().dataset?.amplitudeKinds;
  const list = kinds?.length ? kinds : available.length ? available : ALL_KINDS;
  set({ kind: list[(list.indexOf(kind) + dir + list.length) % list.length] });
};

export const AMPLITUDE_COMMANDS: Command[] = [
  { id: 'amplitude.nextType', title: 'Next amplitude type (template, feature, raw)', keys: ['a'], view: VIEW, menu: 'View', section: 'Amplitudes', perform: () => cycle(1) },
  { id: 'amplitude.previousType', title: 'Previous amplitude type', keys: ['shift+a'], view: VIEW, menu: 'View', section: 'Amplitudes', perform: () => cycle(-1) },
];

/** Histogram (side panel) bins. */
const N_HIST_BINS = 80;

function histogram(set: ClusterAmplitudes, y0: number, y1: number): Float32Array {
  const h = new Float32Array(N_HIST_BINS);
  const k = N_HIST_BINS / (y1 - y0);
  for (let i = 0; i < set.amplitudes.length; i++) {
    const b = Math.floor((set.amplitudes[i] - y0) * k);
    if (b >= 0 && b < N_HIST_BINS) h[b]++;
  }
  return h;
}

/**
 * phy's AmplitudeView: spike amplitude against time for the selected clusters over grey
 * background spikes, a histogram of each cluster's amplitudes on the right, the TraceView window
 * as a yellow band; alt+click moves the TraceView there; ctrl+click draws a lasso for `k`.
 */
export default function AmplitudeView({ viewId }: { viewId: string }) {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  const traceTime = useAppStore((s) => s.traceTime);
  const traceWindow = useAppStore((s) => (s.viewSettings.TraceView?.window as number | undefined) ?? TRACE_DEFAULTS.window);
  // The selection, with a split proposal's parts in place of their cluster (viewClusterIds).
  const selected = useViewClusterIds();
  // A lasso splits real clusters (all their spikes), whatever parts are shown.
  const realSelected = useSelectedClusters();
  const [settings] = useViewSettings(VIEW, AMPLITUDE_DEFAULTS);
  useViewCommands(AMPLITUDE_COMMANDS);
  // A kind this dataset does not have (e.g. template amplitudes of a Kwik file) shows the first
  // one it has; the user's choice stays for datasets that have it.
  const kind = shownAmplitudeKind(settings.kind, dataset?.amplitudeKinds ?? ALL_KINDS);
  const featureKey = kind === 'feature' && settings.feature ? `${settings.feature.channelId}:${settings.feature.pc}` : '';

  const { state, data, error, generation: dataGeneration } = useViewData<AmplitudesData>(
    async (signal) => {
      if (selected.length === 0 || !dataset) return null;
      const feature = kind === 'feature' && settings.feature ? { feature: settings.feature } : {};
      const res = await backend.viewData.amplitudes({ clusterIds: selected, kind, ...feature }, signal);
      if (res.available.join() !== get().available.join()) set({ available: res.available });
      return res;
    },
    [backend, dataset, selected.join(','), kind, featureKey, generation],
  );

  const duration = dataset?.duration || 1;
  const plot = useMemo(() => {
    if (!data) return null;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (const s of [...data.clusters, ...(data.background ? [data.background] : [])]) {
      const [lo, hi] = quantileExtent(s.amplitudes, 0.001);
      if (Number.isFinite(lo)) {
        y0 = Math.min(y0, lo);
        y1 = Math.max(y1, hi);
      }
    }
    if (!Number.isFinite(y0)) {
      y0 = 0;
      y1 = 1;
    }
    y0 = Math.min(0, y0);
    y1 = y1 + (y1 - y0) * 0.08;
    const histX0 = duration * 1.02;
    const histW = duration * 0.2;

    const nPoints = data.clusters.reduce((a, c) => a + c.times.length, 0);
    const points = new VertexBuffer(Math.max(1, nPoints));
    const background = new VertexBuffer(Math.max(1, data.background?.times.length ?? 1));
    if (data.background) for (let i = 0; i < data.background.times.length; i++) background.push(data.background.times[i], data.background.amplitudes[i], GREY);
    data.clusters.forEach((c, k) => {
      const color = selectionRgba(k, 0.85);
      for (let i = 0; i < c.times.length; i++) points.push(c.times[i], c.amplitudes[i], color);
    });

    const hists = [...(data.background ? [{ set: data.background, color: [0.5, 0.5, 0.5, 0.55] as Rgba }] : []), ...data.clusters.map((c, k) => ({ set: c, color: selectionRgba(k, 0.5) }))].map((h) => ({ ...h, counts: histogram(h.set, y0, y1) }));
    let hmax = 1;
    for (const h of hists) for (const v of h.counts) hmax = Math.max(hmax, v);
    const bars = new VertexBuffer(hists.length * N_HIST_BINS * 6);
    const bh = (y1 - y0) / N_HIST_BINS;
    for (const h of hists)
      for (let b = 0; b < N_HIST_BINS; b++) {
        if (h.counts[b] === 0) continue;
        bars.rect(histX0, y0 + b * bh, histX0 + (h.counts[b] / hmax) * histW, y0 + (b + 1) * bh, h.color);
      }
    return { y0, y1, histX0, histW, points: points.finish(), background: background.finish(), bars: bars.finish() };
  }, [data, duration]);

  // The amplitude threshold (phy 2.2): the line follows an alt + right-drag; once proposed, the
  // proposal's threshold (its parts are then the clusters shown, below the line in the 2nd colour).
  const run = useRunCommand();
  const [dragY, setDragY] = useState<number | null>(null);
  const thresholdSpec = useAppStore((s) => {
    const spec = s.proposal.current?.spec;
    return spec?.kind === 'amplitudeThreshold' && realSelected.includes(spec.clusterId) ? spec : null;
  });
  const thresholdY = dragY ?? (thresholdSpec && thresholdSpec.amplitudeKind === kind ? thresholdSpec.threshold : null);
  const proposeThreshold = (y: number) => {
    if (!realSelected.length) return;
    const f = kind === 'feature' && data?.feature ? [String(data.feature.channelId), String(data.feature.pc)] : [];
    void run('cleanup.thresholdSplit', [String(Number(y.toPrecision(4))), kind, ...f]);
  };
  const thresholdLine = useMemo(() => {
    const v = new VertexBuffer(6);
    if (plot && thresholdY !== null) {
      const h = (plot.y1 - plot.y0) * 0.003;
      v.rect(0, thresholdY - h, plot.histX0 + plot.histW, thresholdY + h, [1, 0.55, 0.1, 0.95]);
    }
    return v.finish();
  }, [plot, thresholdY]);

  const band = useMemo(() => {
    const v = new VertexBuffer(6);
    if (plot) {
      // At least 0.4 % of the recording wide so the band stays visible on long recordings.
      const w = Math.max(traceWindow, duration * 0.004);
      const c = traceTime + traceWindow / 2;
      v.rect(c - w / 2, plot.y0, c + w / 2, plot.y1, [0.85, 0.8, 0.1, 0.35]);
    }
    return v.finish();
  }, [plot, traceTime, traceWindow, duration]);

  const resolve = useCallback(
    (points: Float32Array) => ({ x: { type: 'time' as const }, y: amplitudeLassoDim(data, kind), polygon: Float32Array.from(points) }),
    [data, kind],
  );
  const lasso = useLasso(VIEW, realSelected, resolve);

  const placeholder = !dataset ? PLACEHOLDER.noClusters : selected.length === 0 ? PLACEHOLDER.select : null;
  // "feature: ch 21, PC B" when chosen in FeatureView (alt+click), "…, best channel" by default.
  const shown = data?.feature ? `feature: ${featureLabel(data.feature, dataset?.channelIds)}${settings.feature ? '' : ', best channel'}` : (data?.kind ?? kind);
  const threshold = thresholdY === null ? '' : ` — threshold ${Number(thresholdY.toPrecision(4))}${dragY !== null ? ' (release to propose)' : ' (k splits)'}`;
  const proposalNote = useProposalNote(selected);
  const status = `${proposalNote ? `${proposalNote} — ` : ''}${shown}${data?.unit ? ` (${data.unit})` : ''}${lasso.points ? ` — lasso: ${lasso.points.length / 2} points (k splits)` : ''}${threshold}${data?.message ? ` — ${data.message}` : ''}`;

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
          {(data?.available ?? settings.available).map((k) => (
            <ToolButton key={k} label={k} title={`${k} amplitudes (a / shift+a cycle)`} active={(data?.kind ?? kind) === k} onClick={() => set({ kind: k })} />
          ))}
          {kind === 'feature' && settings.feature ? (
            <ToolButton label="best channel" title="Feature of the first cluster's best channel, PC A (alt+left/right click a FeatureView subplot chooses another)" onClick={() => set({ feature: null })} />
          ) : null}
          {lasso.points ? <ToolButton label="clear lasso" title="Clear the lasso (Escape, ctrl+right-click)" onClick={() => lasso.onChange(null)} /> : null}
        </>
      }
    >
      <PlotCanvas
        label="Amplitudes over time"
        axes="xy"
        bounds={plot ? { x0: -duration * 0.01, x1: plot.histX0 + plot.histW * 1.05, y0: plot.y0, y1: plot.y1 } : { x0: 0, x1: duration, y0: 0, y1: 1 }}
        lasso={lasso}
        onAltRightDrag={(y, done) => {
          if (!done) return setDragY(y);
          setDragY(null);
          proposeThreshold(y);
        }}
        onClick={(c) => {
          if (c.altKey && c.button === 2) return proposeThreshold(c.y);
          if (!c.altKey) return;
          const t = Math.max(0, Math.min(duration - traceWindow, c.x - traceWindow / 2));
          setTraceTime(t);
        }}
        onModifiedWheel={(e) => {
          if (!e.altKey) return false;
          set({ markerSize: Math.max(1, Math.min(10, get().markerSize * (e.deltaY < 0 ? 1.15 : 1 / 1.15))) });
          return true;
        }}
        overlay={<Axes x={{ range: [0, duration] }} y={{}} />}
      >
        {plot ? (
          <>
            <PlotTriangles data={band} renderOrder={0} />
            <PlotPoints data={plot.background} size={settings.markerSize} renderOrder={1} />
            <PlotPoints data={plot.points} size={settings.markerSize} renderOrder={2} />
            <PlotTriangles data={plot.bars} renderOrder={3} />
            <PlotTriangles data={thresholdLine} renderOrder={4} />
          </>
        ) : null}
      </PlotCanvas>
    </ViewFrame>
  );
}
