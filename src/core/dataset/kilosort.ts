/**
 * Opens a Kilosort/phy template folder (phylib `TemplateModel`, phy-features §3.1) as a
 * {@link Dataset}: validated, lazily, and without ever writing into the sorter's folder.
 *
 * Eager (one big read each, SharedArrayBuffer-backed when `shared`): `spike_times` (float64
 * samples), `spike_templates`, `spike_clusters` (int32), `amplitudes` (float32), and the small
 * per-channel / per-template arrays. Lazy (headers only at open): `templates.npy`,
 * `pc_features.npy`, `template_features.npy`, `spike_<name>.npy` attributes and the raw data.
 *
 * Every problem becomes a {@link Diagnostic}. A problem in a required file (or one that would
 * make the curation wrong, such as decreasing spike times) is `fatal` and throws a
 * {@link DatasetOpenError}; a problem in an optional file disables only what needs that file.
 */
import type { Diagnostic, Feature } from '../diagnostics';
import type { ByteSource } from '../formats/ByteSource';
import type { FileSystem } from '../formats/FileSystem';
import { NpyFile } from '../formats/npy';
import type { NpyDtype, NumericArray, NpyTarget } from '../formats/npy';
import { parseParams } from '../formats/params';
import { parseClusterTable, type RejectedRow } from '../formats/tsv';
import type { ClusterColumn, Dataset, FeatureSource, RawRecording, RejectedClusterRows, SpikeAttribute, SpikeClustersLayout, TemplateSource } from './Dataset';
import { clusterSpikeCounts } from './datasetInfo';
import { DiagnosticLog, errorText } from './DiagnosticLog';
import { closeSource, openRawData, RAW_FEATURES, recordingDuration } from './rawData';
import { readColumn } from './readColumn';
import type { ColumnStats, ColumnTarget } from './readColumn';

export { DatasetOpenError } from './DatasetOpenError';

/** Options of {@link openTemplateDataset}. */
export interface TemplateDatasetOptions {
  /**
   * Back the per-spike columns with SharedArrayBuffers so worker threads read them without a
   * copy (default true).
   */
  shared?: boolean;
}

/**
 * Files phylib reads, with their ALF alternatives (International Brain Lab naming:
 * `object.attribute[.extra].npy`). The first name present wins.
 */
const FILES = {
  spikeTimes: ['spike_times.npy'],
  spikeTimesAlfSamples: ['spikes.samples'],
  spikeTimesAlfSeconds: ['spikes.times'],
  spikeTemplates: ['spike_templates.npy', 'spikes.templates'],
  spikeClusters: ['spike_clusters.npy', 'spikes.clusters'],
  amplitudes: ['amplitudes.npy', 'spikes.amps'],
  channelMap: ['channel_map.npy', 'channels.rawInd'],
  channelPositions: ['channel_positions.npy', 'channels.localCoordinates'],
  channelShanks: ['channel_shanks.npy', 'channels.shanks'],
  channelProbes: ['channel_probe.npy', 'channels.probes'],
  templates: ['templates.npy', 'templates.waveforms'],
  templateInd: ['template_ind.npy', 'templates.waveformsChannels'],
} as const;

/**
 * `spike_<name>.npy` files that are not spike attributes (phylib's skip list, plus `spike_ids`
 * which some exporters write).
 */
const NOT_ATTRIBUTES = new Set(['clusters', 'templates', 'samples', 'times', 'times_reordered', 'amplitudes']);

/** Spacing of the linear layout that replaces unusable channel positions, µm. */
const LINEAR_PITCH_UM = 20;

/** Finds a file by its phy name or an ALF stem (`spikes.times` matches `spikes.times[.x].npy`). */
function findName(names: readonly string[], candidates: readonly string[]): string | null {
  for (const c of candidates) {
    if (c.endsWith('.npy')) {
      if (names.includes(c)) return c;
      continue;
    }
    const prefix = c + '.';
    const hits = names.filter((n) => n.endsWith('.npy') && (n === c + '.npy' || (n.startsWith(prefix) && !n.slice(prefix.length).startsWith('.')))).sort();
    if (hits.length) return hits[0];
  }
  return null;
}

/** The length of a 1-D column stored as `(N,)`, `(N, 1)` or `(1, N)`, or -1 for any other shape. */
function columnLength(npy: NpyFile): number {
  const s = npy.header.shape;
  if (s.length === 1) return s[0];
  if (s.length === 2 && s[1] === 1) return s[0];
  if (s.length === 2 && s[0] === 1) return s[1];
  return -1;
}

function shapeText(npy: NpyFile): string {
  const s = npy.header.shape;
  return s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A fresh {@link ColumnStats} for {@link readColumn} to fill. */
function newStats(kind: ColumnStats['kind']): ColumnStats {
  return { kind, min: Infinity, max: -Infinity, nonDecreasing: true };
}

/** [min, max] of filled stats, as {@link range} gives it ([0, -1] when empty). */
function statsRange(stats: ColumnStats, n: number): [number, number] {
  return n === 0 ? [0, -1] : [stats.min, stats.max];
}

/** Min and max of an int column (one pass; [0, -1] when empty). */
function range(a: Int32Array): [number, number] {
  if (a.length === 0) return [0, -1];
  let lo = a[0];
  let hi = a[0];
  for (let i = 1; i < a.length; i++) {
    const v = a[i];
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * Inverse of an (n, n) C-order matrix by Gauss–Jordan elimination with partial pivoting, or null
 * when it is singular (a pivot below 1e-12 × the largest entry).
 */
export function invertMatrix(m: ArrayLike<number>, n: number): Float64Array | null {
  const a = Float64Array.from(m);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(a[i]));
  if (!(scale > 0) || !Number.isFinite(scale)) return null;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[piv * n + col])) piv = r;
    const p = a[piv * n + col];
    if (Math.abs(p) < 1e-12 * scale) return null;
    if (piv !== col) {
      for (let k = 0; k < n; k++) {
        let t = a[col * n + k];
        a[col * n + k] = a[piv * n + k];
        a[piv * n + k] = t;
        t = inv[col * n + k];
        inv[col * n + k] = inv[piv * n + k];
        inv[piv * n + k] = t;
      }
    }
    for (let k = 0; k < n; k++) {
      a[col * n + k] /= p;
      inv[col * n + k] /= p;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r * n + col];
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        a[r * n + k] -= f * a[col * n + k];
        inv[r * n + k] -= f * inv[col * n + k];
      }
    }
  }
  return inv;
}

function identity(n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

/**
 * Templates read one at a time from `templates.npy` ((nTemplates, nSamples, nChannelsLoc),
 * C or Fortran order). NaNs (all-NaN templates are common in Kilosort 2 output) read as 0.
 */
class NpyTemplateSource implements TemplateSource {
  readonly nTemplates: number;
  readonly nSamples: number;
  readonly nChannelsLoc: number;

  constructor(
    private readonly npy: NpyFile,
    /** (nTemplates, nChannelsLoc) channel of each column (-1 unused), or null when dense. */
    private readonly ind: Int32Array | null,
  ) {
    [this.nTemplates, this.nSamples, this.nChannelsLoc] = npy.header.shape;
  }

  getTemplate(templateId: number): { data: Float32Array; channels: Int32Array } {
    if (!(Number.isInteger(templateId) && templateId >= 0 && templateId < this.nTemplates)) {
      throw new RangeError(`template ${templateId} out of range (${this.nTemplates} templates)`);
    }
    const data = readTemplateRow(this.npy, templateId);
    for (let i = 0; i < data.length; i++) if (data[i] !== data[i]) data[i] = 0;
    const nc = this.nChannelsLoc;
    const channels = new Int32Array(nc);
    if (this.ind) channels.set(this.ind.subarray(templateId * nc, (templateId + 1) * nc));
    else for (let c = 0; c < nc; c++) channels[c] = c;
    return { data, channels };
  }
}

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Row `t` of a C-order float32 little-endian array read straight into its result (one `pread`,
 * no page-cache pages, no decode): all templates are read at open for the cluster table, and
 * 1 MB cache pages plus a decoded copy cost ≈ 2× the file in transient memory. Other layouts
 * go through {@link NpyFile.readRowsAt}.
 */
function readTemplateRow(npy: NpyFile, t: number): Float32Array {
  const h = npy.header;
  const src = npy.source;
  if (!(src.readInto && HOST_LE && h.dtype === 'float32' && h.littleEndian && (!h.fortranOrder || npy.rowSize === 1))) {
    return npy.readRowsAt([t], { as: 'float32' }) as Float32Array;
  }
  const out = new Float32Array(npy.rowSize);
  src.readInto(h.dataOffset + t * npy.rowSize * 4, new Uint8Array(out.buffer));
  return out;
}

/**
 * Per-spike features from an `.npy` of shape (nRows, nPcs, nChannelsLoc) (`pc_features.npy`,
 * transposed on read to (n, nChannelsLoc, nPcs) as phylib does) or (nRows, nColumns)
 * (`template_features.npy`, nPcs = 1). Rows are read on demand, never the whole file.
 */
class NpyFeatureSource implements FeatureSource {
  readonly nPcs: number;
  readonly nChannelsLoc: number;
  /** Row of each entry of `spikeIds` (ascending spike ids), when the file holds a subset. */
  private readonly rowOf: Int32Array | null;

  constructor(
    private readonly npy: NpyFile,
    readonly spikeIds: Int32Array | null,
    rowOf: Int32Array | null,
    /** (nTemplates, nChannelsLoc) column → channel (or template) index, or null for 0..n-1. */
    private readonly ind: Int32Array | null,
    private readonly spikeTemplates: Int32Array,
  ) {
    const s = npy.header.shape;
    this.nPcs = s.length === 3 ? s[1] : 1;
    this.nChannelsLoc = s.length === 3 ? s[2] : s[1];
    this.rowOf = rowOf;
  }

  private rowsFor(spikeIds: ArrayLike<number>): ArrayLike<number> {
    if (!this.spikeIds) return spikeIds;
    const ids = this.spikeIds;
    const rows = new Int32Array(spikeIds.length);
    for (let k = 0; k < spikeIds.length; k++) {
      const s = spikeIds[k];
      let lo = 0;
      let hi = ids.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ids[mid] < s) lo = mid + 1;
        else hi = mid;
      }
      if (ids.length === 0 || ids[lo] !== s) throw new RangeError(`spike ${s} has no feature row (features exist for a subset of ${ids.length} spikes)`);
      rows[k] = this.rowOf ? this.rowOf[lo] : lo;
    }
    return rows;
  }

  read(spikeIds: ArrayLike<number>): { data: Float32Array; channels: Int32Array } {
    const n = spikeIds.length;
    const rows = this.rowsFor(spikeIds);
    const raw = this.npy.readRowsAt(rows, { as: 'float32' }) as Float32Array;
    const nc = this.nChannelsLoc;
    const np = this.nPcs;
    let data = raw;
    if (np > 1) {
      // (n, nPcs, nc) → (n, nc, nPcs)
      data = new Float32Array(raw.length);
      for (let i = 0; i < n; i++) {
        const base = i * np * nc;
        for (let p = 0; p < np; p++) for (let c = 0; c < nc; c++) data[base + c * np + p] = raw[base + p * nc + c];
      }
    }
    const channels = new Int32Array(n * nc);
    for (let i = 0; i < n; i++) {
      if (this.ind) {
        const t = this.spikeTemplates[spikeIds[i]];
        channels.set(this.ind.subarray(t * nc, (t + 1) * nc), i * nc);
      } else {
        for (let c = 0; c < nc; c++) channels[i * nc + c] = c;
      }
    }
    return { data, channels };
  }
}

/** The loader's state while it walks the folder. */
class TemplateFolderReader {
  readonly log: DiagnosticLog = new DiagnosticLog();
  readonly names: string[];
  /** Sources kept open for lazy reads (closed by `Dataset.close`). */
  readonly kept: ByteSource[] = [];

  constructor(
    readonly fs: FileSystem,
    readonly dir: string,
    readonly shared: boolean,
  ) {
    const st = fs.stat(dir);
    if (!st) this.log.fatal(dir, 'folder.missing', 'no such folder');
    if (!st.isDirectory) this.log.fatal(dir, 'folder.notFolder', 'not a folder (expected a Kilosort/phy folder with params.py)');
    const names = fs.list(dir);
    if (!names) this.log.fatal(dir, 'folder.unreadable', 'the folder cannot be listed (permission denied or unreadable)');
    this.names = names.slice().sort();
  }

  path(name: string): string {
    return this.fs.join(this.dir, name);
  }

  find(candidates: readonly string[]): string | null {
    return findName(this.names, candidates);
  }

  /**
   * Opens an `.npy` header. A required file that is missing or broken is fatal; an optional one
   * is reported (`error`, disabling `disables`) and null is returned. Missing optional files
   * return null silently.
   */
  open(candidates: readonly string[], required: false | string, disables: Feature[] = []): { npy: NpyFile; file: string } | null {
    const name = this.find(candidates);
    if (!name) {
      if (required) this.log.fatal(this.path(candidates[0]), 'file.missing', `${candidates[0]} not found (required: ${required})`);
      return null;
    }
    const file = this.path(name);
    let src: ByteSource | null = null;
    try {
      src = this.fs.open(file);
      return { npy: NpyFile.open(src), file };
    } catch (e) {
      closeSource(src);
      if (required) this.log.fatalFrom(e, file);
      this.log.from(e, file, 'error', disables);
      return null;
    }
  }

  /** Reads a whole array, closing the file after; reports like `open`. */
  read(candidates: readonly string[], required: false | string, as: NpyTarget, disables: Feature[] = [], shared = false): { data: NumericArray; npy: NpyFile; file: string } | null {
    const o = this.open(candidates, required, disables);
    if (!o) return null;
    try {
      return { data: o.npy.read({ as, shared }), npy: o.npy, file: o.file };
    } catch (e) {
      if (required) this.log.fatalFrom(e, o.file);
      this.log.from(e, o.file, 'error', disables);
      return null;
    } finally {
      closeSource(o.npy.source);
    }
  }

  /**
   * Reads a per-spike or per-channel column ((N,), (N, 1) or (1, N)) of the expected length
   * (`expect` = -1 for any). A wrong shape or length is fatal for a required file, else an
   * `error` that disables `disables`.
   */
  column(
    candidates: readonly string[],
    required: false | string,
    as: ColumnTarget,
    expect: { n: number; of: string },
    disables: Feature[] = [],
    shared = false,
    stats?: ColumnStats,
  ): { data: NumericArray; file: string; dtype: NpyDtype; shape: number[] } | null {
    const o = this.open(candidates, required, disables);
    if (!o) return null;
    const { npy, file } = o;
    const bad = (code: string, message: string): null => {
      closeSource(npy.source);
      if (required) this.log.fatal(file, code, message);
      this.log.add('error', file, code, message, disables);
      return null;
    };
    const n = columnLength(npy);
    if (n < 0) return bad('npy.shape', `expected a 1-D array, got shape ${shapeText(npy)}`);
    if (expect.n >= 0 && n !== expect.n) {
      const what = disables.length ? `; ${disables.join(', ')} disabled` : '';
      return bad('lengths.mismatch', `has ${n} entries but ${expect.of} has ${expect.n}${what}`);
    }
    try {
      return { data: readColumn(npy, as, shared, stats), file, dtype: npy.header.dtype, shape: npy.header.shape.slice() };
    } catch (e) {
      if (required) this.log.fatalFrom(e, file);
      this.log.from(e, file, 'error', disables);
      return null;
    } finally {
      closeSource(npy.source);
    }
  }

  /** Keeps an opened npy's source for lazy reads. */
  keep(npy: NpyFile): NpyFile {
    this.kept.push(npy.source);
    return npy;
  }
}

/** A number from params.py, or undefined when absent (`None` counts as absent). */
function numberParam(params: Record<string, unknown>, key: string): number | undefined | 'bad' {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return 'bad';
}

/**
 * Opens a Kilosort/phy template folder.
 *
 * @param dir the folder that holds `params.py`
 * @throws DatasetOpenError (a FormatError) when a fatal problem stops the open; it carries every
 *   diagnostic found
 */
export function openTemplateDataset(fs: FileSystem, dir: string, opts: TemplateDatasetOptions = {}): Dataset {
  const shared = opts.shared ?? true;
  const root = fs.resolve(dir);
  const r = new TemplateFolderReader(fs, root, shared);
  try {
    return load(r, root);
  } catch (e) {
    for (const s of r.kept) closeSource(s);
    throw e;
  }
}

function load(r: TemplateFolderReader, root: string): Dataset {
  const { fs, shared } = r;
  const log: DiagnosticLog = r.log;

  // params.py ----------------------------------------------------------------------------------
  const paramsFile = r.path('params.py');
  if (!r.names.includes('params.py')) {
    log.fatal(paramsFile, 'file.missing', 'params.py not found (required: it gives dat_path, n_channels_dat, dtype and sample_rate)');
  }
  const params = readParams(fs, paramsFile, log);
  const sampleRate = readSampleRate(params, paramsFile, log);
  const ncd = numberParam(params, 'n_channels_dat');
  const nChannelsDat = typeof ncd === 'number' && Number.isInteger(ncd) && ncd > 0 ? ncd : null;

  // Per-spike columns ----------------------------------------------------------------------------
  let spikeTimes: Float64Array;
  let timesFile: string;
  const samplesAlf = r.find(FILES.spikeTimes) ? null : r.find(FILES.spikeTimesAlfSamples);
  const secondsAlf = r.find(FILES.spikeTimes) || samplesAlf ? null : r.find(FILES.spikeTimesAlfSeconds);
  if (secondsAlf) {
    const c = r.column([secondsAlf], 'spike times in seconds (ALF)', 'float64', { n: -1, of: '' }, [], shared)!;
    spikeTimes = c.data as Float64Array;
    timesFile = c.file;
    // ALF stores seconds; every other column of the app counts samples.
    for (let i = 0; i < spikeTimes.length; i++) spikeTimes[i] = Math.round(spikeTimes[i] * sampleRate);
    checkSorted(spikeTimes, timesFile, log);
  } else {
    // The order check rides on the read (stats); the full check runs only to word the error.
    const stats = newStats('order');
    const c = r.column(samplesAlf ? [samplesAlf] : FILES.spikeTimes, 'the time of every spike, in samples', 'float64', { n: -1, of: '' }, [], shared, stats)!;
    spikeTimes = c.data as Float64Array;
    timesFile = c.file;
    if (!stats.nonDecreasing) checkSorted(spikeTimes, timesFile, log);
  }
  const nSpikes = spikeTimes.length;
  const timesName = fs.basename(timesFile);

  const tStats = newStats('range');
  const tmpl = r.column(FILES.spikeTemplates, 'the template of every spike', 'int32', { n: nSpikes, of: timesName }, [], shared, tStats)!;
  const spikeTemplates = tmpl.data as Int32Array;
  const [tMin, tMax] = statsRange(tStats, nSpikes);
  if (tMin < 0) log.fatal(tmpl.file, 'spikeTemplates.negative', `template ids must be ≥ 0 (found ${tMin})`);

  let spikeClusters: Int32Array;
  let spikeClustersLayout: SpikeClustersLayout | null = null;
  const clustersName = r.find(FILES.spikeClusters);
  if (clustersName) {
    const cStats = newStats('range');
    const c = r.column(FILES.spikeClusters, 'the cluster of every spike', 'int32', { n: nSpikes, of: timesName }, [], shared, cStats)!;
    spikeClusters = c.data as Int32Array;
    spikeClustersLayout = { dtype: c.dtype, shape: c.shape };
    const [cMin] = statsRange(cStats, nSpikes);
    if (cMin < 0) {
      let i = 0;
      while (spikeClusters[i] >= 0) i++;
      log.fatal(c.file, 'spikeClusters.negative', `cluster ids must be ≥ 0 (spike ${i} has cluster ${spikeClusters[i]})`);
    }
  } else {
    // phylib copies spike_templates.npy to spike_clusters.npy on disk; we never write the sorter's
    // folder, so the copy lives in memory until the first save writes spike_clusters.npy.
    spikeClusters = shared && typeof SharedArrayBuffer !== 'undefined' ? new Int32Array(new SharedArrayBuffer(nSpikes * 4)) : new Int32Array(nSpikes);
    spikeClusters.set(spikeTemplates);
    log.add('info', r.path('spike_clusters.npy'), 'spikeClusters.missing', 'spike_clusters.npy not found: every spike starts in the cluster of its template (the file is written on the first save)');
  }

  const amp = r.column(FILES.amplitudes, false, 'float32', { n: nSpikes, of: timesName }, ['amplitudes'], shared);
  const amplitudes = amp ? (amp.data as Float32Array) : null;

  // Channels -------------------------------------------------------------------------------------
  const cm = r.column(FILES.channelMap, 'the raw-file column of every displayed channel', 'int32', { n: -1, of: '' })!;
  const channelMap = cm.data as Int32Array;
  const nChannels = channelMap.length;
  const cmName = fs.basename(cm.file);
  let rawUsable = true;
  if (nChannelsDat !== null) {
    const [lo, hi] = range(channelMap);
    if (nChannels > 0 && (lo < 0 || hi >= nChannelsDat)) {
      log.add('error', cm.file, 'channelMap.outOfRange', `channel_map values must be in [0, n_channels_dat = ${nChannelsDat}) (found ${lo < 0 ? lo : hi}): raw data cannot be mapped to channels`, RAW_FEATURES);
      rawUsable = false;
    }
  }
  const channelPositions = readPositions(r, nChannels, cmName);
  const channelShanks = perChannel(r, FILES.channelShanks, nChannels, cmName);
  const channelProbes = perChannel(r, FILES.channelProbes, nChannels, cmName);

  // Templates ------------------------------------------------------------------------------------
  const tplDisables: Feature[] = ['templates', 'similarity'];
  let templates: NpyTemplateSource | null = null;
  let nTemplates = -1;
  let templatesOutOfRange = false;
  const tpl = r.open(FILES.templates, false, tplDisables);
  if (tpl) {
    const s = tpl.npy.header.shape;
    if (s.length !== 3) {
      log.add('error', tpl.file, 'npy.shape', `expected (n_templates, n_samples, n_channels) but got ${shapeText(tpl.npy)}; templates disabled`, tplDisables);
      closeSource(tpl.npy.source);
    } else if (tMax >= s[0]) {
      nTemplates = s[0];
      let i = 0;
      while (spikeTemplates[i] < s[0]) i++;
      log.add('error', tpl.file, 'templates.outOfRange', `spike ${i} has template ${spikeTemplates[i]} but templates.npy has ${s[0]} templates (ids 0–${s[0] - 1}); templates and similarity disabled`, tplDisables);
      closeSource(tpl.npy.source);
      templatesOutOfRange = true;
    } else {
      nTemplates = s[0];
      templates = openTemplates(r, tpl.npy, tpl.file, nChannels);
    }
  }

  const sim = templatesOutOfRange ? null : r.read(['similar_templates.npy'], false, 'float32', ['similarity']);
  let similarTemplates: Float32Array | null = null;
  if (sim) {
    const s = sim.npy.header.shape;
    const n = nTemplates >= 0 ? nTemplates : s[0];
    if (s.length !== 2 || s[0] !== s[1] || s[0] !== n) {
      log.add('error', sim.file, 'npy.shape', `expected (${n}, ${n}) (one row and column per template) but got ${shapeText(sim.npy)}; similarity disabled`, ['similarity']);
    } else if (tMax >= n) {
      log.add('error', sim.file, 'templates.outOfRange', `spike_templates.npy refers to template ${tMax} but similar_templates.npy has ${n} rows; similarity disabled`, ['similarity']);
    } else {
      similarTemplates = sim.data as Float32Array;
      if (nTemplates < 0) nTemplates = n;
    }
  }
  if (nTemplates < 0) nTemplates = tMax + 1;

  const whiteningMatInv = readWhitening(r, nChannels);

  // Features ---------------------------------------------------------------------------------------
  const features = openFeatures(r, {
    data: 'pc_features.npy',
    ind: 'pc_feature_ind.npy',
    ids: 'pc_feature_spike_ids.npy',
    feature: 'features',
    nSpikes,
    spikeTemplates,
    tMax,
    nIndex: nChannels,
    indexWhat: 'channels',
  });
  const templateFeatures = openFeatures(r, {
    data: 'template_features.npy',
    ind: 'template_feature_ind.npy',
    ids: 'template_feature_spike_ids.npy',
    feature: 'templateFeatures',
    nSpikes,
    spikeTemplates,
    tMax,
    nIndex: nTemplates,
    indexWhat: 'templates',
  });

  const spikeAttributes = openSpikeAttributes(r, nSpikes, timesName);
  const { clusterColumns, clusterGroups, rejectedGroupRows } = readClusterTables(r, spikeClusters);

  // Raw data -------------------------------------------------------------------------------------
  let raw: RawRecording | null = null;
  let rawSources: ByteSource[] = [];
  if (rawUsable) {
    const opened = openRawData(fs, { datPath: params.dat_path, dir: root, origin: paramsFile, dtype: params.dtype, offset: params.offset, nChannelsDat: params.n_channels_dat, sampleRate }, log);
    if (opened) {
      raw = opened.recording;
      rawSources = opened.sources;
    }
  }

  const duration = recordingDuration(raw, spikeTimes, sampleRate, log);
  const kept = r.kept;
  const diagnostics: Diagnostic[] = log.list;
  return {
    format: 'template',
    path: root,
    dir: root,
    name: fs.basename(root),
    params,
    sampleRate,
    nSpikes,
    nChannels,
    nTemplates,
    duration,
    spikeTimes,
    spikeClusters,
    spikeTemplates,
    amplitudes,
    channelMap,
    channelPositions,
    channelShanks,
    channelProbes,
    templates,
    similarTemplates,
    whiteningMatInv,
    features,
    templateFeatures,
    spikeAttributes,
    clusterColumns,
    clusterGroups,
    rejectedGroupRows,
    spikeClustersLayout,
    raw,
    diagnostics,
    close(): void {
      for (const s of kept) closeSource(s);
      for (const s of rawSources) closeSource(s);
      kept.length = 0;
      rawSources = [];
    },
  };
}

function readParams(fs: FileSystem, paramsFile: string, log: DiagnosticLog): Record<string, unknown> {
  try {
    return parseParams(fs.readText(paramsFile), paramsFile);
  } catch (e) {
    return log.fatalFrom(e, paramsFile);
  }
}

/** `sample_rate` in Hz; missing → 1 Hz with a warning (as phylib), anything else non-positive is fatal. */
function readSampleRate(params: Record<string, unknown>, paramsFile: string, log: DiagnosticLog): number {
  const sr = numberParam(params, 'sample_rate');
  if (sr === undefined) {
    log.add('warning', paramsFile, 'params.sampleRate', 'sample_rate is missing: using 1 Hz, so times and rates are in samples, not seconds');
    return 1;
  }
  if (sr === 'bad' || !(sr > 0)) {
    return log.fatal(paramsFile, 'params.sampleRate', `sample_rate must be a positive number of Hz (got ${JSON.stringify(params.sample_rate)})`);
  }
  return sr;
}

/** Spike times must be non-decreasing (phylib raises otherwise); NaN is as bad. */
function checkSorted(t: Float64Array, file: string, log: DiagnosticLog): void {
  if (t.length && t[0] !== t[0]) log.fatal(file, 'spikeTimes.nan', 'spike time at index 0 is not a number');
  for (let i = 1; i < t.length; i++) {
    if (!(t[i] >= t[i - 1])) {
      log.fatal(file, 'spikeTimes.decreasing', `spike times must be non-decreasing, but spike ${i} (${t[i]} samples) comes before spike ${i - 1} (${t[i - 1]} samples)`);
    }
  }
}

/** `channel_positions.npy` as (nChannels, 2) float32; duplicates → a linear layout (phylib). */
function readPositions(r: TemplateFolderReader, nChannels: number, cmName: string): Float32Array {
  const p = r.read(FILES.channelPositions, 'the x, y position of every channel', 'float32')!;
  const s = p.npy.header.shape;
  if (s.length !== 2 || s[0] !== nChannels || s[1] < 1) {
    r.log.fatal(p.file, 'lengths.mismatch', `expected (${nChannels}, 2) (one x, y row per channel of ${cmName}) but got ${shapeText(p.npy)}`);
  }
  const out = new Float32Array(nChannels * 2);
  const k = s[1];
  for (let i = 0; i < nChannels; i++) {
    out[2 * i] = k >= 2 ? p.data[i * k] : 0;
    out[2 * i + 1] = k >= 2 ? p.data[i * k + 1] : p.data[i * k];
  }
  const seen = new Set<string>();
  let dup = -1;
  for (let i = 0; i < nChannels && dup < 0; i++) {
    const key = `${out[2 * i]},${out[2 * i + 1]}`;
    if (seen.has(key)) dup = i;
    seen.add(key);
  }
  if (dup >= 0) {
    r.log.add('warning', p.file, 'channelPositions.duplicate', `channel ${dup} has the same position as another channel (${out[2 * dup]}, ${out[2 * dup + 1]}); using a linear layout (${LINEAR_PITCH_UM} µm pitch) instead`);
    for (let i = 0; i < nChannels; i++) {
      out[2 * i] = 0;
      out[2 * i + 1] = i * LINEAR_PITCH_UM;
    }
  }
  return out;
}

/** An optional per-channel int column (shanks, probes); zeros when absent or wrong. */
function perChannel(r: TemplateFolderReader, candidates: readonly string[], nChannels: number, cmName: string): Int32Array {
  const name = r.find(candidates);
  if (!name) return new Int32Array(nChannels);
  const before = r.log.list.length;
  const c = r.column(candidates, false, 'int32', { n: nChannels, of: cmName });
  if (!c) {
    // Downgrade: a bad shank/probe file only loses the grouping, nothing is disabled.
    for (let i = before; i < r.log.list.length; i++) {
      const d = r.log.list[i];
      r.log.list[i] = { severity: 'warning', code: d.code, file: d.file, message: `${d.message}; using zeros` };
    }
    return new Int32Array(nChannels);
  }
  return c.data as Int32Array;
}

/** Validates `templates.npy` (+ `template_ind.npy`) and returns the lazy source, or null. */
function openTemplates(r: TemplateFolderReader, npy: NpyFile, file: string, nChannels: number): NpyTemplateSource | null {
  const log = r.log;
  const disables: Feature[] = ['templates'];
  const [nT, nS, nC] = npy.header.shape;
  const drop = (code: string, f: string, message: string): null => {
    log.add('error', f, code, `${message}; templates disabled`, disables);
    closeSource(npy.source);
    return null;
  };
  let ind: Int32Array | null = null;
  const indName = r.find(FILES.templateInd);
  if (indName) {
    const ti = r.read(FILES.templateInd, false, 'int32', disables);
    if (!ti) return drop('templates.ind', r.path(indName), 'template_ind.npy is unreadable');
    const s = ti.npy.header.shape;
    if (s.length !== 2 || s[0] !== nT || s[1] !== nC) {
      return drop('lengths.mismatch', ti.file, `expected (${nT}, ${nC}) to match templates.npy but got ${shapeText(ti.npy)}`);
    }
    ind = ti.data as Int32Array;
    for (let i = 0; i < ind.length; i++) {
      if (ind[i] < -1 || ind[i] >= nChannels) return drop('templates.channelOutOfRange', ti.file, `channel ${ind[i]} is not one of the ${nChannels} channels of channel_map.npy`);
    }
  } else if (nC !== nChannels) {
    return drop('lengths.mismatch', file, `dense templates must have one column per channel (${nChannels}) but templates.npy has ${nC} and there is no template_ind.npy`);
  }
  // phylib zeroes all-NaN templates in place; we never write, so they read as zeros (any NaN
  // does) and are reported once here. Checking the first sample of each template first keeps
  // this to nT small reads instead of a scan of the whole (often >100 MB) file.
  const allNaN: number[] = [];
  const per = nS * nC;
  if (per > 0) {
    for (let t = 0; t < nT; t++) {
      const first = firstElement(npy, t);
      if (first === first) continue;
      const tplData = npy.readRowsAt([t], { as: 'float32' });
      let all = true;
      for (let i = 0; i < tplData.length && all; i++) if (tplData[i] === tplData[i]) all = false;
      if (all) allNaN.push(t);
    }
  }
  if (allNaN.length) {
    const list = allNaN.length > 10 ? `${allNaN.slice(0, 10).join(', ')}, …` : allNaN.join(', ');
    log.add('warning', file, 'templates.allNaN', `${plural(allNaN.length, 'template')} ${allNaN.length === 1 ? 'is' : 'are'} all NaN (${list}); shown as zeros`);
  }
  return new NpyTemplateSource(r.keep(npy), ind);
}

/**
 * Element (t, 0, 0) of a 3-D array: one small read in either order (straight from the file when
 * the source can, so nT checks do not pull every 1 MB cache page of the file).
 */
function firstElement(npy: NpyFile, t: number): number {
  const h = npy.header;
  const offset = h.fortranOrder ? h.dataOffset + t * h.itemSize : h.dataOffset + t * npy.rowSize * h.itemSize;
  let bytes: Uint8Array;
  if (npy.source.readInto) {
    bytes = new Uint8Array(h.itemSize);
    npy.source.readInto(offset, bytes);
  } else bytes = npy.source.read(offset, h.itemSize);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (h.dtype) {
    case 'float32':
      return dv.getFloat32(0, h.littleEndian);
    case 'float64':
      return dv.getFloat64(0, h.littleEndian);
    default:
      return 0;
  }
}

/** `whitening_mat_inv.npy`, else the inverse of `whitening_mat.npy`, else identity (never written). */
function readWhitening(r: TemplateFolderReader, nChannels: number): Float64Array {
  const log = r.log;
  const square = (name: string): Float64Array | null => {
    const w = r.read([name], false, 'float64', []);
    if (!w) return null;
    const s = w.npy.header.shape;
    if (s.length !== 2 || s[0] !== nChannels || s[1] !== nChannels) {
      log.add('warning', w.file, 'lengths.mismatch', `expected (${nChannels}, ${nChannels}) (one row and column per channel) but got ${shapeText(w.npy)}; ignored`);
      return null;
    }
    return w.data as Float64Array;
  };
  const inv = square('whitening_mat_inv.npy');
  if (inv) return inv;
  const w = square('whitening_mat.npy');
  if (w) {
    const computed = invertMatrix(w, nChannels);
    if (computed) {
      if (!r.names.includes('whitening_mat_inv.npy')) log.add('info', r.path('whitening_mat_inv.npy'), 'whitening.computed', 'whitening_mat_inv.npy not found: computed from whitening_mat.npy in memory (not written)');
      return computed;
    }
    log.add('warning', r.path('whitening_mat.npy'), 'whitening.singular', 'whitening_mat.npy is singular: templates are shown whitened (identity used as its inverse)');
  }
  return identity(nChannels);
}

interface FeatureFiles {
  data: string;
  ind: string;
  ids: string;
  feature: Feature;
  nSpikes: number;
  spikeTemplates: Int32Array;
  tMax: number;
  /** Number of valid index values (channels, or templates for template features). */
  nIndex: number;
  indexWhat: string;
}

/** Validates a features file with its index and spike-id subset and returns the lazy source. */
function openFeatures(r: TemplateFolderReader, f: FeatureFiles): FeatureSource | null {
  const log = r.log;
  const disables: Feature[] = [f.feature];
  const o = r.open([f.data], false, disables);
  if (!o) return null;
  const { npy, file } = o;
  const drop = (code: string, where: string, message: string): null => {
    log.add('error', where, code, `${message}; ${f.feature === 'features' ? 'PC features' : 'template features'} disabled`, disables);
    closeSource(npy.source);
    return null;
  };
  const s = npy.header.shape;
  if (s.length !== 2 && s.length !== 3) return drop('npy.shape', file, `expected 2 or 3 dimensions but got ${shapeText(npy)}`);
  const nRows = s[0];
  const nc = s.length === 3 ? s[2] : s[1];

  let spikeIds: Int32Array | null = null;
  let rowOf: Int32Array | null = null;
  if (r.names.includes(f.ids)) {
    const c = r.column([f.ids], false, 'int32', { n: nRows, of: f.data }, disables);
    if (!c) return drop('features.ids', r.path(f.ids), `${f.ids} is unusable`);
    const ids = c.data as Int32Array;
    let sorted = true;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= f.nSpikes) return drop('features.idsOutOfRange', c.file, `spike id ${ids[i]} at row ${i} is not in [0, ${f.nSpikes})`);
      if (i && ids[i] <= ids[i - 1]) sorted = false;
    }
    if (sorted) {
      spikeIds = ids;
    } else {
      const order = Array.from(ids.keys()).sort((a, b) => ids[a] - ids[b]);
      spikeIds = new Int32Array(order.length);
      rowOf = new Int32Array(order.length);
      for (let k = 0; k < order.length; k++) {
        spikeIds[k] = ids[order[k]];
        rowOf[k] = order[k];
        if (k && spikeIds[k] === spikeIds[k - 1]) return drop('features.idsDuplicate', c.file, `spike ${spikeIds[k]} appears twice`);
      }
    }
  } else if (nRows !== f.nSpikes) {
    return drop('lengths.mismatch', file, `has ${nRows} rows but there are ${f.nSpikes} spikes (and no ${f.ids} to say which spikes they are)`);
  }

  let ind: Int32Array | null = null;
  if (r.names.includes(f.ind)) {
    const ti = r.read([f.ind], false, 'int32', disables);
    if (!ti) return drop('features.ind', r.path(f.ind), `${f.ind} is unreadable`);
    const si = ti.npy.header.shape;
    if (si.length !== 2 || si[1] !== nc) return drop('lengths.mismatch', ti.file, `expected (n_templates, ${nc}) to match ${f.data} but got ${shapeText(ti.npy)}`);
    if (f.tMax >= si[0]) return drop('templates.outOfRange', ti.file, `has ${si[0]} rows but spike_templates.npy refers to template ${f.tMax}`);
    ind = ti.data as Int32Array;
    for (let i = 0; i < ind.length; i++) {
      if (ind[i] < -1 || ind[i] >= f.nIndex) return drop('features.indOutOfRange', ti.file, `value ${ind[i]} is not one of the ${f.nIndex} ${f.indexWhat}`);
    }
  } else if (nc !== f.nIndex) {
    return drop('file.missing', r.path(f.ind), `${f.ind} not found and ${f.data} has ${nc} columns, not one per ${f.indexWhat.replace(/s$/, '')} (${f.nIndex})`);
  }
  return new NpyFeatureSource(r.keep(npy), spikeIds, rowOf, ind, f.spikeTemplates);
}

/** `spike_<name>.npy` files (Kilosort 4's `spike_positions.npy`…) as lazy spike attributes. */
function openSpikeAttributes(r: TemplateFolderReader, nSpikes: number, timesName: string): SpikeAttribute[] {
  const out: SpikeAttribute[] = [];
  for (const n of r.names) {
    const m = /^spike_(.+)\.npy$/.exec(n);
    if (!m || NOT_ATTRIBUTES.has(m[1])) continue;
    const o = r.open([n], false, ['spikeAttributes']);
    if (!o) continue;
    const { npy, file } = o;
    if (npy.header.shape.length === 0 || npy.length !== nSpikes || npy.rowSize === 0) {
      r.log.add('warning', file, 'lengths.mismatch', `has shape ${shapeText(npy)} but there are ${nSpikes} spikes in ${timesName}; not shown as a spike attribute`);
      closeSource(npy.source);
      continue;
    }
    r.keep(npy);
    out.push({
      name: m[1],
      file,
      nColumns: npy.rowSize,
      read: (spikeIds: ArrayLike<number>) => npy.readRowsAt(spikeIds, { as: 'float32' }) as Float32Array,
    });
  }
  return out;
}

/**
 * Every `*.csv` then `*.tsv` of the folder except `cluster_info.*` (phy writes it, never reads
 * it): the `group` column gives the cluster groups, every other column a cluster column; a
 * later file wins on a name clash.
 */
/** The file a save rewrites from the session (its unusable rows are kept aside). */
const GROUP_FILE = 'cluster_group.tsv';

function readClusterTables(r: TemplateFolderReader, spikeClusters: Int32Array): { clusterColumns: ClusterColumn[]; clusterGroups: Map<number, string>; rejectedGroupRows: RejectedClusterRows | null } {
  const columns = new Map<string, ClusterColumn>();
  let clusterGroups = new Map<number, string>();
  let rejectedGroupRows: RejectedClusterRows | null = null;
  const tables = [...r.names.filter((n) => /\.csv$/i.test(n)), ...r.names.filter((n) => /\.tsv$/i.test(n))].filter((n) => !/^cluster_info\./i.test(n));
  for (const n of tables) {
    const file = r.path(n);
    const isGroupFile = n === GROUP_FILE;
    let fields: Map<string, Map<number, string | number>>;
    let text = '';
    try {
      text = r.fs.readText(file);
      const t = parseClusterTable(text, file);
      fields = t.fields;
      if (isGroupFile) {
        const hasGroup = fields.has('group');
        const rows: RejectedRow[] = hasGroup ? t.rejected : allRows(text, "no 'group' column");
        if (hasGroup) {
          const present = new Set(clusterSpikeCounts(spikeClusters).ids);
          for (const [i, row] of tableRows(text)) {
            const id = Number(row.split(row.includes('\t') ? '\t' : ',')[idColumn(t.header)]?.trim());
            if (Number.isInteger(id) && id >= 0 && !present.has(id)) {
              rows.push({ line: i, text: row, reason: `cluster ${id} has no spike` });
              fields.get('group')!.delete(id);
            }
          }
          rows.sort((a, b) => a.line - b.line);
        }
        if (rows.length) rejectedGroupRows = { file, header: t.header, rows };
      } else if (t.skipped) {
        r.log.add('warning', file, 'tsv.badRow', `${plural(t.skipped, 'row')} without an integer cluster_id ignored`);
      }
    } catch (e) {
      r.log.add('warning', file, 'tsv.skipped', `${errorText(e, file)}; not read as a cluster table`);
      if (isGroupFile && text.trim()) {
        const lines = tableRows(text);
        const header = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim()) ?? '';
        rejectedGroupRows = { file, header, rows: lines.map(([line, t]) => ({ line, text: t, reason: 'wrong header' })) };
      }
      continue;
    }
    for (const [name, values] of fields) {
      if (name === 'group') {
        clusterGroups = new Map();
        for (const [id, v] of values) clusterGroups.set(id, String(v));
      } else {
        columns.set(name, { name, file, values });
      }
    }
  }
  if (rejectedGroupRows) {
    const rows = rejectedGroupRows.rows;
    const shown = rows.slice(0, 5).map((x) => `line ${x.line} ${JSON.stringify(x.text)}: ${x.reason}`).join('; ');
    r.log.add(
      'warning',
      rejectedGroupRows.file,
      'tsv.rejectedRows',
      `${plural(rows.length, 'row')} cannot be used (${shown}${rows.length > 5 ? `; … ${rows.length - 5} more` : ''}); ${rows.length === 1 ? 'it is' : 'they are'} kept in cluster_group.rejected.tsv when the session is saved`,
    );
  }
  return { clusterColumns: [...columns.values()], clusterGroups, rejectedGroupRows };
}

/** The data rows of a table as written: [1-based line number, text], blank lines and header skipped. */
function tableRows(text: string): Array<[number, string]> {
  const numbered = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((t, i): [number, string] => [i + 1, t])
    .filter(([, t]) => t.trim().length > 0);
  return numbered.slice(1);
}

function allRows(text: string, reason: string): RejectedRow[] {
  return tableRows(text).map(([line, t]) => ({ line, text: t, reason }));
}

/** Index of the id column (`cluster_id`, else `id`) in a header line. */
function idColumn(header: string): number {
  const cols = header.split(header.includes('\t') ? '\t' : ',').map((c) => c.trim());
  const k = cols.indexOf('cluster_id');
  return k >= 0 ? k : cols.indexOf('id');
}
