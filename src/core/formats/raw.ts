/**
 * Raw recordings: flat binary files of interleaved, time-major samples (`(nSamples,
 * nChannelsDat)` of any NumPy dtype after an `offset`-byte header in each file, several files
 * concatenated in time — phylib's `get_ephys_reader` for `.dat`/`.bin`), and `.npy` recordings of
 * shape `(nSamples, nChannels)`.
 *
 * Laziness: nothing is read when a recording is created (only file sizes are used). A window read
 * touches only that window's bytes — one contiguous read of `(end - start) × nChannelsDat ×
 * itemSize` bytes per file the window overlaps — and then picks the requested columns, so a 1 s
 * trace window of a 385-channel Neuropixels file at 30 kHz reads 23 MB, never the 100 GB file.
 */
import type { ByteSource } from './ByteSource';
import { FormatError, type Diagnostic } from '../diagnostics';
import { DTYPE_SIZE, NpyFile, parseDtype, type NpyDtype } from './npy';
import { HOST_LE, elementGetter } from './npyDtype';

/** Raw recording (interleaved samples, time-major), read window by window. */
export interface RawRecording {
  /** Files concatenated in time. */
  readonly files: string[];
  readonly nSamples: number;
  /** Interleaved channels in the file (`n_channels_dat`). */
  readonly nChannelsDat: number;
  readonly dtype: string;
  readonly sampleRate: number;
  /** Multiply raw values by this to get `unit` (1 when unknown). */
  readonly gain: number;
  /** Unit after `gain`: `µV` when a SpikeGLX `.meta` gave the gain, else `a.u.`. */
  readonly unit: string;
  /**
   * Samples `[start, end)` of the given raw columns (file channel indices): (end - start,
   * columns.length) float32, raw units. Reads only that window (≈ bytes of the window ×
   * nChannelsDat); samples outside the recording are zero.
   */
  read(start: number, end: number, columns: ArrayLike<number>): Float32Array;
  /**
   * Set when the samples are an HDF5 dataset of `files[0]` (an NWB ElectricalSeries' `data`)
   * rather than flat bytes: worker threads then open that dataset through the HDF5 library.
   */
  readonly hdf5Dataset?: string;
}

/** Options of {@link createRawRecording}. */
export interface RawRecordingOptions {
  /** The files, in time order (each one's `name` is reported in diagnostics and `files`). */
  sources: ByteSource[];
  /** NumPy dtype name or descriptor (`int16`, `<i2`, `float32`…). */
  dtype: string;
  /** Header bytes skipped at the start of each file. */
  offset: number;
  /** Interleaved channels per sample (`n_channels_dat`). */
  nChannelsDat: number;
  /** Hz. */
  sampleRate: number;
  /** Multiplier from raw values to `unit` (default 1). */
  gain?: number;
  /** Unit after `gain` (default `a.u.`). */
  unit?: string;
}

/** Reads sample frames (rows of nChannelsDat values) starting at `byteStart` of a source. */
type FrameReader = (src: ByteSource, byteStart: number, nFrames: number, columns: ArrayLike<number>, out: Float32Array, outRow: number) => void;

/** Above this many bytes, a window read is split so it never holds more than this at once. */
const MAX_READ_BYTES = 64 * 1024 * 1024;

/**
 * Reads of at least this many bytes go straight to the file (`readInto`), not through the
 * source's page cache: a waveform window of a 385-channel file (≈ 220 kB) otherwise loads one or
 * two whole 1 MiB pages — 5–10× the bytes — and 100 spread-out spikes share no page.
 */
const DIRECT_READ_BYTES = 64 * 1024;

function readFrames(src: ByteSource, offset: number, length: number): Uint8Array {
  if (!src.readInto || length < DIRECT_READ_BYTES) return src.read(offset, length);
  const out = new Uint8Array(length);
  src.readInto(offset, out);
  return out;
}

/** A reader of interleaved frames of `nChannels` values of `dtype`; int16 in host order takes a fast path. */
function frameReader(dtype: NpyDtype, littleEndian: boolean, nChannels: number): FrameReader {
  const itemSize = DTYPE_SIZE[dtype];
  const frameBytes = nChannels * itemSize;
  const get = elementGetter(dtype, littleEndian);
  const fastInt16 = dtype === 'int16' && littleEndian === HOST_LE;
  return (src, byteStart, nFrames, columns, out, outRow) => {
    const nCols = columns.length;
    const framesPerRead = Math.max(1, Math.floor(MAX_READ_BYTES / frameBytes));
    for (let f0 = 0; f0 < nFrames; f0 += framesPerRead) {
      const nf = Math.min(framesPerRead, nFrames - f0);
      const bytes = readFrames(src, byteStart + f0 * frameBytes, nf * frameBytes);
      const base = (outRow + f0) * nCols;
      if (fastInt16 && bytes.byteOffset % 2 === 0) {
        const v = new Int16Array(bytes.buffer, bytes.byteOffset, nf * nChannels);
        for (let t = 0; t < nf; t++) {
          const row = t * nChannels;
          const o = base + t * nCols;
          for (let j = 0; j < nCols; j++) out[o + j] = v[row + columns[j]];
        }
      } else {
        const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        for (let t = 0; t < nf; t++) {
          const row = t * frameBytes;
          const o = base + t * nCols;
          for (let j = 0; j < nCols; j++) out[o + j] = get(dv, row + columns[j] * itemSize);
        }
      }
    }
  };
}

interface Segment {
  src: ByteSource;
  /** First sample of this file in the concatenated recording. */
  start: number;
  nSamples: number;
  /** Byte offset of the first frame. */
  dataOffset: number;
}

class ConcatenatedRecording implements RawRecording {
  readonly files: string[];
  readonly nSamples: number;

  constructor(
    private readonly segments: Segment[],
    readonly nChannelsDat: number,
    readonly dtype: string,
    readonly sampleRate: number,
    readonly gain: number,
    readonly unit: string,
    private readonly frameBytes: number,
    private readonly readFrames: FrameReader,
  ) {
    this.files = segments.map((s) => s.src.name);
    this.nSamples = segments.reduce((n, s) => n + s.nSamples, 0);
  }

  read(start: number, end: number, columns: ArrayLike<number>): Float32Array {
    if (!Number.isInteger(start) || !Number.isInteger(end) || end < start) {
      throw new RangeError(`raw read: bad window [${start}, ${end})`);
    }
    for (let j = 0; j < columns.length; j++) {
      const c = columns[j];
      if (!(Number.isInteger(c) && c >= 0 && c < this.nChannelsDat)) {
        throw new RangeError(`raw read: column ${c} out of range (the file has ${this.nChannelsDat} channels)`);
      }
    }
    // Zero-filled: samples outside [0, nSamples) stay 0.
    const out = new Float32Array((end - start) * columns.length);
    if (columns.length === 0) return out;
    for (const seg of this.segments) {
      const a = Math.max(start, seg.start);
      const b = Math.min(end, seg.start + seg.nSamples);
      if (a >= b) continue;
      this.readFrames(seg.src, seg.dataOffset + (a - seg.start) * this.frameBytes, b - a, columns, out, a - start);
    }
    return out;
  }
}

/**
 * A raw recording over flat binary files (`.dat`, `.bin`), concatenated in time.
 *
 * @returns the recording (`nSamples` = sum over files of ⌊(size − offset) / (nChannelsDat ×
 *   itemSize)⌋) and diagnostics: `raw.sizeMismatch` (warning) when a file's data is not a whole
 *   number of frames (the trailing partial frame is ignored), `raw.empty` (error) for a
 *   zero-length file, `raw.tooShort` (error) when a file is shorter than the header.
 * @throws FormatError `raw.badDtype` for a dtype NumPy would not read, `raw.badParams` for a
 *   non-positive channel count, a negative offset or no files.
 */
export function createRawRecording(opts: RawRecordingOptions): { recording: RawRecording; diagnostics: Diagnostic[] } {
  const firstName = opts.sources[0]?.name ?? '';
  const dt = parseDtype(String(opts.dtype));
  if (!dt) {
    throw new FormatError(firstName, 'raw.badDtype', `unsupported raw dtype '${opts.dtype}' (expected a NumPy dtype such as int16, uint16, float32)`);
  }
  if (!(Number.isInteger(opts.nChannelsDat) && opts.nChannelsDat > 0)) {
    throw new FormatError(firstName, 'raw.badParams', `n_channels_dat must be a positive integer, got ${opts.nChannelsDat}`);
  }
  if (!(Number.isInteger(opts.offset) && opts.offset >= 0)) {
    throw new FormatError(firstName, 'raw.badParams', `offset must be a non-negative integer number of bytes, got ${opts.offset}`);
  }
  if (opts.sources.length === 0) throw new FormatError('', 'raw.badParams', 'no raw data files given');
  const itemSize = DTYPE_SIZE[dt.dtype];
  const frameBytes = opts.nChannelsDat * itemSize;
  const diagnostics: Diagnostic[] = [];
  const segments: Segment[] = [];
  let start = 0;
  for (const src of opts.sources) {
    if (src.size === 0) {
      diagnostics.push({ severity: 'error', code: 'raw.empty', file: src.name, message: 'the raw data file is empty (0 bytes)', disables: ['raw', 'waveforms', 'traces'] });
      continue;
    }
    const data = src.size - opts.offset;
    if (data < 0) {
      diagnostics.push({
        severity: 'error',
        code: 'raw.tooShort',
        file: src.name,
        message: `the raw data file has ${src.size} bytes, fewer than the ${opts.offset}-byte header (offset)`,
        disables: ['raw', 'waveforms', 'traces'],
      });
      continue;
    }
    const nSamples = Math.floor(data / frameBytes);
    const rest = data - nSamples * frameBytes;
    if (rest !== 0) {
      diagnostics.push({
        severity: 'warning',
        code: 'raw.sizeMismatch',
        file: src.name,
        message:
          `file size ${src.size} minus offset ${opts.offset} = ${data} bytes is not a multiple of ` +
          `n_channels_dat (${opts.nChannelsDat}) × ${itemSize} bytes (${dt.dtype}) = ${frameBytes}; ` +
          `the last ${rest} bytes are ignored (check n_channels_dat, dtype and offset)`,
      });
    }
    segments.push({ src, start, nSamples, dataOffset: opts.offset });
    start += nSamples;
  }
  const recording = new ConcatenatedRecording(
    segments,
    opts.nChannelsDat,
    dt.dtype,
    opts.sampleRate,
    opts.gain ?? 1,
    opts.unit ?? 'a.u.',
    frameBytes,
    frameReader(dt.dtype, dt.littleEndian || itemSize === 1, opts.nChannelsDat),
  );
  return { recording, diagnostics };
}

/**
 * A raw recording stored as a 2-D `.npy` of shape `(nSamples, nChannels)` (phylib accepts these).
 * C order is read window by window like a flat file; a Fortran-order file (channel-major) is read
 * column by column, still touching only the window.
 *
 * @returns the same shape as {@link createRawRecording} (no diagnostics: NpyFile.open already
 *   checked that the file holds all its data)
 * @throws FormatError `npy.*` for a bad file, `raw.badShape` when it is not 2-D
 */
export function createNpyRawRecording(
  src: ByteSource,
  opts: { sampleRate: number; gain?: number; unit?: string },
): { recording: RawRecording; diagnostics: Diagnostic[] } {
  const npy = NpyFile.open(src);
  const h = npy.header;
  if (h.shape.length !== 2) {
    throw new FormatError(src.name, 'raw.badShape', `a .npy recording must be 2-D (n_samples, n_channels), got shape (${h.shape.join(', ')})`);
  }
  const [nSamples, nChannels] = h.shape;
  const gain = opts.gain ?? 1;
  const unit = opts.unit ?? 'a.u.';
  if (!h.fortranOrder || nChannels === 1) {
    const seg: Segment = { src, start: 0, nSamples, dataOffset: h.dataOffset };
    const recording = new ConcatenatedRecording([seg], nChannels, h.dtype, opts.sampleRate, gain, unit, nChannels * h.itemSize, frameReader(h.dtype, h.littleEndian, nChannels));
    return { recording, diagnostics: [] };
  }
  return { recording: new FortranNpyRecording(npy, opts.sampleRate, gain, unit), diagnostics: [] };
}

/** A Fortran-order `.npy` recording: each channel is contiguous, so a window is one read per column. */
class FortranNpyRecording implements RawRecording {
  readonly files: string[];
  readonly nSamples: number;
  readonly nChannelsDat: number;
  readonly dtype: string;
  private readonly get: (dv: DataView, o: number) => number;

  constructor(
    private readonly npy: NpyFile,
    readonly sampleRate: number,
    readonly gain: number,
    readonly unit: string,
  ) {
    this.files = [npy.source.name];
    [this.nSamples, this.nChannelsDat] = npy.header.shape;
    this.dtype = npy.header.dtype;
    this.get = elementGetter(npy.header.dtype, npy.header.littleEndian);
  }

  read(start: number, end: number, columns: ArrayLike<number>): Float32Array {
    if (!Number.isInteger(start) || !Number.isInteger(end) || end < start) throw new RangeError(`raw read: bad window [${start}, ${end})`);
    const nCols = columns.length;
    const out = new Float32Array((end - start) * nCols);
    const a = Math.max(0, start);
    const b = Math.min(end, this.nSamples);
    if (a >= b) return out;
    const { itemSize, dataOffset } = this.npy.header;
    for (let j = 0; j < nCols; j++) {
      const c = columns[j];
      if (!(Number.isInteger(c) && c >= 0 && c < this.nChannelsDat)) throw new RangeError(`raw read: column ${c} out of range (${this.nChannelsDat} channels)`);
      const bytes = this.npy.source.read(dataOffset + (c * this.nSamples + a) * itemSize, (b - a) * itemSize);
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let t = 0; t < b - a; t++) out[(a - start + t) * nCols + j] = this.get(dv, t * itemSize);
    }
    return out;
  }
}

/** Options of {@link createRowsRawRecording}. */
export interface RowsRawRecordingOptions {
  /** The file (reported in `files`). */
  file: string;
  /**
   * Reads rows `[start, end)` of columns `[c0, c1)` (C order, `c1 − c0` values per row), e.g. an
   * HDF5 dataset's hyperslab: a chunked file then decompresses only the chunks of those columns.
   */
  readRows: (start: number, end: number, c0: number, c1: number) => ArrayLike<number>;
  nSamples: number;
  nChannelsDat: number;
  dtype: string;
  sampleRate: number;
  gain?: number;
  unit?: string;
  /** The dataset inside `file` when it is an HDF5 file (NWB `ElectricalSeries/data`): workers open it themselves. */
  hdf5Dataset?: string;
}

/**
 * A raw recording whose samples come from a row reader rather than flat bytes: an NWB
 * ElectricalSeries `data` (time × channels), read a window at a time through the HDF5 library
 * (which undoes chunking and compression). Only the window's rows of the span of the asked
 * columns are read (a waveform's best channels are neighbours: a few of the file's column
 * chunks, not all), split so that one read never holds more than {@link MAX_READ_BYTES} of
 * float64-equivalent values.
 */
export function createRowsRawRecording(opts: RowsRawRecordingOptions): RawRecording {
  const { nSamples, nChannelsDat } = opts;
  const maxRows = Math.max(1, Math.floor(MAX_READ_BYTES / 8 / nChannelsDat));
  return {
    files: [opts.file],
    nSamples,
    nChannelsDat,
    dtype: opts.dtype,
    sampleRate: opts.sampleRate,
    gain: opts.gain ?? 1,
    unit: opts.unit ?? 'a.u.',
    ...(opts.hdf5Dataset ? { hdf5Dataset: opts.hdf5Dataset } : {}),
    read(start: number, end: number, columns: ArrayLike<number>): Float32Array {
      const nCols = columns.length;
      const out = new Float32Array(Math.max(0, end - start) * nCols);
      const s0 = Math.max(0, start);
      const s1 = Math.min(nSamples, end);
      if (!nCols || s1 <= s0) return out;
      let c0 = nChannelsDat;
      let c1 = 0;
      for (let k = 0; k < nCols; k++) {
        if (!(columns[k] >= 0 && columns[k] < nChannelsDat)) throw new RangeError(`${opts.file}: column ${columns[k]} is not one of the ${nChannelsDat} channels`);
        c0 = Math.min(c0, columns[k]);
        c1 = Math.max(c1, columns[k] + 1);
      }
      const width = c1 - c0;
      const rowsPerRead = Math.max(1, Math.floor((maxRows * nChannelsDat) / width));
      for (let a = s0; a < s1; a += rowsPerRead) {
        const b = Math.min(s1, a + rowsPerRead);
        const rows = opts.readRows(a, b, c0, c1);
        for (let s = a; s < b; s++) {
          const src = (s - a) * width - c0;
          const dst = (s - start) * nCols;
          for (let k = 0; k < nCols; k++) out[dst + k] = rows[src + columns[k]];
        }
      }
      return out;
    },
  };
}
