import { describe, expect, it } from 'vitest';
import { spikesBelow } from '../../../../src/core/cleanup/amplitudeSplit';

describe('spikesBelow', () => {
  it('takes the spikes strictly below the threshold', () => {
    expect(Array.from(spikesBelow([10, 50, 39.9, 40, NaN, 3], 40))).toEqual([0, 2, 5]);
  });
  it('refuses a threshold that takes no spike or every spike', () => {
    expect(() => spikesBelow([10, 50], 5)).toThrow(/no spike is below the threshold 5 \(of 2 spikes\)/);
    expect(() => spikesBelow([10, 50], 51)).toThrow(/every spike \(2\) is below the threshold 51/);
    expect(() => spikesBelow([10, 50], NaN)).toThrow(/finite/);
  });
});
