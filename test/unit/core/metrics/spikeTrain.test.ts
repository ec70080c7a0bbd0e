import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/random';
import { binEdges, firingRange, firingRate, isiViolations, presenceRatio, rpViolations } from '../../../../src/core/metrics/spikeTrain';

describe('firing_rate', () => {
  it('is spikes / duration, NaN without spikes', () => {
    // 10 spikes over 5 s = 2 Hz.
    expect(firingRate(10, 5)).toBe(2);
    expect(firingRate(0, 5)).toBeNaN();
    expect(firingRate(3, 0)).toBeNaN();
  });
});

describe('bin edges', () => {
  it('cover whole bins only', () => {
    // T = 330, bin 60: arange(0, 300 + 1, 60) = 0, 60, …, 300 (the 30-sample tail is left out).
    expect(Array.from(binEdges(330, 60))).toEqual([0, 60, 120, 180, 240, 300]);
    expect(Array.from(binEdges(59, 60))).toEqual([0]);
  });
});

describe('presence_ratio', () => {
  it('is the fraction of 60 s bins with a spike', () => {
    // fs = 1 Hz so 60 s = 60 samples; T = 300: 5 bins. Spikes in bins 0, 1, 4 → 3 / 5.
    expect(presenceRatio([10, 70, 250], 300, 1)).toBeCloseTo(0.6, 12);
    // The last bin is closed: a spike at exactly 300 lands in bin 4.
    expect(presenceRatio([10, 300], 300, 1)).toBeCloseTo(0.4, 12);
    // T = 330: the tail [300, 330) is not a bin, a spike at 320 counts nowhere → 1 / 5.
    expect(presenceRatio([10, 320], 330, 1)).toBeCloseTo(0.2, 12);
  });
  it('is NaN for a recording shorter than a bin or a cluster without spikes', () => {
    expect(presenceRatio([10], 50, 1)).toBeNaN();
    expect(presenceRatio([], 300, 1)).toBeNaN();
  });
});

describe('isi_violations (Hill/UMS)', () => {
  it('counts consecutive ISIs below 1.5 ms and scales by the rate', () => {
    // fs = 1000 Hz (1 sample = 1 ms). ISIs 1, 9, 1, 89 ms → 2 violations. N = 5, T = 10 s:
    // ratio = nv · T / (2 N² · 0.0015) = 2 · 10 / (2 · 25 · 0.0015) = 266.67.
    const r = isiViolations([0, 1, 10, 11, 100], 1000, 10);
    expect(r.isi_violations_count).toBe(2);
    expect(r.isi_violations_ratio).toBeCloseTo(20 / 0.075, 9);
  });
  it('every ISI violating', () => {
    // ISIs 1, 1, 1 ms → 3; N = 4, T = 1 s: 3 · 1 / (2 · 16 · 0.0015) = 62.5.
    const r = isiViolations([0, 1, 2, 3], 1000, 1);
    expect(r.isi_violations_count).toBe(3);
    expect(r.isi_violations_ratio).toBeCloseTo(62.5, 9);
  });
  it('min_isi_ms shortens the violation window', () => {
    // Same as above with min_isi = 0.5 ms: 3 · 1 / (2 · 16 · 0.001) = 93.75.
    expect(isiViolations([0, 1, 2, 3], 1000, 1, { minIsiMs: 0.5 }).isi_violations_ratio).toBeCloseTo(93.75, 9);
  });
  it('empty cluster: NaN and −1; one spike: 0 and 0', () => {
    expect(isiViolations([], 1000, 1)).toEqual({ isi_violations_ratio: NaN, isi_violations_count: -1 });
    expect(isiViolations([5], 1000, 1)).toEqual({ isi_violations_ratio: 0, isi_violations_count: 0 });
  });
});

describe('rp_violations (Llobet)', () => {
  it('counts every pair within the refractory period, ties included', () => {
    // fs = 30 kHz: t_r = round(1 ms · 30000) = 30 samples. Spikes 0, 5, 10 are all within 30 of
    // each other: pairs (0,5), (0,10), (5,10) → 3 violations (ISI violations would count 2).
    expect(rpViolations([0, 5, 10, 100_000], 30000, 300_000).rp_violations).toBe(3);
    // A pair exactly t_r apart counts (diff > t_r breaks, diff = t_r does not).
    expect(rpViolations([0, 30, 61], 30000, 300_000).rp_violations).toBe(1);
  });
  it('computes the contamination from the violation count', () => {
    // 100 spikes every 1000 samples, except spike 50 moved to 10 samples after spike 49:
    // n_v = 1, N = 100, T = 100 000 samples, t_c = 0, t_r = 30:
    // 1 − √(1 − 1 · 100000 / (100² · 30)) = 1 − √(2/3) = 0.183503.
    const t = Array.from({ length: 100 }, (_, k) => k * 1000);
    t[50] = t[49] + 10;
    const r = rpViolations(t, 30000, 100_000);
    expect(r.rp_violations).toBe(1);
    expect(r.rp_contamination).toBeCloseTo(1 - Math.sqrt(2 / 3), 12);
  });
  it('saturates at 1 and is NaN for 0 or 1 spike', () => {
    // 4 spikes 1 sample apart, T = 100, t_r = 1 (fs 1 kHz): n_v = 3; 1 − 3 · 100 / 16 < 0 → 1.
    expect(rpViolations([0, 1, 2, 3], 1000, 100).rp_contamination).toBe(1);
    expect(rpViolations([], 1000, 100)).toEqual({ rp_contamination: NaN, rp_violations: -1 });
    expect(rpViolations([3], 1000, 100)).toEqual({ rp_contamination: NaN, rp_violations: 0 });
  });
});

describe('firing_range', () => {
  it('is the 95th − 5th percentile of the 5 s binned rates', () => {
    // fs = 1, T = 20: bins [0,5) [5,10) [10,15) [15,20] with 0, 1, 2, 5 spikes → rates 0, .2, .4, 1.
    // p95: position .95 · 3 = 2.85 → .4 + .85 · .6 = .91; p5: position .15 → .15 · .2 = .03. → .88.
    const t = [7, 11, 12, 15, 16, 17, 18, 20];
    expect(firingRange(t, 20, 1)).toBeCloseTo(0.88, 12);
  });
  it('is NaN without spikes or for a recording shorter than a bin', () => {
    expect(firingRange([], 20, 1)).toBeNaN();
    expect(firingRange([1], 4, 1)).toBeNaN();
  });
});

describe('refractory metrics on generated trains with known contamination', () => {
  /**
   * A 20 Hz neuron with a 2.5 ms dead time over 1000 s at 30 kHz, plus Poisson spikes making a
   * fraction `c` of the train (drawn with the project's seeded generator).
   */
  function contaminated(c: number, seed: number): Float64Array {
    const fs = 30000;
    const T = 1000;
    const rng = new Rng(seed, 7);
    const t: number[] = [];
    for (let s = 0; ; ) {
      s += 0.0025 + rng.exponential() / (20 / (1 - 20 * 0.0025));
      if (s >= T) break;
      t.push(Math.round(s * fs));
    }
    const nC = Math.round((c / (1 - c)) * t.length);
    for (let k = 0; k < nC; k++) t.push(Math.floor(rng.uniform() * T * fs));
    return Float64Array.from(t).sort();
  }
  it('rp_contamination and isi_violations_ratio recover the contamination', () => {
    for (const c of [0.05, 0.2]) {
      const t = contaminated(c, 11);
      // Llobet's estimate is unbiased for Poisson contamination; ±0.03 over ~20 000 spikes.
      expect(rpViolations(t, 30000, 30_000_000).rp_contamination).toBeGreaterThan(c - 0.03);
      expect(rpViolations(t, 30000, 30_000_000).rp_contamination).toBeLessThan(c + 0.03);
      // Hill's ratio ≈ contaminant rate / total rate for small c (it ignores contaminant pairs).
      expect(isiViolations(t, 30000, 1000).isi_violations_ratio).toBeGreaterThan(c * 0.6);
      expect(isiViolations(t, 30000, 1000).isi_violations_ratio).toBeLessThan(c * 1.4);
    }
    const clean = contaminated(0, 11);
    expect(rpViolations(clean, 30000, 30_000_000).rp_contamination).toBe(0);
    expect(isiViolations(clean, 30000, 1000).isi_violations_count).toBe(0);
  });
});
