import { describe, expect, it } from 'vitest';
import { serialize, deserialize } from 'node:v8';
import { toCloneable } from '../../../electron/cloneable';

describe('toCloneable', () => {
  it('returns results without shared memory unchanged (no copy)', () => {
    const value = { generation: 3, data: new Float32Array([1, 2]), clusters: [{ clusterId: 1, spikeIds: new Int32Array([4]) }] };
    expect(toCloneable(value)).toBe(value);
  });

  it('copies views on a SharedArrayBuffer so Electron IPC can carry them as binary', () => {
    const shared = new Int32Array(new SharedArrayBuffer(16));
    shared.set([5, 6, 7, 8]);
    const view = shared.subarray(1, 3);
    const value = { summary: { channelIds: view, name: 'm1' }, list: [shared, 'x'] };
    const out = toCloneable(value);
    expect(out).not.toBe(value);
    expect(out.summary.channelIds).toBeInstanceOf(Int32Array);
    expect(out.summary.channelIds.buffer).toBeInstanceOf(ArrayBuffer);
    expect(Array.from(out.summary.channelIds)).toEqual([6, 7]);
    expect(Array.from(out.list[0] as Int32Array)).toEqual([5, 6, 7, 8]);
    expect(out.list[1]).toBe('x');
    // The original is untouched.
    expect(value.summary.channelIds).toBe(view);
    // And the copy survives the V8 serializer Electron's IPC uses.
    const round = deserialize(serialize(out)) as typeof out;
    expect(Array.from(round.summary.channelIds)).toEqual([6, 7]);
  });
});
