/**
 * The recent-datasets list of the start screen: `<userData>/recent.json`, newest first, one entry
 * per dataset path, at most {@link RecentDatasets.max} entries. Writes are atomic and serialised
 * (two windows closing at once must not lose an entry); a missing or damaged file reads as an
 * empty list, because losing the recent list must never stop the app from starting.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { RecentDataset } from '../../shared/ipc/contract';
import { writeFileAtomic } from './atomicWrite';

/** Where recent datasets are remembered (the Electron shell and `serve` share one store). */
export interface RecentStore {
  list(): Promise<RecentDataset[]>;
  add(entry: RecentDataset): Promise<void>;
  /** Updates an entry's fields (the review progress when the dataset closes). */
  update(datasetPath: string, patch: Partial<Omit<RecentDataset, 'path'>>): Promise<void>;
}

const entrySchema = z.object({
  path: z.string().min(1),
  name: z.string(),
  format: z.enum(['template', 'kwik', 'analyzer', 'nwb']),
  openedAt: z.string(),
  nClusters: z.number().int().min(0).optional(),
  nSpikes: z.number().int().min(0).optional(),
  reviewed: z.number().int().min(0).optional(),
});
const fileSchema = z.object({ version: z.literal(1), datasets: z.array(z.unknown()) });

export interface RecentDatasetsOptions {
  /** Entries kept (default 20). */
  max?: number;
  platform?: NodeJS.Platform;
}

export class RecentDatasets implements RecentStore {
  readonly max: number;
  private readonly platform: NodeJS.Platform;
  /** Every read-modify-write runs after the previous one. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    opts: RecentDatasetsOptions = {},
  ) {
    this.max = opts.max ?? 20;
    this.platform = opts.platform ?? process.platform;
  }

  /** The store of a user data folder: `<userDataDir>/recent.json`. */
  static inUserData(userDataDir: string, opts?: RecentDatasetsOptions): RecentDatasets {
    return new RecentDatasets(path.join(userDataDir, 'recent.json'), opts);
  }

  /** Newest first. Damaged entries are skipped. */
  list(): Promise<RecentDataset[]> {
    return this.enqueue(() => this.read());
  }

  /** Puts `entry` first (replacing an older entry of the same dataset) and trims the list. */
  add(entry: RecentDataset): Promise<void> {
    return this.enqueue(async () => {
      const clean = entrySchema.parse(entry);
      const key = this.key(clean.path);
      const rest = (await this.read()).filter((e) => this.key(e.path) !== key);
      await this.write([clean, ...rest].slice(0, this.max));
    });
  }

  /** Updates fields of an existing entry (e.g. `reviewed` when a window closes) without reordering. */
  update(datasetPath: string, patch: Partial<Omit<RecentDataset, 'path'>>): Promise<void> {
    return this.enqueue(async () => {
      const key = this.key(datasetPath);
      const list = await this.read();
      const i = list.findIndex((e) => this.key(e.path) === key);
      if (i < 0) return;
      list[i] = entrySchema.parse({ ...list[i], ...patch, path: list[i].path });
      await this.write(list);
    });
  }

  /** Forgets a dataset (e.g. the user removed it from the start screen). */
  remove(datasetPath: string): Promise<void> {
    return this.enqueue(async () => {
      const key = this.key(datasetPath);
      const list = await this.read();
      const kept = list.filter((e) => this.key(e.path) !== key);
      if (kept.length !== list.length) await this.write(kept);
    });
  }

  /** Paths are compared resolved, and case-insensitively where the file system usually is. */
  private key(p: string): string {
    const resolved = this.platform === 'win32' ? path.win32.resolve(p) : path.resolve(p);
    return this.platform === 'win32' || this.platform === 'darwin' ? resolved.toLowerCase() : resolved;
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<RecentDataset[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return [];
    }
    let parsed: z.infer<typeof fileSchema>;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch {
      return [];
    }
    const out: RecentDataset[] = [];
    for (const raw of parsed.datasets) {
      const r = entrySchema.safeParse(raw);
      if (r.success) out.push(r.data);
    }
    return out;
  }

  private write(list: RecentDataset[]): Promise<void> {
    return writeFileAtomic(this.file, JSON.stringify({ version: 1, datasets: list }, null, 2) + '\n');
  }
}
