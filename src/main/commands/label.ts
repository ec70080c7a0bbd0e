/**
 * `spikedock label <dataset> [--rules rules.json] [--dry-run] [--json] [--overwrite]`: labels
 * clusters by threshold rules over their quality metrics (`core/rules`; Bombcell's defaults
 * without `--rules`), as ONE journaled, undoable action through the session, then saves the phy
 * files as `spikedock curate` does. The rule set applied is kept in `.spikedock/label_rules.json`.
 */
import { readFileSync } from 'node:fs';
import { formatDiagnostic } from '../../core/diagnostics';
import { bombcellDefaultRules } from '../../core/rules/bombcell';
import { evaluateRules, type RuleSet } from '../../core/rules/labelRules';
import { ruleRows } from '../../core/rules/ruleRows';
import { parseRuleFile, RuleFileError } from '../../core/rules/ruleFile';
import type { Curation } from '../../core/session/Curation';
import { ClusteringError } from '../../core/session/ClusterLabels';
import type { Dataset } from '../../core/dataset/Dataset';
import { openDataset } from '../openDataset';
import { DatasetLockedError } from '../session/DatasetLock';
import { writeLabelRules } from '../session/labelRules';
import { SessionService } from '../session/SessionService';
import { parseArgs } from './args';
import type { Command } from './types';
import { UserError } from './types';

const usage = `usage: spikedock label <folder | params.py | file.kwik | analyzer folder | file.nwb> [--rules rules.json] [--dry-run] [--json] [--overwrite]

Labels clusters by threshold rules over their quality metrics (the names of spikedock metrics),
as one journaled, undoable action, then saves the phy files. Without --rules: Bombcell's default
classification (noise, non-somatic, mua, good; see docs/VIEWS.md "Label by rules").
Only clusters without a group (none or unsorted) are labelled, unless --overwrite.

  --rules FILE   a rules file: {"labels": [{"label": "noise", "thresholds": {"snr": {"min": 1}},
                 "nan": "skip"}, …], "otherwise": "good"}, or SpikeInterface's
                 {"<label>": {"<metric>": {"min": x, "max": y}}, …}
  --dry-run      compute and print what would be labelled; change nothing
  --json         print {"labels": {"<cluster id>": "<label>", …}, "counts": {"<label>": n, …}}
                 for the clusters it labels
  --overwrite    relabel clusters that already have a group too
`;

export const command: Command = {
  name: 'label',
  summary: "label clusters by threshold rules over their metrics (Bombcell's defaults), as one undoable action",
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['rules'], flags: ['json', 'dry-run', 'overwrite'] });
    if (args.positionals.length !== 1) throw new UserError(`expected one dataset path\n${usage}`, 2);
    const rulesPath = args.values.get('rules');
    let rules: RuleSet;
    if (rulesPath === undefined) rules = bombcellDefaultRules();
    else {
      let text: string;
      try {
        text = readFileSync(rulesPath, 'utf8');
      } catch (e) {
        throw new UserError(`cannot read the rules file ${rulesPath}: ${(e as Error).message}`);
      }
      try {
        rules = parseRuleFile(text, rulesPath);
      } catch (e) {
        if (e instanceof RuleFileError) throw new UserError(e.message);
        throw e;
      }
    }
    const json = args.flags.get('json') === true;
    const dryRun = args.flags.get('dry-run') === true;
    const overwrite = args.flags.get('overwrite') === true;
    const path = args.positionals[0];
    let ds: Dataset;
    try {
      // A read-only look needs no shared memory; the session's index worker shares the columns.
      ds = await openDataset(path, dryRun ? { shared: false } : {});
    } catch (e) {
      const message = (e as Error)?.message ?? String(e);
      throw new UserError(message.includes(path) ? message : `cannot open the dataset '${path}': ${message}`);
    }
    let session: SessionService | null = null;
    try {
      let curation: Curation;
      if (dryRun) curation = SessionService.peek(ds).curation;
      else {
        try {
          session = await SessionService.open(ds, { autosaveSeconds: 0 });
        } catch (e) {
          if (e instanceof DatasetLockedError) throw new UserError(e.message);
          throw e;
        }
        for (const d of session.diagnostics) io.stderr(formatDiagnostic(d) + '\n');
        curation = session.curation;
      }
      let evaluation;
      try {
        evaluation = evaluateRules(rules, ruleRows(ds, curation.labels, curation.meta, rules));
      } catch (e) {
        throw new UserError(`${rulesPath ?? 'the default rules'}: ${(e as Error).message}`);
      }
      if (evaluation.missing.length) {
        io.stderr(`spikedock label: no cluster has ${evaluation.missing.join(', ')}: those bounds are judged by their NaN policy\n`);
      }
      const ids = [...evaluation.labels.keys()];
      const todo = curation.labelsToApply(ids, ids.map((id) => evaluation.labels.get(id)!), overwrite);
      const counts: Record<string, number> = {};
      todo.values.forEach((v) => (counts[v] = (counts[v] ?? 0) + 1));
      if (session && todo.clusters.length) {
        try {
          await session.applyLabels({ clusterIds: todo.clusters, values: todo.values, overwrite, source: rules.description ?? rulesPath ?? 'label rules' });
        } catch (e) {
          if (e instanceof ClusteringError) throw new UserError(`label refused: ${e.message}`);
          throw e;
        }
      }
      const rulesFile = session ? writeLabelRules(session.stateDir, rules) : null;
      const saved = session && session.isDirty ? await session.save() : null;
      if (json) {
        const labels = Object.fromEntries(todo.clusters.map((c, i) => [String(c), todo.values[i]]));
        io.stdout(JSON.stringify({ labels, counts }) + '\n');
      } else {
        for (let i = 0; i < todo.clusters.length; i++) {
          const c = todo.clusters[i];
          io.stdout(`${c}\t${todo.values[i]}${evaluation.reasons.has(c) ? `\t${evaluation.reasons.get(c)}` : ''}\n`);
        }
        const summary = Object.entries(counts).map(([l, n]) => `${l} ${n}`).join(', ') || 'nothing';
        const skipped = ids.length - todo.clusters.length;
        const verb = dryRun ? 'would label' : 'labelled';
        io.stdout(`${verb} ${todo.clusters.length} of ${ids.length} clusters (${summary})${skipped ? `; ${skipped} left as they are (${overwrite ? 'already so labelled' : 'already labelled or already so; --overwrite relabels them'})` : ''}\n`);
        if (rulesFile) io.stdout(`rules: ${rulesFile}\n`);
        if (saved) io.stdout(`saved: ${saved.files.join(', ')}\n`);
      }
      return 0;
    } finally {
      if (session) await session.close();
      ds.close();
    }
  },
};
