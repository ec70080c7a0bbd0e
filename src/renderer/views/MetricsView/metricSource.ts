/**
 * The metrics MetricsView offers, and each cluster's value of one: the live quality metrics
 * (SpikeInterface's names, `store.quality`) first, then ClusterView's other numeric columns
 * (`n_spikes`, `fr`, `amp`, `depth`, `isi_viol`, the sorter's `ContamPct`, …) — the same values
 * the table shows and filters on, read through `numericValue`, their one owner.
 */
import type { ClusterInfo } from '../../../shared/ipc/contract';
import { isMetricColumn, METRIC_COLUMNS, numericColumns, numericValue, type MetricRows } from '../../store/clusterColumns';
import type { MetricColumn } from './metricsLayout';

/** Numeric columns that are identifiers, not measures of a cluster's quality. */
const NOT_METRICS = new Set(['id', 'ch', 'sh']);

/** The metrics that can be plotted: the quality metrics, then ClusterView's numeric columns in table order. */
export function metricNames(labelColumns: readonly string[], clusters: readonly ClusterInfo[]): string[] {
  const columns = numericColumns(labelColumns, clusters).filter((name) => !NOT_METRICS.has(name) && !isMetricColumn(name));
  return [...METRIC_COLUMNS.map((c) => c.name), ...columns];
}

/**
 * Every cluster's value of `metric` (NaN where it has none), in the order of `clusters`; for a
 * quality metric, `pending` counts the clusters whose row the backend has not sent yet.
 */
export function metricColumn(clusters: readonly ClusterInfo[], metric: string, metrics?: MetricRows): MetricColumn {
  const quality = isMetricColumn(metric);
  let pending = 0;
  const values = Float64Array.from(clusters, (c) => {
    if (quality && !(metric in c.labels) && !metrics?.[c.id]) pending++;
    return numericValue(c, metric, metrics) ?? NaN;
  });
  return { ids: clusters.map((c) => c.id), values, pending };
}
