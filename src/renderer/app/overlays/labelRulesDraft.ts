/**
 * The editable form of a rule set in the "Label by rules…" dialog: rows of text fields (a metric
 * may be renamed, a bound left empty), turned back into a {@link RuleSet} by the rules file's own
 * reader, so the dialog reports a bad field with the same words as `spikedock label --rules`.
 */
import type { NanPolicy, RuleSet } from '../../../core/rules/labelRules';
import { parseRuleSet, RuleFileError } from '../../../core/rules/ruleFile';

/** One metric bound as typed: numbers as text (empty = no bound), NaN policy '' = the label's. */
export interface DraftBound {
  metric: string;
  min: string;
  max: string;
  nan: NanPolicy | '';
}

/** One label as typed. */
export interface DraftLabel {
  label: string;
  match: 'any' | 'all';
  nan: NanPolicy;
  expression: string;
  note: string;
  bounds: DraftBound[];
}

/** The whole form. */
export interface RulesDraft {
  description: string;
  labels: DraftLabel[];
  /** Label of the clusters no rule matches; '' = leave them as they are. */
  otherwise: string;
}

const text = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(x));

/** The form of a rule set. */
export function draftOf(rules: RuleSet): RulesDraft {
  return {
    description: rules.description ?? '',
    otherwise: rules.otherwise ?? '',
    labels: rules.labels.map((l) => ({
      label: l.label,
      match: l.match ?? 'any',
      nan: l.nan ?? 'skip',
      expression: l.expression ?? '',
      note: l.note ?? '',
      bounds: Object.entries(l.thresholds).map(([metric, b]) => ({ metric, min: text(b.min), max: text(b.max), nan: b.nan ?? '' })),
    })),
  };
}

/** A number field: '' = no bound; anything else must be a finite number (kept as text so the reader names it). */
function bound(s: string): number | string | null {
  const t = s.trim();
  if (t === '') return null;
  const x = Number(t);
  return Number.isFinite(x) ? x : t;
}

/**
 * The rule set of a form. Rows without a metric name are ignored (a row just added).
 * @throws RuleFileError naming the field (`rules: labels[1].thresholds.snr.min: expected a number or null, got "x"`)
 */
export function rulesOfDraft(draft: RulesDraft): RuleSet {
  draft.labels.forEach((l, i) => {
    const names = l.bounds.map((b) => b.metric.trim()).filter(Boolean);
    const twice = names.find((n, k) => names.indexOf(n) !== k);
    if (twice) throw new RuleFileError(`rules: labels[${i}].thresholds: ${JSON.stringify(twice)} is listed twice in label ${JSON.stringify(l.label)}`);
  });
  const json = {
    ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
    labels: draft.labels.map((l) => ({
      label: l.label.trim(),
      ...(l.match !== 'any' ? { match: l.match } : {}),
      nan: l.nan,
      ...(l.note.trim() ? { note: l.note.trim() } : {}),
      ...(l.expression.trim() ? { expression: l.expression.trim() } : {}),
      thresholds: Object.fromEntries(
        l.bounds
          .filter((b) => b.metric.trim() !== '')
          .map((b) => [b.metric.trim(), { min: bound(b.min), max: bound(b.max), ...(b.nan ? { nan: b.nan } : {}) }]),
      ),
    })),
    otherwise: draft.otherwise.trim() === '' ? null : draft.otherwise.trim(),
  };
  return parseRuleSet(json, 'rules');
}
