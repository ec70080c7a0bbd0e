import { useMemo } from 'react';
import type { CorrelogramsData } from '../../../shared/ipc/contract';
import { PlotCanvas } from '../../plot/PlotCanvas';
import { PlotLines, PlotTriangles } from '../../plot/Geometry';
import { PlotLabels, type PlotLabel } from '../../plot/Overlay';
import { BoxLayout } from '../../plot/BoxLayout';
import { tint } from '../../plot/color';
import { VertexBuffer } from '../../plot/VertexBuffer';
import { useAppStore, useBackend, useSelectedClusters } from '../../store';
import type { Command } from '../../store/Command';
import { ViewFrame, ToolButton, PLACEHOLDER } from '../ViewFrame';
import { useViewData } from '../useViewData';
import { useViewSettings, patchViewSettings, readViewSettings } from '../../store/viewSettings';
import { useViewCommands } from '../useViewCommands';
import { selectionRgba } from '../viewColors';

const VIEW = 'CorrelogramView';
/** phy shows at most 20 clusters in the grid. */
const MAX_CLUSTERS = 20;

export interface CorrelogramSettings {
  /** Seconds. */
  binSize: number;
  /** Seconds. */
  windowSize: number;
  /** Seconds. */
  refractoryPeriod: number;
  /** All correlograms on one scale (phy's `n`), instead of each on its own. */
  uniform: boolean;
}

export const CORRELOGRAM_DEFAULTS: CorrelogramSettings = { binSize: 0.001, windowSize: 0.05, refractoryPeriod: 0.002, uniform: false };
const get = () => readViewSettings(VIEW, CORRELOGRAM_DEFAULTS);
const set = (p: Partial<CorrelogramSettings>) => patchViewSettings(VIEW, p);
const msArg = (args: string[]) => {
  const v = Number.parseFloat(args[0] ?? '');
  return Number.isFinite(v) && v > 0 ? v / 1000 : null;
};
const BIN_CHOICES = [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01];
const WINDOW_CHOICES = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1];

export const CORRELOGRAM_COMMANDS: Command[] = [
  { id: 'correlogram.toggleNormalization', title: 'Toggle uniform correlogram normalisation', keys: ['n'], view: VIEW, menu: 'View', section: 'Correlograms', perform: () => set({ uniform: !get().uniform }) },
  { id: 'correlogram.binSize', title: 'Correlogram bin size (ms)', snippets: ['cb'], snippetArgs: '<ms>', view: VIEW, perform: (_c, a) => void (msArg(a) && set({ binSize: msArg(a)! })) },
  { id: 'correlogram.windowSize', title: 'Correlogram window (ms)', snippets: ['cw'], snippetArgs: '<ms>', view: VIEW, perform: (_c, a) => void (msArg(a) && set({ windowSize: msArg(a)! })) },
  { id: 'correlogram.refractoryPeriod', title: 'Refractory period (ms)', snippets: ['cr'], snippetArgs: '<ms>', view: VIEW, perform: (_c, a) => void (msArg(a) && set({ refractoryPeriod: msArg(a)! })) },
];

const fmtMs = (s: number) => `${Number.parseFloat((s * 1000).toPrecision(3))} ms`;
const pct = (v: number) => `${(v * 100).toFixed(v < 0.01 ? 2 : 1)}%`;

function step(choices: number[], value: number, dir: 1 | -1): number {
  let i = choices.findIndex((c) => c >= value - 1e-12);
  if (i < 0) i = choices.length - 1;
  return choices[Math.max(0, Math.min(choices.length - 1, i + dir))];
}

/**
 * phy's CorrelogramView: auto-correlograms on the diagonal, cross-correlograms off it, refractory
 * period lines, the baseline (rate expected for independent trains) and, per ACG, the refractory
 * violations as numbers.
 */
export default function CorrelogramView({ viewId }: { viewId: string }) {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  const selectedAll = useSelectedClusters();
  const selected = selectedAll.slice(0, MAX_CLUSTERS);
  const [settings] = useViewSettings(VIEW, CORRELOGRAM_DEFAULTS);
  useViewCommands(CORRELOGRAM_COMMANDS);

  const { state, data, error, generation: dataGeneration } = useViewData<CorrelogramsData>(
    (signal) =>
      selected.length === 0 || !dataset
        ? null
        : backend.viewData.correlograms({ clusterIds: selected, binSize: settings.binSize, windowSize: settings.windowSize, refractoryPeriod: settings.refractoryPeriod }, signal),
    [backend, dataset, selected.join(','), settings.binSize, settings.windowSize, settings.refractoryPeriod, generation],
  );

  const duration = dataset?.duration || 1;
  const plot = useMemo(() => {
    if (!data || data.clusterIds.length === 0) return null;
    const n = data.clusterIds.length;
    const nb = data.nBins;
    const layout = new BoxLayout(n, n, 0.045);
    const half = (nb * data.binSize) / 2;
    const baseline = (i: number, j: number) => data.firingRates[i] * data.firingRates[j] * duration * data.binSize;
    const cellMax = (i: number, j: number) => {
      let m = 0;
      const off = (i * n + j) * nb;
      for (let b = 0; b < nb; b++) m = Math.max(m, data.counts[off + b]);
      return Math.max(m, baseline(i, j) * 1.1, 1);
    };
    let globalMax = 1;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) globalMax = Math.max(globalMax, cellMax(i, j));

    const bars = new VertexBuffer(n * n * nb * 6);
    const lines = new VertexBuffer(n * n * 8);
    const labels: PlotLabel[] = [];
    const refColor: [number, number, number, number] = [1, 1, 1, 0.45];
    const baseColor: [number, number, number, number] = [0.6, 0.6, 0.6, 0.9];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        // Headroom over the tallest bar: the readout (diagonal) sits there, not over the bars.
        const ymax = (settings.uniform ? globalMax : cellMax(i, j)) * 1.35;
        const rect = { x0: -half, x1: half, y0: 0, y1: ymax };
        const base = selectionRgba(i, 1);
        const color = i === j ? base : tint(base, 0.88);
        const off = (i * n + j) * nb;
        for (let b = 0; b < nb; b++) {
          const v = data.counts[off + b];
          if (v <= 0) continue;
          const [x0, y0] = layout.toWorld(i, j, rect, -half + b * data.binSize, 0);
          const [x1, y1] = layout.toWorld(i, j, rect, -half + (b + 1) * data.binSize, Math.min(v, ymax));
          bars.rect(x0, y0, x1, y1, color);
        }
        const c = layout.cell(i, j);
        const rp = data.refractoryPeriod;
        if (rp > 0 && rp < half) {
          for (const x of [-rp, rp]) {
            const [wx] = layout.toWorld(i, j, rect, x, 0);
            lines.segment(wx, c.y0, wx, c.y1, refColor);
          }
        }
        const [, by] = layout.toWorld(i, j, rect, 0, baseline(i, j));
        if (by > c.y0 && by < c.y1) lines.segment(c.x0, by, c.x1, by, baseColor);
        if (i === j) {
          const st = data.stats.find((s) => s.clusterId === data.clusterIds[i]);
          if (st)
            labels.push({
              x: c.x0,
              y: c.y1,
              dx: 4,
              dy: 3,
              baseline: 'top',
              halo: true,
              color: st.contamination > 0.1 ? '#ff9a6a' : '#e8e8e8',
              text: `viol ${pct(st.violationRate)} · contam ${pct(st.contamination)}`,
            });
        }
      }
    for (let i = 0; i < n; i++) {
      const c = layout.cell(i, 0);
      labels.push({ x: c.x0, y: (c.y0 + c.y1) / 2, text: String(data.clusterIds[i]), align: 'end', dx: -6, color: '#d0d0d0' });
      const b = layout.cell(n - 1, i);
      labels.push({ x: (b.x0 + b.x1) / 2, y: b.y0, text: String(data.clusterIds[i]), align: 'middle', baseline: 'top', dy: 4, color: '#d0d0d0' });
    }
    const bounds = { x0: -0.06 * n, x1: n + 0.01 * n, y0: -0.05 * n, y1: n + 0.01 * n };
    return { bars: bars.finish(), lines: lines.finish(), labels, bounds };
  }, [data, settings.uniform, duration]);

  const placeholder = !dataset ? PLACEHOLDER.noClusters : selected.length === 0 ? PLACEHOLDER.select : null;
  const status = `${fmtMs(settings.windowSize)} (${fmtMs(settings.binSize)}), refractory ±${fmtMs(settings.refractoryPeriod)}${settings.uniform ? ', uniform scale' : ''}${selectedAll.length > MAX_CLUSTERS ? ` — first ${MAX_CLUSTERS} clusters` : ''}`;
  const select = (label: string, value: number, choices: number[], onChange: (v: number) => void) => (
    <select
      aria-label={label}
      title={label}
      value={String(value)}
      onChange={(e) => onChange(Number.parseFloat(e.target.value))}
      onPointerDown={(e) => e.stopPropagation()}
      style={{ font: '11px var(--font-ui, sans-serif)', background: 'rgba(30,32,38,0.9)', color: 'var(--fg, #ddd)', border: '1px solid var(--border, #33373f)', borderRadius: 3 }}
    >
      {[...new Set([...choices, value])].sort((a, b) => a - b).map((c) => (
        <option key={c} value={String(c)}>
          {label.startsWith('bin') ? 'bin ' : 'window '}
          {fmtMs(c)}
        </option>
      ))}
    </select>
  );

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
          {select('bin size', settings.binSize, BIN_CHOICES, (v) => set({ binSize: v }))}
          {select('window', settings.windowSize, WINDOW_CHOICES, (v) => set({ windowSize: v }))}
          <ToolButton label="uniform" title="Same scale for every correlogram (n)" active={settings.uniform} onClick={() => set({ uniform: !settings.uniform })} />
        </>
      }
    >
      <PlotCanvas
        label="Auto- and cross-correlograms"
        bounds={plot?.bounds ?? { x0: 0, x1: 1, y0: 0, y1: 1 }}
        // Re-home when the new selection's correlograms arrive (not at the keypress: that would
        // redraw the old ones once more).
        resetKey={data?.clusterIds.join(',') ?? ''}
        overlay={plot ? <PlotLabels labels={plot.labels} /> : null}
        onModifiedWheel={(e) => {
          const dir = e.deltaY < 0 ? -1 : 1;
          if (e.altKey) set({ binSize: step(BIN_CHOICES, get().binSize, dir) });
          else if (e.ctrlKey) set({ windowSize: step(WINDOW_CHOICES, get().windowSize, dir) });
          else return false;
          return true;
        }}
      >
        {plot ? (
          <>
            <PlotTriangles data={plot.bars} renderOrder={0} />
            <PlotLines data={plot.lines} renderOrder={1} />
          </>
        ) : null}
      </PlotCanvas>
    </ViewFrame>
  );
}
