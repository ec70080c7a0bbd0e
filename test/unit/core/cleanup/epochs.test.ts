import { describe, expect, it } from 'vitest';
import { epochName, epochParts } from '../../../../src/core/cleanup/epochs';

describe('epochParts (early vs late)', () => {
  it('given 10 spikes and 3 epochs, then the runs are consecutive, cover every spike once, and differ in size by one at most', () => {
    const ids = Int32Array.from({ length: 10 }, (_, k) => 100 + 2 * k);
    const parts = epochParts(ids, 3);
    expect(parts.map((p) => Array.from(p))).toEqual([
      [100, 102, 104, 106],
      [108, 110, 112],
      [114, 116, 118],
    ]);
  });

  it('given fewer spikes than epochs, then there is one epoch per spike, none empty', () => {
    expect(epochParts(Int32Array.from([5, 9]), 4).map((p) => Array.from(p))).toEqual([[5], [9]]);
  });

  it('given a count outside 2–4, then it is refused with the range', () => {
    expect(() => epochParts(new Int32Array(10), 5)).toThrow(/from 2 to 4/);
    expect(() => epochParts(new Int32Array(10), 1)).toThrow(/from 2 to 4/);
  });

  it('names two epochs early and late, more by number', () => {
    expect([epochName(0, 2), epochName(1, 2), epochName(2, 3)]).toEqual(['early', 'late', 'epoch 3']);
  });
});
