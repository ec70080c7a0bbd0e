import { describe, expect, it } from 'vitest';
import { amplitudeCutoff, amplitudeCutoffOfParts, amplitudeCv, amplitudeMedian, medianIsNegative } from '../../../../src/core/metrics/amplitudes';
import { median } from '../../../../src/core/metrics/stats';
import { Rng } from '../../../../src/core/random';

describe('amplitude_median', () => {
  it('is the median, NaN without spikes', () => {
    expect(amplitudeMedian([3, 1, 2, 10])).toBe(2.5);
    expect(amplitudeMedian([])).toBeNaN();
  });
});

describe('medianIsNegative (amplitude_cutoff\'s sign test without a sort)', () => {
  it('by hand: odd, even, the two middle values of opposite signs, NaN, empty', () => {
    expect(medianIsNegative([[-3, 1, -2]])).toBe(true); // median −2
    expect(medianIsNegative([[-3, 1, 2]])).toBe(false); // median 1
    expect(medianIsNegative([[-3, 1], [-1, 5]])).toBe(false); // middles −1, 1: median 0
    expect(medianIsNegative([[-3, 1], [-2, 5]])).toBe(true); // middles −2, 1: median −0.5
    expect(medianIsNegative([[-3, 2], [-1, 5]])).toBe(false); // middles −1, 2: median 0.5
    expect(medianIsNegative([[-1, NaN, -2]])).toBe(false); // NumPy's median is NaN
    expect(medianIsNegative([[]])).toBe(false);
  });
  it('agrees with the median on random parts (ties and zeros included)', () => {
    const rng = new Rng(9, 1);
    for (let t = 0; t < 500; t++) {
      const parts = Array.from({ length: 1 + rng.int(3) }, () => Float64Array.from({ length: rng.int(8) }, () => (rng.chance(0.2) ? 0 : rng.int(7) - 3 + (rng.chance(0.5) ? 0.25 : 0))));
      const all = parts.flatMap((p) => Array.from(p));
      expect(medianIsNegative(parts), all.join(',')).toBe(median(all) < 0);
    }
  });
  it('amplitude_cutoff of parts equals that of their concatenation', () => {
    const rng = new Rng(9, 2);
    const a = Float64Array.from({ length: 700 }, () => 10 + rng.normal() * 2);
    const b = Float64Array.from({ length: 400 }, () => 13 + rng.normal() * 3);
    const both = Float64Array.from([...a, ...b]);
    expect(amplitudeCutoffOfParts([a, b])).toBe(amplitudeCutoff(both));
    const neg = (x: Float64Array) => x.map((v) => -v);
    expect(amplitudeCutoffOfParts([neg(a), neg(b)])).toBe(amplitudeCutoff(neg(both)));
  });
});

describe('amplitude_cutoff', () => {
  it('is 0 for a flat (uncut) histogram', () => {
    // 500 amplitudes 0…499, 100 bins of exactly 5: the smoothed pdf is 5 everywhere, the last
    // bin ≥ pdf[0] is bin 99, nothing is missing.
    expect(amplitudeCutoff(Array.from({ length: 500 }, (_, i) => i))).toBe(0);
  });
  it('counts the bins after the last one as high as the first', () => {
    // Without smoothing (σ = 0.1 → radius ⌊0.4 + 0.5⌋ = 0: pdf = histogram): bins 0–49 hold 8
    // spikes, bins 50–99 hold 2 (500 spikes over [0, 100)). pdf[0] = 8, G = 49,
    // missing = 50 · 2 = 100, fraction = 100 / (500 + 100) = 1/6.
    const a: number[] = [];
    for (let b = 0; b < 100; b++) for (let k = 0; k < (b < 50 ? 8 : 2); k++) a.push(b + (k + 0.5) / 10);
    a[a.length - 1] = 100; // makes the range exactly [0, 100]
    a[0] = 0;
    expect(amplitudeCutoff(a, { histogramSmoothingValue: 0.1 })).toBeCloseTo(1 / 6, 12);
    // Negative amplitudes are flipped first (median < 0).
    expect(amplitudeCutoff(a.map((v) => -v), { histogramSmoothingValue: 0.1 })).toBeCloseTo(1 / 6, 12);
  });
  it('a steep cut: one tall first bin', () => {
    // No smoothing; bin 0 holds 500 spikes, bins 1–99 one each (599 spikes): G = 0 (nothing
    // else reaches 500), missing = 99 → 99 / (599 + 99).
    const a: number[] = [];
    for (let b = 0; b < 100; b++) for (let k = 0; k < (b === 0 ? 500 : 1); k++) a.push(b + 0.5);
    a[0] = 0;
    a[a.length - 1] = 100;
    expect(amplitudeCutoff(a, { histogramSmoothingValue: 0.1 })).toBeCloseTo(99 / (599 + 99), 12);
  });
  it('is NaN with fewer than 5 spikes per bin (500)', () => {
    expect(amplitudeCutoff(Array.from({ length: 499 }, (_, i) => i))).toBeNaN();
    expect(amplitudeCutoff([])).toBeNaN();
  });
});

describe('amplitude_cv', () => {
  // fs = 1 Hz, T = 1000 s, 500 spikes: fr = 0.5 Hz, bin = ⌊50 / 0.5⌋ = 100 samples → 10 bins.
  const times = Array.from({ length: 500 }, (_, i) => Math.floor(i / 50) * 100 + (i % 50) * 2);
  it('is the median and 5–95 range of per-bin std / |mean|', () => {
    // Bins 0–4: amplitudes alternate 1, 3 (std 1); bins 5–9: all 2 (std 0). Mean of all = 2.
    // Per-bin CVs: five 0.5 and five 0 → median (0 + 0.5) / 2 = 0.25; p95 (position 8.55) = .5,
    // p5 (position .45) = 0 → range .5.
    const amps = times.map((_, i) => (i < 250 ? (i % 2 ? 3 : 1) : 2));
    const r = amplitudeCv(times, amps, 1000, 1);
    expect(r.amplitude_cv_median).toBeCloseTo(0.25, 12);
    expect(r.amplitude_cv_range).toBeCloseTo(0.5, 12);
  });
  it('is NaN with fewer than 10 bins, with an empty bin, or without spikes', () => {
    // 100 of the spikes over T = 1000: fr = .1, bin = 500 samples → 2 bins < 10.
    expect(amplitudeCv(times.slice(0, 100), times.slice(0, 100).map(() => 1), 1000, 1).amplitude_cv_median).toBeNaN();
    // T = 2000 with the same 500 spikes in the first 1000 s: fr = .25, bin 200 → 10 bins, the
    // last 5 empty → std of nothing = NaN (SpikeInterface's result).
    expect(amplitudeCv(times, times.map(() => 1), 2000, 1).amplitude_cv_median).toBeNaN();
    expect(amplitudeCv([], [], 1000, 1)).toEqual({ amplitude_cv_median: NaN, amplitude_cv_range: NaN });
  });
});
