import { useMemo } from 'react';
import { PlotCanvas, type PlotClick } from '../../plot/PlotCanvas';
import { PlotPoints, PlotTriangles } from '../../plot/Geometry';
import { Axes } from '../../plot/Overlay';
import { VertexBuffer } from '../../plot/VertexBuffer';
import type { Rgba } from '../../plot/color';
import { useAppStore, useSelectedClusters } from '../../store';
import type { AppState } from '../../store/AppState';
import type { Command } from '../../store/Command';
import { selectClusters, selectFromClick } from '../../store/actions';
import { patchViewSettings, readViewSettings, useViewSettings } from '../../store/viewSettings';
import { ViewFrame, ToolButton, PLACEHOLDER } from '../ViewFrame';
import { useViewCommands } from '../useViewCommands';
import { clusterAtPoint, clustersInPolygon, scaledAxis } from '../clusterPoints';
import { useClusterLasso } from '../useClusterLasso';
import { selectionRgba } from '../viewColors';
import {
  axisTitle,
  blockRank,
  clustersInBar,
  effectiveMetric,
  histogramLayout,
  isLog,
  METRICS_DEFAULTS,
  missingText,
  scatterLayout,
  VIEW,
  type HistogramLayout,
  type MetricScatterLayout,
  type MetricsMode,
  type MetricsSettings,
} from './metricsLayout';
import { metricColumn, metricNames } from './metricSource';
import { ThresholdLines } from './ThresholdLines';
import { selectLabelRules } from '../../store/labelRules';
import { combinedVerdict, VERDICT_RGBA } from '../ruleVerdicts';
import { metricThresholds, type Verdict } from '../../../core/rules/labelRules';

/** Clusters that are not selected: one neutral grey, so that the selection colours stand out. */
const NEUTRAL_BAR: Rgba = [0.55, 0.58, 0.63, 0.85];
const NEUTRAL_POINT: Rgba = [0.62, 0.65, 0.7, 0.7];
const POINT_PX = 6;
const SELECTED_POINT_PX = 10;

const selectMetricRows = (s: AppState) => s.quality.rows;
const selectMetricProgress = (s: AppState) => (s.quality.total > 0 && s.quality.computed < s.quality.total ? `metrics ${s.quality.computed}/${s.quality.total}` : null);

const selectRulesSource = (s: AppState) => s.labelRules.source;

const settingsOf = (s: AppState): MetricsSettings => ({ ...METRICS_DEFAULTS, ...(s.viewSettings[VIEW] ?? {}) }) as MetricsSettings;

/** Flips the log scale of `metric` (kept per metric: it follows the metric to the other axis). */
function toggleLog(metric: string | null): void {
  if (!metric) return;
  const s = readViewSettings(VIEW, METRICS_DEFAULTS);
  patchViewSettings(VIEW, { log: { ...s.log, [metric]: !isLog(metric, s.log) } });
}

const setMode = (mode: MetricsMode) => patchViewSettings(VIEW, { mode });

/**
 * MetricsView (issue #13): the distribution of one metric over every cluster (histogram, NumPy's
 * 'auto' bins) or two metrics against each other (scatter, one point per cluster). Selected
 * clusters are drawn in their selection colours — blocks at the bottom of their bars and ticks
 * at their exact values under the histogram, larger points on top in the scatter — the others
 * in one neutral grey, or tinted green / red where the active label rules bound the metric and
 * pass / fail the cluster; the rules' thresholds are dashed lines on the axes. Click selects
 * (a bar: its clusters; shift adds), ctrl+click draws a lasso
 * that selects the clusters inside when ctrl is released (or on Enter). Clusters without a value
 * are counted in the status line.
 */
export default function MetricsView({ viewId }: { viewId: string }) {
  const clusters = useAppStore((s) => s.clusters);
  const labelColumns = useAppStore((s) => s.session.labelColumns);
  const generation = useAppStore((s) => s.generation);
  const selected = useSelectedClusters();
  // Live quality metrics arrive progressively: draw what is computed and say how far it is.
  const metricRows = useAppStore(selectMetricRows);
  const progress = useAppStore(selectMetricProgress);
  const [settings, setSettings] = useViewSettings(VIEW, METRICS_DEFAULTS);

  const names = useMemo(() => metricNames(labelColumns, clusters), [labelColumns, clusters]);
  const xMetric = effectiveMetric(settings.x, names, 'x');
  const yMetric = effectiveMetric(settings.y, names.filter((n) => n !== xMetric).length ? names.filter((n) => n !== xMetric) : names, 'y');
  const xLog = xMetric ? isLog(xMetric, settings.log) : false;
  const yLog = yMetric ? isLog(yMetric, settings.log) : false;
  const mode = settings.mode;

  const xs = useMemo(() => (xMetric ? metricColumn(clusters, xMetric, metricRows) : null), [clusters, xMetric, metricRows]);
  const ys = useMemo(() => (yMetric ? metricColumn(clusters, yMetric, metricRows) : null), [clusters, yMetric, metricRows]);
  // Points and blocks judged by the active label rules on the metrics they show (pass/fail tint).
  const rules = useAppStore(selectLabelRules);
  const rulesSource = useAppStore(selectRulesSource);
  const verdicts = useMemo(() => {
    const out = new Map<number, Verdict>();
    if (!xs || !xMetric) return out;
    const metrics: Array<[string, Float64Array]> = [[xMetric, xs.values]];
    if (mode === 'scatter' && ys && yMetric) metrics.push([yMetric, ys.values]);
    xs.ids.forEach((id, i) => {
      const v = combinedVerdict(rules, metrics.map(([m, values]) => [m, values[i]] as const));
      if (v) out.set(id, v);
    });
    return out;
  }, [rules, xs, ys, xMetric, yMetric, mode]);
  const histogram = useMemo<HistogramLayout | null>(
    () => (mode === 'histogram' && xs ? histogramLayout(xs, xLog, blockRank(selected, (id) => verdicts.get(id) ?? null)) : null),
    [mode, xs, xLog, selected, verdicts],
  );
  const scatter = useMemo<MetricScatterLayout | null>(() => (mode === 'scatter' && xs && ys ? scatterLayout(xs, ys, xLog, yLog) : null), [mode, xs, ys, xLog, yLog]);
  const layout = histogram ?? scatter;

  const axesKey = `${mode} ${xMetric} ${xLog} ${yMetric} ${yLog}`;
  const inLasso = useMemo(() => (layout ? (polygon: Float32Array) => clustersInPolygon(layout, polygon) : null), [layout]);
  const { lasso, commit } = useClusterLasso(inLasso, axesKey);

  const commands = useMemo<Command[]>(
    () => [
      { id: 'metrics.selectLasso', title: 'Select the clusters in the lasso', keys: ['enter'], view: VIEW, focusOnly: true, perform: () => void commit() },
      { id: 'metrics.histogram', title: 'MetricsView: histogram of one metric', view: VIEW, checked: (s) => settingsOf(s).mode === 'histogram', perform: () => setMode('histogram') },
      { id: 'metrics.scatter', title: 'MetricsView: scatter of two metrics', view: VIEW, checked: (s) => settingsOf(s).mode === 'scatter', perform: () => setMode('scatter') },
    ],
    [commit],
  );
  useViewCommands(commands);

  const bars = useMemo(() => {
    if (!histogram) return null;
    const { edges } = histogram;
    const v = new VertexBuffer(histogram.ids.length * 6 + selected.length * 6);
    // A gap of 4 % of a bin between bars, so that neighbouring bars read as separate bins.
    const gap = ((edges[1] - edges[0]) || 1) * 0.04;
    const slot = new Map(selected.map((id, k) => [id, k]));
    // One unit block per cluster: runs of one colour read as one bar (see blockRank).
    for (let i = 0; i < histogram.ids.length; i++) {
      const id = histogram.ids[i];
      const k = slot.get(id);
      const verdict = verdicts.get(id);
      const color = k !== undefined ? selectionRgba(k) : verdict === 'pass' || verdict === 'fail' ? VERDICT_RGBA[verdict] : NEUTRAL_BAR;
      const b = histogram.bin[i];
      v.rect(edges[b] + gap, histogram.y[i] - 0.5, edges[b + 1] - gap, histogram.y[i] + 0.5, color);
    }
    // The selected clusters' exact values, under the axis: a bin may be wide.
    const tickHalf = (histogram.bounds.x1 - histogram.bounds.x0) * 0.006;
    const y0 = histogram.bounds.y0;
    for (const [id, k] of slot) {
      const i = histogram.ids.indexOf(id);
      if (i >= 0) v.rect(histogram.x[i] - tickHalf, y0 * 0.6, histogram.x[i] + tickHalf, y0 * 0.12, selectionRgba(k));
    }
    return v.finish();
  }, [histogram, selected, verdicts]);

  const points = useMemo(() => {
    if (!scatter) return null;
    const v = new VertexBuffer(scatter.ids.length, true);
    const rank = new Map(selected.map((id, k) => [id, k]));
    for (let i = 0; i < scatter.ids.length; i++) {
      const id = scatter.ids[i];
      if (rank.has(id)) continue;
      const verdict = verdicts.get(id);
      v.push(scatter.x[i], scatter.y[i], verdict === 'pass' || verdict === 'fail' ? VERDICT_RGBA[verdict] : NEUTRAL_POINT, POINT_PX);
    }
    // Selected clusters last (on top), in selection order.
    for (const [id, k] of rank) {
      const i = scatter.ids.indexOf(id);
      if (i >= 0) v.push(scatter.x[i], scatter.y[i], selectionRgba(k), SELECTED_POINT_PX);
    }
    return v.finish();
  }, [scatter, selected, verdicts]);

  const onClick = (c: PlotClick) => {
    if (c.button !== 0) return;
    if (histogram) {
      const ids = clustersInBar(histogram, c.x, c.y);
      if (ids.length === 0) return;
      selectClusters(c.shiftKey ? [...selected, ...ids.filter((id) => !selected.includes(id))] : ids);
    } else if (scatter) {
      const id = clusterAtPoint(scatter, c.x, c.y);
      if (id !== null) selectFromClick(id, c.shiftKey);
    }
  };

  const missing =
    mode === 'histogram'
      ? [xMetric && histogram ? missingText(xMetric, histogram.missing) : null]
      : [xMetric && scatter ? missingText(xMetric, scatter.missingX) : null, yMetric && scatter ? missingText(yMetric, scatter.missingY) : null];
  const shown = layout?.ids.length ?? 0;
  const xLines = xMetric ? metricThresholds(rules, xMetric) : [];
  const yLines = mode === 'scatter' && yMetric ? metricThresholds(rules, yMetric) : [];
  const status = [
    layout ? `${shown} of ${clusters.length} clusters` : null,
    progress,
    ...missing,
    xLines.length + yLines.length ? `thresholds: ${rules.description ?? rulesSource}` : null,
    lasso.points ? `lasso: ${lasso.points.length / 2} points (Enter or release ctrl selects)` : null,
  ]
    .filter(Boolean)
    .join(' · ');

  // The controls stay on screen when the chosen metric has no value yet, so another can be picked.
  const placeholder = clusters.length === 0 ? PLACEHOLDER.noClusters : !xMetric ? 'No numeric metric to show.' : null;
  const nothing = !layout && xMetric ? `No cluster has a value of ${mode === 'scatter' ? `both ${xMetric} and ${yMetric}` : xMetric}${progress ? ` yet (${progress})` : ''}.` : null;

  const picker = (label: string, value: string | null, onChange: (v: string) => void) => (
    <select
      aria-label={label}
      title={label}
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value)}
      onPointerDown={(e) => e.stopPropagation()}
      style={{ font: '11px var(--font-ui, sans-serif)', background: 'var(--bg-elevated, rgba(30,32,38,0.9))', color: 'var(--fg, #ddd)', border: '1px solid var(--border, #33373f)', borderRadius: 3, maxWidth: 150 }}
    >
      {names.map((n) => (
        <option key={n} value={n}>
          {n}
        </option>
      ))}
    </select>
  );
  const caption = (text: string) => <span style={{ fontSize: 11, color: 'var(--fg-muted, #8b919c)' }}>{text}</span>;

  // A row of its own above the plot (wrapping when the dock is narrow): beside the status line
  // two pickers and four buttons did not fit the default 380 px column.
  const controls = (
    <div className="metrics-controls" style={{ flex: '0 0 auto', display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 4, padding: '3px 6px', background: 'var(--bg, #15171b)' }}>
      <ToolButton label="histogram" title="Histogram of one metric over every cluster" active={mode === 'histogram'} onClick={() => setMode('histogram')} />
      <ToolButton label="scatter" title="Scatter of two metrics, one point per cluster" active={mode === 'scatter'} onClick={() => setMode('scatter')} />
      <span style={{ display: 'inline-flex', alignItems: 'center', gap: 3 }}>
        {caption(mode === 'scatter' ? 'x' : 'metric')}
        {picker(mode === 'scatter' ? 'x metric' : 'metric', xMetric, (x) => setSettings({ x }))}
        <ToolButton label="log x" title={`Log scale for ${xMetric ?? 'x'}`} active={xLog} onClick={() => toggleLog(xMetric)} />
      </span>
      {mode === 'scatter' ? (
        <span style={{ display: 'inline-flex', alignItems: 'center', gap: 3 }}>
          {caption('y')}
          {picker('y metric', yMetric, (y) => setSettings({ y }))}
          <ToolButton label="log y" title={`Log scale for ${yMetric ?? 'y'}`} active={yLog} onClick={() => toggleLog(yMetric)} />
        </span>
      ) : null}
    </div>
  );

  const overlay = histogram ? (
    <>
      <Axes x={scaledAxis(axisTitle(xMetric!, xLog), histogram.scale)} y={{ title: 'clusters', range: [0, Infinity] }} />
      <ThresholdLines x={{ lines: xLines, scale: histogram.scale }} />
    </>
  ) : scatter ? (
    <>
      <Axes x={scaledAxis(axisTitle(xMetric!, xLog), scatter.xScale)} y={scaledAxis(axisTitle(yMetric!, yLog), scatter.yScale)} />
      <ThresholdLines x={{ lines: xLines, scale: scatter.xScale }} y={{ lines: yLines, scale: scatter.yScale }} />
    </>
  ) : null;

  return (
    <ViewFrame view={VIEW} viewId={viewId} state={layout ? 'ready' : 'empty'} generation={generation} placeholder={placeholder} status={status}>
      <div style={{ position: 'absolute', inset: 0, display: 'flex', flexDirection: 'column' }}>
        {controls}
        <div style={{ position: 'relative', flex: '1 1 auto', minHeight: 0 }}>
          <PlotCanvas label="Metrics" bounds={layout?.bounds ?? { x0: 0, x1: 1, y0: 0, y1: 1 }} resetKey={axesKey} onClick={onClick} lasso={lasso} overlay={overlay}>
            {bars ? <PlotTriangles data={bars} /> : null}
            {points ? <PlotPoints data={points} /> : null}
          </PlotCanvas>
          {nothing ? (
            <div role="note" style={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16, textAlign: 'center', color: 'var(--fg-muted, #8b919c)', fontSize: 13, pointerEvents: 'none' }}>
              {nothing}
            </div>
          ) : null}
        </div>
      </div>
    </ViewFrame>
  );
}
