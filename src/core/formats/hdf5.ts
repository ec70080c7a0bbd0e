/**
 * The small, synchronous view of an HDF5 file that the Kwik loader needs, so the loader stays in
 * `src/core` (pure TS) while the HDF5 library (h5wasm, WebAssembly) is wired in `src/main`
 * (`src/main/io/H5wasmReader.ts`). Tests may implement it over plain objects.
 *
 * Paths are absolute HDF5 paths (`/channel_groups/0/spikes/time_samples`). Numeric values are
 * returned as JS numbers / typed arrays: 64-bit integers become `Float64Array` (exact up to
 * 2^53, which covers any sample index of a real recording), so callers never see `bigint`.
 */
import type { NumericArray } from './npy';

/** An attribute value: scalars and 1-element arrays are unwrapped; strings stay strings. */
export type Hdf5Value = number | string | boolean | NumericArray | string[] | number[] | null;

/** Shape and element type of a dataset. */
export interface Hdf5DatasetInfo {
  /** Dimensions, slowest first (C order). */
  shape: number[];
  /**
   * NumPy-style element type: `int8`…`int64`, `uint8`…`uint64`, `float32`, `float64`,
   * `string`, `regionref` (dataset region references: {@link Hdf5Reader.readRegions}), or
   * `other` for types the reader cannot return as numbers.
   */
  dtype: string;
}

export interface Hdf5Reader {
  /** The file's path (used in diagnostics). */
  readonly file: string;
  /** `group`, `dataset`, or null when nothing exists at `path`. */
  kind(path: string): 'group' | 'dataset' | null;
  /** Names of a group's members (not paths), in the file's order; [] when `path` is not a group. */
  keys(path: string): string[];
  /** Names of the attributes of the group or dataset at `path`; [] when it does not exist. */
  attrNames(path: string): string[];
  /** One attribute, or undefined when absent. */
  attr(path: string, name: string): Hdf5Value | undefined;
  /** Shape and type of a dataset, or null when `path` is not a dataset. */
  info(path: string): Hdf5DatasetInfo | null;
  /**
   * Reads a numeric dataset in C order: all of it, or rows `[start, end)` of its first dimension
   * (`(end - start) × product(shape[1:])` elements), and of a 2-d dataset only columns
   * `[cols.start, cols.end)` when given (so only the chunks holding them are decompressed).
   * 64-bit integers come back as Float64Array. Throws a `FormatError` naming the file and the
   * dataset when it cannot.
   */
  read(path: string, rows?: { start: number; end: number }, cols?: { start: number; end: number }): NumericArray;
  /**
   * Reads a 1-d string dataset (fixed or variable length, UTF-8 or ASCII), e.g. an NWB text
   * column. Throws a `FormatError` naming the file and the dataset when it is not one.
   */
  readStrings(path: string): string[];
  /**
   * Reads a 1-d dataset of region references: the values each one selects, as numbers (NWB 2.0
   * beta files index ragged columns this way instead of by end offsets). Throws a `FormatError`
   * naming the file and the dataset when it is not one.
   */
  readRegions(path: string): NumericArray[];
  /** Releases the file. Further calls throw. */
  close(): void;
}

/** Opens an HDF5 file for reading; throws a `FormatError` naming the file when it cannot. */
export type Hdf5Opener = (path: string) => Hdf5Reader;

/** An attribute as a number (bigint/1-element arrays unwrapped), or undefined. */
export function attrNumber(v: Hdf5Value | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return v[0];
  if (ArrayBuffer.isView(v) && (v as NumericArray).length === 1) return Number((v as NumericArray)[0]);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** An attribute as a string (1-element string arrays unwrapped), or undefined. */
export function attrString(v: Hdf5Value | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  return undefined;
}

/** An attribute as a list of strings (a single string becomes a 1-element list), or undefined. */
export function attrStrings(v: Hdf5Value | undefined): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
}

/** An attribute as a numeric typed array or number list, or undefined. */
export function attrNumbers(v: Hdf5Value | undefined): ArrayLike<number> | undefined {
  if (typeof v === 'number') return [v];
  if (ArrayBuffer.isView(v)) return v as NumericArray;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
  return undefined;
}
