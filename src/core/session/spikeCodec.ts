/**
 * Compact text encoding of spike-id lists for the journal: ascending ids are delta-encoded,
 * each delta written as an unsigned LEB128 varint, and the bytes base64-encoded (`dv64`).
 * Lasso selections are dense runs, so deltas are mostly 1–2 bytes: a 50,000-spike split takes
 * ≈ 130 kB of text instead of ≈ 350 kB of JSON numbers. Unsorted lists fall back to zig-zag
 * deltas (`zv64`). Also an assignment hash for the journal's consistency checks.
 */

/** A spike list as stored in the journal. */
export interface EncodedSpikes {
  enc: 'dv64' | 'zv64';
  /** Number of ids. */
  n: number;
  data: string;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INV = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INV[B64.charCodeAt(i)] = i;

const B64_CODES = Uint8Array.from(B64, (c) => c.charCodeAt(0));
const ASCII = new TextDecoder('latin1');

/** Base64 (RFC 4648, padded) of bytes, without Buffer/btoa (pure core). ≈ 1 ms per 100 kB. */
export function toBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const t = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = B64_CODES[t >> 18];
    out[o++] = B64_CODES[(t >> 12) & 63];
    out[o++] = B64_CODES[(t >> 6) & 63];
    out[o++] = B64_CODES[t & 63];
  }
  if (i < n) {
    const t = (bytes[i] << 16) | (i + 1 < n ? bytes[i + 1] << 8 : 0);
    out[o++] = B64_CODES[t >> 18];
    out[o++] = B64_CODES[(t >> 12) & 63];
    out[o++] = i + 1 < n ? B64_CODES[(t >> 6) & 63] : 61;
    out[o++] = 61;
  }
  return ASCII.decode(out);
}

/** Decodes padded base64; throws on a bad character. */
export function fromBase64(text: string): Uint8Array {
  const s = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let t = 0;
    let k = 0;
    for (; k < 4 && i + k < s.length; k++) {
      const code = s.charCodeAt(i + k);
      const v = code < 128 ? B64_INV[code] : -1;
      if (v < 0) throw new RangeError(`bad base64 character at ${i + k}`);
      t |= v << (18 - 6 * k);
    }
    out[o++] = (t >> 16) & 255;
    if (k > 2) out[o++] = (t >> 8) & 255;
    if (k > 3) out[o++] = t & 255;
  }
  return out.subarray(0, o);
}

/** Encodes spike ids (any order; ascending is smallest). */
export function encodeSpikes(ids: ArrayLike<number>): EncodedSpikes {
  let ascending = true;
  for (let i = 1; i < ids.length; i++) if (ids[i] < ids[i - 1]) ascending = false;
  const buf = new Uint8Array(ids.length * 5 + 8);
  let o = 0;
  let prev = 0;
  for (let i = 0; i < ids.length; i++) {
    const d = ids[i] - prev;
    prev = ids[i];
    // zig-zag maps signed deltas to unsigned (0, -1, 1, -2 … → 0, 1, 2, 3 …); ascending deltas are ≥ 0.
    let u = ascending ? d : d >= 0 ? d * 2 : -d * 2 - 1;
    while (u >= 128) {
      buf[o++] = (u & 127) | 128;
      u = u >>> 7;
    }
    buf[o++] = u;
  }
  return { enc: ascending ? 'dv64' : 'zv64', n: ids.length, data: toBase64(buf.subarray(0, o)) };
}

/** Decodes {@link encodeSpikes}. Throws RangeError when the data does not hold `n` ids. */
export function decodeSpikes(e: EncodedSpikes): Int32Array {
  const bytes = fromBase64(e.data);
  const out = new Int32Array(e.n);
  let o = 0;
  let prev = 0;
  let i = 0;
  while (o < e.n) {
    let u = 0;
    let mul = 1;
    for (;;) {
      if (i >= bytes.length) throw new RangeError(`spike list truncated: ${o} of ${e.n} ids`);
      const b = bytes[i++];
      u += (b & 127) * mul;
      if (b < 128) break;
      mul *= 128;
    }
    const d = e.enc === 'dv64' ? u : u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    prev += d;
    out[o++] = prev;
  }
  return out;
}

/**
 * 64-bit (two 32-bit lanes) hash of an int32 assignment, as 16 hex digits. Used to recognise
 * the base assignment and saved states when a journal is reopened. ≈ 25 ms per 10 M spikes.
 */
export function hashInt32(a: Int32Array): string {
  let h1 = 0x811c9dc5 ^ a.length;
  let h2 = 0x01000193 ^ Math.imul(a.length, 0x9e3779b1);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    h1 = Math.imul(h1 ^ v, 0x01000193);
    h2 = Math.imul((h2 + v) ^ (h2 >>> 15), 0x85ebca6b);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x7feb352d);
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
