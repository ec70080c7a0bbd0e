import { useCallback, useMemo } from 'react';
import type { SpikeAttributeData, SpikeDim } from '../../../shared/ipc/contract';
import { PlotCanvas } from '../../plot/PlotCanvas';
import { PlotPoints } from '../../plot/Geometry';
import { Axes } from '../../plot/Overlay';
import { padRect, quantileExtent } from '../../plot/rect';
import { VertexBuffer } from '../../plot/VertexBuffer';
import { useAppStore, useBackend, useSelectedClusters, useViewClusterIds } from '../../store';
import { ViewFrame, PLACEHOLDER } from '../ViewFrame';
import { useViewData } from '../useViewData';
import { useViewSettings } from '../../store/viewSettings';
import { useLasso } from '../useLasso';
import { selectionRgba } from '../viewColors';

const VIEW = 'SpikeAttributeView';

/** The attribute a view instance shows: from its id (`SpikeAttributeView:positions`), else the chosen one. */
export function attributeFromViewId(viewId: string): string | null {
  const i = viewId.indexOf(':');
  return i >= 0 ? viewId.slice(i + 1) : null;
}

/**
 * phy's automatic view for a per-spike attribute file (`spike_<name>.npy`): 1-D values against
 * time, 2-D values as an (x, y) scatter (e.g. KS4 spike positions); lasso then `k` splits.
 */
export default function SpikeAttributeView({ viewId }: { viewId: string }) {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  // The selection, with a split proposal's parts in place of their cluster (viewClusterIds).
  const selected = useViewClusterIds();
  // A lasso splits real clusters (all their spikes), whatever parts are shown.
  const realSelected = useSelectedClusters();
  const [settings, setSettings] = useViewSettings(`${VIEW}:${viewId}`, { name: '' });
  const names = dataset?.spikeAttributes ?? [];
  const name = attributeFromViewId(viewId) ?? (names.includes(settings.name) ? settings.name : names[0] ?? null);

  const { state, data, error, generation: g } = useViewData<SpikeAttributeData>(
    (signal) => (!dataset || !name || selected.length === 0 ? null : backend.viewData.spikeAttribute({ name, clusterIds: selected }, signal)),
    [backend, dataset, name, selected.join(','), generation],
  );

  const duration = dataset?.duration || 1;
  const plot = useMemo(() => {
    if (!data) return null;
    const nc = data.nColumns;
    const twoD = nc >= 2;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const c of data.clusters) {
      const [lo, hi] = twoD ? quantileExtent(c.values, 0.002, nc, 0) : [0, duration];
      const [ylo, yhi] = quantileExtent(c.values, 0.002, nc, twoD ? 1 : 0);
      x0 = Math.min(x0, lo);
      x1 = Math.max(x1, hi);
      y0 = Math.min(y0, ylo);
      y1 = Math.max(y1, yhi);
    }
    const total = data.clusters.reduce((a, c) => a + c.times.length, 0);
    const v = new VertexBuffer(Math.max(1, total));
    data.clusters.forEach((c, k) => {
      const color = selectionRgba(k, 0.8);
      for (let i = 0; i < c.times.length; i++) v.push(twoD ? c.values[i * nc] : c.times[i], twoD ? c.values[i * nc + 1] : c.values[i * nc], color);
    });
    const ok = Number.isFinite(x0) && Number.isFinite(y0);
    return { points: v.finish(), twoD, bounds: ok ? padRect({ x0, x1: Math.max(x1, x0 + 1e-9), y0, y1: Math.max(y1, y0 + 1e-9) }, 0.05) : { x0: 0, x1: 1, y0: 0, y1: 1 } };
  }, [data, duration]);

  const resolve = useCallback(
    (points: Float32Array) => {
      if (!name || !plot) return null;
      const x: SpikeDim = plot.twoD ? { type: 'attribute', name, column: 0 } : { type: 'time' };
      const y: SpikeDim = { type: 'attribute', name, column: plot.twoD ? 1 : 0 };
      return { x, y, polygon: Float32Array.from(points) };
    },
    [name, plot],
  );
  const lasso = useLasso(VIEW, realSelected, resolve);

  const placeholder = !dataset ? PLACEHOLDER.noClusters : !name ? 'No spike attributes: this dataset has no spike_<name>.npy file.' : selected.length === 0 ? PLACEHOLDER.select : null;
  return (
    <ViewFrame
      view={VIEW}
      viewId={viewId}
      state={state}
      generation={g}
      placeholder={placeholder}
      error={error}
      status={name ? `spike_${name}.npy — ${plot?.twoD ? 'x, y' : 'value vs time'}${lasso.points ? ` — lasso: ${lasso.points.length / 2} points (k splits)` : ''}` : ''}
      toolbar={
        !attributeFromViewId(viewId) && names.length > 1 ? (
          <select aria-label="spike attribute" value={name ?? ''} onChange={(e) => setSettings({ name: e.target.value })} onPointerDown={(e) => e.stopPropagation()}>
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        ) : null
      }
    >
      <PlotCanvas
        label={`Spike attribute ${name ?? ''}`}
        bounds={plot?.bounds ?? { x0: 0, x1: 1, y0: 0, y1: 1 }}
        lasso={lasso}
        overlay={<Axes x={{ title: plot?.twoD ? `${name}[0]` : 'time (s)' }} y={{ title: plot?.twoD ? `${name}[1]` : (name ?? '') }} />}
      >
        {plot ? <PlotPoints data={plot.points} size={3} /> : null}
      </PlotCanvas>
    </ViewFrame>
  );
}
