import { useEffect, useMemo, useRef, useState } from 'react';
import type { CorrelogramsData } from '../../../shared/ipc/contract';
import { PlotCanvas } from '../../plot/PlotCanvas';
import { PlotLines, PlotTriangles } from '../../plot/Geometry';
import { PlotLabels, type PlotLabel } from '../../plot/Overlay';
import { BoxLayout } from '../../plot/BoxLayout';
import { tint } from '../../plot/color';
import { VertexBuffer } from '../../plot/VertexBuffer';
import { clusterName, useAppStore, useBackend, useViewClusterIds } from '../../store';
import type { Command } from '../../store/Command';
import { ViewFrame, ToolButton, PLACEHOLDER } from '../ViewFrame';
import { useViewData } from '../useViewData';
import { useViewSettings, patchViewSettings, readViewSettings } from '../../store/viewSettings';
import { useViewCommands } from '../useViewCommands';
import { selectionRgba } from '../viewColors';
import { useMergePreview, VERDICT_COLORS, verdictText } from '../mergePreview';
import { formatValue } from '../../plot/rect';
import { MergePreviewTable } from './MergePreviewTable';

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
  /** The "merged" row under the grid (2 clusters or more): what `g` would make of them. */
  merged: boolean;
}

export const CORRELOGRAM_DEFAULTS: CorrelogramSettings = { binSize: 0.001, windowSize: 0.05, refractoryPeriod: 0.002, uniform: false, merged: true };
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
  { id: 'correlogram.toggleMerged', title: 'Toggle the merge preview row', view: VIEW, menu: 'View', section: 'Correlograms', perform: () => set({ merged: !get().merged }) },
  { id: 'correlogram.binSize', title: 'Correlogram bin size (ms)', snippets: ['cb'], snippetArgs: '<ms>', view: VIEW, perform: (_c, a) => void (msArg(a) && set({ binSize: msArg(a)! })) },
  { id: 'correlogram.windowSize', title: 'Correlogram window (ms)', snippets: ['cw'], snippetArgs: '<ms>', view: VIEW, perform: (_c, a) => void (msArg(a) && set({ windowSize: msArg(a)! })) },
  { id: 'correlogram.refractoryPeriod', title: 'Refractory period (ms)', snippets: ['cr'], snippetArgs: '<ms>', view: VIEW, perform: (_c, a) => void (msArg(a) && set({ refractoryPeriod: msArg(a)! })) },
];

const fmtMs = (s: number) => `${Number.parseFloat((s * 1000).toPrecision(3))} ms`;
const pct = (v: number) => `${(v * 100).toFixed(v < 0.01 ? 2 : 1)}%`;

/** CSS pixels the one-line ACG readout (`viol 0.29% · contam 0.00%`, 10–11 px type) needs; a narrower cell gets it on two lines. */
const READOUT_ONE_LINE_PX = 170;

/** The refractory readout of an ACG cell `cellPx` wide, at its top-left corner: one line, or two in a narrow cell (no overlap with the next cell). */
function readoutLabels(st: { violationRate: number; contamination: number }, x: number, y: number, cellPx: number, name?: string): PlotLabel[] {
  const base = { x, y, dx: 4, baseline: 'top' as const, halo: true, color: st.contamination > 0.1 ? '#ff9a6a' : '#e8e8e8', ...(name ? { name } : {}) };
  if (cellPx >= READOUT_ONE_LINE_PX) return [{ ...base, dy: 3, text: `viol ${pct(st.violationRate)} · contam ${pct(st.contamination)}` }];
  return [
    { ...base, dy: 3, text: `viol ${pct(st.violationRate)}` },
    { ...base, dy: 16, text: `contam ${pct(st.contamination)}`, ...(name ? { name: `${name}-contam` } : {}) },
  ];
}

/** CSS pixels: the gap holding the column ids under the grid, the merged row's least height (3 lines of 14 px, 10 px type: the rp_contamination line fits a 190 px cell), its bottom margin. */
const MERGED_GAP_PX = 20;
const MERGED_ROW_PX = 50;
const MERGED_BOTTOM_PX = 18;
/** The metrics table (≤ 35 % of the body) is shown in a view body at least this tall: below, the grid would be a few pixels per row. */
const TABLE_MIN_BODY_PX = 360;

/**
 * World heights of the merged row's gap, row and bottom margin under an n-row grid (world
 * y ∈ [0, n], top margin 0.01 n) in a plot `plotHeight` CSS pixels tall, so that they come out at
 * MERGED_GAP_PX, ≥ MERGED_ROW_PX and MERGED_BOTTOM_PX. The row is one grid row tall when that is
 * enough; otherwise it takes MERGED_ROW_PX and the grid the rest (at least 30 % of the plot).
 */
export function mergedRowGeometry(n: number, plotHeight: number): { gap: number; height: number; bottom: number; rowPx: number } {
  const grid = 1.01 * n;
  const fixed = MERGED_GAP_PX + MERGED_BOTTOM_PX;
  let pxPerWorld = (plotHeight - fixed) / (grid + 1);
  let height = 1;
  if (pxPerWorld < MERGED_ROW_PX) {
    pxPerWorld = Math.max(plotHeight * 0.3, plotHeight - fixed - MERGED_ROW_PX) / grid;
    height = MERGED_ROW_PX / pxPerWorld;
  }
  pxPerWorld = Math.max(pxPerWorld, 1e-3);
  return { gap: MERGED_GAP_PX / pxPerWorld, height, bottom: MERGED_BOTTOM_PX / pxPerWorld, rowPx: height * pxPerWorld };
}

function step(choices: number[], value: number, dir: 1 | -1): number {
  let i = choices.findIndex((c) => c >= value - 1e-12);
  if (i < 0) i = choices.length - 1;
  return choices[Math.max(0, Math.min(choices.length - 1, i + dir))];
}

/** Neutral grey of the merged ACG (not a selection colour: it is none of the clusters). */
const MERGED_RGBA: [number, number, number, number] = [0.8, 0.8, 0.82, 1];
/** Shading of the refractory window in the merged ACG. */
const REFRACTORY_SHADE: [number, number, number, number] = [1, 0.6, 0.4, 0.3];

/**
 * phy's CorrelogramView: auto-correlograms on the diagonal, cross-correlograms off it, refractory
 * period lines, the baseline (rate expected for independent trains) and, per ACG, the refractory
 * violations as numbers. With 2 clusters or more, a "merged" row under the grid previews `g`: the
 * union's ACG (neutral grey, refractory window shaded) with its violations, the verdict, and the
 * union's key metrics beside each cluster's (`viewData.mergePreview`).
 */
export default function CorrelogramView({ viewId }: { viewId: string }) {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  // The selection, with a split proposal's parts in place of their cluster (viewClusterIds).
  const selectedAll = useViewClusterIds();
  const selected = selectedAll.slice(0, MAX_CLUSTERS);
  const [settings] = useViewSettings(VIEW, CORRELOGRAM_DEFAULTS);
  useViewCommands(CORRELOGRAM_COMMANDS);
  // Only when every selected cluster is in the grid: the row must show what `g` would merge.
  // Not for a proposal's parts (virtual clusters, negative ids): they cannot be merged.
  const previewIds = settings.merged && selected.length >= 2 && selectedAll.length <= MAX_CLUSTERS && selected.every((c) => c >= 0) ? selected : [];
  const preview = useMergePreview(previewIds, settings.refractoryPeriod);
  // Heights in CSS pixels of the plot (the merged row's gaps are sized in pixels) and of the
  // whole body (the metrics table only fits a view of some height; the status line has the gist).
  const bodyBox = useRef<HTMLDivElement>(null);
  const plotBox = useRef<HTMLDivElement>(null);
  const [plotHeight, setPlotHeight] = useState(300);
  const [plotWidth, setPlotWidth] = useState(400);
  const [bodyHeight, setBodyHeight] = useState(600);
  useEffect(() => {
    const body = bodyBox.current;
    const plotEl = plotBox.current;
    if (!body || !plotEl) return;
    const ro = new ResizeObserver(() => {
      setPlotHeight(plotEl.clientHeight || 300);
      setPlotWidth(plotEl.clientWidth || 400);
      setBodyHeight(body.clientHeight || 600);
    });
    ro.observe(body);
    ro.observe(plotEl);
    return () => ro.disconnect();
  }, []);

  const { state, data, error, generation: dataGeneration } = useViewData<CorrelogramsData>(
    (signal) =>
      selected.length === 0 || !dataset
        ? null
        : backend.viewData.correlograms({ clusterIds: selected, binSize: settings.binSize, windowSize: settings.windowSize, refractoryPeriod: settings.refractoryPeriod }, signal),
    [backend, dataset, selected.join(','), settings.binSize, settings.windowSize, settings.refractoryPeriod, generation],
  );

  const duration = dataset?.duration || 1;
  // A proposal's parts are labelled by name (`13 early`), real clusters by id.
  const proposal = useAppStore((s) => s.proposal.current);
  const nameOf = (id: number) => clusterName(proposal, id);
  const plot = useMemo(() => {
    if (!data || data.clusterIds.length === 0) return null;
    const n = data.clusterIds.length;
    const nb = data.nBins;
    const layout = new BoxLayout(n, n, 0.045);
    // A cell's width in CSS pixels: the plot stretches the world x range (bounds below, 1.07 n) to its width.
    const c00 = layout.cell(0, 0);
    const cellPx = ((c00.x1 - c00.x0) * plotWidth) / (1.07 * n);
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
    const merged = previewIds.length >= 2 && data.merged && data.clusterIds.length === previewIds.length ? data.merged : null;

    const bars = new VertexBuffer((n * n + 1) * nb * 6 + 6);
    const lines = new VertexBuffer(n * n * 8 + 16);
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
          if (st) labels.push(...readoutLabels(st, c.x0, c.y1, cellPx, 'acg-readout'));
          // Beside the centre bin: spikes within 0.2 ms of the previous one (double detections),
          // what "Remove duplicate spikes" would split off; nothing when there are none.
          if (st?.nDuplicates) {
            const [dx, dy] = layout.toWorld(i, j, rect, data.binSize / 2, ymax * 0.62);
            labels.push({ x: dx, y: dy, dx: 3, baseline: 'middle', size: 10, halo: true, color: '#ffd166', text: `dup ${st.nDuplicates}`, name: 'duplicate-count' });
          }
        }
      }
    for (let i = 0; i < n; i++) {
      const c = layout.cell(i, 0);
      labels.push({ x: c.x0, y: (c.y0 + c.y1) / 2, text: nameOf(data.clusterIds[i]), align: 'end', dx: -6, color: '#d0d0d0' });
      const b = layout.cell(n - 1, i);
      labels.push({ x: (b.x0 + b.x1) / 2, y: b.y0, text: nameOf(data.clusterIds[i]), align: 'middle', baseline: 'top', dy: 4, color: '#d0d0d0' });
    }
    let y0 = -0.05 * n;
    if (merged) {
      // The merged row under the grid, sized in pixels (the plot stretches world units to its
      // box): a gap for the column ids hanging under the grid, cut off by a line; the row, as
      // tall as a grid row but at least MERGED_ROW_PX (the verdict's lines); a bottom margin
      // for its "merged" label.
      const { gap, height, bottom, rowPx } = mergedRowGeometry(n, plotHeight);
      const row = new BoxLayout(1, n, 0.045);
      const shift = -(gap + height);
      const toWorld = (col: number, r: { x0: number; x1: number; y0: number; y1: number }, x: number, y: number): [number, number] => {
        const [wx, wy] = row.toWorld(0, col, r, x, y);
        return [wx, shift + wy * height];
      };
      const c = row.cell(0, 0);
      const cell = { x0: c.x0, x1: c.x1, y0: shift + c.y0 * height, y1: shift + c.y1 * height };
      let m = 1;
      for (let b = 0; b < nb; b++) m = Math.max(m, merged[b]);
      const rect = { x0: -half, x1: half, y0: 0, y1: m * 1.35 };
      const rp = data.refractoryPeriod;
      if (rp > 0 && rp < half) {
        const [sx0] = toWorld(0, rect, -rp, 0);
        const [sx1] = toWorld(0, rect, rp, 0);
        bars.rect(sx0, cell.y0, sx1, cell.y1, REFRACTORY_SHADE);
      }
      for (let b = 0; b < nb; b++) {
        const v = merged[b];
        if (v <= 0) continue;
        const [x0, by0] = toWorld(0, rect, -half + b * data.binSize, 0);
        const [x1, by1] = toWorld(0, rect, -half + (b + 1) * data.binSize, v);
        bars.rect(x0, by0, x1, by1, MERGED_RGBA);
      }
      lines.segment(0, -gap, n, -gap, [0.55, 0.55, 0.6, 0.8]);
      labels.push({ x: (cell.x0 + cell.x1) / 2, y: cell.y0, text: 'merged', align: 'middle', baseline: 'top', dy: 4, color: '#e8e8e8', name: 'merged-label' });
      if (preview) {
        const st = preview.mergedStats;
        labels.push(...readoutLabels(st, cell.x0, cell.y1, cellPx, 'merged-readout'));
        // Beside the merged ACG: what merging does to contamination (the metrics table is under the plot).
        const tx = row.cell(0, 1).x0;
        const v = preview.verdict;
        const lines = [
          { text: preview.clusterIds.length <= 4 ? `merged ${preview.clusterIds.join('+')}:` : `merged ${preview.clusterIds.length} clusters:`, color: '#e8e8e8' },
          { text: verdictText(v).replace(/ \(.*\)$/, ''), color: VERDICT_COLORS[v.verdict], name: 'merge-verdict' },
          { text: `rp_contamination ${formatValue(v.partsContamination)} → ${formatValue(v.mergedContamination)}`, color: '#c8c8c8' },
        ];
        // In a short row (the plot under ~ MERGED_ROW_PX per line), the verdict alone.
        (rowPx >= MERGED_ROW_PX ? lines : [lines[1]]).forEach((l, k) => labels.push({ x: tx, y: cell.y1, dx: 4, dy: 3 + k * 14, baseline: 'top', size: 10, ...l }));
      }
      y0 = shift - bottom;
    }
    const bounds = { x0: -0.06 * n, x1: n + 0.01 * n, y0, y1: n + 0.01 * n };
    return { bars: bars.finish(), lines: lines.finish(), labels, bounds, merged: merged !== null };
  }, [data, settings.uniform, duration, previewIds.join(','), preview, plotHeight, plotWidth, proposal]);

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
          <ToolButton label="merged" title="The merge preview row: what g would make of the selected clusters" active={settings.merged} onClick={() => set({ merged: !settings.merged })} />
        </>
      }
    >
      <div ref={bodyBox} style={{ position: 'absolute', inset: 0, display: 'flex', flexDirection: 'column' }}>
        <div ref={plotBox} style={{ position: 'relative', flex: '1 1 auto', minHeight: 0 }}>
          <PlotCanvas
            label="Auto- and cross-correlograms"
            bounds={plot?.bounds ?? { x0: 0, x1: 1, y0: 0, y1: 1 }}
            // Re-home when the new selection's correlograms arrive (not at the keypress: that would
            // redraw the old ones once more).
            resetKey={`${data?.clusterIds.join(',') ?? ''}${plot?.merged ? '+merged' : ''}`}
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
        </div>
        {preview && plot?.merged && bodyHeight >= TABLE_MIN_BODY_PX ? <MergePreviewTable preview={preview} /> : null}
      </div>
    </ViewFrame>
  );
}
