/**
 * Writes a SortingAnalyzer `binary_folder` (as `generateAnalyzer.ts` writes it) again as the
 * Zarr v2 store SpikeInterface writes with `format="zarr"` (zarr-python < 3), so one generator
 * gives both with the same data. Followed (SpikeInterface commit a5f7dbb3, 2026-07-23):
 * `core/sortinganalyzer.py` `create_zarr` (root attrs `spikeinterface_info`, `settings`; groups
 * `sorting`, `recording_info` with attrs `recording_attributes`, `probegroup`, `extensions`;
 * array `sparsity_mask`; object array `recording`), `core/zarrextractors.py`
 * `add_sorting_to_zarr_group` (attrs `sampling_frequency`, `num_segments`; `unit_ids` without
 * compressor; `spikes/sample_index`, `spikes/unit_index` with a `Delta` filter and the default
 * compressor; `spikes/segment_slices`; `properties/<key>` without compressor; attr
 * `annotations`), `_write_object_array` (1-element `|O` arrays, `json2` codec),
 * `get_default_zarr_compressor` (Blosc zstd, clevel 5, bit shuffle) and
 * `AnalyzerExtension._save_data` / `_save_params` / `_save_importing_provenance` /
 * `_save_run_info` (attrs `params`, `info`, `run_info`; arrays with the default compressor;
 * dataframes as groups with attr `dataframe`, an `index` array and one array per column, created
 * without a compressor argument, i.e. zarr's default Blosc lz4), then `zarr.consolidate_metadata`
 * (`.zmetadata`).
 *
 * Chunks: about 1 MiB along the first axis (zarr's own `guess_chunks` sizes differ; readers take
 * any chunking). Blosc is encoded by the `numcodecs` npm package (the codec zarrita decodes with).
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import Blosc from 'numcodecs/blosc';
import { MemoryByteSource } from '../../core/formats/ByteSource';
import { readNpyHeaderText } from '../../core/formats/npy';
import { parseStructuredDescr } from '../../core/formats/npyStructured';
import { parsePythonJson } from '../../core/dataset/analyzer/json';
import { parseTable } from '../../core/formats/tsv';

type Compressor = { id: 'blosc'; cname: string; clevel: number; shuffle: number; blocksize: number } | null;

/** `get_default_zarr_compressor()`: Blosc(cname="zstd", clevel=5, shuffle=BITSHUFFLE). */
export const SI_COMPRESSOR: Compressor = { id: 'blosc', cname: 'zstd', clevel: 5, shuffle: 2, blocksize: 0 };
/** zarr-python 2's default compressor (`zarr.storage.default_compressor`): Blosc(cname="lz4", clevel=5, shuffle=SHUFFLE). */
export const ZARR_DEFAULT_COMPRESSOR: Compressor = { id: 'blosc', cname: 'lz4', clevel: 5, shuffle: 1, blocksize: 0 };

const CHUNK_BYTES = 1 << 20;
const utf8 = new TextEncoder();

/** One array to write: NumPy dtype string (or record fields), shape, C-order bytes. */
export interface ZarrArraySpec {
  dtype: string | Array<[string, string]>;
  shape: number[];
  data: Uint8Array;
  compressor: Compressor;
  filters?: Array<Record<string, unknown>> | null;
  fillValue?: unknown;
  attrs?: Record<string, unknown>;
}

/** A Zarr v2 store being written into a folder; {@link consolidate} writes `.zmetadata`. */
export class ZarrV2Writer {
  private readonly meta: Record<string, unknown> = {};

  constructor(readonly folder: string) {}

  private async putJson(key: string, value: unknown): Promise<void> {
    this.meta[key] = value;
    await writeFile(path.join(this.folder, key), JSON.stringify(value, null, 4));
  }

  /** A group (`.zgroup`, and `.zattrs` when attrs are given). */
  async group(p: string, attrs?: Record<string, unknown>): Promise<void> {
    await mkdir(path.join(this.folder, p), { recursive: true });
    await this.putJson(p ? `${p}/.zgroup` : '.zgroup', { zarr_format: 2 });
    if (attrs) await this.putJson(p ? `${p}/.zattrs` : '.zattrs', attrs);
  }

  /** An array, chunked along its first axis. */
  async array(p: string, a: ZarrArraySpec): Promise<void> {
    await mkdir(path.join(this.folder, p), { recursive: true });
    const itemSize = typeof a.dtype === 'string' ? Number(/(\d+)$/.exec(a.dtype)![1]) * (a.dtype[1] === 'U' ? 4 : 1) : a.dtype.reduce((s, f) => s + Number(/(\d+)$/.exec(f[1])![1]), 0);
    const rowBytes = a.shape.slice(1).reduce((x, y) => x * y, 1) * itemSize;
    const rows = Math.max(1, Math.min(a.shape[0] || 1, Math.floor(CHUNK_BYTES / Math.max(1, rowBytes))));
    const chunks = [rows, ...a.shape.slice(1)];
    await this.putJson(`${p}/.zarray`, {
      chunks,
      compressor: a.compressor,
      dtype: a.dtype,
      fill_value: a.fillValue ?? (typeof a.dtype === 'string' && /^[<>|][iuf]/.test(a.dtype) ? 0 : null),
      filters: a.filters ?? null,
      order: 'C',
      shape: a.shape,
      zarr_format: 2,
    });
    await this.putJson(`${p}/.zattrs`, a.attrs ?? {});
    const chunkBytes = rows * rowBytes;
    const nChunks = Math.ceil((a.shape[0] || 0) / rows);
    const suffix = a.shape.length > 1 ? '.0'.repeat(a.shape.length - 1) : '';
    for (let k = 0; k < nChunks; k++) {
      // Zarr v2 stores whole chunks: the last one is padded (with zeros, never read).
      const chunk = new Uint8Array(chunkBytes);
      chunk.set(a.data.subarray(k * chunkBytes, Math.min(a.data.length, (k + 1) * chunkBytes)));
      let bytes: Uint8Array = chunk;
      for (const f of a.filters ?? []) if (f.id === 'delta') bytes = deltaEncode(bytes);
      await writeFile(path.join(this.folder, p, `${k}${suffix}`), await compress(bytes, a.compressor));
    }
  }

  /** `_write_object_array(group, name, obj, codec="json")`: a 1-element `|O` array, json2 codec. */
  async object(p: string, value: unknown, attrs: Record<string, unknown> = {}): Promise<void> {
    await mkdir(path.join(this.folder, p), { recursive: true });
    const filter = { id: 'json2', allow_nan: true, check_circular: true, encoding: 'utf-8', ensure_ascii: true, indent: null, separators: [',', ':'], skipkeys: false, sort_keys: true, strict: true };
    await this.putJson(`${p}/.zarray`, { chunks: [1], compressor: ZARR_DEFAULT_COMPRESSOR, dtype: '|O', fill_value: 0, filters: [filter], order: 'C', shape: [1], zarr_format: 2 });
    await this.putJson(`${p}/.zattrs`, attrs);
    // numcodecs/json.py `encode`: the items, then the dtype string and the shape.
    await writeFile(path.join(this.folder, p, '0'), await compress(utf8.encode(JSON.stringify([value, '|O', [1]])), ZARR_DEFAULT_COMPRESSOR));
  }

  /** `zarr.consolidate_metadata`: every `.zgroup` / `.zarray` / `.zattrs` in `.zmetadata`. */
  async consolidate(): Promise<void> {
    await writeFile(path.join(this.folder, '.zmetadata'), JSON.stringify({ metadata: this.meta, zarr_consolidated_format: 1 }, null, 4));
  }
}

async function compress(bytes: Uint8Array, c: Compressor): Promise<Uint8Array> {
  if (!c) return bytes;
  return Blosc.fromConfig(c).encode(bytes);
}

/** numcodecs `Delta(dtype="<i8")`: the first value, then differences (int64, wrapping). */
function deltaEncode(bytes: Uint8Array): Uint8Array {
  const v = new BigInt64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  const out = new BigInt64Array(v.length);
  for (let i = v.length - 1; i > 0; i--) out[i] = BigInt.asIntN(64, v[i] - v[i - 1]);
  if (v.length) out[0] = v[0];
  return new Uint8Array(out.buffer);
}

/** dtype, shape and C-order body of an `.npy` file (records: their fields). */
function npyParts(bytes: Uint8Array, name: string): { dtype: string | Array<[string, string]>; shape: number[]; data: Uint8Array } {
  const src = new MemoryByteSource(bytes, name);
  const { text, dataOffset } = readNpyHeaderText(src);
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(text)?.[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const descr = /'descr':\s*('([^']*)'|\[.*\])\s*,\s*'fortran_order'/.exec(text);
  if (!descr) throw new Error(`${name}: cannot read its dtype`);
  const dtype = descr[2] !== undefined ? descr[2] : parseStructuredDescr(text, name).fields.map((f): [string, string] => [f.name, f.descr]);
  return { dtype, shape, data: bytes.subarray(dataOffset) };
}

const readJson = async (file: string): Promise<Record<string, unknown>> => parsePythonJson(await readFile(file, 'utf8')) as Record<string, unknown>;
const exists = async (p: string): Promise<boolean> => readdir(path.dirname(p)).then((n) => n.includes(path.basename(p)), () => false);

/**
 * Writes the Zarr store `zarrDir` from the analyzer folder `src`. `recordingPath` rewrites each
 * recording file path (relative to `src`) as the store's recording names it (relative to the store).
 */
export async function binaryAnalyzerToZarr(src: string, zarrDir: string, recordingPath: (p: string) => string): Promise<void> {
  const w = new ZarrV2Writer(zarrDir);
  await w.group('', { spikeinterface_info: await readJson(path.join(src, 'spikeinterface_info.json')), settings: await readJson(path.join(src, 'settings.json')) });

  // sorting (add_sorting_to_zarr_group)
  const info = await readJson(path.join(src, 'sorting/numpysorting_info.json'));
  await w.group('sorting', { sampling_frequency: info.sampling_frequency, num_segments: info.num_segments, annotations: {} });
  const unitIds = info.unit_ids as Array<string | number>;
  await w.array('sorting/unit_ids', { ...idArray(unitIds), compressor: null });
  await w.group('sorting/spikes');
  const spikes = npyParts(await readFile(path.join(src, 'sorting/spikes.npy')), 'spikes.npy');
  const n = spikes.shape[0];
  // A copy: spikes.data is a view into the file's Buffer (whose slice() does not copy).
  const words = new Int32Array(new Uint8Array(spikes.data).buffer, 0, n * 6);
  for (const [field, at] of [
    ['sample_index', 0],
    ['unit_index', 2],
  ] as const) {
    const col = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) [col[2 * i], col[2 * i + 1]] = [words[6 * i + at], words[6 * i + at + 1]];
    await w.array(`sorting/spikes/${field}`, { dtype: '<i8', shape: [n], data: new Uint8Array(col.buffer), compressor: SI_COMPRESSOR, filters: [{ id: 'delta', dtype: '<i8' }] });
  }
  await w.array('sorting/spikes/segment_slices', { dtype: '<i8', shape: [1, 2], data: new Uint8Array(BigInt64Array.from([0n, BigInt(n)]).buffer), compressor: null });
  await w.group('sorting/properties');
  for (const f of (await readdir(path.join(src, 'sorting/properties'))).sort()) {
    const p = npyParts(await readFile(path.join(src, 'sorting/properties', f)), f);
    await w.array(`sorting/properties/${f.replace(/\.npy$/, '')}`, { ...p, compressor: null, fillValue: typeof p.dtype === 'string' && p.dtype[1] === 'U' ? '' : undefined });
  }

  await w.group('recording_info', {
    recording_attributes: await readJson(path.join(src, 'recording_info/recording_attributes.json')),
    probegroup: await readJson(path.join(src, 'recording_info/probegroup.json')),
  });
  if (await exists(path.join(src, 'sparsity_mask.npy'))) {
    await w.array('sparsity_mask', { ...npyParts(await readFile(path.join(src, 'sparsity_mask.npy')), 'sparsity_mask.npy'), compressor: ZARR_DEFAULT_COMPRESSOR, fillValue: false });
  }
  if (await exists(path.join(src, 'recording.json'))) {
    const rec = await readJson(path.join(src, 'recording.json'));
    const kwargs = rec.kwargs as { file_paths?: string[] };
    if (kwargs?.file_paths) kwargs.file_paths = kwargs.file_paths.map(recordingPath);
    await w.object('recording', rec);
  }

  await w.group('extensions');
  for (const ext of (await readdir(path.join(src, 'extensions'))).sort()) {
    const dir = path.join(src, 'extensions', ext);
    const names = (await readdir(dir)).sort();
    const attrs: Record<string, unknown> = {};
    for (const [file, key] of [
      ['params.json', 'params'],
      ['info.json', 'info'],
      ['run_info.json', 'run_info'],
    ] as const) {
      if (names.includes(file)) attrs[key] = await readJson(path.join(dir, file));
    }
    await w.group(`extensions/${ext}`, attrs);
    for (const f of names) {
      const base = `extensions/${ext}/${f.replace(/\.(npy|csv)$/, '')}`;
      if (f.endsWith('.npy')) await w.array(base, { ...npyParts(await readFile(path.join(dir, f)), f), compressor: SI_COMPRESSOR });
      else if (f.endsWith('.csv')) await dataframe(w, base, await readFile(path.join(dir, f), 'utf8'), path.join(dir, f));
    }
  }
  await w.consolidate();
}

/** A pandas dataframe of numbers (index: the unit ids) as `_save_data` writes it. */
async function dataframe(w: ZarrV2Writer, p: string, csv: string, file: string): Promise<void> {
  const table = parseTable(csv.replace(/^,/, 'unit_id,'), file);
  const [idCol, ...cols] = table.columns;
  await w.group(p, { dataframe: true });
  await w.array(`${p}/index`, { ...idArray(table.rows.map((r) => r[idCol])), compressor: ZARR_DEFAULT_COMPRESSOR });
  for (const c of cols) {
    const v = Float64Array.from(table.rows, (r) => (typeof r[c] === 'number' ? (r[c] as number) : NaN));
    await w.array(`${p}/${c}`, { dtype: '<f8', shape: [v.length], data: new Uint8Array(v.buffer), compressor: ZARR_DEFAULT_COMPRESSOR });
  }
}

/** Unit ids as NumPy stores them: `<i8` when all are integers, else fixed-width `<U` (UTF-32). */
function idArray(ids: ReadonlyArray<string | number>): Omit<ZarrArraySpec, 'compressor'> {
  if (ids.every((v) => typeof v === 'number')) return { dtype: '<i8', shape: [ids.length], data: new Uint8Array(BigInt64Array.from(ids, (v) => BigInt(v as number)).buffer) };
  const width = Math.max(1, ...ids.map((u) => [...String(u)].length));
  const data = new Uint32Array(ids.length * width);
  ids.forEach((u, i) => [...String(u)].forEach((ch, k) => (data[i * width + k] = ch.codePointAt(0)!)));
  return { dtype: `<U${width}`, shape: [ids.length], data: new Uint8Array(data.buffer), fillValue: '' };
}
