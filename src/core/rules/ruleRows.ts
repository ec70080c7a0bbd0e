/**
 * The rows label rules read (`evaluateRules`): per cluster, its quality metrics — only those the
 * rules bound or their expressions name, because the PCA metrics alone cost seconds per hundred
 * clusters — and its labels (`group` and the sorter's columns such as `KSLabel`).
 */
import type { Dataset } from '../dataset/Dataset';
import { filterNames } from '../filterExpression';
import { computeQualityMetrics, METRIC_NAMES, type MetricName } from '../metrics/qualityMetrics';
import type { ClusterMeta } from '../session/ClusterMeta';
import type { ClusteringView } from '../session/ClusteringView';
import { ruleMetrics, type RuleRow, type RuleSet } from './labelRules';

/** The metrics (of {@link METRIC_NAMES}) a rule set reads. */
export function metricsOfRules(rules: RuleSet): MetricName[] {
  const named = new Set(ruleMetrics(rules));
  for (const l of rules.labels) if (l.expression) for (const n of filterNames(l.expression)) named.add(n);
  return METRIC_NAMES.filter((m) => named.has(m));
}

/**
 * One {@link RuleRow} per cluster of `clustering` (ascending ids): the metrics the rules read,
 * plus `group` and the other label columns of `meta` (none when `meta` is null). Runs
 * `computeQualityMetrics`: meant for the CLI, the bench and background work, not a UI thread.
 */
export function ruleRows(ds: Dataset, clustering: ClusteringView, meta: ClusterMeta | null, rules: RuleSet): RuleRow[] {
  const metrics = metricsOfRules(rules);
  const rows = metrics.length === 0 ? clustering.clusterIds().map((id) => ({ cluster_id: id })) : computeQualityMetrics(ds, clustering, { metrics });
  const columns = meta ? ['group', ...meta.labelColumns()] : [];
  return rows.map((r) => {
    const row: Record<string, number | string | null> = { ...(r as Record<string, number | string>) };
    for (const c of columns) if (!(c in row)) row[c] = meta!.get(c, r.cluster_id);
    return row as RuleRow;
  });
}
