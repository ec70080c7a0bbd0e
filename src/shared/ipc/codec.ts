/**
 * Binary message codec for the WebSocket transport of `spikedock serve`: typed arrays travel as
 * raw bytes after a JSON header, never as JSON number lists (a 100 k-spike feature array is
 * 1.2 MB of float32, not 3+ MB of text that both sides must parse).
 *
 * Frame layout (little endian):
 *   u32 headerLength | header JSON (UTF-8) | zero padding to a multiple of 8 | buffer 0 | buffer 1 …
 * In the header, each typed array is replaced by `{"$ta": "<Type>", "b": <buffer index>}` and
 * `buffers` lists `[offset, byteLength]` of each buffer relative to the first buffer byte
 * (every buffer starts on an 8-byte boundary so views need no copy).
 */

const TYPES = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;
type TypeName = keyof typeof TYPES;
type AnyTyped = InstanceType<(typeof TYPES)[TypeName]>;

function typeNameOf(v: unknown): TypeName | null {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return null;
  const name = (v as AnyTyped).constructor.name as TypeName;
  return name in TYPES ? name : null;
}

/** Encodes any JSON-like value holding typed arrays into one binary frame. */
export function encodeMessage(value: unknown): Uint8Array {
  const buffers: AnyTyped[] = [];
  const header = JSON.stringify({ v: value, buffers: [] as number[][] }, (_key, v: unknown) => {
    const t = typeNameOf(v);
    if (t) {
      buffers.push(v as AnyTyped);
      return { $ta: t, b: buffers.length - 1 };
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) };
    return v;
  });
  // Fill in the buffer table (offsets are known only once all arrays are collected).
  const table: number[][] = [];
  let off = 0;
  for (const b of buffers) {
    table.push([off, b.byteLength]);
    off += Math.ceil(b.byteLength / 8) * 8;
  }
  const headerText = header.replace(/"buffers":\[\]\}$/, `"buffers":${JSON.stringify(table)}}`);
  const headerBytes = new TextEncoder().encode(headerText);
  const start = Math.ceil((4 + headerBytes.length) / 8) * 8;
  const out = new Uint8Array(start + off);
  new DataView(out.buffer).setUint32(0, headerBytes.length, true);
  out.set(headerBytes, 4);
  buffers.forEach((b, i) => out.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), start + table[i][0]));
  return out;
}

/** Decodes a frame made by {@link encodeMessage}. Typed arrays are views over `frame`'s buffer (copied when unaligned). */
export function decodeMessage(frame: Uint8Array): unknown {
  if (frame.byteLength < 4) throw new Error('malformed message: shorter than its header length');
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const headerLength = dv.getUint32(0, true);
  if (4 + headerLength > frame.byteLength) throw new Error('malformed message: header longer than the frame');
  const headerText = new TextDecoder().decode(frame.subarray(4, 4 + headerLength));
  const parsed = JSON.parse(headerText) as { v: unknown; buffers: number[][] };
  const start = Math.ceil((4 + headerLength) / 8) * 8;
  const table = parsed.buffers ?? [];
  const revive = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(revive);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.$ta === 'string' && typeof o.b === 'number') {
        const Ctor = TYPES[o.$ta as TypeName];
        const entry = table[o.b];
        if (!Ctor || !entry) throw new Error(`malformed message: unknown typed array ${String(o.$ta)}`);
        const [offset, byteLength] = entry;
        const abs = frame.byteOffset + start + offset;
        if (start + offset + byteLength > frame.byteLength) throw new Error('malformed message: buffer outside the frame');
        if (abs % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(frame.buffer as ArrayBuffer, abs, byteLength / Ctor.BYTES_PER_ELEMENT);
        return new Ctor(frame.slice(start + offset, start + offset + byteLength).buffer);
      }
      if (typeof o.$num === 'string' && Object.keys(o).length === 1) return Number(o.$num);
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o)) out[k] = revive(o[k]);
      return out;
    }
    return v;
  };
  return revive(parsed.v);
}

/** Client → server messages. */
export type ClientMessage =
  | { type: 'call'; id: number; service: string; method: string; args: unknown[] }
  | { type: 'cancel'; id: number };

/** Server → client messages. */
export type ServerMessage =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; message: string; code?: string }
  | { type: 'event'; event: string; payload: unknown };
