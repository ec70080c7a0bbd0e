/**
 * Label rules in the renderer: the active rule set (store state, so ClusterView and MetricsView
 * colour metric cells pass/fail with {@link selectMetricVerdict}), and the preview the "Label by
 * rules…" dialog shows before applying: how many clusters each label would get, evaluated on
 * the store's rows (ClusterView's columns, the live quality metrics among them).
 * The evaluation itself is core's (`core/rules`); this module only gathers the rows.
 */
import { isUnlabelledGroup } from '../../core/dataset/datasetInfo';
import { bombcellDefaultRules } from '../../core/rules/bombcell';
import { evaluateRules, metricVerdict, type CellVerdict, type RuleEvaluation, type RuleRow, type RuleSet } from '../../core/rules/labelRules';
import type { ClusterInfo } from '../../shared/ipc/contract';
import type { BackendClient } from '../backend/BackendClient';
import type { AppState } from './AppState';
import type { AppStore } from './appStore';
import { columnValue, filterableColumns, type MetricRows } from './clusterColumns';

/** The active rule set and where it came from (`Bombcell's defaults`, a file name, the dataset's saved rules). */
export interface LabelRulesState {
  rules: RuleSet;
  source: string;
  /** The dataset whose saved rules were looked for (null: not yet). */
  loadedFor: string | null;
}

/** The state before any dataset: Bombcell's defaults. */
export function initialLabelRules(): LabelRulesState {
  return { rules: bombcellDefaultRules(), source: "Bombcell's defaults", loadedFor: null };
}

/** The live quality rows (`AppState.quality.rows`, filled from the backend as metrics are computed). */
export function qualityRowsOf(s: AppState): MetricRows {
  return s.quality.rows;
}

/**
 * One rule row per cluster: every column ClusterView's filter knows (`n_spikes`, `fr`, `group`,
 * `KSLabel`, …, and every quality metric, null while its row is not computed), read the way the
 * filter reads them ({@link columnValue}).
 */
export function storeRuleRows(clusters: readonly ClusterInfo[], labelColumns: readonly string[], quality: MetricRows | undefined): RuleRow[] {
  const columns = filterableColumns(labelColumns);
  return clusters.map((c) => {
    const row: Record<string, number | string | boolean | null | undefined> = {};
    for (const name of columns) row[name] = columnValue(c, name, quality);
    // ClusterView has no num_spikes column (it is n_spikes); rules use SpikeInterface's name.
    row.num_spikes = quality?.[c.id]?.num_spikes ?? c.nSpikes;
    row.cluster_id = c.id;
    return row as RuleRow;
  });
}

/** What applying the rules would do. */
export interface RulePreview {
  evaluation: RuleEvaluation;
  /** Clusters that would change, in table order, and the label each would get. */
  clusterIds: number[];
  values: string[];
  /** Per label, the clusters that would get it (those that change), every label listed. */
  counts: Record<string, number>;
  /** Clusters left as they are because they already have a group (when not overwriting). */
  kept: number;
  /** Clusters whose quality metrics the store has. */
  withMetrics: number;
}

/**
 * Evaluates the rules on the store's rows and keeps what would change: clusters without a group
 * ({@link isUnlabelledGroup}, the backend's rule) unless `overwrite`, and not those that already
 * have the label — the same selection the backend makes when applying.
 * @throws FilterSyntaxError when an expression is malformed (message names the label)
 */
export function previewRuleLabels(rules: RuleSet, clusters: readonly ClusterInfo[], labelColumns: readonly string[], quality: MetricRows | undefined, overwrite: boolean): RulePreview {
  const evaluation = evaluateRules(rules, storeRuleRows(clusters, labelColumns, quality));
  const counts: Record<string, number> = {};
  for (const label of Object.keys(evaluation.counts)) counts[label] = 0;
  const clusterIds: number[] = [];
  const values: string[] = [];
  let kept = 0;
  for (const c of clusters) {
    const label = evaluation.labels.get(c.id);
    if (label === undefined || c.group === label) continue;
    if (!overwrite && !isUnlabelledGroup(c.group)) {
      kept++;
      continue;
    }
    clusterIds.push(c.id);
    values.push(label);
    counts[label] = (counts[label] ?? 0) + 1;
  }
  const withMetrics = quality ? clusters.filter((c) => quality[c.id] !== undefined).length : 0;
  return { evaluation, clusterIds, values, counts, kept, withMetrics };
}

/** The active rule set. */
export const selectLabelRules = (s: AppState): RuleSet => s.labelRules.rules;

/**
 * The active rules' verdict on one metric cell (ClusterView, MetricsView): `fail` (with the
 * labels whose bounds reject it), `pass`, `skip`, or null when no rule bounds that metric.
 */
export function selectMetricVerdict(s: AppState, metric: string, value: unknown): CellVerdict | null {
  return metricVerdict(s.labelRules.rules, metric, value);
}

/**
 * Makes the dataset's saved rule set (`.spikedock/label_rules.json`, the last one applied) the
 * active one, once per dataset; without one the active rules stay as they are. A saved file that
 * cannot be used is reported (its message names the file) and the active rules are kept.
 */
export async function loadSavedLabelRules(store: AppStore, backend: BackendClient): Promise<void> {
  const path = store.getState().dataset?.path ?? null;
  if (path === null || store.getState().labelRules.loadedFor === path) return;
  let saved: RuleSet | null = null;
  let problem: string | null = null;
  try {
    saved = await backend.session.labelRules();
  } catch (e) {
    problem = e instanceof Error ? e.message : String(e);
  }
  store.update((d) => {
    if (d.dataset?.path !== path) return;
    d.labelRules.loadedFor = path;
    if (saved) {
      d.labelRules.rules = saved;
      d.labelRules.source = 'the rules last applied to this dataset';
    }
    if (problem) d.messages.push({ id: Math.min(0, ...d.messages.map((m) => m.id)) - 1, level: 'warning', text: problem });
  }, { capture: 'none' });
}
