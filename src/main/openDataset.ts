/**
 * Opens whatever a curator points spikedock at — a Kilosort/phy folder, its `params.py`, or a
 * `.kwik` file — with the Node file system and, for Kwik, h5wasm.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dataset } from '../core/dataset/Dataset';
import { openTemplateDataset } from '../core/dataset/kilosort';
import { openKwikDataset } from '../core/dataset/kwik';
import { UserError } from './UserError';
import { H5wasmReader } from './io/H5wasmReader';
import { NodeFileSystem } from './io/NodeFileSystem';
import { PageCache } from './io/PageCache';

/** The whole-read per-spike columns of a template folder (phy names), read ahead in parallel. */
const PER_SPIKE_COLUMNS = ['spike_times.npy', 'spike_templates.npy', 'spike_clusters.npy', 'amplitudes.npy'];

const EXPECTED = 'expected a Kilosort/phy folder with params.py, a params.py file, or a .kwik file';

/** A resolved dataset location. */
export interface DatasetLocation {
  kind: 'template' | 'kwik';
  /** The folder (template) or the `.kwik` file, absolute. */
  path: string;
  /** The folder that holds the dataset's files. */
  dir: string;
}

/**
 * Works out what `input` is. A folder with `params.py` or a `params.py` file → template; a
 * `.kwik` file, or a folder holding exactly one `.kwik` and no `params.py` → kwik.
 * @throws UserError saying what was expected when `input` is none of these
 */
export function resolveDatasetPath(input: string): DatasetLocation {
  const abs = path.resolve(input);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(abs, { throwIfNoEntry: false });
  } catch (e) {
    throw new UserError(`${abs}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); ${EXPECTED}`);
  }
  if (!st) throw new UserError(`${abs}: no such file or folder; ${EXPECTED}`);
  if (st.isDirectory()) {
    let names: string[];
    try {
      names = fs.readdirSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(`${abs}: the folder cannot be read (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? (e as Error).message)})`);
    }
    if (names.includes('params.py')) return { kind: 'template', path: abs, dir: abs };
    const kwiks = names.filter((n) => /\.kwik$/i.test(n));
    if (kwiks.length === 1) return { kind: 'kwik', path: path.join(abs, kwiks[0]), dir: abs };
    if (kwiks.length > 1) throw new UserError(`${abs}: the folder holds several .kwik files (${kwiks.join(', ')}); give the one to open`);
    throw new UserError(`${abs}: not a sorting output (no params.py or .kwik file in the folder); ${EXPECTED}`);
  }
  if (path.basename(abs) === 'params.py') return { kind: 'template', path: path.dirname(abs), dir: path.dirname(abs) };
  if (/\.kwik$/i.test(abs)) return { kind: 'kwik', path: abs, dir: path.dirname(abs) };
  throw new UserError(`${abs}: not a sorting output; ${EXPECTED}`);
}

/** Options of {@link openDataset}. */
export interface OpenDatasetOptions {
  /** Kwik: channel group to open (default the first). */
  channelGroup?: number;
  /** Kwik: clustering to open (default `main`). */
  clustering?: string;
  /** Byte budget of the page cache of the dataset's lazy files (default 256 MiB). */
  pageCacheBytes?: number;
  /** SharedArrayBuffer-backed per-spike columns (default true). */
  shared?: boolean;
}

/**
 * Opens a dataset for reading.
 * @throws UserError when `input` is not a dataset; DatasetOpenError (a FormatError) when it is
 *   one but a fatal problem stops the open
 */
export async function openDataset(input: string, opts: OpenDatasetOptions = {}): Promise<Dataset> {
  const loc = resolveDatasetPath(input);
  const nodeFs = new NodeFileSystem(opts.pageCacheBytes !== undefined ? new PageCache({ capacityBytes: opts.pageCacheBytes }) : undefined);
  if (loc.kind === 'template') {
    if (opts.channelGroup !== undefined || opts.clustering !== undefined) {
      throw new UserError('--channel-group and --clustering apply to Kwik files only');
    }
    // The per-spike columns (≈ 200 MB at 10 M spikes) are read on both cores while this thread
    // waits; the loader then takes the buffers as its columns. Files it does not find or reject
    // are read (and reported) by the loader as usual.
    const shared = opts.shared ?? true;
    await nodeFs.readAhead(PER_SPIKE_COLUMNS.map((n) => path.join(loc.path, n)), shared);
    try {
      return openTemplateDataset(nodeFs, loc.path, { shared });
    } finally {
      nodeFs.dropReadAhead();
    }
  }
  return openKwikFile(nodeFs, loc.path, opts);
}

/** Opens a `.kwik` file with h5wasm (loaded on first use). */
export async function openKwikFile(nodeFs: NodeFileSystem, kwikPath: string, opts: { channelGroup?: number; clustering?: string; shared?: boolean } = {}): Promise<Dataset> {
  const h5 = await H5wasmReader.opener();
  return openKwikDataset(nodeFs, h5, kwikPath, opts);
}
