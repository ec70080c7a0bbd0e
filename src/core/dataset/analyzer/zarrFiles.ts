/**
 * A SortingAnalyzer saved with `format="zarr"`, decoded into the files of its `binary_folder`
 * layout, so that the `binary_folder` reader (`../analyzer.ts` and this folder) interprets both
 * and only the fetching differs. Layout followed: SpikeInterface (commit a5f7dbb3, 2026-07-23;
 * zarr-python < 3, so Zarr v2), `core/sortinganalyzer.py` `SortingAnalyzer.create_zarr` /
 * `load_from_zarr`, `AnalyzerExtension._save_data` / `load_data` / `_save_params` /
 * `_save_run_info`, and `core/zarrextractors.py` `add_sorting_to_zarr_group` /
 * `ZarrSortingExtractor`:
 *
 * | Zarr (v2) | binary_folder file |
 * |---|---|
 * | root attrs `spikeinterface_info`, `settings` | `spikeinterface_info.json`, `settings.json` |
 * | `sorting` attrs `sampling_frequency`, `num_segments` + array `sorting/unit_ids` | `sorting/numpysorting_info.json` |
 * | `sorting/spikes/sample_index`, `unit_index` (`<i8`, Delta filter, Blosc zstd) + `segment_slices` (nSeg, 2) | `sorting/spikes.npy` (records `sample_index`, `unit_index`, `segment_index`) |
 * | `sorting/properties/<name>` | `sorting/properties/<name>.npy` |
 * | `recording_info` attrs `recording_attributes`, `probegroup` | `recording_info/recording_attributes.json`, `probegroup.json` |
 * | `sparsity_mask` | `sparsity_mask.npy` |
 * | `recording` (1-element object array, `json2` codec; `pickle` when not JSON-serializable) | `recording.json` (`recording.pickle`) |
 * | `extensions/<name>` attrs `params`, `run_info`, `info` | `params.json`, `run_info.json`, `info.json` |
 * | `extensions/<name>/<data>` array | `<data>.npy` |
 * | `extensions/<name>/<data>` group with attr `dataframe` (arrays `index` + one per column) | `<data>.csv` (written tab-separated, index first) |
 *
 * Only the extension arrays the reader uses are decoded ({@link READ_DATA}); other extensions
 * are listed (so `info` names them) without their data. Decoding happens once, at open, into
 * memory (`shared`: SharedArrayBuffers, which worker threads read without a copy).
 */
import type { Feature } from '../../diagnostics';
import { FormatError } from '../../diagnostics';
import { MemoryByteSource } from '../../formats/ByteSource';
import { NpyFile } from '../../formats/npy';
import { encodeStructuredNpyHeader } from '../../formats/npyStructured';
import { isStringNpy, readNpyStrings } from '../../formats/npyText';
import type { ZarrHierarchy } from '../../formats/zarr';
import type { DiagnosticLog } from '../DiagnosticLog';

/** Extension data items the analyzer reader reads (see `extensions.ts`), and what each feeds. */
export const READ_DATA: Record<string, { items: string[]; disables: Feature[] }> = {
  templates: { items: ['average', 'median'], disables: ['templates'] },
  template_similarity: { items: ['similarity'], disables: ['similarity'] },
  noise_levels: { items: ['noise_levels'], disables: [] },
  spike_amplitudes: { items: ['amplitudes'], disables: ['amplitudes'] },
  principal_components: { items: ['pca_projection'], disables: ['features'] },
  random_spikes: { items: ['random_spikes_indices'], disables: ['features'] },
  spike_locations: { items: ['spike_locations'], disables: ['spikeAttributes'] },
  quality_metrics: { items: ['metrics'], disables: [] },
  template_metrics: { items: ['metrics'], disables: [] },
};

const utf8 = new TextEncoder();
/** An entry ending in `/` is a folder (see OverlayFileSystem). */
const FOLDER = new Uint8Array(0);
const json = (v: unknown): Uint8Array => utf8.encode(JSON.stringify(v, null, 4));

/**
 * The `binary_folder` files of the Zarr analyzer `h` (relative path → bytes). Problems of
 * required parts are FormatErrors (the reader then reports the missing file as fatal); an
 * extension item that cannot be decoded is reported in `log` (disabling what it feeds) and left
 * out.
 */
export async function zarrAnalyzerFiles(h: ZarrHierarchy, log: DiagnosticLog, shared: boolean): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const where = (p: string) => `${h.store.name}/${p}`;
  const root = h.node('')!;
  for (const name of ['spikeinterface_info', 'settings']) if (root.attrs[name] !== undefined) files.set(`${name}.json`, json(root.attrs[name]));

  // sorting/ (ZarrSortingExtractor): a missing part leaves its file out; the reader says what is required.
  const sorting = h.node('sorting');
  if (sorting?.kind === 'group') {
    const info: Record<string, unknown> = { sampling_frequency: sorting.attrs.sampling_frequency, num_segments: sorting.attrs.num_segments };
    if (h.node('sorting/unit_ids')?.kind === 'array') info.unit_ids = npyValues(await h.readArrayAsNpy('sorting/unit_ids', false), where('sorting/unit_ids'));
    files.set('sorting/numpysorting_info.json', json(info));
    if (h.node('sorting/spikes/sample_index') && h.node('sorting/spikes/unit_index')) files.set('sorting/spikes.npy', await spikeVector(h, shared));
    for (const p of h.children('sorting/properties')) {
      const path = `sorting/properties/${p}`;
      try {
        files.set(`${path}.npy`, await h.readArrayAsNpy(path, false));
      } catch (e) {
        log.from(e, where(path), 'info', [], '; this unit property is not shown');
      }
    }
  }

  const recInfo = h.node('recording_info');
  if (recInfo?.kind === 'group') {
    files.set('recording_info/', FOLDER);
    if (recInfo.attrs.recording_attributes !== undefined) files.set('recording_info/recording_attributes.json', json(recInfo.attrs.recording_attributes));
    if (recInfo.attrs.probegroup !== undefined && recInfo.attrs.probegroup !== null) files.set('recording_info/probegroup.json', json(recInfo.attrs.probegroup));
  }
  if (h.node('sparsity_mask')?.kind === 'array') {
    try {
      files.set('sparsity_mask.npy', await h.readArrayAsNpy('sparsity_mask', false));
    } catch (e) {
      log.from(e, where('sparsity_mask'), 'error', ['features'], '; PC features need it');
    }
  }
  if (h.node('recording')?.kind === 'array') {
    try {
      const rec = await h.readZarrObject('recording');
      if (rec === 'pickle') files.set('recording.pickle', new Uint8Array(0));
      else files.set('recording.json', json(rec));
    } catch (e) {
      log.from(e, where('recording'), 'warning', [], '; the recording is not known');
    }
  }

  for (const ext of h.children('extensions')) {
    const base = `extensions/${ext}`;
    const node = h.node(base);
    if (node?.kind !== 'group') continue;
    files.set(`${base}/`, FOLDER);
    for (const [attr, file] of [
      ['params', 'params.json'],
      ['run_info', 'run_info.json'],
      ['info', 'info.json'],
    ] as const) {
      if (node.attrs[attr] !== undefined) files.set(`${base}/${file}`, json(node.attrs[attr]));
    }
    const read = READ_DATA[ext];
    if (!read) continue;
    for (const item of h.children(base)) {
      if (!read.items.includes(item)) continue;
      const path = `${base}/${item}`;
      const child = h.node(path)!;
      try {
        if (child.kind === 'array') files.set(`${path}.npy`, await h.readArrayAsNpy(path, shared));
        else if (child.attrs.dataframe) files.set(`${path}.csv`, await dataframeText(h, path));
      } catch (e) {
        log.from(e, where(path), 'error', read.disables, `; the ${ext} extension's ${item} is not read`);
      }
    }
  }
  return files;
}

/** Values of a 1-d `.npy` (numbers or strings). */
function npyValues(bytes: Uint8Array, name: string): Array<string | number> {
  const src = new MemoryByteSource(bytes, name);
  if (isStringNpy(src)) return readNpyStrings(src);
  const npy = NpyFile.open(src);
  if (npy.header.shape.length !== 1) throw new FormatError(name, 'npy.shape', `expected a 1-d array, got shape (${npy.header.shape.join(', ')})`);
  return Array.from(npy.read({ as: 'float64' }));
}

/**
 * `sorting/spikes.npy` from the spike arrays: records `sample_index`, `unit_index`,
 * `segment_index` (`<i8`), the segment of each spike from `segment_slices` ([start, end) per
 * segment, `add_sorting_to_zarr_group`).
 */
async function spikeVector(h: ZarrHierarchy, shared: boolean): Promise<Uint8Array> {
  const i8 = (bytes: Uint8Array, name: string): BigInt64Array => {
    const npy = NpyFile.open(new MemoryByteSource(bytes, name));
    if (npy.header.dtype !== 'int64' || npy.header.shape.length !== 1) throw new FormatError(name, 'analyzer.spikeVector', `expected a 1-d <i8 array, got ${npy.header.dtype} of shape (${npy.header.shape.join(', ')})`);
    const off = npy.header.dataOffset;
    const copy = bytes.slice(off, off + npy.header.shape[0] * 8);
    return new BigInt64Array(copy.buffer, 0, npy.header.shape[0]);
  };
  const name = (p: string) => `${h.store.name}/sorting/spikes/${p}`;
  const sample = i8(await h.readArrayAsNpy('sorting/spikes/sample_index', false), name('sample_index'));
  const unit = i8(await h.readArrayAsNpy('sorting/spikes/unit_index', false), name('unit_index'));
  const n = sample.length;
  if (unit.length !== n) throw new FormatError(name('unit_index'), 'lengths.mismatch', `has ${unit.length} spikes but sample_index has ${n}`);
  const segment = new Int32Array(n);
  if (h.node('sorting/spikes/segment_slices')) {
    const slices = NpyFile.open(new MemoryByteSource(await h.readArrayAsNpy('sorting/spikes/segment_slices', false), name('segment_slices'))).read({ as: 'float64' });
    for (let s = 0; s + 1 < slices.length; s += 2) for (let i = Math.max(0, slices[s]); i < Math.min(n, slices[s + 1]); i++) segment[i] = s / 2;
  }
  const fields = [
    { name: 'sample_index', dtype: 'int64' as const },
    { name: 'unit_index', dtype: 'int64' as const },
    { name: 'segment_index', dtype: 'int64' as const },
  ];
  const header = encodeStructuredNpyHeader(fields, n);
  const size = header.length + n * 24;
  const out = new Uint8Array(shared && typeof SharedArrayBuffer !== 'undefined' ? new SharedArrayBuffer(size) : new ArrayBuffer(size));
  out.set(header, 0);
  // 32-bit words: little-endian low then high word, without a BigInt per value.
  const words = new Int32Array(out.buffer, header.length, n * 6);
  const s32 = new Int32Array(sample.buffer, sample.byteOffset, 2 * n);
  const u32 = new Int32Array(unit.buffer, unit.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) {
    const w = 6 * i;
    words[w] = s32[2 * i];
    words[w + 1] = s32[2 * i + 1];
    words[w + 2] = u32[2 * i];
    words[w + 3] = u32[2 * i + 1];
    words[w + 4] = segment[i];
  }
  return out;
}

/**
 * A dataframe group (`_save_data`: attr `dataframe`, array `index`, one array per column) as the
 * text of pandas' `to_csv(index=True)` (unnamed index first), tab-separated so that string cells
 * holding commas stay whole.
 */
async function dataframeText(h: ZarrHierarchy, path: string): Promise<Uint8Array> {
  const names = h.children(path).filter((c) => c !== 'index' && h.node(`${path}/${c}`)?.kind === 'array');
  const index = npyValues(await h.readArrayAsNpy(`${path}/index`, false), `${h.store.name}/${path}/index`);
  const columns: Array<Array<string | number>> = [];
  for (const c of names) columns.push(npyValues(await h.readArrayAsNpy(`${path}/${c}`, false), `${h.store.name}/${path}/${c}`));
  const cell = (v: string | number | undefined) => (v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v).replace(/[\t\r\n]/g, ' '));
  const lines = [['', ...names].join('\t')];
  index.forEach((id, r) => lines.push([cell(id), ...columns.map((col) => cell(col[r]))].join('\t')));
  return utf8.encode(lines.join('\n') + '\n');
}
