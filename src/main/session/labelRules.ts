/**
 * Rule labels in the session: applying them as one journaled action (`SessionService.applyLabels`),
 * and the rule set applied to a dataset, kept next to its journal (`<state dir>/label_rules.json`,
 * the rules file format of `core/rules/ruleFile`): written atomically when rule labels are
 * applied (the app's dialog or `spikedock label`), read to start the dialog from it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../../core/diagnostics';
import type { RuleSet } from '../../core/rules/labelRules';
import { formatRuleFile, parseRuleFile, parseRuleSet } from '../../core/rules/ruleFile';
import { ClusteringError } from '../../core/session/ClusterLabels';
import type { UpdateInfo } from '../../core/session/UpdateInfo';
import type { ActionContext, ApplyLabelsRequest } from '../../shared/ipc/contract';
import type { SessionService } from './SessionService';
import { writeFileAtomicSync } from '../io/durableFs';

/** File name of the saved rule set in the session's state folder. */
export const LABEL_RULES_FILE = 'label_rules.json';

/** The saved rule set of a state folder: null when there is none; a diagnostic (naming the file) when it cannot be used. */
export function readLabelRules(stateDir: string): { rules: RuleSet | null; diagnostic?: Diagnostic } {
  const file = path.join(stateDir, LABEL_RULES_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { rules: null };
    return { rules: null, diagnostic: { severity: 'warning', code: 'rules.unreadable', file, message: `${file}: cannot be read (${(e as Error).message})` } };
  }
  try {
    return { rules: parseRuleFile(text, file) };
  } catch (e) {
    return { rules: null, diagnostic: { severity: 'warning', code: 'rules.invalid', file, message: (e as Error).message } };
  }
}

/** Saves the rule set applied (atomic: temp file, fsync, rename). */
export function writeLabelRules(stateDir: string, rules: RuleSet): string {
  const file = path.join(stateDir, LABEL_RULES_FILE);
  writeFileAtomicSync(file, [formatRuleFile(rules)]);
  return file;
}

/** {@link readLabelRules} for a caller: the rule set or null; an unusable file is an error naming it. */
export function savedLabelRules(stateDir: string): RuleSet | null {
  const { rules, diagnostic } = readLabelRules(stateDir);
  if (diagnostic) throw new ClusteringError(diagnostic.message);
  return rules;
}

/**
 * Applies rule labels as ONE journaled, undoable action: only the part that changes something
 * (`Curation.labelsToApply`: unlabelled clusters unless `overwrite`); null when nothing does. The
 * request's rule set, when given, is then kept with the dataset.
 */
export function applyRuleLabels(session: SessionService, req: ApplyLabelsRequest, ctx?: ActionContext): UpdateInfo | null {
  const ids = req?.clusterIds;
  if (!Array.isArray(ids) || ids.some((x) => !Number.isInteger(x))) throw new ClusteringError('applyLabels: expected a list of integer cluster ids');
  if (!Array.isArray(req.values) || req.values.length !== ids.length) throw new ClusteringError('applyLabels: expected one label per cluster id');
  const rules = req.rules === undefined ? null : parseRuleSet(req.rules, 'applyLabels: rules');
  const { clusters, values } = session.curation.labelsToApply(ids, req.values, !!req.overwrite);
  const update = clusters.length ? session.perform({ op: 'labelEach', field: 'group', clusters, values, ...(req.source ? { source: req.source } : {}) }, ctx) : null;
  if (rules) writeLabelRules(session.stateDir, rules);
  return update;
}
