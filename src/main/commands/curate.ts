/**
 * `spikedock curate <dataset> --script actions.json|-`: applies a list of curation actions
 * headlessly (scripting, pipelines), through the same session as the app: each action is
 * journaled (durable) before its line is printed, and the phy files are saved at the end.
 */
import { formatDiagnostic } from '../../core/diagnostics';
import { ClusteringError } from '../../core/session/ClusterLabels';
import type { UpdateInfo } from '../../core/session/UpdateInfo';
import type { ProposalSpec } from '../../shared/ipc/contract';
import { openDataset } from '../openDataset';
import { DatasetLockedError } from '../session/DatasetLock';
import { SessionService } from '../session/SessionService';
import { applyCurationAction, readSiCurationFile, siCurationPlanFor } from '../session/siCurationImport';
import { ProposalService } from '../cleanup/ProposalService';
import { headlessProposalBackend } from '../cleanup/headless';
import { parseArgs } from './args';
import type { Command } from './types';
import { UserError } from './types';
import { readFileSync } from 'node:fs';

const usage = `usage: spikedock curate <folder | params.py | file.kwik | analyzer folder | file.nwb> --script actions.json|- [--json] [--no-save]
       spikedock curate <dataset> --si-curation curation.json [--json] [--no-save]

Applies curation actions in order. The script is a JSON array of actions, or one JSON action
per line ("-" reads standard input):
  {"op":"merge","clusters":[3,7]}
  {"op":"split","spikes":[10,11,12]}                  the spikes get a new cluster, the rest of
                                                      each touched cluster another
  {"op":"label","clusters":[3],"group":"good"}        good | mua | noise | unsorted (or any name)
  {"op":"label","clusters":[3],"field":"quality","value":"x"}   a custom label (cluster_quality.tsv)
                                                      field: letters, digits, _ . -; value: no tab,
                                                      line break or control character, ≤ 200 chars
  {"op":"recluster","cluster":13}                     re-cluster: a Gaussian mixture on the cluster's
                                                      PC features and amplitude, parts chosen by BIC
                                                      (1–6); "n": 3 forces 3 parts, "seed" (default 0);
                                                      the parts get new ids; one part: nothing done
  {"op":"review","clusters":[3],"reviewed":true}      review progress (not undoable)
  {"op":"threshold_split","cluster":13,"threshold":40}   the spikes with a template amplitude
                                                      below 40 get a new cluster, the rest another
                                                      ("amplitude":"feature" with "channel","pc":
                                                      one PC instead)
  {"op":"remove_outliers","cluster":13,"quantile":0.999}  spikes beyond the χ² quantile of their
                                                      Mahalanobis distance in PC space → a new
                                                      cluster labelled noise (quantile optional)
  {"op":"remove_duplicates","clusters":[13],"interval_ms":0.2}  spikes ≤ 0.2 ms after the previous
                                                      one → a new cluster; [12, 13]: 13's spikes
                                                      within 0.2 ms of one of 12's (interval optional)
  {"op":"undo"}  {"op":"redo"}  {"op":"save"}
Each action is written to the journal (.spikedock/journal.jsonl) before its line is printed, so
every printed action survives a crash. At the end the phy files are saved (unless --no-save).

  --script FILE|-   the actions
  --si-curation FILE  a SpikeInterface curation file (format "1" or "2") applied as these same
                    actions, in the sorting's own unit ids: labels (quality → group, others →
                    label fields), removed units → noise, merges, then splits by spike indices
                    (each piece but the last split off); entries naming no unit are reported
  --json            print one JSON object per action (JSON lines)
  --no-save         do not save the phy files at the end (the journal still has everything)
`;

type ScriptAction =
  | { op: 'merge'; clusters: number[] }
  | { op: 'split'; spikes: number[] }
  | { op: 'label'; clusters: number[]; group?: string | null; field?: string; value?: string | number | null }
  | { op: 'review'; clusters: number[]; reviewed?: boolean }
  | { op: 'threshold_split'; cluster: number; threshold: number; amplitude?: 'template' | 'feature'; channel?: number; pc?: number }
  | { op: 'remove_outliers'; cluster: number; quantile?: number }
  | { op: 'remove_duplicates'; clusters: number[]; interval_ms?: number }
  | { op: 'recluster'; cluster: number; n?: number; seed?: number }
  | { op: 'undo' }
  | { op: 'redo' }
  | { op: 'save' };

/** Parses a script: a JSON array, or JSON lines. */
export function parseScript(text: string, source: string): ScriptAction[] {
  const t = text.trim();
  let items: unknown[];
  try {
    if (t.startsWith('[')) items = JSON.parse(t) as unknown[];
    else items = t.split(/\r?\n/).filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
  } catch (e) {
    throw new UserError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const ints = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((x) => Number.isInteger(x));
  return items.map((a, i) => {
    const where = `${source}: action ${i + 1}`;
    if (!a || typeof a !== 'object') throw new UserError(`${where}: expected an object with "op"`);
    const o = a as Record<string, unknown>;
    switch (o.op) {
      case 'merge':
        if (!ints(o.clusters)) throw new UserError(`${where}: merge needs "clusters": [ids…]`);
        break;
      case 'split':
        if (!ints(o.spikes)) throw new UserError(`${where}: split needs "spikes": [spike ids…]`);
        break;
      case 'label':
        if (!ints(o.clusters)) throw new UserError(`${where}: label needs "clusters": [ids…]`);
        if (!('group' in o) && !(typeof o.field === 'string' && 'value' in o)) throw new UserError(`${where}: label needs "group", or "field" and "value"`);
        break;
      case 'review':
        if (!ints(o.clusters)) throw new UserError(`${where}: review needs "clusters": [ids…]`);
        break;
      case 'threshold_split':
        if (!Number.isInteger(o.cluster) || typeof o.threshold !== 'number' || !Number.isFinite(o.threshold)) throw new UserError(`${where}: threshold_split needs "cluster": id and "threshold": a number`);
        if (o.amplitude !== undefined && o.amplitude !== 'template' && o.amplitude !== 'feature') throw new UserError(`${where}: threshold_split's "amplitude" is "template" or "feature"`);
        if ((o.channel !== undefined && !Number.isInteger(o.channel)) || (o.pc !== undefined && !Number.isInteger(o.pc))) throw new UserError(`${where}: threshold_split's "channel" and "pc" are integers`);
        break;
      case 'remove_outliers':
        if (!Number.isInteger(o.cluster)) throw new UserError(`${where}: remove_outliers needs "cluster": id`);
        if (o.quantile !== undefined && !(typeof o.quantile === 'number' && o.quantile > 0 && o.quantile < 1)) throw new UserError(`${where}: remove_outliers' "quantile" is between 0 and 1 (e.g. 0.999)`);
        break;
      case 'remove_duplicates':
        if (!ints(o.clusters) || (o.clusters as number[]).length > 2) throw new UserError(`${where}: remove_duplicates needs "clusters": [id] or [id, id]`);
        if (o.interval_ms !== undefined && !(typeof o.interval_ms === 'number' && o.interval_ms >= 0 && o.interval_ms <= 10)) throw new UserError(`${where}: remove_duplicates' "interval_ms" is 0–10`);
        break;
      case 'recluster':
        if (!Number.isInteger(o.cluster)) throw new UserError(`${where}: recluster needs "cluster": id`);
        if (o.n !== undefined && !(Number.isInteger(o.n) && (o.n as number) >= 1 && (o.n as number) <= 6)) throw new UserError(`${where}: recluster's "n" is a whole number of parts from 1 to 6`);
        if (o.seed !== undefined && !(Number.isInteger(o.seed) && (o.seed as number) >= 0)) throw new UserError(`${where}: recluster's "seed" is a whole number ≥ 0`);
        break;
      case 'undo':
      case 'redo':
      case 'save':
        break;
      default:
        throw new UserError(`${where}: unknown op ${JSON.stringify(o.op)} (merge, split, label, review, recluster, threshold_split, remove_outliers, remove_duplicates, undo, redo, save)`);
    }
    return o as unknown as ScriptAction;
  });
}

/** The proposal spec of a clean-up op. */
function toolSpec(a: Extract<ScriptAction, { op: 'threshold_split' | 'remove_outliers' | 'remove_duplicates' }>): ProposalSpec {
  switch (a.op) {
    case 'threshold_split': {
      const feature = a.amplitude === 'feature' && a.channel !== undefined ? { feature: { channelId: a.channel, pc: a.pc ?? 0 } } : {};
      return { kind: 'amplitudeThreshold', clusterId: a.cluster, amplitudeKind: a.amplitude ?? 'template', threshold: a.threshold, ...feature };
    }
    case 'remove_outliers':
      return { kind: 'outliers', clusterId: a.cluster, ...(a.quantile !== undefined ? { quantile: a.quantile } : {}) };
    case 'remove_duplicates':
      return { kind: 'duplicates', clusterIds: a.clusters, ...(a.interval_ms !== undefined ? { intervalMs: a.interval_ms } : {}) };
  }
}

export const command: Command = {
  name: 'curate',
  summary: 'apply merge/split/label/undo/redo actions from a script, then save',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['script', 'si-curation'], flags: ['json', 'save'] });
    if (args.positionals.length !== 1) throw new UserError(`expected one dataset path\n${usage}`, 2);
    const script = args.values.get('script');
    const siFile = args.values.get('si-curation');
    if (!script === !siFile) throw new UserError(`one of --script and --si-curation is required\n${usage}`, 2);
    let actions: ScriptAction[] = [];
    let siJson: unknown;
    if (script) {
      const text = script === '-' ? await io.readStdin() : readFileSync(script, 'utf8');
      actions = parseScript(text, script === '-' ? 'standard input' : script);
    } else {
      siJson = readSiCurationFile(siFile!);
    }
    const json = args.flags.get('json') === true;
    const ds = await openDataset(args.positionals[0]);
    let session: SessionService;
    try {
      session = await SessionService.open(ds, { autosaveSeconds: 0 });
    } catch (e) {
      ds.close();
      if (e instanceof DatasetLockedError) throw new UserError(e.message);
      throw e;
    }
    let failed = false;
    // Proposals (re-cluster, clean-up tools) through the app's own service, with an in-process compute side.
    const proposals = new ProposalService(session, headlessProposalBackend(ds, session.clustering, (id) => session.metrics.facts(id)));
    try {
      for (const d of session.diagnostics) io.stderr(formatDiagnostic(d) + '\n');
      if (siFile) {
        const plan = siCurationPlanFor(session, siJson);
        for (const p of plan.problems) io.stderr(`spikedock curate: ${siFile}: ${p}\n`);
        actions = plan.actions;
      }
      const print = (i: number, op: string, u: UpdateInfo | null, extra: Record<string, unknown> = {}) => {
        if (json) {
          io.stdout(JSON.stringify(u ? { index: i, op, opId: u.opId, generation: u.generation, description: u.description, added: u.added, deleted: u.deleted, changedSpikes: u.changedSpikes, ...extra } : { index: i, op, nothing: true, ...extra }) + '\n');
        } else {
          io.stdout(u ? `${i + 1}\t#${u.opId}\t${u.description}\n` : `${i + 1}\t${op}: nothing to ${op}\n`);
        }
      };
      for (let i = 0; i < actions.length; i++) {
        const a = actions[i];
        try {
          switch (a.op) {
            case 'merge':
            case 'split':
              print(i, a.op, await applyCurationAction(session, a));
              break;
            case 'label':
              print(i, a.op, 'group' in a && a.field === undefined ? await session.label(a.clusters, 'group', a.group ?? null) : await session.label(a.clusters, a.field!, a.value ?? null));
              break;
            case 'review':
              print(i, a.op, await session.markReviewed(a.clusters, a.reviewed !== false));
              break;
            case 'threshold_split':
            case 'remove_outliers':
            case 'remove_duplicates': {
              // The app's own path: the same proposer, committed as one action.
              const info = await proposals.propose(toolSpec(a));
              print(i, a.op, await proposals.commit(info.id), { summary: info.summary });
              break;
            }
            case 'recluster': {
              const p = await proposals.propose({ kind: 'recluster', clusterId: a.cluster, ...(a.n !== undefined ? { n: a.n } : {}), ...(a.seed !== undefined ? { seed: a.seed } : {}) });
              const parts = { parts: p.parts.map((x) => x.nSpikes) };
              if (p.committable) print(i, a.op, await proposals.commit(p.id), parts);
              else {
                await proposals.cancel();
                if (json) io.stdout(JSON.stringify({ index: i, op: a.op, nothing: true, summary: p.summary, ...parts }) + '\n');
                else io.stdout(`${i + 1}\t${p.summary}\n`);
              }
              break;
            }
            case 'undo':
              print(i, a.op, await session.undo());
              break;
            case 'redo':
              print(i, a.op, await session.redo());
              break;
            case 'save': {
              const r = await session.save();
              if (json) io.stdout(JSON.stringify({ index: i, op: 'save', files: r.files, savedAt: r.savedAt }) + '\n');
              else io.stdout(`${i + 1}\tsaved ${r.files.length} files\n`);
              break;
            }
          }
        } catch (e) {
          if (!(e instanceof ClusteringError) && !(e instanceof UserError)) throw e;
          io.stderr(`spikedock curate: action ${i + 1} (${a.op}) refused: ${e.message}; stopping (the ${i} actions before it are kept)\n`);
          failed = true;
          break;
        }
      }
      if (args.flags.get('save') !== false && session.isDirty) {
        const r = await session.save();
        if (json) io.stdout(JSON.stringify({ op: 'save', files: r.files, savedAt: r.savedAt, ...(r.curationJsonSkipped ? { curationJsonSkipped: r.curationJsonSkipped } : {}) }) + '\n');
        else io.stdout(`saved: ${r.files.join(', ')}\n`);
        if (r.curationJsonSkipped) io.stderr(`spikedock curate: curation.json not written: ${r.curationJsonSkipped}\n`);
      }
    } finally {
      proposals.dispose();
      await session.close();
      ds.close();
    }
    return failed ? 1 : 0;
  },
};
