import { describe, expect, it } from 'vitest';
import { backgroundPositions } from '../../../../src/core/compute/features';

describe('FeatureView background spikes', () => {
  it('spread over all the candidates when more are eligible than wanted', () => {
    // 300 candidates over the recording, all eligible, 100 wanted: the background must reach
    // the end of the recording, not stop at its first third.
    const picked = backgroundPositions(300, () => true, 100);
    expect(picked.length).toBe(100);
    expect(picked[0]).toBe(0);
    expect(picked[picked.length - 1]).toBeGreaterThan(290);
  });

  it('keeps only eligible candidates, all of them when there are few', () => {
    const picked = backgroundPositions(30, (k) => k % 3 === 0, 100);
    expect(Array.from(picked)).toEqual(Array.from({ length: 10 }, (_, i) => 3 * i));
  });
});
