/**
 * Opens whatever a curator points spikedock at — a Kilosort/phy folder, its `params.py`, a
 * `.kwik` file, a SpikeInterface SortingAnalyzer folder, or an NWB file (`.nwb`, HDF5) — with
 * the Node file system and, for Kwik and NWB, h5wasm.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dataset, SpikeColumns } from '../core/dataset/Dataset';
import { openTemplateDataset } from '../core/dataset/kilosort';
import { openKwikDataset } from '../core/dataset/kwik';
import { ANALYZER_INFO_FILE, openAnalyzerDataset } from '../core/dataset/analyzer';
import { openNwbDataset } from '../core/dataset/nwb';
import { UserError } from './UserError';
import { H5wasmReader } from './io/H5wasmReader';
import { NodeFileSystem } from './io/NodeFileSystem';
import { PageCache } from './io/PageCache';
import { cacheBudget } from './memoryBudget';

/**
 * The whole-read per-spike columns of a template folder (phy names), read ahead in parallel.
 * Not `spike_times.npy`: Kilosort writes it as 64-bit but it loads as uint32 when it fits
 * (`SpikeTimes`), through one 1 MB buffer; a read-ahead copy of the file would double its
 * memory at the open's peak (+800 MB at 100 M spikes, measured). Not `spike_templates.npy`
 * either, for the same reason: it loads as uint16 when the ids fit (`SpikeTemplateIds`).
 */
const PER_SPIKE_COLUMNS = ['spike_clusters.npy', 'amplitudes.npy'];

const EXPECTED = 'expected a Kilosort/phy folder with params.py, a params.py file, a .kwik file, a SpikeInterface SortingAnalyzer folder, or an .nwb file';

/** A resolved dataset location. */
export interface DatasetLocation {
  kind: 'template' | 'kwik' | 'analyzer' | 'nwb';
  /** The folder (template, analyzer) or the `.kwik` / `.nwb` file, absolute. */
  path: string;
  /** The folder that holds the dataset's files. */
  dir: string;
}

/**
 * What a SpikeInterface folder holds: `spikeinterface_info.json` names the object
 * (`{"version", "dev_mode", "object": "SortingAnalyzer"}`, spikeinterface
 * `core/sortinganalyzer.py` `create_binary_folder`). A Zarr analyzer keeps it in the root group's
 * attributes (`.zattrs` / `zarr.json`), not in a file.
 * @throws UserError for a SpikeInterface folder that is not an analyzer, or a Zarr analyzer
 */
function spikeInterfaceFolder(abs: string, names: string[]): DatasetLocation | null {
  if (names.includes(ANALYZER_INFO_FILE)) {
    let object: unknown;
    try {
      object = (JSON.parse(fs.readFileSync(path.join(abs, ANALYZER_INFO_FILE), 'utf8')) as { object?: unknown }).object;
    } catch (e) {
      throw new UserError(`${path.join(abs, ANALYZER_INFO_FILE)}: not readable as JSON (${(e as Error).message})`);
    }
    if (object === 'SortingAnalyzer') return { kind: 'analyzer', path: abs, dir: abs };
    throw new UserError(`${abs}: a SpikeInterface ${JSON.stringify(object)} folder, not a SortingAnalyzer; open the analyzer made from it`);
  }
  for (const attrs of ['.zattrs', 'zarr.json']) {
    if (!names.includes(attrs)) continue;
    let text = '';
    try {
      text = fs.readFileSync(path.join(abs, attrs), 'utf8');
    } catch {
      continue;
    }
    if (text.includes('"spikeinterface_info"') && text.includes('SortingAnalyzer')) {
      throw new UserError(`${abs}: a Zarr SortingAnalyzer, which spikedock does not open yet (only format="binary_folder"); save it with analyzer.save_as(format="binary_folder", folder=...) and open that folder`);
    }
  }
  if (/\.zarr$/i.test(abs) && (names.includes('.zgroup') || names.includes('zarr.json') || names.includes('.zattrs'))) {
    throw new UserError(`${abs}: a Zarr store, which spikedock does not open yet (a SortingAnalyzer must be saved with format="binary_folder" for now)`);
  }
  return null;
}

/**
 * Works out what `input` is. A folder with `params.py` or a `params.py` file → template; a
 * `.kwik` file, or a folder holding exactly one `.kwik` and no `params.py` → kwik; a folder with
 * `spikeinterface_info.json` naming a `SortingAnalyzer` (or that file) → analyzer; a `.nwb`
 * file, or a folder holding exactly one `.nwb` and no `params.py` nor `.kwik` → nwb.
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
    const si = spikeInterfaceFolder(abs, names);
    if (si) return si;
    const kwiks = names.filter((n) => /\.kwik$/i.test(n));
    if (kwiks.length === 1) return { kind: 'kwik', path: path.join(abs, kwiks[0]), dir: abs };
    if (kwiks.length > 1) throw new UserError(`${abs}: the folder holds several .kwik files (${kwiks.join(', ')}); give the one to open`);
    const nwbs = names.filter((n) => /\.nwb$/i.test(n));
    if (nwbs.length === 1) return { kind: 'nwb', path: path.join(abs, nwbs[0]), dir: abs };
    if (nwbs.length > 1) throw new UserError(`${abs}: the folder holds several .nwb files (${nwbs.join(', ')}); give the one to open`);
    throw new UserError(`${abs}: not a sorting output (no params.py, .kwik or .nwb file in the folder); ${EXPECTED}`);
  }
  if (path.basename(abs) === 'params.py') return { kind: 'template', path: path.dirname(abs), dir: path.dirname(abs) };
  if (path.basename(abs) === ANALYZER_INFO_FILE) {
    const si = spikeInterfaceFolder(path.dirname(abs), [ANALYZER_INFO_FILE]);
    if (si) return si;
  }
  if (/\.kwik$/i.test(abs)) return { kind: 'kwik', path: abs, dir: path.dirname(abs) };
  if (/\.nwb$/i.test(abs)) return { kind: 'nwb', path: abs, dir: path.dirname(abs) };
  throw new UserError(`${abs}: not a sorting output; ${EXPECTED}`);
}

/** Options of {@link openDataset}. */
export interface OpenDatasetOptions {
  /** Kwik: channel group to open (default the first). */
  channelGroup?: number;
  /** Kwik: clustering to open (default `main`). */
  clustering?: string;
  /** Byte budget of the page cache of the dataset's lazy files (default `cacheBudget().pageCacheBytes`). */
  pageCacheBytes?: number;
  /** SharedArrayBuffer-backed per-spike columns (default true). */
  shared?: boolean;
  /**
   * A template folder's per-spike columns already opened by another thread (`sharedSpikeColumns`
   * of its Dataset): taken as they are instead of read again (one copy in memory for both
   * threads). Ignored for the other formats, which read their own.
   */
  columns?: SpikeColumns | null;
}

/**
 * Opens a dataset for reading.
 * @throws UserError when `input` is not a dataset; DatasetOpenError (a FormatError) when it is
 *   one but a fatal problem stops the open
 */
export async function openDataset(input: string, opts: OpenDatasetOptions = {}): Promise<Dataset> {
  const loc = resolveDatasetPath(input);
  const nodeFs = new NodeFileSystem(new PageCache({ capacityBytes: opts.pageCacheBytes ?? cacheBudget().pageCacheBytes }));
  if (loc.kind === 'template') {
    if (opts.channelGroup !== undefined || opts.clustering !== undefined) {
      throw new UserError('--channel-group and --clustering apply to Kwik files only');
    }
    // The per-spike columns (≈ 200 MB at 10 M spikes) are read on both cores while this thread
    // waits; the loader then takes the buffers as its columns. Files it does not find or reject
    // are read (and reported) by the loader as usual.
    const shared = opts.shared ?? true;
    if (opts.columns) return openTemplateDataset(nodeFs, loc.path, { shared, columns: opts.columns });
    await nodeFs.readAhead(PER_SPIKE_COLUMNS.map((n) => path.join(loc.path, n)), shared);
    try {
      return openTemplateDataset(nodeFs, loc.path, { shared });
    } finally {
      nodeFs.dropReadAhead();
    }
  }
  if (loc.kind === 'analyzer') {
    if (opts.channelGroup !== undefined || opts.clustering !== undefined) throw new UserError('--channel-group and --clustering apply to Kwik files only');
    return openAnalyzerDataset(nodeFs, loc.path, { shared: opts.shared ?? true });
  }
  if (loc.kind === 'nwb') {
    if (opts.channelGroup !== undefined || opts.clustering !== undefined) throw new UserError('--channel-group and --clustering apply to Kwik files only');
    return openNwbDataset(nodeFs, await H5wasmReader.opener(), loc.path, { shared: opts.shared ?? true });
  }
  return openKwikFile(nodeFs, loc.path, opts);
}

/** Opens a `.kwik` file with h5wasm (loaded on first use). */
export async function openKwikFile(nodeFs: NodeFileSystem, kwikPath: string, opts: { channelGroup?: number; clustering?: string; shared?: boolean } = {}): Promise<Dataset> {
  const h5 = await H5wasmReader.opener();
  return openKwikDataset(nodeFs, h5, kwikPath, opts);
}
