/**
 * Fast whole-column reads for the per-spike columns (10 M spikes → 40–80 MB each), which must
 * load in tens of milliseconds: the bytes are viewed as a typed array of the file's type and
 * converted with `TypedArray.set` or one tight loop, instead of a `DataView` call per element.
 * Chunks of 8 MB keep the transient memory small.
 *
 * Only the common layout is handled here (little-endian data on a little-endian host, a column
 * or C-order array); anything else falls back to {@link NpyFile.read}, which handles every case.
 */
import { FormatError } from '../diagnostics';
import type { NpyFile, NumericArray } from '../formats/npy';
import { MAX_READ_BYTES } from '../formats/ByteSource';
import { HOST_LE } from '../formats/npyDtype';

/**
 * Output types of a column read. `times` (spike times): `Uint32Array` when every value is an
 * integer in [0, 2^32) (see {@link readTimesColumn}), else `Float64Array`. `ids` (template
 * ids): `Uint16Array` when every value is in [0, 65 536) (see {@link readIdsColumn}), else `Int32Array`.
 */
export type ColumnTarget = 'int32' | 'float32' | 'float64' | 'times' | 'ids';

const CHUNK_BYTES = 8 << 20;
const TWO21 = 2 ** 21;

type Ctor = Int32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor;
const CTORS: Record<Exclude<ColumnTarget, 'times' | 'ids'>, Ctor> = { int32: Int32Array, float32: Float32Array, float64: Float64Array };

function allocate(as: Exclude<ColumnTarget, 'times' | 'ids'>, n: number, shared: boolean): Int32Array | Float32Array | Float64Array {
  const C = CTORS[as] as Float64ArrayConstructor;
  return shared && typeof SharedArrayBuffer !== 'undefined' ? new C(new SharedArrayBuffer(n * C.BYTES_PER_ELEMENT)) : new C(n);
}

/** A typed view of `bytes` as the file's element type, copying first when misaligned. */
function view(bytes: Uint8Array, dtype: string, itemSize: number): NumericArray | Int32Array {
  const b = bytes.byteOffset % itemSize === 0 ? bytes : bytes.slice();
  const n = b.byteLength / itemSize;
  switch (dtype) {
    case 'bool':
    case 'uint8':
      return b;
    case 'int8':
      return new Int8Array(b.buffer, b.byteOffset, n);
    case 'int16':
      return new Int16Array(b.buffer, b.byteOffset, n);
    case 'uint16':
      return new Uint16Array(b.buffer, b.byteOffset, n);
    case 'int32':
      return new Int32Array(b.buffer, b.byteOffset, n);
    case 'uint32':
      return new Uint32Array(b.buffer, b.byteOffset, n);
    case 'float32':
      return new Float32Array(b.buffer, b.byteOffset, n);
    case 'float64':
      return new Float64Array(b.buffer, b.byteOffset, n);
    default:
      // int64 / uint64: pairs of 32-bit words (low word first, little endian).
      return new Int32Array(b.buffer, b.byteOffset, n * 2);
  }
}

/**
 * A check of a column gathered while its bytes are still in cache (saves the loader one more
 * pass over 10 M values): `range` fills `min`/`max` (NaN ignored; +Infinity/-Infinity when
 * empty), `order` fills `nonDecreasing` (NaN makes it false). Only the asked-for part is
 * computed — each costs ≈ 2 ns per value.
 */
export interface ColumnStats {
  readonly kind: 'range' | 'order';
  min: number;
  max: number;
  /** Every value ≥ the one before it. */
  nonDecreasing: boolean;
}

/** Bytes per direct read: small enough that the in-place pass over them runs from cache. */
const DIRECT_CHUNK_BYTES = 1 << 20;

/**
 * Reads every element of `npy` (C order) into a new typed array of `as`, backed by a
 * SharedArrayBuffer when `shared`. Integer targets reject non-integers and values outside
 * int32; 64-bit integers must be exact in float64 (|v| ≤ 2^53). When `stats` is given it is
 * filled with the column's {@link ColumnStats}.
 *
 * When the file's element has the target's size (int32/uint32 → int32, float32 → float32,
 * float64/int64/uint64 → float64) the bytes are read straight into the result (through
 * `ByteSource.readInto` when the source has it) and checked or converted in place, chunk by
 * chunk: no transient buffers, one pass over memory.
 * @throws FormatError `npy.range` / `npy.inexact` naming the file and the index
 */
export function readColumn(npy: NpyFile, as: ColumnTarget, shared: boolean, stats?: ColumnStats): NumericArray {
  const h = npy.header;
  const fast = HOST_LE && (h.littleEndian || h.itemSize === 1) && (!h.fortranOrder || h.shape.length <= 1 || npy.rowSize === 1);
  if (as === 'times') {
    const compact = fast ? readTimesColumn(npy, shared, stats) : null;
    return compact ?? readColumn(npy, 'float64', shared, stats);
  }
  if (as === 'ids') {
    const compact = fast ? readIdsColumn(npy, shared, stats) : null;
    return compact ?? readColumn(npy, 'int32', shared, stats);
  }
  if (!fast) {
    const data = npy.read({ as, shared });
    if (stats) fillStats(data, 0, data.length, stats, true);
    return data;
  }
  const file = npy.source.name;
  const total = npy.size;
  const is64 = h.dtype === 'int64' || h.dtype === 'uint64';
  const direct =
    (as === 'int32' && (h.dtype === 'int32' || h.dtype === 'uint32')) || (as === 'float32' && h.dtype === 'float32') || (as === 'float64' && (h.dtype === 'float64' || is64));
  // The most bytes one call may ask of the source (see MAX_READ_BYTES).
  const cap = Math.max(h.itemSize, Math.min(MAX_READ_BYTES, npy.source.maxReadBytes ?? MAX_READ_BYTES));
  if (direct && npy.source.readOwned && total * h.itemSize <= cap) {
    // The source hands over a buffer of exactly the data (possibly read ahead): it becomes the column.
    const bytes = npy.source.readOwned(h.dataOffset, total * h.itemSize, shared && typeof SharedArrayBuffer !== 'undefined');
    const C = CTORS[as] as Float64ArrayConstructor;
    const owned = new C(bytes.buffer as ArrayBuffer, bytes.byteOffset, total);
    if (stats) fillStats(owned, 0, 0, stats, true);
    readDirect(npy, owned, stats, false);
    return owned;
  }
  const out = allocate(as, total, shared);
  if (stats) fillStats(out, 0, 0, stats, true);
  if (direct) {
    readDirect(npy, out, stats, true);
    return out;
  }
  const perChunk = Math.max(1, Math.floor(Math.min(CHUNK_BYTES, cap) / h.itemSize));
  for (let start = 0; start < total; start += perChunk) {
    const n = Math.min(perChunk, total - start);
    const bytes = npy.source.read(h.dataOffset + start * h.itemSize, n * h.itemSize);
    const v = view(bytes, h.dtype, h.itemSize);
    // Each conversion is its own monomorphic function: one loop over one pair of typed-array
    // types, which V8 compiles to a tight loop (a shared polymorphic loop was ~5× slower).
    if (is64) {
      const signed = h.dtype === 'int64';
      if (out instanceof Int32Array) int64ToInt32(v as Int32Array, out, start, n, signed, file);
      else {
        const tmp = new Float64Array(n);
        int64ToFloat64(v as Int32Array, tmp, 0, n, signed, file);
        out.set(tmp, start);
      }
    } else if (out instanceof Int32Array && v instanceof Uint32Array) {
      out.set(new Int32Array(v.buffer, v.byteOffset, n), start);
      checkNonNegative(out, start, n, file);
    } else if (out instanceof Int32Array && (v instanceof Float32Array || v instanceof Float64Array)) {
      floatToInt32(v, out, start, n, file);
    } else {
      out.set(v, start);
    }
    if (stats) fillStats(out, start, n, stats, false);
  }
  return out;
}

const TWO32 = 4294967296;

/**
 * Spike times as `Uint32Array` (4 bytes a spike instead of 8: 1.2 GB less at 300 M spikes), or
 * null when they do not all fit in [0, 2^32) samples (39.7 h at 30 kHz) — the caller then reads
 * them as float64, exact to 2^53. Handles the integer files sorters write: `uint64` / `int64`
 * (Kilosort), `uint32` / `int32`. The last value decides up front (times are non-decreasing, so
 * it is the largest); a value that still does not fit (the file is out of order, which the
 * caller's order check reports) also returns null. Other dtypes return null.
 *
 * 64-bit values go through one 1 MB buffer; 32-bit ones are read straight into the result.
 */
export function readTimesColumn(npy: NpyFile, shared: boolean, stats?: ColumnStats): Uint32Array | null {
  const h = npy.header;
  const is64 = h.dtype === 'int64' || h.dtype === 'uint64';
  if (!is64 && h.dtype !== 'int32' && h.dtype !== 'uint32') return null;
  const total = npy.size;
  const src = npy.source;
  const size = h.itemSize;
  if (total > 0) {
    // Times are non-decreasing, so the first and last bound them all.
    const first = src.read(h.dataOffset, size);
    const last = src.read(h.dataOffset + (total - 1) * size, size);
    const word = (b: Uint8Array, k: number): number => (b[4 * k] | (b[4 * k + 1] << 8) | (b[4 * k + 2] << 16) | (b[4 * k + 3] << 24)) >>> 0;
    const signedNegative = (b: Uint8Array): boolean => h.dtype !== 'uint32' && h.dtype !== 'uint64' && (b[size - 1] & 0x80) !== 0;
    if (signedNegative(first) || signedNegative(last) || (is64 && word(last, 1) !== 0)) return null;
  }
  const out = shared && typeof SharedArrayBuffer !== 'undefined' ? new Uint32Array(new SharedArrayBuffer(total * 4)) : new Uint32Array(total);
  if (stats) fillStats(out, 0, 0, stats, true);
  const cap = Math.min(MAX_READ_BYTES, src.maxReadBytes ?? MAX_READ_BYTES);
  const perChunk = Math.max(1, Math.floor(Math.min(DIRECT_CHUNK_BYTES, cap) / size));
  const buf = is64 ? new Uint8Array(perChunk * 8) : null;
  const outBytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  let prev = -1;
  for (let start = 0; start < total; start += perChunk) {
    const n = Math.min(perChunk, total - start);
    const target = buf ? buf.subarray(0, n * 8) : outBytes.subarray(start * 4, (start + n) * 4);
    if (src.readInto) src.readInto(h.dataOffset + start * size, target);
    else target.set(src.read(h.dataOffset + start * size, n * size));
    const r = buf ? int64ToUint32(new Uint32Array(buf.buffer, 0, n * 2), out, start, n, prev) : checkUint32(out, start, n, h.dtype === 'int32', prev);
    if (r === null) return null;
    if (r < 0) {
      if (stats) stats.nonDecreasing = false;
      prev = TWO32;
    } else prev = r;
  }
  return out;
}

/** Bytes of file data per chunk of {@link readIdsColumn}. */
const IDS_CHUNK_BYTES = 1 << 20;

/**
 * Ids (template ids) as a `Uint16Array` (2 bytes a spike instead of 4: 600 MB less at 300 M
 * spikes), or null when one is outside [0, 65 536) or the dtype is not an integer one — the
 * caller then reads them as int32 (and reports a negative id). Chunks of 1 MB of the file go
 * through one buffer; `stats` (kind `range`) gets the min and max.
 */
export function readIdsColumn(npy: NpyFile, shared: boolean, stats?: ColumnStats): Uint16Array | null {
  const h = npy.header;
  const dt = h.dtype;
  if (!['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'uint64', 'int64'].includes(dt)) return null;
  const total = npy.size;
  const src = npy.source;
  const size = h.itemSize;
  const out = shared && typeof SharedArrayBuffer !== 'undefined' ? new Uint16Array(new SharedArrayBuffer(total * 2)) : new Uint16Array(total);
  if (stats) fillStats(out, 0, 0, stats, true);
  const cap = Math.min(MAX_READ_BYTES, src.maxReadBytes ?? MAX_READ_BYTES);
  const perChunk = Math.max(1, Math.floor(Math.min(IDS_CHUNK_BYTES, cap) / size));
  const buf = new Uint8Array(perChunk * size);
  for (let start = 0; start < total; start += perChunk) {
    const n = Math.min(perChunk, total - start);
    const target = buf.subarray(0, n * size);
    if (src.readInto) src.readInto(h.dataOffset + start * size, target);
    else target.set(src.read(h.dataOffset + start * size, n * size));
    // 64-bit values: the low word of each pair, valid when the high word is 0 (checked below).
    const v = view(target, dt === 'int64' || dt === 'uint64' ? 'uint32' : dt, dt === 'int64' || dt === 'uint64' ? 4 : size);
    if (!idsToUint16(v, out, start, n, size === 8)) return null;
    if (stats) fillStats(out, start, n, stats, false);
  }
  return out;
}

/** `v` (one value each, or [low, high] word pairs when `pairs`) into `out[start, start + n)`; false when one is outside [0, 65 536). */
function idsToUint16(v: NumericArray | Int32Array, out: Uint16Array, start: number, n: number, pairs: boolean): boolean {
  if (pairs) {
    for (let i = 0; i < n; i++) {
      const lo = v[2 * i];
      if (v[2 * i + 1] !== 0 || lo > 65535) return false;
      out[start + i] = lo;
    }
    return true;
  }
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (!(x >= 0 && x <= 65535)) return false;
    out[start + i] = x;
  }
  return true;
}

/**
 * Low words of 64-bit values (pairs of little-endian 32-bit words) into `out[start, start + n)`.
 * Returns null when a value is ≥ 2^32 (or negative), else the last value, or -1 once the values
 * went down (`prev` ≥ 2^32 keeps it so).
 */
function int64ToUint32(w: Uint32Array, out: Uint32Array, start: number, n: number, prev: number): number | null {
  let ordered = prev < TWO32;
  let p = prev;
  for (let i = 0; i < n; i++) {
    if (w[2 * i + 1] !== 0) return null;
    const v = w[2 * i];
    if (v < p) ordered = false;
    out[start + i] = v;
    p = v;
  }
  return ordered ? p : -1;
}

/** As {@link int64ToUint32} for 32-bit values already in `out` (`signed`: an int32 file, whose negative values read as ≥ 2^31). */
function checkUint32(out: Uint32Array, start: number, n: number, signed: boolean, prev: number): number | null {
  let ordered = prev < TWO32;
  let p = prev;
  for (let i = start; i < start + n; i++) {
    const v = out[i];
    if (signed && v >= 2147483648) return null;
    if (v < p) ordered = false;
    p = v;
  }
  return ordered ? p : -1;
}

/**
 * Same-size elements: read into `out`'s own bytes (unless `read` is false: they are there
 * already), then check or convert each chunk in place.
 */
function readDirect(npy: NpyFile, out: Int32Array | Float32Array | Float64Array, stats: ColumnStats | undefined, read: boolean): void {
  const h = npy.header;
  const src = npy.source;
  const file = src.name;
  const size = h.itemSize;
  const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  const cap = Math.min(MAX_READ_BYTES, src.maxReadBytes ?? MAX_READ_BYTES);
  const perChunk = Math.max(1, Math.floor(Math.min(DIRECT_CHUNK_BYTES, cap) / size));
  const total = out.length;
  for (let start = 0; start < total; start += perChunk) {
    const n = Math.min(perChunk, total - start);
    if (read) {
      const target = bytes.subarray(start * size, (start + n) * size);
      if (src.readInto) src.readInto(h.dataOffset + start * size, target);
      else target.set(src.read(h.dataOffset + start * size, n * size));
    }
    if (out instanceof Float64Array && (h.dtype === 'int64' || h.dtype === 'uint64')) {
      // Element i's two words are read before its float64 overwrites the same 8 bytes. The
      // conversion tracks the order itself (the spike times' check) while the values are in registers.
      const ordered = int64ToFloat64(new Int32Array(out.buffer, out.byteOffset + start * 8, n * 2), out, start, n, h.dtype === 'int64', file);
      if (stats?.kind === 'order') {
        if (!ordered || (start > 0 && !(out[start] >= out[start - 1]))) stats.nonDecreasing = false;
        continue;
      }
    } else if (out instanceof Int32Array && h.dtype === 'uint32') {
      // A uint32 above 2^31 - 1 reads as negative: the range pass finds it, the check words the error.
      if (stats?.kind === 'range') {
        fillStats(out, start, n, stats, false);
        if (stats.min < 0) checkNonNegative(out, start, n, file);
        continue;
      }
      checkNonNegative(out, start, n, file);
    }
    if (stats) fillStats(out, start, n, stats, false);
  }
}

/** Resets (`reset`) or extends `stats` with `a[start, start + n)`. */
function fillStats(a: NumericArray, start: number, n: number, stats: ColumnStats, reset: boolean): void {
  if (reset) {
    stats.min = Infinity;
    stats.max = -Infinity;
    stats.nonDecreasing = true;
  }
  if (n === 0) return;
  // One monomorphic loop per array type and check (see readColumn).
  if (stats.kind === 'order') {
    if (!stats.nonDecreasing) return;
    const ok = a instanceof Float64Array ? orderFloat64(a, start, n) : orderAny(a, start, n);
    if (!ok) stats.nonDecreasing = false;
    return;
  }
  const [lo, hi] = a instanceof Int32Array ? rangeInt32(a, start, n) : rangeAny(a, start, n);
  if (lo < stats.min) stats.min = lo;
  if (hi > stats.max) stats.max = hi;
}

function rangeInt32(a: Int32Array, start: number, n: number): [number, number] {
  const end = start + n;
  let lo = a[start];
  let hi = lo;
  for (let i = start + 1; i < end; i++) {
    const v = a[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

function rangeAny(a: NumericArray, start: number, n: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < start + n; i++) {
    const v = a[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Whether a[start - 1 (if any), start + n) is non-decreasing. */
function orderFloat64(a: Float64Array, start: number, n: number): boolean {
  const end = start + n;
  let prev = start > 0 ? a[start - 1] : -Infinity;
  for (let i = start; i < end; i++) {
    const v = a[i];
    if (!(v >= prev)) return false;
    prev = v;
  }
  return true;
}

function orderAny(a: NumericArray, start: number, n: number): boolean {
  let prev = start > 0 ? a[start - 1] : -Infinity;
  for (let i = start; i < start + n; i++) {
    const v = a[i];
    if (!(v >= prev)) return false;
    prev = v;
  }
  return true;
}

function rangeError(file: string, value: number | string, index: number): FormatError {
  return new FormatError(file, 'npy.range', `value ${value} at index ${index} does not fit a 32-bit integer`);
}

/** 64-bit integers (pairs of 32-bit words) into int32, when the high word is the sign extension of the low one. */
function int64ToInt32(w: Int32Array, out: Int32Array, start: number, n: number, signed: boolean, file: string): void {
  for (let i = 0; i < n; i++) {
    const lo = w[2 * i];
    const hi = w[2 * i + 1];
    if (signed ? hi !== lo >> 31 : hi !== 0 || lo < 0) {
      throw rangeError(file, signed ? hi * 4294967296 + (lo >>> 0) : (hi >>> 0) * 4294967296 + (lo >>> 0), start + i);
    }
    out[start + i] = lo;
  }
}

/** 64-bit integers into float64, exact up to 2^53; returns whether `out[start, start + n)` is non-decreasing. */
function int64ToFloat64(w: Int32Array, out: Float64Array, start: number, n: number, signed: boolean, file: string): boolean {
  let prev = -Infinity;
  let ordered = true;
  for (let i = 0; i < n; i++) {
    const lo = w[2 * i] >>> 0;
    const hi = signed ? w[2 * i + 1] : w[2 * i + 1] >>> 0;
    if (hi >= TWO21 || hi < -TWO21) throw new FormatError(file, 'npy.inexact', `64-bit value at index ${start + i} exceeds 2^53 and cannot be represented exactly`);
    const v = hi * 4294967296 + lo;
    if (v < prev) ordered = false;
    out[start + i] = v;
    prev = v;
  }
  return ordered;
}

/** After reinterpreting uint32 as int32, a negative value is one above 2^31 - 1. */
function checkNonNegative(out: Int32Array, start: number, n: number, file: string): void {
  for (let i = start; i < start + n; i++) if (out[i] < 0) throw rangeError(file, out[i] >>> 0, i);
}

/** Floats into int32 (phylib casts float template ids): each must be an integer that fits. */
function floatToInt32(v: Float32Array | Float64Array, out: Int32Array, start: number, n: number, file: string): void {
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (!(x <= 2147483647 && x >= -2147483648 && Math.floor(x) === x)) throw rangeError(file, x, start + i);
    out[start + i] = x;
  }
}
