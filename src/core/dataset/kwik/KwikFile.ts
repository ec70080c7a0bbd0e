/** The Kwik loader's state while it reads a `.kwik` file, and small helpers of its steps. */
import type { FileSystem } from '../../formats/FileSystem';
import type { Hdf5Opener, Hdf5Reader } from '../../formats/hdf5';
import type { ByteSource } from '../../formats/ByteSource';
import type { NumericArray } from '../../formats/npy';
import type { DiagnosticLog } from '../DiagnosticLog';

/** Group of klusta's spike-detection metadata (sample rate, channels, raw files…). */
export const SPIKEDETEKT = '/application_data/spikedetekt';

/** An open `.kwik` file and what the open has acquired (closed on failure or by `Dataset.close`). */
export interface KwikFile {
  fs: FileSystem;
  h5: Hdf5Opener;
  log: DiagnosticLog;
  /** The `.kwik` file, resolved. */
  path: string;
  dir: string;
  kwik: Hdf5Reader;
  /** HDF5 files opened so far (the `.kwik`, then the `.kwx`). */
  opened: Hdf5Reader[];
  /** Sources of the raw data, once opened. */
  rawSources: ByteSource[];
  /** Back per-spike columns with SharedArrayBuffers. */
  shared: boolean;
}

/** The numeric names of an HDF5 group's children, ascending (`/channel_groups/0`, `/recordings/1`…). */
export function numericKeys(keys: string[]): number[] {
  return keys.filter((k) => /^\d+$/.test(k)).map(Number).sort((a, b) => a - b);
}

/** A copy of `src` in a new array of `Ctor`, SharedArrayBuffer-backed when `shared`. */
export function sharedCopy<T extends Float64Array | Int32Array>(Ctor: { new (b: ArrayBufferLike): T; new (n: number): T; BYTES_PER_ELEMENT: number }, src: ArrayLike<number>, shared: boolean): T {
  const out = shared && typeof SharedArrayBuffer !== 'undefined' ? new Ctor(new SharedArrayBuffer(src.length * Ctor.BYTES_PER_ELEMENT)) : new Ctor(src.length);
  if (ArrayBuffer.isView(src) && (src as NumericArray).constructor === out.constructor) (out as unknown as Float64Array).set(src as unknown as Float64Array);
  else for (let i = 0; i < src.length; i++) out[i] = src[i];
  return out;
}

/** A JSON-friendly copy of an attribute (typed arrays become number lists). */
export function plainValue(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) {
    const a = Array.from(v as NumericArray);
    return a.length === 1 ? a[0] : a;
  }
  if (Array.isArray(v) && v.length === 1) return v[0];
  return v;
}

/** A dataset of the `.kwik` that must be there: missing or unreadable is fatal. */
export function readOrFatal(k: KwikFile, p: string): NumericArray {
  if (k.kwik.kind(p) !== 'dataset') k.log.fatal(k.path, 'kwik.missing', `${p} not found`);
  try {
    return k.kwik.read(p);
  } catch (e) {
    return k.log.fatalFrom(e, k.path, `${p}: `);
  }
}

/** Opens an HDF5 file of a dataset (`.kwik`, `.nwb`); failing to is fatal, naming the file. */
export function openOrFatal(h5: Hdf5Opener, path: string, log: DiagnosticLog): Hdf5Reader {
  try {
    return h5(path);
  } catch (e) {
    return log.fatalFrom(e, path);
  }
}
