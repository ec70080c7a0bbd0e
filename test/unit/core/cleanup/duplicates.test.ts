import { describe, expect, it } from 'vitest';
import { censoredSamples, countDuplicatesWithin, duplicatesAcross, duplicatesWithin } from '../../../../src/core/cleanup/duplicates';

describe('duplicate spikes (SpikeInterface remove_duplicated_spikes, keep_first)', () => {
  it('rounds the interval to samples as SpikeInterface does', () => {
    expect(censoredSamples(0.2, 30000)).toBe(6);
    expect(censoredSamples(0.2, 25000)).toBe(5);
    expect(censoredSamples(0.3, 30000)).toBe(9);
  });
  it('within a cluster: the later spike of each interval ≤ the censored samples', () => {
    // ISIs 5, 1, 14, 6, 1, 73 with 6 samples: np.where(diff <= 6) = 0, 1, 3, 4; keep_first adds 1.
    const t = [0, 5, 6, 20, 26, 27, 100];
    expect(Array.from(duplicatesWithin(t, 6))).toEqual([1, 2, 4, 5]);
    expect(countDuplicatesWithin(t, 6)).toBe(4);
    expect(Array.from(duplicatesWithin(t, 0))).toEqual([]);
    expect(Array.from(duplicatesWithin([], 6))).toEqual([]);
  });
  it('across two clusters: the second cluster\'s spikes within the interval of one of the first', () => {
    // 94 and 106 are 6 from 100 (in), 107 is 7 (out), 205 is 5 from 200, 299 is 1 from 300.
    expect(Array.from(duplicatesAcross([100, 200, 300], [0, 94, 106, 107, 205, 299, 400], 6))).toEqual([1, 2, 4, 5]);
    expect(Array.from(duplicatesAcross([], [1, 2], 6))).toEqual([]);
    expect(Array.from(duplicatesAcross([1, 2], [], 6))).toEqual([]);
  });
});
