/** NumPy `.npy` writer (version 1.0 headers, C order, little endian); exported through `npy.ts`. */
import { DTYPE_SIZE, MAGIC, product, type NpyDtype } from './npyDtype';

/** dtypes the writer produces, with their little-endian descr. */
export const WRITE_DESCR: Record<NpyDtype, string> = {
  bool: '|b1',
  int8: '|i1',
  uint8: '|u1',
  int16: '<i2',
  uint16: '<u2',
  int32: '<i4',
  uint32: '<u4',
  int64: '<i8',
  uint64: '<u8',
  float32: '<f4',
  float64: '<f8',
};

/**
 * Encodes a version 1.0 header (padded so data starts on a 64-byte boundary, as NumPy does) for
 * an array of `dtype` and `shape` in C order. Used to stream large arrays to disk.
 */
export function encodeNpyHeader(dtype: NpyDtype, shape: readonly number[]): Uint8Array {
  return encodeNpyHeaderDescr(`'${WRITE_DESCR[dtype]}'`, shape);
}

/**
 * A version 1.0 header with `descr` written as given (a quoted dtype such as `'<f4'`, or a
 * structured list `[('x', '<f8'), ('y', '<f8')]`), C order, padded as NumPy pads it.
 */
export function encodeNpyHeaderDescr(descr: string, shape: readonly number[]): Uint8Array {
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': ${descr}, 'fortran_order': False, 'shape': ${shapeStr}, }`;
  const total = 10 + dict.length + 1;
  const pad = (64 - (total % 64)) % 64;
  dict = dict + ' '.repeat(pad) + '\n';
  if (dict.length > 0xffff) throw new RangeError(`.npy header of ${dict.length} bytes does not fit a version 1.0 header`);
  const out = new Uint8Array(10 + dict.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = dict.length & 0xff;
  out[9] = (dict.length >> 8) & 0xff;
  for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);
  return out;
}

/** Encodes `values` (C order) as the data part of a `.npy` of `dtype`, little endian. */
export function encodeNpyData(values: ArrayLike<number>, dtype: NpyDtype): Uint8Array {
  const n = values.length;
  const size = DTYPE_SIZE[dtype];
  const out = new Uint8Array(n * size);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    switch (dtype) {
      case 'bool':
        out[i] = v ? 1 : 0;
        break;
      case 'int8':
        dv.setInt8(i, v);
        break;
      case 'uint8':
        dv.setUint8(i, v);
        break;
      case 'int16':
        dv.setInt16(i * 2, v, true);
        break;
      case 'uint16':
        dv.setUint16(i * 2, v, true);
        break;
      case 'int32':
        dv.setInt32(i * 4, v, true);
        break;
      case 'uint32':
        dv.setUint32(i * 4, v, true);
        break;
      case 'float32':
        dv.setFloat32(i * 4, v, true);
        break;
      case 'float64':
        dv.setFloat64(i * 8, v, true);
        break;
      case 'int64':
      case 'uint64': {
        const hi = Math.floor(v / 4294967296);
        const lo = v - hi * 4294967296;
        dv.setUint32(i * 8, lo, true);
        dv.setInt32(i * 8 + 4, hi, true);
        break;
      }
    }
  }
  return out;
}

/** Encodes a whole `.npy` file (header + data). `shape` defaults to `(values.length,)`. */
export function encodeNpy(values: ArrayLike<number>, dtype: NpyDtype, shape: readonly number[] = [values.length]): Uint8Array {
  if (product(shape) !== values.length) throw new RangeError(`shape (${shape.join(', ')}) does not match ${values.length} values`);
  const head = encodeNpyHeader(dtype, shape);
  const data = encodeNpyData(values, dtype);
  const out = new Uint8Array(head.length + data.length);
  out.set(head, 0);
  out.set(data, head.length);
  return out;
}
