/**
 * Curation in (issue #15, decision 0012): a SpikeInterface curation file (format "1" or "2")
 * applied to an open session as ordinary actions — labels, merges, splits, each journaled and
 * undoable on its own — by `spikedock curate --si-curation` and by the app's File → Import
 * SpikeInterface curation…. The file is turned into actions by `core/session/curationImport.ts`
 * (`siCurationPlan`); this module resolves the file's unit ids against the session's dataset and
 * runs the actions, one owner for both callers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ClusteringError } from '../../core/session/ClusterLabels';
import { siCurationPlan, unitIdResolver, type SiCurationAction, type SiCurationPlan } from '../../core/session/curationImport';
import type { UpdateInfo } from '../../core/session/UpdateInfo';
import type { SiCurationImportResult } from '../../shared/ipc/contract';
import { openRegularFile } from '../io/FileByteSource';
import { FormatError } from '../../core/diagnostics';
import { overLimit, REQUEST_LIMITS } from '../../shared/ipc/limits';
import { UserError } from '../UserError';
import type { SessionService } from './SessionService';

/**
 * The actions a parsed curation file asks of this session: unit ids through the dataset's
 * mapping (an analyzer's or NWB file's string or negative ids), else as cluster ids; split
 * indices into each unit's spike train as it is now.
 */
export function siCurationPlanFor(session: SessionService, json: unknown): SiCurationPlan {
  const ds = session.dataset;
  const c = session.clustering;
  const mapped = ds.analyzer?.idsMapped ? ds.analyzer : ds.nwb?.idsMapped ? ds.nwb : null;
  return siCurationPlan(json, unitIdResolver(mapped, (id) => c.nSpikes(id) > 0), (id) => c.spikeIds(id).slice());
}

/** Runs one label, merge or split action on the session (journaled, undoable), as `curate --script` runs it. */
export function applyCurationAction(session: SessionService, a: SiCurationAction): Promise<UpdateInfo> {
  switch (a.op) {
    case 'merge':
      return session.merge(a.clusters);
    case 'split':
      return session.split({ kind: 'spikes', spikeIds: Int32Array.from(a.spikes) });
    case 'label':
      return 'group' in a ? session.label(a.clusters, 'group', a.group) : session.label(a.clusters, a.field, a.value);
  }
}

/**
 * Reads a curation file as UTF-8 text (the review queue's import and curation in): regular files
 * only, at most `curationFileBytes`; errors name the file.
 */
export function readCurationFile(file: string): string {
  let opened: { fd: number; st: fs.Stats };
  try {
    opened = openRegularFile(file);
  } catch (e) {
    throw new UserError(e instanceof FormatError ? `cannot read ${e.message}` : `cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    if (opened.st.size > REQUEST_LIMITS.curationFileBytes) throw new UserError(`cannot read ${file}: ${overLimit('its size in bytes', opened.st.size, 'curationFileBytes')}`);
    return fs.readFileSync(opened.fd, 'utf8');
  } finally {
    fs.closeSync(opened.fd);
  }
}

/** Reads a curation file as JSON; the error names the file. */
export function readSiCurationFile(file: string): unknown {
  const text = readCurationFile(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

/**
 * Applies a SpikeInterface curation file to the session: every action it asks for that names
 * units of this dataset, in the plan's order (labels, removed → noise, merges, splits). An action
 * the session refuses stops the import; the ones before it stay applied (each is undoable) and
 * the refusal is the last `skipped` sentence.
 */
export async function importSiCuration(session: SessionService, given: string): Promise<SiCurationImportResult> {
  const file = path.resolve(given);
  const plan = siCurationPlanFor(session, readSiCurationFile(file));
  const applied: string[] = [];
  const skipped = [...plan.problems];
  for (let i = 0; i < plan.actions.length; i++) {
    const a = plan.actions[i];
    try {
      applied.push((await applyCurationAction(session, a)).description);
    } catch (e) {
      if (!(e instanceof ClusteringError) && !(e instanceof UserError)) throw e;
      skipped.push(`action ${i + 1} (${a.op}) refused: ${e.message}; the ${plan.actions.length - i - 1} after it were not applied`);
      break;
    }
  }
  return { file, applied, skipped };
}
