/**
 * 1-D `.npy` arrays of NumPy fixed-width strings: `<U<n>` (UTF-32, n code points per item, NUL
 * padded) and `|S<n>` (bytes, read as Latin-1). SpikeInterface saves string unit properties this
 * way (`sorting/properties/quality.npy`, `KSLabel.npy`: `np.save` of a `str` array, spikeinterface
 * `core/base.py` `save_metadata_to_folder`). Object arrays (`|O`, Python pickles) are refused.
 */
import type { ByteSource } from './ByteSource';
import { FormatError } from '../diagnostics';
import { parseHeaderShape, readNpyHeaderText } from './npy';
import { encodeNpyHeaderDescr } from './npyWrite';

/** The string dtype of a header's descr (`<U5`, `|S3`), or null when it is not one. */
export function stringDtype(text: string): { kind: 'U' | 'S'; width: number; littleEndian: boolean } | null {
  const m = /['"]descr['"]\s*:\s*['"]([<>|=]?)([US])(\d+)['"]/.exec(text);
  if (!m) return null;
  return { kind: m[2] as 'U' | 'S', width: Number(m[3]), littleEndian: m[1] !== '>' };
}

/** True when the file is a `.npy` of fixed-width strings (reads the header only). */
export function isStringNpy(src: ByteSource): boolean {
  try {
    return stringDtype(readNpyHeaderText(src).text) !== null;
  } catch {
    return false;
  }
}

/** Reads a 1-D `.npy` of fixed-width strings whole (unit properties: a few thousand items at most). */
export function readNpyStrings(src: ByteSource): string[] {
  const file = src.name;
  const { text, dataOffset } = readNpyHeaderText(src);
  const dt = stringDtype(text);
  if (!dt) throw new FormatError(file, 'npy.badDtype', `not an array of fixed-width strings: ${JSON.stringify(text.trim().slice(0, 120))}`);
  const layout = parseHeaderShape(text);
  if (!layout || layout.shape.length !== 1) throw new FormatError(file, 'npy.shape', `expected a 1-D array of strings, got ${layout ? `shape (${layout.shape.join(', ')})` : 'no shape'}`);
  const n = layout.shape[0];
  const item = dt.kind === 'U' ? 4 * dt.width : dt.width;
  if (src.size < dataOffset + n * item) throw new FormatError(file, 'npy.truncated', `truncated .npy file: ${n} strings of ${item} bytes need ${dataOffset + n * item} bytes but the file has ${src.size}`);
  const bytes = src.read(dataOffset, n * item);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let s = '';
    for (let k = 0; k < dt.width; k++) {
      const c = dt.kind === 'U' ? dv.getUint32(i * item + 4 * k, dt.littleEndian) : bytes[i * item + k];
      if (c === 0) break;
      s += String.fromCodePoint(c);
    }
    out.push(s);
  }
  return out;
}

/** A `.npy` of `<U<n>` strings (n = the longest), as `np.save(np.array(values))` writes it. */
export function encodeNpyStrings(values: readonly string[]): Uint8Array {
  const cps = values.map((v) => Array.from(v, (c) => c.codePointAt(0)!));
  const width = Math.max(1, ...cps.map((c) => c.length));
  const head = encodeNpyHeaderDescr(`'<U${width}'`, [values.length]);
  const out = new Uint8Array(head.length + values.length * width * 4);
  out.set(head, 0);
  const dv = new DataView(out.buffer, head.length);
  cps.forEach((c, i) => c.forEach((cp, k) => dv.setUint32((i * width + k) * 4, cp, true)));
  return out;
}
