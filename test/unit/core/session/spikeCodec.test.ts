import { describe, expect, it } from 'vitest';
import { decodeSpikes, encodeSpikes, fromBase64, hashInt32, toBase64 } from '../../../../src/core/session/spikeCodec';
import { rng } from './rng';

describe('spike list codec', () => {
  it('round-trips ascending and unsorted lists, compactly', () => {
    const rand = rng(3);
    const asc = new Int32Array(50_000);
    for (let i = 1; i < asc.length; i++) asc[i] = asc[i - 1] + 1 + Math.floor(rand() * 200);
    const e = encodeSpikes(asc);
    expect(e.enc).toBe('dv64');
    expect(e.data.length).toBeLessThan(50_000 * 3);
    expect(Array.from(decodeSpikes(e))).toEqual(Array.from(asc));
    const un = [5, 3, 2_000_000_000, 0, 7];
    const e2 = encodeSpikes(un);
    expect(e2.enc).toBe('zv64');
    expect(Array.from(decodeSpikes(e2))).toEqual(un);
    expect(() => decodeSpikes({ ...e, n: e.n + 1 })).toThrow(/truncated/);
  });

  it('base64 matches the standard encoding', () => {
    for (const s of ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar']) {
      const bytes = new TextEncoder().encode(s);
      expect(toBase64(bytes)).toBe(Buffer.from(s).toString('base64'));
      expect(Array.from(fromBase64(toBase64(bytes)))).toEqual(Array.from(bytes));
    }
  });

  it('hash tells assignments apart', () => {
    const a = Int32Array.from({ length: 1000 }, (_, i) => i % 7);
    const b = a.slice();
    b[500] = 8;
    expect(hashInt32(a)).toBe(hashInt32(a.slice()));
    expect(hashInt32(a)).not.toBe(hashInt32(b));
  });
});
