/**
 * MetricsView's pure part: which metrics there are, their units and default scales, and where
 * each cluster lands — in the histogram of one metric (NumPy's 'auto' bins, each cluster a
 * unit-high block of its bar) or in the scatter of two. The plot, the click and the lasso all
 * place clusters with these layouts, so they always agree. {@link blockRank} orders a bar's blocks. A cluster without a value (NaN, not
 * computed yet) is left out of the plot and counted, never silently dropped.
 */
import { histogramBin, histogramBinEdges, histogramWithEdges } from '../../../core/metrics/stats';
import { padRect, safeRect, type Rect } from '../../plot/rect';
import { axisScale, type AxisScale, type ClusterPoints } from '../clusterPoints';

export const VIEW = 'MetricsView';

export type MetricsMode = 'histogram' | 'scatter';

export interface MetricsSettings {
  mode: MetricsMode;
  /** The histogram's metric, and the scatter's x. */
  x: string;
  /** The scatter's y. */
  y: string;
  /** Log scale per metric, where the curator chose one (else {@link defaultLog}). */
  log: Record<string, boolean>;
}

export const METRICS_DEFAULTS: MetricsSettings = { mode: 'histogram', x: 'firing_rate', y: 'snr', log: {} };

/** Preferred metrics when the stored one has no values, in order (SpikeInterface's names, then ClusterView's). */
const PREFERRED_X = ['firing_rate', 'fr', 'n_spikes'];
const PREFERRED_Y = ['snr', 'amplitude_median', 'amp', 'isi_violations_ratio', 'isi_viol', 'n_spikes'];

/**
 * The metric shown: `stored` if it is one of `available`, else the first preferred one there,
 * else the first available one (null when there is none).
 */
export function effectiveMetric(stored: string, available: readonly string[], axis: 'x' | 'y'): string | null {
  if (available.includes(stored)) return stored;
  return (axis === 'x' ? PREFERRED_X : PREFERRED_Y).find((m) => available.includes(m)) ?? available[0] ?? null;
}

/** Units of the metrics that have one (SpikeInterface's; ClusterView's `fr`, `depth`). Ratios, counts and fractions have none. */
const UNITS: Record<string, string> = {
  firing_rate: 'Hz',
  fr: 'Hz',
  firing_range: 'Hz',
  depth: 'µm',
  drift_ptp: 'µm',
  drift_std: 'µm',
  drift_mad: 'µm',
  peak_to_valley: 's',
  half_width: 's',
};

/**
 * Metrics spread over decades, drawn on a log scale unless the curator says otherwise: rates
 * (0.05–100 Hz on one probe), SNR and isolation distance (a few to hundreds), spike counts.
 */
const LOG_BY_DEFAULT = new Set(['firing_rate', 'fr', 'snr', 'isolation_distance', 'num_spikes', 'n_spikes']);

/** Whether `metric` is on a log scale: the curator's choice, else {@link LOG_BY_DEFAULT}. */
export function isLog(metric: string, chosen: Readonly<Record<string, boolean>>): boolean {
  return chosen[metric] ?? LOG_BY_DEFAULT.has(metric);
}

/** An axis title: the metric's name, then its unit and scale (`firing_rate (Hz, log)`). */
export function axisTitle(metric: string, log: boolean): string {
  const extra = [UNITS[metric], log ? 'log' : undefined].filter(Boolean).join(', ');
  return extra ? `${metric} (${extra})` : metric;
}

/** "12 clusters without snr" (null when none lacks it). */
export function missingText(metric: string, missing: number): string | null {
  if (missing === 0) return null;
  return `${missing} cluster${missing === 1 ? '' : 's'} without ${metric}`;
}

/** One metric over clusters: their ids, and each one's value (NaN when it has none), (n,). */
export interface MetricColumn {
  ids: readonly number[];
  values: Float64Array;
  /** Of the NaN values, those not computed yet (the live metrics arrive progressively); default 0. */
  pending?: number;
}

/**
 * The histogram of one metric. Points (`ids`, `x`, `y`, ClusterPoints) are the clusters with a
 * value: x at their own value (after the scale), y at the middle of their unit block in their
 * bar (blocks stacked by rank, see {@link histogramLayout}).
 */
export interface HistogramLayout extends ClusterPoints {
  ids: number[];
  x: Float64Array;
  y: Float64Array;
  /** Bin of each point, (n,). */
  bin: Int32Array;
  /** Bin edges in plot coordinates (after the scale), (nBins + 1,). */
  edges: Float64Array;
  /** Clusters per bin, (nBins,). */
  counts: Int32Array;
  scale: AxisScale;
  /** Clusters without a value (not counting those not computed yet). */
  missing: number;
  bounds: Rect;
}

/**
 * Places `column` as a histogram (null when no cluster has a value). Bins are NumPy's 'auto'
 * edges of the plotted values: equal in log10 on a log scale. Within a bar, blocks are stacked
 * from the bottom by `rank` (lowest first: the selection, then the clusters that fail the rules,
 * so that each colour is one run), then by id.
 */
export function histogramLayout(column: MetricColumn, log: boolean, rank: (clusterId: number) => number = () => 0): HistogramLayout | null {
  const scale = axisScale(finiteOnly(column.values), log);
  const ids: number[] = [];
  const world: number[] = [];
  column.ids.forEach((id, i) => {
    const w = scale.forward(column.values[i]);
    if (Number.isFinite(w)) {
      ids.push(id);
      world.push(w);
    }
  });
  if (ids.length === 0) return null;
  const edges = histogramBinEdges(world);
  const counts = histogramWithEdges(world, edges);
  const bin = Int32Array.from(world, (w) => histogramBin(edges, w));
  const order = ids.map((_, i) => i).sort((a, b) => rank(ids[a]) - rank(ids[b]) || ids[a] - ids[b]);
  const filled = new Int32Array(counts.length);
  const y = new Float64Array(ids.length);
  for (const i of order) y[i] = filled[bin[i]]++ + 0.5;
  let maxCount = 0;
  for (const c of counts) maxCount = Math.max(maxCount, c);
  // Room under the bars for the ticks that mark the selected clusters' exact values.
  const bounds = { ...padRect(safeRect({ x0: edges[0], x1: edges[edges.length - 1], y0: 0, y1: maxCount }), 0.04, 0.06), y0: -maxCount * 0.08 };
  return { ids, x: Float64Array.from(world), y, bin, edges, counts, scale, missing: column.ids.length - ids.length - (column.pending ?? 0), bounds };
}

/** The clusters of the bar under (x, y) in plot coordinates (empty when it is not on a bar). */
export function clustersInBar(layout: HistogramLayout, x: number, y: number): number[] {
  const b = histogramBin(layout.edges, x);
  if (b < 0 || y < 0 || y > layout.counts[b]) return [];
  return layout.ids.filter((_, i) => layout.bin[i] === b);
}

/** The scatter of two metrics: the clusters that have both values. */
export interface MetricScatterLayout extends ClusterPoints {
  ids: number[];
  x: Float64Array;
  y: Float64Array;
  xScale: AxisScale;
  yScale: AxisScale;
  /** Clusters without an x value, and without a y value (not counting those not computed yet). */
  missingX: number;
  missingY: number;
  bounds: Rect;
}

/** Places every cluster of `xs` (and the same clusters of `ys`) in the scatter; null when none has both values. */
export function scatterLayout(xs: MetricColumn, ys: MetricColumn, xLog: boolean, yLog: boolean): MetricScatterLayout | null {
  const xScale = axisScale(finiteOnly(xs.values), xLog);
  const yScale = axisScale(finiteOnly(ys.values), yLog);
  const ids: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  let missingX = 0;
  let missingY = 0;
  xs.ids.forEach((id, i) => {
    const wx = xScale.forward(xs.values[i]);
    const wy = yScale.forward(ys.values[i]);
    if (!Number.isFinite(wx)) missingX++;
    if (!Number.isFinite(wy)) missingY++;
    if (Number.isFinite(wx) && Number.isFinite(wy)) {
      ids.push(id);
      x.push(wx);
      y.push(wy);
    }
  });
  if (ids.length === 0) return null;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < ids.length; i++) {
    x0 = Math.min(x0, x[i]);
    x1 = Math.max(x1, x[i]);
    y0 = Math.min(y0, y[i]);
    y1 = Math.max(y1, y[i]);
  }
  const bounds = padRect(safeRect({ x0, x1, y0, y1 }), 0.06, 0.06);
  missingX -= xs.pending ?? 0;
  missingY -= ys.pending ?? 0;
  return { ids, x: Float64Array.from(x), y: Float64Array.from(y), xScale, yScale, missingX, missingY, bounds };
}

/** The finite values (a log scale's shift is found from these: a NaN must not hide a zero). */
function finiteOnly(values: Float64Array): Float64Array {
  return values.filter((v) => Number.isFinite(v));
}

/**
 * The stacking rank of a cluster's block in its bar: selected clusters first (in selection
 * order), then those the rules fail, then those they pass, then the rest — so each colour of a
 * bar is one run and the selection sits on the axis.
 */
export function blockRank(selected: readonly number[], verdict: (clusterId: number) => string | null): (clusterId: number) => number {
  const slot = new Map(selected.map((id, k) => [id, k]));
  const n = selected.length;
  return (id) => {
    const k = slot.get(id);
    if (k !== undefined) return k;
    const v = verdict(id);
    return n + (v === 'fail' ? 0 : v === 'pass' ? 1 : 2);
  };
}
