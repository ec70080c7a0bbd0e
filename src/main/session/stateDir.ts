/**
 * Where a session's state (journal, lock, base copy) lives: `<dataset>/.spikedock`, or a
 * per-user folder when the dataset folder is read-only.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dataset } from '../../core/dataset/Dataset';
import { resolveUserDataDir } from '../app/userDataDir';
import { isWritableDir } from '../io/durableFs';

/** Where the session state lives: the options of `SessionService.open` that matter here. */
export interface StateDirOptions {
  /** Folder for the journal, lock and backups (default `<dataset>/.spikedock`, or a per-user folder when that is read-only). */
  stateDir?: string;
  /** Per-user data folder (default: the OS's, see `resolveUserDataDir`). */
  userDataDir?: string;
}

/** Where the session state lives for a dataset. */
export function resolveStateDir(dataset: Dataset, opts: StateDirOptions): { dir: string; perUser: boolean } {
  if (opts.stateDir) return { dir: path.resolve(opts.stateDir), perUser: false };
  const local = path.join(dataset.dir, '.spikedock');
  if (isWritableDir(local)) return { dir: local, perUser: false };
  return { dir: perUserStateDir(dataset, opts), perUser: true };
}

/** The per-user state folder of a dataset: `<userData>/journals/<sha256(path)[:16]>`. */
export function perUserStateDir(dataset: Pick<Dataset, 'path'>, opts: StateDirOptions): string {
  const hash = createHash('sha256').update(path.resolve(dataset.path)).digest('hex').slice(0, 16);
  return path.join(opts.userDataDir ?? resolveUserDataDir(), 'journals', hash);
}

/**
 * The journal a session of `dataset` would replay: in the first of its state folders that has
 * one (`<dataset>/.spikedock`, then the per-user one), else where a new one would go.
 */
export function existingJournalPath(dataset: Pick<Dataset, 'path' | 'dir'>, opts: StateDirOptions): string {
  const candidates = opts.stateDir ? [path.resolve(opts.stateDir)] : [path.join(dataset.dir, '.spikedock'), perUserStateDir(dataset, opts)];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'journal.jsonl'))) ?? candidates[0];
  return path.join(dir, 'journal.jsonl');
}
