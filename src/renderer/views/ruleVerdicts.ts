/**
 * Metrics judged against the active label rules (`metricVerdict`, `metricThresholds` of
 * core/rules), for ClusterView's cells and MetricsView's points, bars and threshold lines.
 * Pass/fail colours:
 * muted green and red, distinct from the saturated selection colours (1st blue, 2nd red, …) so a
 * failing cluster never reads as the 2nd selected one. Table cells use the theme's
 * `--verdict-pass-bg` / `--verdict-fail-bg` tints instead (see theme.css).
 */
import { metricThresholds, metricVerdict, type RuleSet, type ThresholdLine, type Verdict } from '../../core/rules/labelRules';
import type { Rgba } from '../plot/color';

export const VERDICT_RGBA: Readonly<Record<'pass' | 'fail', Rgba>> = {
  pass: [0.38, 0.72, 0.5, 0.8],
  fail: [0.86, 0.42, 0.38, 0.85],
};

/**
 * One verdict for a cluster over several metrics (a scatter point judged on its x and y): `fail`
 * when any bounded metric fails, `pass` when one passes and none fails, `skip` when the bounded
 * ones have no verdict; null when the rules bound none of them.
 */
export function combinedVerdict(rules: RuleSet | null, values: ReadonlyArray<readonly [metric: string, value: unknown]>): Verdict | null {
  let out: Verdict | null = null;
  for (const [metric, value] of values) {
    const v = metricVerdict(rules, metric, value)?.verdict;
    if (v === 'fail') return 'fail';
    if (v === 'pass' || (v === 'skip' && out === null)) out = v;
  }
  return out;
}

/** A threshold as the curator reads it: which label a cluster gets beyond it (`mua < 300`, `noise > 2`). */
export function thresholdText(t: ThresholdLine): string {
  return `${t.label} ${t.side === 'min' ? '<' : '>'} ${Number(t.value.toPrecision(3))}`;
}

/**
 * The verdict of the rules on one cell and its tooltip (`fails mua (mua < 300)`); null when no
 * rule bounds `metric`.
 */
export function judgeCell(rules: RuleSet | null, metric: string, value: unknown): { verdict: Verdict; title: string } | null {
  const judged = metricVerdict(rules, metric, value);
  if (!judged) return null;
  const bounds = metricThresholds(rules, metric).map(thresholdText).join('; ');
  const title = judged.verdict === 'fail' ? `fails ${judged.labels.join(', ')} (${bounds})` : judged.verdict === 'pass' ? `passes the rules (${bounds})` : `no value to judge (${bounds})`;
  return { verdict: judged.verdict, title };
}
