/**
 * NumPy structured (record) `.npy` files, read by field: SpikeInterface's spike vector
 * (`sorting/spikes.npy`, fields `sample_index`, `unit_index`, `segment_index`, each `<i8`:
 * `minimum_spike_dtype` in spikeinterface `core/base.py`) and its `spike_locations.npy`
 * (`x`, `y`[, `z`, `alpha`] float64: `dtype_localize_by_method` in
 * `postprocessing/unit_locations.py`). One-dimensional arrays of scalar fields only (what
 * SpikeInterface writes); padding fields (`('', '|V4')`) are skipped.
 *
 * Like {@link NpyFile}: opening reads the header only; `readField` reads whole columns in
 * chunks of ≈ 8 MiB of records (never the whole file at once), `readRowsAt` reads chosen records.
 * The writer (`encodeStructuredNpy`) writes the header NumPy writes, so `np.load` reads it back.
 */
import { MAX_READ_BYTES, type ByteSource } from './ByteSource';
import { FormatError } from '../diagnostics';
import { allocate, parseDtype, parseHeaderShape, readNpyHeaderText, type NpyTarget, type NumericArray } from './npy';
import { DTYPE_SIZE, HOST_LE, elementGetter, exactInt64, type NpyDtype } from './npyDtype';
import { WRITE_DESCR, encodeNpyHeaderDescr } from './npyWrite';

/** One field of a record. */
export interface NpyField {
  name: string;
  /** The descr as written, e.g. `<i8`. */
  descr: string;
  dtype: NpyDtype;
  littleEndian: boolean;
  /** Byte offset of the field inside a record. */
  offset: number;
  /** Bytes of the field. */
  size: number;
}

/** A parsed structured header. */
export interface NpyStructuredHeader {
  fields: NpyField[];
  /** Bytes per record (fields and padding). */
  recordSize: number;
  /** Number of records. */
  length: number;
  dataOffset: number;
  version: string;
}

/** `('name', '<i8')` with an optional subarray shape (refused when present). */
const FIELD_RE = /\(\s*(['"])((?:(?!\1).)*)\1\s*,\s*(['"])([^'"]+)\3\s*(?:,\s*\(([^)]*)\)\s*)?\)/g;

/** Parses the `descr` list of a structured header; throws {@link FormatError} for what it cannot read. */
export function parseStructuredDescr(text: string, file: string): { fields: NpyField[]; recordSize: number } {
  const m = /['"]descr['"]\s*:\s*\[(.*?)\]\s*,\s*['"](?:fortran_order|shape)['"]/s.exec(text);
  if (!m) throw new FormatError(file, 'npy.badDtype', `not a structured array (descr is not a list of fields): ${JSON.stringify(text.trim().slice(0, 120))}`);
  const fields: NpyField[] = [];
  let offset = 0;
  for (const f of m[1].matchAll(FIELD_RE)) {
    const [, , name, , descr, sub] = f;
    if (sub !== undefined && sub.trim() !== '') throw new FormatError(file, 'npy.badDtype', `field '${name}' is a subarray (${descr}, (${sub})); only scalar fields are read`);
    const pad = /^\|V(\d+)$/.exec(descr);
    if (pad) {
      offset += Number(pad[1]);
      continue;
    }
    const dt = parseDtype(descr);
    if (!dt) throw new FormatError(file, 'npy.badDtype', `field '${name}' has dtype '${descr}' (expected bool, int8–int64, uint8–uint64, float32 or float64)`);
    const size = DTYPE_SIZE[dt.dtype];
    fields.push({ name, descr, dtype: dt.dtype, littleEndian: dt.littleEndian || size === 1, offset, size });
    offset += size;
  }
  if (fields.length === 0) throw new FormatError(file, 'npy.badDtype', 'a structured array without readable fields');
  return { fields, recordSize: offset };
}


/** Reads one field value at byte `o` of `dv`. Throws for inexact 64-bit integers. */
function fieldReader(f: NpyField, file: string): (dv: DataView, o: number) => number {
  const le = f.littleEndian;
  switch (f.dtype) {
    case 'int64':
    case 'uint64': {
      const signed = f.dtype === 'int64';
      return (dv, o) => {
        const lo = dv.getUint32(o + (le ? 0 : 4), le);
        const hi = signed ? dv.getInt32(o + (le ? 4 : 0), le) : dv.getUint32(o + (le ? 4 : 0), le);
        if (!exactInt64(hi, lo)) {
          const exact = signed ? dv.getBigInt64(o, le) : dv.getBigUint64(o, le);
          throw new FormatError(file, 'npy.inexact', `64-bit value ${exact} of field '${f.name}' exceeds 2^53 and cannot be represented exactly`);
        }
        return hi * 4294967296 + lo;
      };
    }
    default:
      return elementGetter(f.dtype, le);
  }
}

/** An opened structured `.npy` file; only the header has been read. */
export class NpyStructuredFile {
  private constructor(
    readonly source: ByteSource,
    readonly header: NpyStructuredHeader,
  ) {}

  /** Parses the header and checks the file holds every record it declares. */
  static open(source: ByteSource): NpyStructuredFile {
    const file = source.name;
    const { text, dataOffset, version } = readNpyHeaderText(source);
    const { fields, recordSize } = parseStructuredDescr(text, file);
    const layout = parseHeaderShape(text);
    if (!layout) throw new FormatError(file, 'npy.badHeader', `unreadable .npy header: ${JSON.stringify(text.trim().slice(0, 120))}`);
    if (layout.shape.length !== 1) throw new FormatError(file, 'npy.shape', `expected a 1-D array of records, got shape (${layout.shape.join(', ')})`);
    const length = layout.shape[0];
    const need = dataOffset + length * recordSize;
    if (source.size < need) throw new FormatError(file, 'npy.truncated', `truncated .npy file: ${length} records of ${recordSize} bytes need ${need} bytes but the file has ${source.size}`);
    return new NpyStructuredFile(source, { fields, recordSize, length, dataOffset, version });
  }

  get length(): number {
    return this.header.length;
  }

  /** The field called `name`, or null. */
  field(name: string): NpyField | null {
    return this.header.fields.find((f) => f.name === name) ?? null;
  }

  private need(name: string): NpyField {
    const f = this.field(name);
    if (!f) throw new FormatError(this.source.name, 'npy.noField', `no field '${name}' (fields: ${this.header.fields.map((x) => x.name).join(', ')})`);
    return f;
  }

  private out(f: NpyField, n: number, as: NpyTarget, shared: boolean): NumericArray {
    if (as !== 'native') return allocate(as, n, shared);
    const kind = f.dtype === 'bool' ? 'uint8' : f.dtype === 'int64' || f.dtype === 'uint64' ? 'float64' : f.dtype;
    return allocate(kind, n, shared);
  }

  /**
   * Field `name` of records `[start, end)` (default all). `as: 'int32'` checks every value fits;
   * 64-bit integers must be exact (|v| ≤ 2^53).
   */
  readField(name: string, opts: { as?: NpyTarget; shared?: boolean; start?: number; end?: number } = {}): NumericArray {
    return this.readFields([{ name, as: opts.as }], opts)[0];
  }

  /**
   * Several fields of records `[start, end)` in one pass over the file (the spike vector's
   * sample and unit columns: one read of 240 MB at 10 M spikes instead of two).
   */
  readFields(fields: ReadonlyArray<{ name: string; as?: NpyTarget }>, opts: { shared?: boolean; start?: number; end?: number } = {}): NumericArray[] {
    const h = this.header;
    const start = opts.start ?? 0;
    const end = opts.end ?? h.length;
    if (start < 0 || end > h.length || start > end) throw new RangeError(`${this.source.name}: records [${start}, ${end}) out of range (length ${h.length})`);
    const plan = fields.map(({ name, as = 'native' }) => {
      const f = this.need(name);
      return {
        f,
        out: this.out(f, end - start, as, !!opts.shared),
        get: fieldReader(f, this.source.name),
        check: as === 'int32' ? int32Check(this.source.name, f.name) : null,
        fast: wordReader(f, h.recordSize),
      };
    });
    const chunkBytes = Math.min(8 << 20, MAX_READ_BYTES, this.source.maxReadBytes ?? MAX_READ_BYTES);
    const chunk = Math.max(1, Math.floor(chunkBytes / h.recordSize));
    // One aligned buffer for every chunk when the source can read into it (no copy to align).
    const own = this.source.readInto ? new Uint8Array(Math.min(chunk, Math.max(1, end - start)) * h.recordSize) : null;
    for (let r = start; r < end; r += chunk) {
      const n = Math.min(chunk, end - r);
      const offset = h.dataOffset + r * h.recordSize;
      let bytes: Uint8Array;
      if (own) {
        bytes = own.subarray(0, n * h.recordSize);
        this.source.readInto!(offset, bytes);
      } else bytes = this.source.read(offset, n * h.recordSize);
      const base = r - start;
      for (const { f, out, get, check, fast } of plan) {
        // 10 M records: ≈ 0.1 s per field through a typed-array view, ≈ 0.45 s through a DataView.
        if (fast && fast(bytes, n, out, base, check ? (v, i) => check(v, r + i) : null)) continue;
        const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        for (let i = 0; i < n; i++) {
          const v = get(dv, i * h.recordSize + f.offset);
          out[base + i] = check ? check(v, r + i) : v;
        }
      }
    }
    return plan.map((p) => p.out);
  }

  /** Fields `names` of the given records (any order), as (rows.length, names.length) C order. */
  readRowsAt(rows: ArrayLike<number>, names: readonly string[], as: NpyTarget = 'float32'): NumericArray {
    const fs = names.map((n) => this.need(n));
    const gets = fs.map((f) => fieldReader(f, this.source.name));
    const h = this.header;
    const k = fs.length;
    const out = allocate(as === 'native' ? 'float64' : as, rows.length * k, false);
    const check = as === 'int32' ? int32Check(this.source.name, names.join(', ')) : null;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (!(r >= 0 && r < h.length)) throw new RangeError(`${this.source.name}: record ${r} out of range (length ${h.length})`);
      const bytes = this.source.read(h.dataOffset + r * h.recordSize, h.recordSize);
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let j = 0; j < k; j++) {
        const v = gets[j](dv, fs[j].offset);
        out[i * k + j] = check ? check(v, r) : v;
      }
    }
    return out;
  }
}

/**
 * A reader of field `f` through a typed-array view of each chunk, for little-endian 32/64-bit
 * fields on 4-byte boundaries on a little-endian host; null otherwise. It returns false (the
 * caller then decodes the chunk the slow way, for the error message) at an inexact 64-bit value.
 */
function wordReader(
  f: NpyField,
  recordSize: number,
): ((bytes: Uint8Array, n: number, out: NumericArray, base: number, check: ((v: number, i: number) => number) | null) => boolean) | null {
  if (!HOST_LE || !f.littleEndian || recordSize % 4 !== 0 || f.offset % 4 !== 0) return null;
  const stride = recordSize / 4;
  const at = f.offset / 4;
  const words = (bytes: Uint8Array, n: number): Int32Array => {
    const b = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice(0, n * recordSize);
    return new Int32Array(b.buffer, b.byteOffset, n * stride);
  };
  switch (f.dtype) {
    case 'int64':
    case 'uint64': {
      const signed = f.dtype === 'int64';
      return (bytes, n, out, base, check) => {
        const w = words(bytes, n);
        for (let i = 0, k = at; i < n; i++, k += stride) {
          const lo = w[k] >>> 0;
          const hi = signed ? w[k + 1] : w[k + 1] >>> 0;
          if (!exactInt64(hi, lo)) return false;
          const v = hi * 4294967296 + lo;
          out[base + i] = check ? check(v, i) : v;
        }
        return true;
      };
    }
    case 'int32':
    case 'uint32':
    case 'float32': {
      return (bytes, n, out, base, check) => {
        const w = words(bytes, n);
        const view = f.dtype === 'int32' ? w : f.dtype === 'uint32' ? new Uint32Array(w.buffer, w.byteOffset, w.length) : new Float32Array(w.buffer, w.byteOffset, w.length);
        for (let i = 0, k = at; i < n; i++, k += stride) out[base + i] = check ? check(view[k], i) : view[k];
        return true;
      };
    }
    case 'float64': {
      if (recordSize % 8 !== 0 || f.offset % 8 !== 0) return null;
      return (bytes, n, out, base, check) => {
        const b = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice(0, n * recordSize);
        const view = new Float64Array(b.buffer, b.byteOffset, (n * recordSize) / 8);
        const s8 = recordSize / 8;
        for (let i = 0, k = f.offset / 8; i < n; i++, k += s8) out[base + i] = check ? check(view[k], i) : view[k];
        return true;
      };
    }
    default:
      return null;
  }
}

function int32Check(file: string, name: string): (v: number, record: number) => number {
  return (v, record) => {
    if (v > 2147483647 || v < -2147483648 || !Number.isInteger(v)) throw new FormatError(file, 'npy.range', `value ${v} of field '${name}' (record ${record}) does not fit a 32-bit integer`);
    return v;
  };
}

/** A field to write: its name and dtype (written little endian). */
export interface FieldSpec {
  name: string;
  dtype: NpyDtype;
}

/** The `descr` NumPy writes for these fields: `[('sample_index', '<i8'), ('unit_index', '<i8')]`. */
export function structuredDescr(fields: readonly FieldSpec[]): string {
  return `[${fields.map((f) => `('${f.name}', '${WRITE_DESCR[f.dtype]}')`).join(', ')}]`;
}

/** The header of a 1-D structured `.npy` of `length` records (for streamed writes). */
export function encodeStructuredNpyHeader(fields: readonly FieldSpec[], length: number): Uint8Array {
  return encodeNpyHeaderDescr(structuredDescr(fields), [length]);
}

/** Records `[start, end)` of the columns (one per field, same length) as little-endian bytes. */
export function encodeStructuredRecords(fields: readonly FieldSpec[], columns: ReadonlyArray<ArrayLike<number>>, start = 0, end = columns[0]?.length ?? 0): Uint8Array {
  const size = fields.reduce((a, f) => a + DTYPE_SIZE[f.dtype], 0);
  const out = new Uint8Array((end - start) * size);
  const dv = new DataView(out.buffer);
  let off = 0;
  for (let i = start; i < end; i++) {
    for (let j = 0; j < fields.length; j++) {
      const v = columns[j][i];
      switch (fields[j].dtype) {
        case 'bool':
        case 'uint8':
          dv.setUint8(off, v ? v : 0);
          break;
        case 'int8':
          dv.setInt8(off, v);
          break;
        case 'int16':
          dv.setInt16(off, v, true);
          break;
        case 'uint16':
          dv.setUint16(off, v, true);
          break;
        case 'int32':
          dv.setInt32(off, v, true);
          break;
        case 'uint32':
          dv.setUint32(off, v, true);
          break;
        case 'float32':
          dv.setFloat32(off, v, true);
          break;
        case 'float64':
          dv.setFloat64(off, v, true);
          break;
        case 'int64':
        case 'uint64': {
          const hi = Math.floor(v / 4294967296);
          dv.setUint32(off, v - hi * 4294967296, true);
          dv.setInt32(off + 4, hi, true);
          break;
        }
      }
      off += DTYPE_SIZE[fields[j].dtype];
    }
  }
  return out;
}

/** A whole 1-D structured `.npy` (header + records) from one column per field. */
export function encodeStructuredNpy(fields: readonly FieldSpec[], columns: ReadonlyArray<ArrayLike<number>>): Uint8Array {
  const n = columns[0]?.length ?? 0;
  if (columns.length !== fields.length || columns.some((c) => c.length !== n)) throw new RangeError('one column per field, all of the same length');
  const head = encodeStructuredNpyHeader(fields, n);
  const data = encodeStructuredRecords(fields, columns);
  const out = new Uint8Array(head.length + data.length);
  out.set(head, 0);
  out.set(data, head.length);
  return out;
}
