/**
 * The metrics MetricsView offers, and each cluster's value of one. Today these are ClusterView's
 * numeric columns (`fr`, `amp`, `n_spikes`, `isi_viol`, the sorter's `ContamPct`, …): the same
 * values the table shows and filters on, read through `numericValue`, their one owner.
 */
import type { ClusterInfo } from '../../../shared/ipc/contract';
import { numericColumns, numericValue } from '../../store/clusterColumns';
import type { MetricColumn } from './metricsLayout';

/** Numeric columns that are identifiers, not measures of a cluster's quality. */
const NOT_METRICS = new Set(['id', 'ch', 'sh']);

/** The metrics that can be plotted, in ClusterView's column order. */
export function metricNames(labelColumns: readonly string[], clusters: readonly ClusterInfo[]): string[] {
  return numericColumns(labelColumns, clusters).filter((name) => !NOT_METRICS.has(name));
}

/** Every cluster's value of `metric` (NaN where it has none), in the order of `clusters`. */
export function metricColumn(clusters: readonly ClusterInfo[], metric: string): MetricColumn {
  return { ids: clusters.map((c) => c.id), values: Float64Array.from(clusters, (c) => numericValue(c, metric) ?? NaN) };
}
