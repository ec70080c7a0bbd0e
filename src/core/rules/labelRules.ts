/**
 * Rule-based labels: threshold rules over quality metrics (SpikeInterface's names) or any cluster
 * column, in the spirit of SpikeInterface's `threshold_metrics_label_units`
 * (`spikeinterface/curation/threshold_metrics_curation.py`): per metric a `{min, max}` range the
 * cluster must lie in (both inclusive, `null` = no bound), a NaN policy, and a label for the
 * clusters that fail. Like SpikeInterface's Bombcell labelling
 * (`curation/bombcell_curation.py`: noise first, then mua among the rest, with non-somatic
 * overriding), the labels are tried in order and a cluster gets the first one whose rule it
 * fails; a cluster that fails none gets `otherwise` (`good`).
 *
 * Differences from SpikeInterface, and why:
 * - SpikeInterface's `operator="and"` (pass all bounds, else fail) is our `match: "any"` (the
 *   label applies when any bound fails); its `"or"` is our `"all"` (only when every judged bound
 *   fails). Said from the label's side because the curator reads "noise when …".
 * - `nan` is set per label and may be overridden per metric; SpikeInterface has one per call.
 *   Its `"ignore"` is our `"skip"`: the metric gives no verdict for that cluster. A metric the
 *   rows do not have at all (e.g. `amplitude_median` without `amplitudes.npy`) counts as NaN.
 * - A label may also carry an `expression` (ClusterView's filter language,
 *   `core/filterExpression`): the label applies when the expression is true, or when a bound
 *   fails. A comparison with a missing value is false.
 */
import { compileFilter, type FilterValue } from '../filterExpression';

/** What a missing (NaN, null, absent) value counts as: inside the bounds, outside, or no verdict. */
export type NanPolicy = 'pass' | 'fail' | 'skip';

/** The NaN policies, in the order the dialog offers them. */
export const NAN_POLICIES: readonly NanPolicy[] = ['fail', 'pass', 'skip'];

/** The range a metric must lie in (inclusive); `null` or absent = that side is not bounded. */
export interface MetricBound {
  min?: number | null;
  max?: number | null;
  /** Overrides the label's {@link LabelRule.nan} for this metric. */
  nan?: NanPolicy;
}

/** One label and the rule that gives it. */
export interface LabelRule {
  /** The `group` value given (`noise`, `mua`, `non-somatic`, or any label). */
  label: string;
  /** Metric or column name → the range a cluster must lie in to escape this label. */
  thresholds: Record<string, MetricBound>;
  /** `any` (default): the label applies when any bound fails; `all`: when every judged bound fails. */
  match?: 'any' | 'all';
  /** NaN policy of this label's bounds (default `skip`). */
  nan?: NanPolicy;
  /** Optional filter expression (`num_positive_peaks > 3 && snr < 2`): the label also applies when it is true. */
  expression?: string;
  /** One line saying where the thresholds come from (shown in the dialog and `spikedock label`). */
  note?: string;
}

/** A rule set: labels tried in order, then `otherwise`. */
export interface RuleSet {
  /** Tried in order; a cluster gets the first label whose rule it fails. */
  labels: LabelRule[];
  /** Label of clusters no rule matches (`good`), or null to leave them as they are. */
  otherwise: string | null;
  /** One line naming the rule set (`Bombcell defaults`). */
  description?: string;
}

/** One row of metrics and columns of a cluster (`cluster_id` plus any named value). */
export type RuleRow = { readonly cluster_id: number } & { readonly [name: string]: number | string | boolean | null | undefined };

/** A metric's verdict on one cluster. */
export type Verdict = 'pass' | 'fail' | 'skip';

/** Counts of verdicts of one metric over all clusters, per label that bounds it. */
export interface MetricCounts {
  pass: number;
  fail: number;
  /** Missing value with policy `skip`. */
  skip: number;
  /** Missing values (NaN, null or absent), whatever the policy made of them. */
  nan: number;
}

/** What {@link evaluateRules} found. */
export interface RuleEvaluation {
  /** Cluster id → label (clusters that got none are absent: only when `otherwise` is null). */
  labels: Map<number, string>;
  /** Label → clusters, every label of the rule set (and `otherwise`) listed, zero included. */
  counts: Record<string, number>;
  /** `<label>.<metric>` → verdict counts over every row (the metrics of every label are judged on every row). */
  perMetric: Record<string, MetricCounts>;
  /** Cluster id → why it got its label (`snr 3.1 < 5`), absent for `otherwise`. */
  reasons: Map<number, string>;
  /** Metrics the rules name that no row has (so every cluster counts them as NaN). */
  missing: string[];
}

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || v === '';
}

function numeric(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return v.trim() === '' ? NaN : Number(v);
  return NaN;
}

/** Whether a bound has at least one side (SpikeInterface skips a metric with both disabled). */
export function isBounded(b: MetricBound): boolean {
  return (b.min !== null && b.min !== undefined) || (b.max !== null && b.max !== undefined);
}

/**
 * The verdict of one bound on one value: `pass` inside [min, max] (inclusive, as SpikeInterface's
 * `values >= min` and `values <= max`), `fail` outside, and for a missing or non-numeric value
 * the NaN policy (`fallback` when the bound has none).
 */
export function boundVerdict(b: MetricBound, value: unknown, fallback: NanPolicy = 'skip'): Verdict {
  const x = numeric(value);
  if (isMissing(value) || Number.isNaN(x)) return b.nan ?? fallback;
  if (b.min !== null && b.min !== undefined && x < b.min) return 'fail';
  if (b.max !== null && b.max !== undefined && x > b.max) return 'fail';
  return 'pass';
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(3)));
}

function failText(metric: string, b: MetricBound, value: unknown): string {
  const x = numeric(value);
  if (isMissing(value) || Number.isNaN(x)) return `${metric} is missing`;
  if (b.min !== null && b.min !== undefined && x < b.min) return `${metric} ${formatNumber(x)} < ${formatNumber(b.min)}`;
  return `${metric} ${formatNumber(x)} > ${formatNumber(b.max as number)}`;
}

/** Every name a rule set reads (bounded metrics and the names its expressions could use are not known here). */
export function ruleMetrics(rules: RuleSet): string[] {
  const out = new Set<string>();
  for (const l of rules.labels) for (const [m, b] of Object.entries(l.thresholds)) if (isBounded(b)) out.add(m);
  return [...out];
}

/**
 * Labels every row by the rule set: for each row, the labels in order; a label applies when its
 * bounds fail (`match: any` — any judged bound fails; `all` — at least one bound is judged and
 * all judged fail) or its expression is true; the first that applies is the row's label, else
 * `otherwise`. Every label's bounds are also counted on every row (`perMetric`), so the dialog
 * can say how many clusters each threshold rejects. O(rows × bounds).
 * @throws FilterSyntaxError when an expression is malformed or names a column no row has and no
 * rule bounds (the message names the label).
 */
export function evaluateRules(rules: RuleSet, rows: readonly RuleRow[]): RuleEvaluation {
  const columns = new Set<string>(ruleMetrics(rules));
  for (const r of rows) for (const k of Object.keys(r)) columns.add(k);
  const expressions = rules.labels.map((l) => {
    if (!l.expression || l.expression.trim() === '') return null;
    try {
      return compileFilter<RuleRow>(l.expression, columns, (row, c) => {
        const v = row[c];
        return v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? null : (v as FilterValue);
      });
    } catch (e) {
      (e as Error).message = `label ${JSON.stringify(l.label)}: expression ${JSON.stringify(l.expression)}: ${(e as Error).message}`;
      throw e;
    }
  });
  const counts: Record<string, number> = {};
  for (const l of rules.labels) counts[l.label] = 0;
  if (rules.otherwise !== null) counts[rules.otherwise] ??= 0;
  const perMetric: Record<string, MetricCounts> = {};
  const present = new Set<string>();
  for (const r of rows) for (const [k, v] of Object.entries(r)) if (v !== undefined) present.add(k);
  const labels = new Map<number, string>();
  const reasons = new Map<number, string>();
  for (const row of rows) {
    let chosen: string | null = null;
    let why = '';
    rules.labels.forEach((l, li) => {
      const fallback = l.nan ?? 'skip';
      let judged = 0;
      let failed = 0;
      let firstFail = '';
      for (const [m, b] of Object.entries(l.thresholds)) {
        if (!isBounded(b)) continue;
        const v = row[m];
        const verdict = boundVerdict(b, v, fallback);
        const key = `${l.label}.${m}`;
        const c = (perMetric[key] ??= { pass: 0, fail: 0, skip: 0, nan: 0 });
        c[verdict]++;
        if (isMissing(v) || Number.isNaN(numeric(v))) c.nan++;
        if (verdict === 'skip') continue;
        judged++;
        if (verdict === 'fail') {
          failed++;
          if (!firstFail) firstFail = failText(m, b, v);
        }
      }
      const byBounds = (l.match ?? 'any') === 'any' ? failed > 0 : judged > 0 && failed === judged;
      const byExpression = expressions[li]?.(row) ?? false;
      if (chosen === null && (byBounds || byExpression)) {
        chosen = l.label;
        why = byBounds ? firstFail + ((l.match ?? 'any') === 'all' && failed > 1 ? ` and ${failed - 1} more` : '') : l.expression!;
      }
    });
    if (chosen === null && rules.otherwise !== null) chosen = rules.otherwise;
    if (chosen === null) continue;
    labels.set(row.cluster_id, chosen);
    counts[chosen] = (counts[chosen] ?? 0) + 1;
    if (why) reasons.set(row.cluster_id, why);
  }
  const missing = rows.length ? ruleMetrics(rules).filter((m) => !present.has(m)) : [];
  return { labels, counts, perMetric, reasons, missing };
}

/** What {@link metricVerdict} says about one cell. */
export interface CellVerdict {
  verdict: Verdict;
  /** Labels whose bounds the value fails (empty when it passes). */
  labels: string[];
}

/**
 * The verdict of the active rules on one metric value, for colouring a cell of ClusterView or
 * MetricsView: `fail` when any label's bound on `metric` rejects the value (its NaN policy
 * applied to a missing value), `pass` when at least one bounds it and none rejects it, `skip`
 * for a missing value no policy judges; null when no label bounds the metric.
 */
export function metricVerdict(rules: RuleSet | null | undefined, metric: string, value: unknown): CellVerdict | null {
  if (!rules) return null;
  let bounded = false;
  let passed = false;
  const failing: string[] = [];
  for (const l of rules.labels) {
    const b = l.thresholds[metric];
    if (!b || !isBounded(b)) continue;
    bounded = true;
    const v = boundVerdict(b, value, l.nan ?? 'skip');
    if (v === 'fail') failing.push(l.label);
    else if (v === 'pass') passed = true;
  }
  if (!bounded) return null;
  return { verdict: failing.length ? 'fail' : passed ? 'pass' : 'skip', labels: failing };
}

/** One threshold line of a metric (for MetricsView's histograms): the label and its bound. */
export interface ThresholdLine {
  label: string;
  side: 'min' | 'max';
  value: number;
}

/** The thresholds the rules put on one metric, in label order. */
export function metricThresholds(rules: RuleSet | null | undefined, metric: string): ThresholdLine[] {
  const out: ThresholdLine[] = [];
  for (const l of rules?.labels ?? []) {
    const b = l.thresholds[metric];
    if (!b) continue;
    if (b.min !== null && b.min !== undefined) out.push({ label: l.label, side: 'min', value: b.min });
    if (b.max !== null && b.max !== undefined) out.push({ label: l.label, side: 'max', value: b.max });
  }
  return out;
}
