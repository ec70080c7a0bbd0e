import { useEffect, useMemo, useRef, useState } from 'react';
import type { TracesData } from '../../../shared/ipc/contract';
import { PlotCanvas } from '../../plot/PlotCanvas';
import { PlotLines } from '../../plot/Geometry';
import { Axes, PlotLabels } from '../../plot/Overlay';
import { useAppStore, useBackend, useSelectedClusters } from '../../store';
import { ViewFrame, ToolButton, PLACEHOLDER } from '../ViewFrame';
import { useViewData } from '../useViewData';
import { useViewSettings, patchViewSettings } from '../../store/viewSettings';
import { selectClusters, setTraceTime } from '../../store/actions';
import { useViewCommands } from '../useViewCommands';
import { TRACE_DEFAULTS } from '../traceSettings';
import { TRACE_COMMANDS } from './traceCommands';
import { buildTraceLines, buildTraceSpikes, sameSpikeLayer, type TraceSpikes } from './traceGeometry';

const VIEW = 'TraceView';

/** Width buckets (px) so that resizing by a few pixels does not refetch. */
const WIDTH_STEP = 200;
/** Height of the time axis under the traces, px (11 px labels + margins). */
const TIME_AXIS_PX = 20;

/**
 * phy's TraceView: a window of the (high-pass filtered) recording, all channels, spikes in their
 * cluster colours; alt+arrows page, alt+up/down gain, alt+pgup/pgdown previous/next spike of the
 * selection; alt+o puts the first channel at the top or bottom; ctrl+click a spike selects its cluster.
 */
export default function TraceView({ viewId }: { viewId: string }) {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  const filter = useAppStore((s) => s.rawFilter);
  const traceTime = useAppStore((s) => s.traceTime);
  const selected = useSelectedClusters();
  const [settings] = useViewSettings(VIEW, TRACE_DEFAULTS);
  useViewCommands(TRACE_COMMANDS);

  const hostRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(1000);
  const [height, setHeight] = useState(600);
  useEffect(() => {
    const el = hostRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      setWidth(Math.max(WIDTH_STEP, Math.ceil(el.clientWidth / WIDTH_STEP) * WIDTH_STEP));
      setHeight(el.clientHeight);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const hasRaw = !!dataset?.hasRaw;
  const t0 = traceTime;
  const t1 = traceTime + settings.window;
  const { state, data, error, generation: dataGeneration } = useViewData<TracesData>(
    (signal) => (!dataset || !hasRaw ? null : backend.viewData.traces({ t0, t1, filter, width: width * (window.devicePixelRatio || 1) }, signal)),
    [backend, dataset, hasRaw, t0, t1, filter, width, generation],
  );

  // Two layers: the traces follow the window and display settings only; the spikes' colours
  // follow the selection too, so a cluster switch rebuilds just the (small) spike layer.
  const lines = useMemo(
    () => (data && dataset ? buildTraceLines(data, dataset.channelIds, { gain: settings.gain, originTop: settings.originTop }) : null),
    [data, dataset, settings.gain, settings.originTop],
  );
  // A switch between clusters without spikes in this window draws the same layer: keep the
  // previous object so that nothing is re-uploaded or redrawn.
  const lastSpikeLayer = useRef<{ layer: TraceSpikes; scale: number; originTop: boolean } | null>(null);
  const spikeLayer = useMemo(() => {
    if (!data || !lines) return null;
    const next = buildTraceSpikes(data, selected, lines.scale, { allSpikes: settings.allSpikes, originTop: settings.originTop });
    const prev = lastSpikeLayer.current;
    return prev && prev.scale === lines.scale && prev.originTop === !!settings.originTop && sameSpikeLayer(prev.layer, next) ? prev.layer : next;
  }, [data, lines, selected, settings.allSpikes, settings.originTop]);
  lastSpikeLayer.current = spikeLayer && lines ? { layer: spikeLayer, scale: lines.scale, originTop: !!settings.originTop } : null;
  const geometry = lines && spikeLayer ? { ...lines, ...spikeLayer } : null;

  const span = data ? data.t1 - data.t0 : settings.window;
  const nRows = geometry?.nRows ?? dataset?.nChannels ?? 1;
  const dataT0 = data?.t0 ?? t0;
  // A strip of TIME_AXIS_PX under the bottom trace for the time labels (they were drawn over
  // it): rows + strip fill the height, so the strip is that many pixels in row units.
  const axisRows = (TIME_AXIS_PX * (nRows + 1)) / Math.max(1, height - TIME_AXIS_PX);
  // rawStatus reads "none (<code>): <why>" without raw data: show the why.
  const rawReason = dataset?.rawStatus.replace(/^none(?: \([^)]*\))?: /, '') ?? '';
  const placeholder = !dataset ? PLACEHOLDER.noClusters : !hasRaw ? (rawReason ? `No raw data — ${rawReason}` : PLACEHOLDER.noRaw) : null;
  const status = `[${dataT0.toFixed(3)} s – ${(dataT0 + span).toFixed(3)} s] ${filter ? 'high_pass' : 'raw'}${settings.gain !== 1 ? `, gain ×${settings.gain.toFixed(2)}` : ''}${data?.mode === 'envelope' ? ', min/max envelope' : ''}${data?.message ? ` — ${data.message}` : ''}`;

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
          <ToolButton label="◀" title="Go left (alt+left)" onClick={() => setTraceTime((s) => Math.max(0, s.traceTime - settings.window * 0.5))} />
          <ToolButton label="▶" title="Go right (alt+right)" onClick={() => setTraceTime((s) => Math.min(Math.max(0, (dataset?.duration ?? 0) - settings.window), s.traceTime + settings.window * 0.5))} />
          <ToolButton label="all spikes" title="All spikes / selected clusters only (alt+s)" active={settings.allSpikes} onClick={() => patchViewSettings(VIEW, { allSpikes: !settings.allSpikes })} />
        </>
      }
    >
      <div ref={hostRef} style={{ position: 'absolute', inset: 0 }}>
        <PlotCanvas
          label="Raw traces"
          axes="xy"
          bounds={{ x0: 0, x1: span, y0: -1 - axisRows, y1: nRows }}
          resetKey={`${dataT0}:${span}`}
          onClick={(c) => {
            if (!(c.ctrlKey || c.metaKey) || !geometry) return;
            let best = -1;
            let bestD = Infinity;
            for (let k = 0; k < geometry.spikeX.length; k++) {
              const dx = (geometry.spikeX[k] - c.x) / (span * 0.01);
              const dy = (geometry.spikeY[k] - c.y) / 2.5;
              const d = dx * dx + dy * dy;
              if (d < bestD && d < 1) {
                bestD = d;
                best = k;
              }
            }
            if (best < 0) return;
            const clusterId = geometry.spikeClusters[best];
            selectClusters([clusterId]);
          }}
          overlay={
            <>
              <Axes x={{ toValue: (w) => w + dataT0, toWorld: (v) => v - dataT0, format: (v) => `${Number.parseFloat(v.toFixed(4))}` }} />
              {geometry && settings.showLabels ? <PlotLabels labels={geometry.labels} /> : null}
            </>
          }
          dynamicLayer={geometry ? <PlotLines data={geometry.spikes} renderOrder={1} /> : null}
        >
          {geometry ? <PlotLines data={geometry.traces} renderOrder={0} /> : null}
        </PlotCanvas>
      </div>
    </ViewFrame>
  );
}
