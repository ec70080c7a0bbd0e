import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../../../src/shared/ipc/codec';

describe('binary codec', () => {
  it('round-trips nested values with typed arrays as binary', () => {
    const value = {
      type: 'result',
      id: 7,
      value: {
        name: 'x',
        counts: new Int32Array([1, -2, 3]),
        clusters: [{ clusterId: 4, times: new Float32Array([0.5, 1.25]), spikeIds: new Int32Array([10, 11]) }],
        odd: new Uint8Array([1, 2, 3, 4, 5]),
        f64: new Float64Array([Math.PI]),
        nan: NaN,
        inf: -Infinity,
        nil: null,
      },
    };
    const frame = encodeMessage(value);
    const back = decodeMessage(frame) as typeof value;
    expect(back.value.counts).toBeInstanceOf(Int32Array);
    expect(Array.from(back.value.counts)).toEqual([1, -2, 3]);
    expect(Array.from(back.value.clusters[0].times)).toEqual([0.5, 1.25]);
    expect(Array.from(back.value.odd)).toEqual([1, 2, 3, 4, 5]);
    expect(back.value.f64[0]).toBe(Math.PI);
    expect(back.value.nan).toBeNaN();
    expect(back.value.inf).toBe(-Infinity);
    expect(back.value.nil).toBeNull();
  });

  it('sends typed arrays as bytes, not JSON number lists', () => {
    const big = new Float32Array(100_000).map((_, i) => i * 0.1);
    const frame = encodeMessage({ big });
    expect(frame.byteLength).toBeLessThan(big.byteLength + 200);
  });

  it('decodes frames at unaligned offsets (copies when needed)', () => {
    const frame = encodeMessage({ a: new Float64Array([1, 2]) });
    const shifted = new Uint8Array(frame.byteLength + 3);
    shifted.set(frame, 3);
    const back = decodeMessage(shifted.subarray(3)) as { a: Float64Array };
    expect(Array.from(back.a)).toEqual([1, 2]);
  });

  it('rejects malformed frames with a clear message', () => {
    expect(() => decodeMessage(new Uint8Array([1]))).toThrow(/malformed/);
    const bad = new Uint8Array(8);
    new DataView(bad.buffer).setUint32(0, 1000, true);
    expect(() => decodeMessage(bad)).toThrow(/header longer/);
  });
});
