/** The `.npy` element types and facts the reader (`npy.ts`) and the writer (`npyWrite.ts`) share. */

/** The element types understood by the reader (NumPy names). */
export type NpyDtype =
  | 'bool'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64';

/** The magic string that starts every `.npy` file (`\x93NUMPY`). */
export const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Bytes per element of each dtype. */
export const DTYPE_SIZE: Record<NpyDtype, number> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  float32: 4,
  float64: 8,
};

/** True on a little-endian host (every platform spikedock ships on): typed-array views of LE data need no swap. */
export const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** 2^53 / 2^32: the high word of the largest exactly representable 64-bit integer. */
export const HI_LIMIT = 2 ** 21;

/**
 * Whether the 64-bit integer of words `hi` (signed or not, as read) and `lo` (unsigned) is exact
 * as a float64: |v| ≤ 2^53. Test the words, not the sum: 2^53 + 1 rounds to 2^53 and would pass.
 */
export function exactInt64(hi: number, lo: number): boolean {
  return (hi >= -HI_LIMIT && hi < HI_LIMIT) || (hi === HI_LIMIT && lo === 0);
}

/** Number of elements of a shape. */
export function product(xs: readonly number[]): number {
  let p = 1;
  for (const x of xs) p *= x;
  return p;
}

/** Reads one element of `dtype` at a byte offset of a DataView (64-bit integers as the nearest number). */
export function elementGetter(dtype: NpyDtype, le: boolean): (dv: DataView, byteOffset: number) => number {
  switch (dtype) {
    case 'bool':
    case 'uint8':
      return (dv, o) => dv.getUint8(o);
    case 'int8':
      return (dv, o) => dv.getInt8(o);
    case 'int16':
      return (dv, o) => dv.getInt16(o, le);
    case 'uint16':
      return (dv, o) => dv.getUint16(o, le);
    case 'int32':
      return (dv, o) => dv.getInt32(o, le);
    case 'uint32':
      return (dv, o) => dv.getUint32(o, le);
    case 'float32':
      return (dv, o) => dv.getFloat32(o, le);
    case 'float64':
      return (dv, o) => dv.getFloat64(o, le);
    case 'int64':
      return (dv, o) => Number(dv.getBigInt64(o, le));
    case 'uint64':
      return (dv, o) => Number(dv.getBigUint64(o, le));
  }
}
