/**
 * Opens whatever a curator points spikedock at — a Kilosort/phy folder, its `params.py`, a
 * `.kwik` file, a SpikeInterface SortingAnalyzer folder (`binary_folder`) or Zarr store, or an
 * NWB file (`.nwb`, HDF5) — with the Node file system and, for Kwik and NWB, h5wasm; Zarr
 * through zarrita over the store's folder.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dataset, SpikeColumns } from '../core/dataset/Dataset';
import { openTemplateDataset } from '../core/dataset/kilosort';
import { openKwikDataset } from '../core/dataset/kwik';
import { ANALYZER_INFO_FILE, openAnalyzerDataset, openZarrAnalyzerDataset } from '../core/dataset/analyzer';
import { openNwbDataset } from '../core/dataset/nwb';
import { UserError } from './UserError';
import { FolderZarrStore } from './io/FolderZarrStore';
import { H5wasmReader } from './io/H5wasmReader';
import { HttpBlockCache, HttpStore, isRemoteUrl } from './io/HttpRangeSource';
import type { ZarrStore } from '../core/formats/zarr';
import { NodeFileSystem } from './io/NodeFileSystem';
import { PageCache } from './io/PageCache';
import { writeFileAtomicSync } from './io/durableFs';
import { openHelperBlockSource } from './io/remoteSource';
import { rangeFetcherFile } from './paths';
import { resolveUserCacheDir, resolveUserDataDir } from './app/userDataDir';
import { cacheBudget } from './memoryBudget';

/**
 * The whole-read per-spike columns of a template folder (phy names), read ahead in parallel.
 * Not `spike_times.npy`: Kilosort writes it as 64-bit but it loads as uint32 when it fits
 * (`SpikeTimes`), through one 1 MB buffer; a read-ahead copy of the file would double its
 * memory at the open's peak (+800 MB at 100 M spikes, measured). Not `spike_templates.npy`
 * either, for the same reason: it loads as uint16 when the ids fit (`SpikeTemplateIds`).
 */
const PER_SPIKE_COLUMNS = ['spike_clusters.npy', 'amplitudes.npy'];

const EXPECTED = 'expected a Kilosort/phy folder with params.py, a params.py file, a .kwik file, a SpikeInterface SortingAnalyzer folder or .zarr store, or an .nwb file';

/** A resolved dataset location. */
export interface DatasetLocation {
  kind: 'template' | 'kwik' | 'analyzer' | 'nwb';
  /** The folder (template, analyzer) or the `.kwik` / `.nwb` file, absolute; a remote file's URL. */
  path: string;
  /** The folder that holds the dataset's files (a Zarr analyzer's: the folder holding the store). */
  dir: string;
  /** An analyzer saved with `format="zarr"` (`path` is the store's folder). */
  zarr?: boolean;
  /** True for a remote file (`http://` / `https://`), read by range requests (`dir`: its folder in the user data folder). */
  remote?: boolean;
}

/**
 * The local folder of a remote file: `<userData>/remote/<sha256(url)[:16]>`, where its saves
 * (phy files, `curation.json`) and its journal (`.spikedock/`) live — never on the server.
 */
export function remoteDatasetDir(url: string, userDataDir: string = resolveUserDataDir()): string {
  return path.join(userDataDir, 'remote', createHash('sha256').update(url).digest('hex').slice(0, 16));
}

/** A URL as spikedock keys it (WHATWG-normalised), or a UserError saying why it is not one. */
function normaliseUrl(input: string): string {
  try {
    return new URL(input.trim()).href;
  } catch {
    throw new UserError(`${input}: not a valid URL`);
  }
}

/** True when `attrs` (a root `.zattrs`) is a SpikeInterface SortingAnalyzer's (`create_zarr`). */
function isAnalyzerZarrAttrs(text: string): boolean {
  try {
    return (JSON.parse(text.replace(/-?\b(?:NaN|Infinity)\b/g, 'null')) as { spikeinterface_info?: { object?: unknown } }).spikeinterface_info?.object === 'SortingAnalyzer';
  } catch {
    return false;
  }
}

/** The root `.zattrs` text of the Zarr store at `dir`, or null. */
function zarrRootAttrs(dir: string): string | null {
  try {
    return fs.readFileSync(path.join(dir, '.zattrs'), 'utf8');
  } catch {
    return null;
  }
}

/**
 * What a SpikeInterface folder holds: `spikeinterface_info.json` names the object
 * (`{"version", "dev_mode", "object": "SortingAnalyzer"}`, spikeinterface
 * `core/sortinganalyzer.py` `create_binary_folder`). A Zarr analyzer keeps it in the root group's
 * attributes (`.zattrs`, `create_zarr`), not in a file.
 * @throws UserError for a SpikeInterface folder that is not an analyzer, or a Zarr store that is not one
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
  if (names.includes('.zattrs') || names.includes('.zgroup') || names.includes('.zmetadata')) {
    const attrs = zarrRootAttrs(abs);
    if (attrs !== null && isAnalyzerZarrAttrs(attrs)) return { kind: 'analyzer', path: abs, dir: path.dirname(abs), zarr: true };
    if (/\.zarr$/i.test(abs) || names.includes('.zgroup')) throw new UserError(`${abs}: a Zarr store that is not a SpikeInterface SortingAnalyzer (no spikeinterface_info in its root .zattrs); spikedock opens Zarr analyzers only (NWB Zarr is not read yet)`);
  }
  if (names.includes('zarr.json')) {
    throw new UserError(`${abs}: a Zarr v3 store (zarr.json); SpikeInterface writes analyzers as Zarr v2 (.zgroup, .zattrs), which is what spikedock reads`);
  }
  return null;
}

/**
 * Works out what `input` is. A folder with `params.py` or a `params.py` file → template; a
 * `.kwik` file, or a folder holding exactly one `.kwik` and no `params.py` → kwik; a folder with
 * `spikeinterface_info.json` naming a `SortingAnalyzer` (or that file) → analyzer; a Zarr store
 * whose root attributes name one (or a folder holding exactly one such `.zarr` and nothing
 * above) → analyzer (`zarr`); a `.nwb` file, or a folder holding exactly one `.nwb` and no
 * `params.py` nor `.kwik` → nwb.
 * @throws UserError saying what was expected when `input` is none of these
 */
export function resolveDatasetPath(input: string, userDataDir?: string): DatasetLocation {
  // Any http(s) URL is taken as an NWB (HDF5) file: archive links (DANDI's
  // `…/assets/<id>/download/`) do not end in .nwb; a URL that is not HDF5 says so when opened.
  if (isRemoteUrl(input)) {
    const url = normaliseUrl(input);
    // A URL whose path ends in `.zarr` is a SpikeInterface analyzer's Zarr store (read by
    // objects, `.zmetadata` first); any other is an NWB file.
    if (/\.zarr\/?$/i.test(new URL(url).pathname)) return { kind: 'analyzer', path: url.replace(/\/$/, ''), dir: remoteDatasetDir(url.replace(/\/$/, ''), userDataDir), remote: true, zarr: true };
    return { kind: 'nwb', path: url, dir: remoteDatasetDir(url, userDataDir), remote: true };
  }
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
    const zarrs = names.filter((n) => /\.zarr$/i.test(n) && isAnalyzerZarrAttrs(zarrRootAttrs(path.join(abs, n)) ?? ''));
    if (zarrs.length === 1) return { kind: 'analyzer', path: path.join(abs, zarrs[0]), dir: abs, zarr: true };
    if (zarrs.length > 1) throw new UserError(`${abs}: the folder holds several Zarr analyzers (${zarrs.join(', ')}); give the one to open`);
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
  /** Remote files: the per-user data folder of their saves and journals (default: the OS's). */
  userDataDir?: string;
  /** Remote files: the block cache's folder (default `<user cache>/http`), cap and block size. */
  remoteCache?: { cacheDir?: string; cacheBytes?: number; blockBytes?: number };
  /** Remote files: the helper thread's bundle (default `dist/native-workers/rangeFetcher.mjs`). */
  rangeFetcherFile?: string;
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
  const loc = resolveDatasetPath(input, opts.userDataDir);
  if (loc.remote) {
    if (opts.channelGroup !== undefined || opts.clustering !== undefined) throw new UserError('--channel-group and --clustering apply to Kwik files only');
    return loc.zarr ? openRemoteZarrAnalyzer(loc, opts) : openRemoteNwb(loc, opts);
  }
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
    if (loc.zarr) return openZarrAnalyzerDataset(nodeFs, new FolderZarrStore(loc.path), loc.path, { shared: opts.shared ?? true });
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

/**
 * Opens a remote NWB file by HTTP range requests (issue #15 slice 5): one request for its size and
 * first block here, then every read of the HDF5 library through a helper thread and the on-disk
 * block cache (`io/HttpRangeSource.ts`). Its saves and journal live in its local folder.
 * @throws FormatError naming the URL (not found, no range support, not HDF5, network)
 */
/** A remote dataset's local folder (made, with `source.json` naming its URL) and its block cache. */
function remoteFolderAndCache(loc: DatasetLocation, opts: OpenDatasetOptions): HttpBlockCache {
  fs.mkdirSync(loc.dir, { recursive: true });
  // Says which URL the folder belongs to (its name is a hash of it).
  const sourceFile = path.join(loc.dir, 'source.json');
  if (!fs.existsSync(sourceFile)) writeFileAtomicSync(sourceFile, [JSON.stringify({ url: loc.path }, null, 2) + '\n']);
  return new HttpBlockCache({ cacheDir: opts.remoteCache?.cacheDir ?? path.join(resolveUserCacheDir(), 'http'), cacheBytes: opts.remoteCache?.cacheBytes, blockBytes: opts.remoteCache?.blockBytes });
}

/**
 * Opens a SpikeInterface analyzer's Zarr store by URL: its objects (`.zmetadata`, `.zattrs`,
 * chunks) fetched through the on-disk cache (`HttpStore`), decoded at open as a local store is
 * (`openZarrAnalyzerDataset`). Its local folder (saves, journal) stands for the store's parent
 * folder; a recording the analyzer names is not fetched (no raw data, said).
 */
export async function openRemoteZarrAnalyzer(loc: DatasetLocation, opts: OpenDatasetOptions = {}): Promise<Dataset> {
  const cache = remoteFolderAndCache(loc, opts);
  const http = new HttpStore(loc.path, cache);
  const store: ZarrStore = { name: loc.path, get: (key) => http.get(key) };
  return openZarrAnalyzerDataset(new NodeFileSystem(), store, path.join(loc.dir, path.basename(new URL(loc.path).pathname)), { shared: opts.shared ?? true });
}

export async function openRemoteNwb(loc: DatasetLocation, opts: OpenDatasetOptions = {}): Promise<Dataset> {
  const url = loc.path;
  const cache = remoteFolderAndCache(loc, opts);
  const spec = await cache.stat(url);
  const source = openHelperBlockSource(spec, opts.rangeFetcherFile ?? rangeFetcherFile());
  let opener;
  try {
    opener = await H5wasmReader.sourceOpener(source);
  } catch (e) {
    source.close();
    throw e;
  }
  const info = {
    spec,
    // The first block came with `stat` (this thread's request); the rest through the helper.
    networkBytes: () => cache.stats.bytesFetched + source.stats.networkBytes,
    bytesRead: () => cache.stats.bytesFetched + source.stats.bytesFetched,
  };
  return openNwbDataset(new NodeFileSystem(), opener, url, { shared: opts.shared ?? true, remote: { dir: loc.dir, info } });
}
