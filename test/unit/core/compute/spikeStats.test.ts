import { describe, expect, it } from 'vitest';
import { contaminationEstimate, firingRateHistogram, isiHistogram, refractoryStats } from '../../../../src/core/compute/spikeStats';

describe('refractoryStats', () => {
  it('counts ISIs strictly below the refractory period', () => {
    // 1 kHz: ISIs 1, 3, 2, 10 ms with a 2 ms period → one violation (the 1 ms ISI).
    const st = Float64Array.from([0, 1, 4, 6, 16]);
    const r = refractoryStats(st, [0, 1, 2, 3, 4], 1000, 0.002, 10);
    expect(r).toMatchObject({ nSpikes: 5, nViolations: 1, violationRate: 0.25 });
    expect(r.contamination).toBeGreaterThan(0);
  });

  it('no spikes, one spike: zeros', () => {
    expect(refractoryStats([], [], 1000, 0.002, 10)).toEqual({ nSpikes: 0, nViolations: 0, violationRate: 0, contamination: 0 });
    expect(refractoryStats([5], [0], 1000, 0.002, 10).violationRate).toBe(0);
  });

  it('contamination solves Hill et al. 2011 and clips at 1', () => {
    // c(1 − c) = nV·T / (2·τR·N²): 0.09 → c = 0.1.
    expect(contaminationEstimate(0.09 * 2 * 0.002 * 1000 * 1000, 1000, 0.002, 1)).toBeCloseTo(0.1, 10);
    expect(contaminationEstimate(1e9, 10, 0.002, 1)).toBe(1);
  });
});

describe('histograms', () => {
  it('ISI histogram bins consecutive intervals', () => {
    const st = Float64Array.from([0, 10, 30, 35, 1000]);
    const h = isiHistogram(st, [0, 1, 2, 3, 4], 1000, 0.005, 0.05);
    expect(h.length).toBe(10);
    expect(h[1]).toBe(1); // 5 ms
    expect(h[2]).toBe(1); // 10 ms
    expect(h[4]).toBe(1); // 20 ms
    expect(h.reduce((a, b) => a + b, 0)).toBe(3); // 965 ms is beyond max
  });

  it('firing rate in Hz per bin', () => {
    const st = Float64Array.from([0, 100, 600, 900]);
    const h = firingRateHistogram(st, [0, 1, 2, 3], 1000, 1, 2);
    expect(Array.from(h)).toEqual([4, 4]);
  });
});
