import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DriftData, DriftSpikesData } from '../../../shared/ipc/driftContract';
import { PlotCanvas, usePlot, type PlotClick } from '../../plot/PlotCanvas';
import type { PanZoom } from '../../plot/PanZoom';
import { PlotPoints } from '../../plot/Geometry';
import { PlotImage } from '../../plot/PlotImage';
import { Axes } from '../../plot/Overlay';
import type { Rect } from '../../plot/rect';
import { useAppStore, useBackend, useSelectedClusters } from '../../store';
import { selectFromClick } from '../../store/actions';
import { ViewFrame, PLACEHOLDER } from '../ViewFrame';
import { useViewData } from '../useViewData';
import { densityRgba, depthSourceLabel, drawnClusterAt, PICK_RADIUS_PX, selectedSpikePoints } from './driftLayout';

const VIEW = 'DriftView';
/** CSS pixels per bin of the density image: fine enough to see a unit's band move by a few µm. */
const PX_PER_BIN = 2;
/** The image is asked for again this long after the last pan or zoom (a drag asks once, at its end). */
const REBIN_DELAY_MS = 150;
/** Pixels within which a click on the density picks a spike (a little more than on drawn spikes: no marker to aim at). */
const DENSITY_PICK_PX = 10;

interface Visible {
  rect: Rect;
  width: number;
  height: number;
}

const bins = (px: number) => Math.max(8, Math.min(2048, Math.round(px / PX_PER_BIN)));
const rectOf = (e: { t0: number; t1: number; d0: number; d1: number }): Rect => ({ x0: e.t0, x1: e.t1, y0: e.d0, y1: e.d1 });
const sameRect = (a: Rect, b: Rect) => a.x0 === b.x0 && a.x1 === b.x1 && a.y0 === b.y0 && a.y1 === b.y1;

/** Reports the plot's visible rectangle and size (and its PanZoom) on every pan, zoom and resize. */
function ViewWatcher({ onChange }: { onChange: (pz: PanZoom) => void }) {
  const pz = usePlot();
  const version = pz.version;
  useEffect(() => onChange(pz), [pz, version, onChange]);
  return null;
}

/**
 * DriftView (Kilosort's and SpikeInterface's drift map): every spike's depth against time as a
 * density image of all clusters — spikes per bin on a log grey scale, binned in a worker at the
 * plot's resolution and binned again for the visible rectangle after a zoom — with the selected
 * clusters' spikes on top in their selection colours. A click on a drawn spike selects its
 * cluster; elsewhere on the density, the cluster with the most spikes within 10 px of the click
 * (the unit that makes that spot bright; `spikeOfDensestCluster`), nothing if no spike is that
 * near; shift adds to the selection.
 */
export default function DriftView({ viewId }: { viewId: string }) {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  const selected = useSelectedClusters();

  const panZoom = useRef<PanZoom | null>(null);
  const [visible, setVisible] = useState<Visible | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const reported = useRef(false);
  const onViewChange = useCallback((pz: PanZoom) => {
    panZoom.current = pz;
    window.clearTimeout(timer.current);
    // A hidden tab (display: none, measured as 1 px) asks for nothing: at 10 M spikes the depth
    // column and the image would cost the workers a second at open for a view nobody looks at.
    if (pz.width <= 1 || pz.height <= 1) return;
    const report = () => setVisible({ rect: pz.view, width: pz.width, height: pz.height });
    // The first image is asked for at once, at the plot's measured size; later ones after a pause.
    if (!reported.current) {
      reported.current = true;
      report();
    } else timer.current = window.setTimeout(report, REBIN_DELAY_MS);
  }, []);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const nTimeBins = bins(visible?.width ?? 0);
  const nDepthBins = bins(visible?.height ?? 0);
  // The whole recording (the plot's home), at the plot's size once it is known.
  const whole = useViewData<DriftData>(
    (signal) => (!dataset || !visible ? null : backend.viewData.drift({ nTimeBins, nDepthBins }, signal)),
    [backend, dataset, nTimeBins, nDepthBins, visible !== null],
  );
  const homeRect = whole.data ? rectOf(whole.data.home) : null;
  // After a zoom or pan: the visible rectangle binned again, drawn over the whole one.
  const zoomed = visible && homeRect && !sameRect(visible.rect, homeRect) ? visible.rect : null;
  const part = useViewData<DriftData>(
    (signal) => (!dataset || !zoomed ? null : backend.viewData.drift({ nTimeBins, nDepthBins, timeRange: [zoomed.x0, zoomed.x1], depthRange: [zoomed.y0, zoomed.y1] }, signal)),
    [backend, dataset, nTimeBins, nDepthBins, zoomed?.x0, zoomed?.x1, zoomed?.y0, zoomed?.y1],
  );
  const spikes = useViewData<DriftSpikesData>(
    (signal) => (!dataset || selected.length === 0 ? null : backend.viewData.driftSpikes({ clusterIds: selected }, signal)),
    [backend, dataset, selected.join(','), generation],
  );

  const image = (d: DriftData | null) => (d && d.counts.length === d.nTimeBins * d.nDepthBins ? { rgba: densityRgba(d.counts, d.maxCount), d } : null);
  const wholeImage = useMemo(() => image(whole.data), [whole.data]);
  const isZoomed = zoomed !== null;
  const partImage = useMemo(() => (isZoomed ? image(part.data) : null), [part.data, isZoomed]);
  const points = useMemo(() => (spikes.data && selected.length ? selectedSpikePoints(spikes.data) : null), [spikes.data, selected.length]);

  const onClick = async (c: PlotClick) => {
    const pz = panZoom.current;
    if (c.button !== 0 || !pz || !whole.data || whole.data.source === 'none') return;
    const v = pz.view;
    const secondsPerPixel = (v.x1 - v.x0) / pz.width;
    const umPerPixel = (v.y1 - v.y0) / pz.height;
    const drawn = spikes.data && selected.length ? drawnClusterAt(spikes.data, c.x, c.y, secondsPerPixel, umPerPixel) : null;
    if (drawn !== null) {
      selectFromClick(drawn, c.shiftKey);
      return;
    }
    try {
      const hit = await backend.viewData.driftPick({ time: c.x, depth: c.y, secondsPerPixel, umPerPixel, radiusPixels: Math.max(PICK_RADIUS_PX, DENSITY_PICK_PX) });
      if (hit.clusterId !== null) selectFromClick(hit.clusterId, c.shiftKey);
    } catch (e) {
      // A click that could not be resolved (the dataset closed meanwhile, a dropped call) selects nothing.
      console.warn('DriftView: click not resolved:', e instanceof Error ? e.message : e);
    }
  };

  const shown = part.data && zoomed ? part.data : whole.data;
  const source = whole.data?.source ?? null;
  const placeholder = !dataset ? PLACEHOLDER.noClusters : whole.data?.message ?? null;
  const status = !source
    ? ''
    : source === 'none'
      ? depthSourceLabel(source)
      : `${depthSourceLabel(source)} · ${shown ? `${shown.nSpikes.toLocaleString('en-US')} spikes in view` : ''} · click: the cluster of the drawn spike, else with the most spikes there (shift adds); drag pans, wheel zooms, shift+r resets`;
  return (
    <ViewFrame view={VIEW} viewId={viewId} state={dataset && !visible ? 'loading' : whole.state} generation={whole.generation} placeholder={placeholder} error={whole.error ?? part.error ?? spikes.error} status={status}>
      <PlotCanvas
        label="Drift map: spike depth against time"
        bounds={homeRect ?? { x0: 0, x1: dataset?.duration || 1, y0: 0, y1: 1 }}
        onClick={(c) => void onClick(c)}
        overlay={
          <>
            <ViewWatcher onChange={onViewChange} />
            <Axes x={{ title: 'time (s)' }} y={{ title: 'depth (µm)' }} />
          </>
        }
      >
        {wholeImage ? <PlotImage rgba={wholeImage.rgba} width={wholeImage.d.nTimeBins} height={wholeImage.d.nDepthBins} rect={rectOf(wholeImage.d)} renderOrder={0} /> : null}
        {partImage ? <PlotImage rgba={partImage.rgba} width={partImage.d.nTimeBins} height={partImage.d.nDepthBins} rect={rectOf(partImage.d)} renderOrder={1} /> : null}
        {points ? <PlotPoints data={points} size={3} renderOrder={2} /> : null}
      </PlotCanvas>
    </ViewFrame>
  );
}
