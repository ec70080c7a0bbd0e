/**
 * The rules JSON file (`label_rules.json`, `spikedock label --rules`, the dialog's load/save):
 *
 * ```json
 * { "format": "spikedock-label-rules", "version": 1,
 *   "labels": [ { "label": "noise", "nan": "skip", "match": "any",
 *                 "thresholds": { "num_positive_peaks": { "max": 2 } },
 *                 "expression": "snr < 1" } ],
 *   "otherwise": "good" }
 * ```
 *
 * SpikeInterface's threshold dictionary is read too: `{ "<label>": { "<metric>": { "min": x,
 * "max": y } }, … }` (the shape of `bombcell_get_default_thresholds`), labels tried in the file's
 * order, NaN = fail (`threshold_metrics_label_units`' default), `good` otherwise.
 *
 * Checked by hand rather than with zod: core has no dependencies, and every message must name the
 * file and the field (`rules.json: labels[1].thresholds.snr.min: expected a number or null, got "5"`).
 */
import { labelProblem } from '../session/ClusterMeta';
import { NAN_POLICIES, type LabelRule, type MetricBound, type NanPolicy, type RuleSet } from './labelRules';

/** The `format` value of a rules file. */
export const RULE_FILE_FORMAT = 'spikedock-label-rules';

/** A rules file that cannot be used; the message names the file and the field. */
export class RuleFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleFileError';
  }
}

const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function got(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function checkLabel(source: string, where: string, v: unknown): string {
  if (typeof v !== 'string' || v === '') throw new RuleFileError(`${source}: ${where}: expected a label name (a non-empty string), got ${got(v)}`);
  const problem = labelProblem('group', v);
  if (problem) throw new RuleFileError(`${source}: ${where}: ${problem}`);
  return v;
}

function checkNan(source: string, where: string, v: unknown): NanPolicy {
  if (!NAN_POLICIES.includes(v as NanPolicy)) throw new RuleFileError(`${source}: ${where}: expected one of ${NAN_POLICIES.map((p) => `"${p}"`).join(', ')}, got ${got(v)}`);
  return v as NanPolicy;
}

function checkBound(source: string, where: string, v: unknown): MetricBound {
  if (!isObject(v)) throw new RuleFileError(`${source}: ${where}: expected {"min": x, "max": y}, got ${got(v)}`);
  const out: MetricBound = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'min' || k === 'max') {
      if (x !== null && (typeof x !== 'number' || !Number.isFinite(x))) throw new RuleFileError(`${source}: ${where}.${k}: expected a number or null, got ${got(x)}`);
      out[k] = x;
    } else if (k === 'nan') out.nan = checkNan(source, `${where}.nan`, x);
    else throw new RuleFileError(`${source}: ${where}: unknown key ${got(k)} (min, max, nan)`);
  }
  if (typeof out.min === 'number' && typeof out.max === 'number' && out.min > out.max) {
    throw new RuleFileError(`${source}: ${where}: min ${out.min} is greater than max ${out.max}, so every cluster would fail`);
  }
  return out;
}

function checkThresholds(source: string, where: string, v: unknown): Record<string, MetricBound> {
  if (!isObject(v)) throw new RuleFileError(`${source}: ${where}: expected {"<metric>": {"min": x, "max": y}, …}, got ${got(v)}`);
  const out: Record<string, MetricBound> = {};
  for (const [m, b] of Object.entries(v)) {
    if (!METRIC_NAME.test(m)) throw new RuleFileError(`${source}: ${where}: ${got(m)} is not a metric or column name`);
    out[m] = checkBound(source, `${where}.${m}`, b);
  }
  return out;
}

function checkRule(source: string, where: string, v: unknown): LabelRule {
  if (!isObject(v)) throw new RuleFileError(`${source}: ${where}: expected {"label": …, "thresholds": {…}}, got ${got(v)}`);
  const known = new Set(['label', 'thresholds', 'match', 'nan', 'expression', 'note']);
  for (const k of Object.keys(v)) if (!known.has(k)) throw new RuleFileError(`${source}: ${where}: unknown key ${got(k)} (${[...known].join(', ')})`);
  const rule: LabelRule = { label: checkLabel(source, `${where}.label`, v.label), thresholds: v.thresholds === undefined ? {} : checkThresholds(source, `${where}.thresholds`, v.thresholds) };
  if (v.match !== undefined) {
    if (v.match !== 'any' && v.match !== 'all') throw new RuleFileError(`${source}: ${where}.match: expected "any" or "all", got ${got(v.match)}`);
    rule.match = v.match;
  }
  if (v.nan !== undefined) rule.nan = checkNan(source, `${where}.nan`, v.nan);
  if (v.expression !== undefined) {
    if (typeof v.expression !== 'string') throw new RuleFileError(`${source}: ${where}.expression: expected a filter expression (a string), got ${got(v.expression)}`);
    rule.expression = v.expression;
  }
  if (v.note !== undefined) {
    if (typeof v.note !== 'string') throw new RuleFileError(`${source}: ${where}.note: expected a string, got ${got(v.note)}`);
    rule.note = v.note;
  }
  if (Object.keys(rule.thresholds).length === 0 && !rule.expression?.trim()) {
    throw new RuleFileError(`${source}: ${where}: label ${got(rule.label)} has neither thresholds nor an expression, so it would never apply`);
  }
  return rule;
}

/**
 * Reads a rule set from parsed JSON (our format or SpikeInterface's threshold dictionary).
 * `source` names the file in messages.
 * @throws RuleFileError naming the file and the field
 */
export function parseRuleSet(json: unknown, source: string): RuleSet {
  if (!isObject(json)) throw new RuleFileError(`${source}: expected a JSON object with "labels", got ${got(json)}`);
  let rules: RuleSet;
  if ('labels' in json || 'format' in json) {
    if (json.format !== undefined && json.format !== RULE_FILE_FORMAT) throw new RuleFileError(`${source}: format: expected "${RULE_FILE_FORMAT}", got ${got(json.format)}`);
    if (json.version !== undefined && json.version !== 1) throw new RuleFileError(`${source}: version: only version 1 is known, got ${got(json.version)}`);
    const known = new Set(['format', 'version', 'labels', 'otherwise', 'description']);
    for (const k of Object.keys(json)) if (!known.has(k)) throw new RuleFileError(`${source}: unknown key ${got(k)} (${[...known].join(', ')})`);
    if (!Array.isArray(json.labels)) throw new RuleFileError(`${source}: labels: expected a list of {"label": …, "thresholds": {…}}, got ${got(json.labels)}`);
    const labels = json.labels.map((r, i) => checkRule(source, `labels[${i}]`, r));
    const otherwise = json.otherwise === undefined ? 'good' : json.otherwise === null ? null : checkLabel(source, 'otherwise', json.otherwise);
    if (json.description !== undefined && typeof json.description !== 'string') throw new RuleFileError(`${source}: description: expected a string, got ${got(json.description)}`);
    rules = { labels, otherwise, ...(typeof json.description === 'string' ? { description: json.description } : {}) };
  } else {
    // SpikeInterface's dictionary: label → metric → {min, max}.
    const labels = Object.entries(json).map(([label, thresholds]) => ({
      label: checkLabel(source, got(label), label),
      nan: 'fail' as const,
      thresholds: checkThresholds(source, label, thresholds),
    }));
    rules = { labels, otherwise: 'good', description: `SpikeInterface thresholds from ${source}` };
  }
  const seen = new Set<string>();
  rules.labels.forEach((l, i) => {
    if (seen.has(l.label)) throw new RuleFileError(`${source}: labels[${i}].label: ${got(l.label)} appears twice (one rule per label; the first would hide the second)`);
    seen.add(l.label);
  });
  return rules;
}

/** Reads a rule set from the text of a file. @throws RuleFileError naming the file */
export function parseRuleFile(text: string, source: string): RuleSet {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RuleFileError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  return parseRuleSet(json, source);
}

/** The text of a rules file (our format, 2-space JSON, a final newline). */
export function formatRuleFile(rules: RuleSet): string {
  const labels = rules.labels.map((l) => ({
    label: l.label,
    ...(l.note ? { note: l.note } : {}),
    ...(l.match ? { match: l.match } : {}),
    ...(l.nan ? { nan: l.nan } : {}),
    thresholds: Object.fromEntries(
      Object.entries(l.thresholds).map(([m, b]) => [m, { ...(b.min !== undefined ? { min: b.min } : {}), ...(b.max !== undefined ? { max: b.max } : {}), ...(b.nan ? { nan: b.nan } : {}) }]),
    ),
    ...(l.expression ? { expression: l.expression } : {}),
  }));
  return JSON.stringify({ format: RULE_FILE_FORMAT, version: 1, ...(rules.description ? { description: rules.description } : {}), labels, otherwise: rules.otherwise }, null, 2) + '\n';
}
