/**
 * NumPy `.npy` reader and writer (format versions 1.0, 2.0 and 3.0); the writer is in
 * `npyWrite.ts`, the dtype table both share in `npyDtype.ts`, and both are exported here.
 *
 * Reads lazily over a {@link ByteSource}: opening parses only the header; whole-array reads are
 * for the per-spike columns the app keeps in memory, row reads are for large arrays such as
 * `pc_features.npy` (which is never read whole). Every dtype NumPy writes for sorting outputs is
 * supported: bool, int8–int64, uint8–uint64, float32, float64, in little or big endian, C or
 * Fortran order. 64-bit integers are returned as `Float64Array` after checking that every value
 * is exact (|v| ≤ 2^53), or as `Int32Array` when asked and every value fits.
 */
import { MAX_READ_BYTES, type ByteSource } from './ByteSource';
import { FormatError } from '../diagnostics';
import { DTYPE_SIZE, HOST_LE, MAGIC, exactInt64, product, type NpyDtype } from './npyDtype';


/** Rows of {@link NpyFile.readRowsAt} farther than this from their neighbours are read directly, not through pages. */
const SCATTERED_GAP_BYTES = 64 * 1024;

export { DTYPE_SIZE, type NpyDtype } from './npyDtype';
export { encodeNpy, encodeNpyData, encodeNpyHeader, encodeNpyHeaderDescr } from './npyWrite';

/** Typed arrays returned by the reader. */
export type NumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

/** What a read converts to: `native` keeps the file's type (64-bit ints become float64). */
export type NpyTarget = 'native' | 'int32' | 'float32' | 'float64';

/** A parsed `.npy` header. */
export interface NpyHeader {
  /** The `descr` string as written, e.g. `<f4`. */
  descr: string;
  dtype: NpyDtype;
  littleEndian: boolean;
  /** Bytes per element. */
  itemSize: number;
  fortranOrder: boolean;
  /** Array shape; `[]` for a scalar. */
  shape: number[];
  /** Byte offset of the first element. */
  dataOffset: number;
  /** Format version, e.g. `1.0`. */
  version: string;
}

const KIND_SIZE: Record<string, NpyDtype> = {
  b1: 'bool',
  i1: 'int8',
  u1: 'uint8',
  i2: 'int16',
  u2: 'uint16',
  i4: 'int32',
  u4: 'uint32',
  i8: 'int64',
  u8: 'uint64',
  f4: 'float32',
  f8: 'float64',
};

/** Parses a NumPy dtype descriptor such as `<i8`, `|b1`, `>f4` or a name such as `int16`. */
export function parseDtype(descr: string): { dtype: NpyDtype; littleEndian: boolean } | null {
  const named = descr.replace(/^numpy\./, '').replace(/^np\./, '');
  if (named in DTYPE_SIZE) return { dtype: named as NpyDtype, littleEndian: true };
  const m = /^([<>|=]?)([biuf])(\d)$/.exec(descr);
  if (!m) return null;
  const dtype = KIND_SIZE[m[2] + m[3]];
  if (!dtype) return null;
  return { dtype, littleEndian: m[1] !== '>' };
}

/**
 * The header of a `.npy` file as text: magic, version and length checked; `dataOffset` is where
 * the data starts. Shared by {@link readNpyHeader} and the structured reader (`npyStructured.ts`).
 * Throws {@link FormatError} naming the file.
 */
export function readNpyHeaderText(src: ByteSource): { text: string; dataOffset: number; version: string } {
  const file = src.name;
  if (src.size < 10) throw new FormatError(file, 'npy.truncated', `truncated .npy file: ${src.size} bytes, too short for a header`);
  const pre = src.read(0, Math.min(src.size, 12));
  for (let i = 0; i < MAGIC.length; i++) {
    if (pre[i] !== MAGIC[i]) throw new FormatError(file, 'npy.badMagic', 'not a .npy file (bad magic bytes)');
  }
  const major = pre[6];
  const minor = pre[7];
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = pre[8] | (pre[9] << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (src.size < 12) throw new FormatError(file, 'npy.truncated', 'truncated .npy file: header length missing');
    headerLen = (pre[8] | (pre[9] << 8) | (pre[10] << 16)) + pre[11] * 2 ** 24;
    start = 12;
  } else {
    throw new FormatError(file, 'npy.badVersion', `unsupported .npy format version ${major}.${minor}`);
  }
  if (start + headerLen > src.size) {
    throw new FormatError(file, 'npy.truncated', `truncated .npy file: header says ${headerLen} bytes but the file has ${src.size - start}`);
  }
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(src.read(start, headerLen));
  return { text, dataOffset: start + headerLen, version: `${major}.${minor}` };
}

/** `fortran_order` and `shape` of a header's text, or null when either is missing or bad. */
export function parseHeaderShape(text: string): { fortranOrder: boolean; shape: number[] } | null {
  const fortranM = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  const shapeM = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!fortranM || !shapeM) return null;
  const shape = shapeM[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number(s.replace(/L$/, '')));
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) return null;
  return { fortranOrder: fortranM[1] === 'True', shape };
}

/** Reads and validates the header of a `.npy` file. Throws {@link FormatError} naming the file. */
export function readNpyHeader(src: ByteSource): NpyHeader {
  const file = src.name;
  const { text, dataOffset, version } = readNpyHeaderText(src);
  const descrM = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(text);
  if (!descrM) {
    if (/['"]descr['"]\s*:\s*\[/.test(text)) {
      throw new FormatError(file, 'npy.badDtype', 'a structured array (record fields); it is read by field, not as a numeric array');
    }
    throw new FormatError(file, 'npy.badHeader', `unreadable .npy header: ${JSON.stringify(text.trim().slice(0, 120))}`);
  }
  const shapeM = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!shapeM || !/['"]fortran_order['"]\s*:\s*(True|False)/.test(text)) {
    throw new FormatError(file, 'npy.badHeader', `unreadable .npy header: ${JSON.stringify(text.trim().slice(0, 120))}`);
  }
  const dt = parseDtype(descrM[1]);
  if (!dt) throw new FormatError(file, 'npy.badDtype', `unsupported dtype '${descrM[1]}' (expected bool, int8–int64, uint8–uint64, float32 or float64)`);
  const layout = parseHeaderShape(text);
  if (!layout) throw new FormatError(file, 'npy.badHeader', `bad shape in .npy header: (${shapeM[1]})`);
  return {
    descr: descrM[1],
    dtype: dt.dtype,
    littleEndian: dt.littleEndian || DTYPE_SIZE[dt.dtype] === 1,
    itemSize: DTYPE_SIZE[dt.dtype],
    fortranOrder: layout.fortranOrder,
    shape: layout.shape,
    dataOffset,
    version,
  };
}

/** A typed array of `kind` and length `n`, on a SharedArrayBuffer when `shared` (and available). */
export function allocate(kind: 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64', n: number, shared: boolean): NumericArray {
  const Ctor = {
    int8: Int8Array,
    uint8: Uint8Array,
    int16: Int16Array,
    uint16: Uint16Array,
    int32: Int32Array,
    uint32: Uint32Array,
    float32: Float32Array,
    float64: Float64Array,
  }[kind];
  if (shared && typeof SharedArrayBuffer !== 'undefined') {
    // The constructors' union defeats TS overload resolution for SharedArrayBuffer; the runtime
    // accepts it for every typed-array constructor.
    return new Ctor(new SharedArrayBuffer(n * Ctor.BYTES_PER_ELEMENT) as unknown as ArrayBuffer);
  }
  return new Ctor(n);
}

function nativeKind(dtype: NpyDtype): 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64' {
  switch (dtype) {
    case 'bool':
      return 'uint8';
    case 'int64':
    case 'uint64':
      return 'float64';
    default:
      return dtype;
  }
}


/**
 * Little-endian data on a little-endian host: views `bytes` as the file's typed array (copying
 * first when misaligned) and converts natively with `TypedArray.set`, which applies the same
 * per-element conversion as an assignment — 10–20× faster than a `DataView` call per element
 * (templates.npy at open: ≈ 16 M elements). Conversions that need a check (into int32 from
 * uint32 or floats) and 64-bit integers take their own tight loops with the same checks and
 * messages as {@link decodeInto}. Returns false for cases it leaves to the generic path.
 */
function decodeAligned(h: NpyHeader, file: string, bytes: Uint8Array, count: number, out: NumericArray, outOffset: number): boolean {
  const size = h.itemSize;
  const b = bytes.byteOffset % size === 0 ? bytes : bytes.slice(0, count * size);
  const toInt32 = out instanceof Int32Array;
  switch (h.dtype) {
    case 'int16':
      out.set(new Int16Array(b.buffer, b.byteOffset, count), outOffset);
      return true;
    case 'uint16':
      out.set(new Uint16Array(b.buffer, b.byteOffset, count), outOffset);
      return true;
    case 'int32':
      out.set(new Int32Array(b.buffer, b.byteOffset, count), outOffset);
      return true;
    case 'uint32':
      if (toInt32) return false;
      out.set(new Uint32Array(b.buffer, b.byteOffset, count), outOffset);
      return true;
    case 'float32':
      if (toInt32) return false;
      out.set(new Float32Array(b.buffer, b.byteOffset, count), outOffset);
      return true;
    case 'float64':
      if (toInt32) return false;
      out.set(new Float64Array(b.buffer, b.byteOffset, count), outOffset);
      return true;
    case 'int64':
    case 'uint64':
      // Only the unchecked float targets; an error falls back to the generic path for its message.
      if (toInt32) return false;
      return words64Into(new Int32Array(b.buffer, b.byteOffset, count * 2), h.dtype === 'int64', count, out, outOffset);
    default:
      return false;
  }
}

/** 64-bit integers (little-endian word pairs) into a float array; false at the first inexact value. */
function words64Into(w: Int32Array, signed: boolean, count: number, out: Exclude<NumericArray, Int32Array>, outOffset: number): boolean {
  for (let i = 0; i < count; i++) {
    const lo = w[2 * i] >>> 0;
    const hi = signed ? w[2 * i + 1] : w[2 * i + 1] >>> 0;
    if (!exactInt64(hi, lo)) return false;
    out[outOffset + i] = hi * 4294967296 + lo;
  }
  return true;
}

/**
 * Decodes `count` elements from `bytes` (laid out as in the file) into `out` starting at
 * `outOffset`, converting to `out`'s type. Throws when a 64-bit value is not exact or a value
 * does not fit an Int32 target.
 */
function decodeInto(h: NpyHeader, file: string, bytes: Uint8Array, count: number, out: NumericArray, outOffset: number): void {
  if (HOST_LE && h.littleEndian && h.itemSize > 1 && decodeAligned(h, file, bytes, count, out, outOffset)) return;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = h.littleEndian;
  const toInt32 = out instanceof Int32Array;
  const check = (v: number, i: number): number => {
    if (toInt32 && (v > 2147483647 || v < -2147483648 || !Number.isInteger(v))) {
      throw new FormatError(file, 'npy.range', `value ${v} (element ${outOffset + i} of the read) does not fit a 32-bit integer`);
    }
    return v;
  };
  switch (h.dtype) {
    case 'bool':
    case 'uint8':
      for (let i = 0; i < count; i++) out[outOffset + i] = bytes[i];
      return;
    case 'int8':
      for (let i = 0; i < count; i++) out[outOffset + i] = dv.getInt8(i);
      return;
    case 'int16':
      for (let i = 0; i < count; i++) out[outOffset + i] = dv.getInt16(i * 2, le);
      return;
    case 'uint16':
      for (let i = 0; i < count; i++) out[outOffset + i] = dv.getUint16(i * 2, le);
      return;
    case 'int32':
      for (let i = 0; i < count; i++) out[outOffset + i] = dv.getInt32(i * 4, le);
      return;
    case 'uint32':
      for (let i = 0; i < count; i++) out[outOffset + i] = check(dv.getUint32(i * 4, le), i);
      return;
    case 'float32':
      for (let i = 0; i < count; i++) out[outOffset + i] = check(dv.getFloat32(i * 4, le), i);
      return;
    case 'float64':
      for (let i = 0; i < count; i++) out[outOffset + i] = check(dv.getFloat64(i * 8, le), i);
      return;
    case 'int64':
    case 'uint64': {
      const signed = h.dtype === 'int64';
      for (let i = 0; i < count; i++) {
        const lo = dv.getUint32(i * 8 + (le ? 0 : 4), le);
        const hi = signed ? dv.getInt32(i * 8 + (le ? 4 : 0), le) : dv.getUint32(i * 8 + (le ? 4 : 0), le);
        const exact = exactInt64(hi, lo);
        const v = hi * 4294967296 + lo;
        if (!exact) {
          const exactText = signed ? dv.getBigInt64(i * 8, le) : dv.getBigUint64(i * 8, le);
          throw new FormatError(file, 'npy.inexact', `64-bit value ${exactText} (element ${outOffset + i} of the read) exceeds 2^53 and cannot be represented exactly`);
        }
        out[outOffset + i] = check(v, i);
      }
      return;
    }
  }
}

/** Options of whole-array and row reads. */
export interface NpyReadOptions {
  /** Output type (default `native`). */
  as?: NpyTarget;
  /** Back the result with a SharedArrayBuffer (for columns shared with workers). */
  shared?: boolean;
}

/**
 * An opened `.npy` file. Only the header has been read; data is read on demand.
 *
 * Shapes: `length` is `shape[0]` (1 for a scalar); `rowSize` is the product of the remaining
 * dimensions. Row reads return rows in C order (`rowSize` consecutive elements per row) whatever
 * the file's order.
 */
export class NpyFile {
  readonly header: NpyHeader;
  readonly length: number;
  readonly rowSize: number;

  private constructor(
    readonly source: ByteSource,
    header: NpyHeader,
  ) {
    this.header = header;
    this.length = header.shape.length ? header.shape[0] : 1;
    this.rowSize = product(header.shape.slice(1));
  }

  /** Parses the header and checks that the file holds all the data it declares. */
  static open(source: ByteSource): NpyFile {
    const h = readNpyHeader(source);
    const need = h.dataOffset + product(h.shape) * h.itemSize;
    if (source.size < need) {
      throw new FormatError(
        source.name,
        'npy.truncated',
        `truncated .npy file: shape (${h.shape.join(', ')}) of ${h.descr} needs ${need} bytes but the file has ${source.size}`,
      );
    }
    return new NpyFile(source, h);
  }

  /** Shape with trailing singleton dimensions removed (an `(N, 1)` column becomes `(N,)`). */
  get squeezedShape(): number[] {
    const s = this.header.shape.slice();
    while (s.length > 1 && s[s.length - 1] === 1) s.pop();
    return s;
  }

  /** Total number of elements. */
  get size(): number {
    return product(this.header.shape);
  }

  private out(n: number, opts?: NpyReadOptions): NumericArray {
    const as = opts?.as ?? 'native';
    return allocate(as === 'native' ? nativeKind(this.header.dtype) : as, n, !!opts?.shared);
  }

  /** Reads the whole array in C order. Never call on raw recordings or `pc_features.npy`. */
  read(opts?: NpyReadOptions): NumericArray {
    return this.readRows(0, this.length, opts);
  }

  /** Reads rows `[start, end)` in C order. */
  readRows(start: number, end: number, opts?: NpyReadOptions): NumericArray {
    const h = this.header;
    if (start < 0 || end > this.length || start > end) {
      throw new RangeError(`${this.source.name}: rows [${start}, ${end}) out of range (length ${this.length})`);
    }
    const nRows = end - start;
    const rs = this.rowSize;
    const out = this.out(nRows * rs, opts);
    if (nRows === 0 || rs === 0) return out;
    if (!h.fortranOrder || h.shape.length <= 1 || rs === 1) {
      // Contiguous: decode in chunks of ~8 MB so a large read never holds two full copies.
      const chunkBytes = Math.min(8 << 20, MAX_READ_BYTES, this.source.maxReadBytes ?? MAX_READ_BYTES);
      const chunkRows = Math.max(1, Math.floor(chunkBytes / (rs * h.itemSize)));
      for (let r = start; r < end; r += chunkRows) {
        const n = Math.min(chunkRows, end - r);
        const bytes = this.source.read(h.dataOffset + r * rs * h.itemSize, n * rs * h.itemSize);
        decodeInto(h, this.source.name, bytes, n * rs, out, (r - start) * rs);
      }
      return out;
    }
    // Fortran order: element (i, c) lives at (c * length + i). Read one column span at a time,
    // then scatter into C order.
    const col = this.out(nRows, { as: opts?.as });
    const span = Math.max(1, Math.floor(Math.min(MAX_READ_BYTES, this.source.maxReadBytes ?? MAX_READ_BYTES) / h.itemSize));
    for (let c = 0; c < rs; c++) {
      for (let i0 = 0; i0 < nRows; i0 += span) {
        const k = Math.min(span, nRows - i0);
        const bytes = this.source.read(h.dataOffset + (c * this.length + start + i0) * h.itemSize, k * h.itemSize);
        decodeInto(h, this.source.name, bytes, k, col, i0);
      }
      const fc = fortranToC(c, h.shape.slice(1));
      for (let i = 0; i < nRows; i++) out[i * rs + fc] = col[i];
    }
    return out;
  }

  /**
   * Reads the given rows (any order, duplicates allowed) in C order: `rows.length × rowSize`
   * elements. Runs of consecutive rows are read together, so sorted subsets cost few reads.
   */
  readRowsAt(rows: ArrayLike<number>, opts?: NpyReadOptions): NumericArray {
    const h = this.header;
    const rs = this.rowSize;
    const n = rows.length;
    const out = this.out(n * rs, opts);
    for (let k = 0; k < n; k++) {
      const r = rows[k];
      if (!(r >= 0 && r < this.length)) throw new RangeError(`${this.source.name}: row ${r} out of range (length ${this.length})`);
    }
    if (!h.fortranOrder || h.shape.length <= 1 || rs === 1) {
      const rowBytes = rs * h.itemSize;
      const readInto = this.source.readInto?.bind(this.source);
      let k = 0;
      while (k < n) {
        let j = k + 1;
        while (j < n && rows[j] === rows[j - 1] + 1 && j - k < 65536) j++;
        const offset = h.dataOffset + rows[k] * rowBytes;
        const length = (j - k) * rowBytes;
        // A small run far from the runs around it is read on its own, bypassing the source's
        // page cache: a paged source loads a whole page (1 MiB for files) for it, and a
        // regular subset of 2,500 spikes of a 10 M-spike pc_features.npy touches 2,500 pages
        // (2.5 GB copied for 1 MB of rows: the PCA metrics' main cost before this).
        const far = (r: number) => Math.abs(r - rows[k]) * rowBytes > SCATTERED_GAP_BYTES;
        if (readInto && length <= SCATTERED_GAP_BYTES && (k === 0 || far(rows[k - 1])) && (j === n || far(rows[j]))) {
          const bytes = new Uint8Array(length);
          readInto(offset, bytes);
          decodeInto(h, this.source.name, bytes, (j - k) * rs, out, k * rs);
        } else {
          const bytes = this.source.read(offset, length);
          decodeInto(h, this.source.name, bytes, (j - k) * rs, out, k * rs);
        }
        k = j;
      }
      return out;
    }
    // Fortran order: element (r, c) lives at (c * length + r), so each inner column c is a
    // contiguous run over rows. Group requested rows into ascending clusters (gaps up to ~4 KB
    // of elements) and read each cluster's span once per column: a sorted subset of k rows then
    // costs rowSize reads per cluster instead of k × rowSize single-element reads.
    const inner = h.shape.slice(1);
    const cIndex = new Int32Array(rs);
    for (let c = 0; c < rs; c++) cIndex[c] = fortranToC(c, inner);
    // Decoding rows that were not asked for must not raise errors for them: when a conversion
    // can throw (64-bit ints, int32 targets), spans hold requested rows only.
    const mayThrow =
      h.dtype === 'int64' || h.dtype === 'uint64' || (opts?.as === 'int32' && (h.dtype === 'uint32' || h.dtype === 'float32' || h.dtype === 'float64'));
    const maxGap = mayThrow ? 1 : Math.max(1, Math.floor(4096 / h.itemSize));
    const maxSpan = 1 << 16;
    let k = 0;
    while (k < n) {
      const lo = rows[k];
      let j = k + 1;
      while (j < n && rows[j] >= rows[j - 1] && rows[j] - rows[j - 1] <= maxGap && rows[j] - lo < maxSpan) j++;
      const span = rows[j - 1] - lo + 1;
      const buf = this.out(span, { as: opts?.as });
      for (let c = 0; c < rs; c++) {
        const bytes = this.source.read(h.dataOffset + (c * this.length + lo) * h.itemSize, span * h.itemSize);
        decodeInto(h, this.source.name, bytes, span, buf, 0);
        const ci = cIndex[c];
        for (let m = k; m < j; m++) out[m * rs + ci] = buf[rows[m] - lo];
      }
      k = j;
    }
    return out;
  }
}

/** Maps a Fortran-order flat index over `dims` to the C-order flat index. */
function fortranToC(f: number, dims: number[]): number {
  if (dims.length <= 1) return f;
  const idx: number[] = new Array(dims.length);
  let rem = f;
  for (let d = 0; d < dims.length; d++) {
    idx[d] = rem % dims[d];
    rem = Math.floor(rem / dims[d]);
  }
  let c = 0;
  for (let d = 0; d < dims.length; d++) c = c * dims[d] + idx[d];
  return c;
}

/** Opens and reads a whole small `.npy` in one call. */
export function readNpy(source: ByteSource, opts?: NpyReadOptions): { data: NumericArray; shape: number[]; header: NpyHeader } {
  const f = NpyFile.open(source);
  return { data: f.read(opts), shape: f.header.shape, header: f.header };
}
