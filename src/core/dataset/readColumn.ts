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

/** Output types of a column read. */
export type ColumnTarget = 'int32' | 'float32' | 'float64';

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const CHUNK_BYTES = 8 << 20;
const TWO21 = 2 ** 21;

type Ctor = Int32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor;
const CTORS: Record<ColumnTarget, Ctor> = { int32: Int32Array, float32: Float32Array, float64: Float64Array };

function allocate(as: ColumnTarget, n: number, shared: boolean): Int32Array | Float32Array | Float64Array {
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
 * Reads every element of `npy` (C order) into a new typed array of `as`, backed by a
 * SharedArrayBuffer when `shared`. Integer targets reject non-integers and values outside
 * int32; 64-bit integers must be exact in float64 (|v| ≤ 2^53).
 * @throws FormatError `npy.range` / `npy.inexact` naming the file and the index
 */
export function readColumn(npy: NpyFile, as: ColumnTarget, shared: boolean): NumericArray {
  const h = npy.header;
  const fast = HOST_LE && (h.littleEndian || h.itemSize === 1) && (!h.fortranOrder || h.shape.length <= 1 || npy.rowSize === 1);
  if (!fast) return npy.read({ as, shared });
  const file = npy.source.name;
  const total = npy.size;
  const out = allocate(as, total, shared);
  const perChunk = Math.max(1, Math.floor(CHUNK_BYTES / h.itemSize));
  const is64 = h.dtype === 'int64' || h.dtype === 'uint64';
  for (let start = 0; start < total; start += perChunk) {
    const n = Math.min(perChunk, total - start);
    const bytes = npy.source.read(h.dataOffset + start * h.itemSize, n * h.itemSize);
    const v = view(bytes, h.dtype, h.itemSize);
    // Each conversion is its own monomorphic function: one loop over one pair of typed-array
    // types, which V8 compiles to a tight loop (a shared polymorphic loop was ~5× slower).
    if (is64) {
      const signed = h.dtype === 'int64';
      if (out instanceof Int32Array) int64ToInt32(v as Int32Array, out, start, n, signed, file);
      else if (out instanceof Float64Array) int64ToFloat64(v as Int32Array, out, start, n, signed, file);
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
  }
  return out;
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

/** 64-bit integers into float64, exact up to 2^53. */
function int64ToFloat64(w: Int32Array, out: Float64Array, start: number, n: number, signed: boolean, file: string): void {
  for (let i = 0; i < n; i++) {
    const lo = w[2 * i] >>> 0;
    const hi = signed ? w[2 * i + 1] : w[2 * i + 1] >>> 0;
    if (hi >= TWO21 || hi < -TWO21) throw new FormatError(file, 'npy.inexact', `64-bit value at index ${start + i} exceeds 2^53 and cannot be represented exactly`);
    out[start + i] = hi * 4294967296 + lo;
  }
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
