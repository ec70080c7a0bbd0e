import { describe, expect, it } from 'vitest';
import {
  findPeaks,
  halfWidth,
  peakToValley,
  peakTroughRatio,
  recoverySlope,
  repolarizationSlope,
  resamplePoly,
  templateMetrics,
} from '../../../../src/core/metrics/templateShape';

describe('template shape metrics on hand-made waveforms (no upsampling)', () => {
  // fs = 1 kHz (1 sample = 1 ms). Trough −4 at sample 2, peak 2 at sample 7.
  const t = [0, -3, -4, -3, -2, -1, 1, 2, 1, 0.5, 0, 0];
  it('peak_to_valley and peak_trough_ratio', () => {
    expect(peakToValley(t, 1000)).toBeCloseTo(0.005, 15); // (7 − 2) / 1000
    expect(peakTroughRatio(t)).toBe(-0.5); // 2 / −4
  });
  it('half_width', () => {
    // Threshold −2. Before the trough, first sample < −2 is 1 → 1 − 1 = 0; from the trough, last
    // sample < −2 is 3 → 3 + 1 = 4. (4 − 0) / 1000.
    expect(halfWidth(t, 1000)).toBeCloseTo(0.004, 15);
    // Nothing below the threshold before the trough: NaN.
    expect(halfWidth([0, -4, -1, 1, 0], 1000)).toBeNaN();
  });
  it('repolarization_slope', () => {
    // From the trough (2) to the first sample ≥ 0 (6, excluded): −4, −3, −2, −1 → 1 per sample = 1000 /s.
    expect(repolarizationSlope(t, 1000)).toBeCloseTo(1000, 9);
    // Back to 0 within 2 samples: too short → NaN.
    expect(repolarizationSlope([0, -1, -4, -2, 1, 0], 1000)).toBeNaN();
  });
  it('recovery_slope', () => {
    // 4 ms window from the peak (7): 2, 1, .5, 0 → least squares −0.65 per sample = −650 /s.
    expect(recoverySlope(t, 1000, 4)).toBeCloseTo(-650, 9);
  });
});

describe('find_peaks (SciPy rules)', () => {
  it('plateaus count once, at their middle', () => {
    // scipy.signal.find_peaks([0,1,3,3,3,1,0,2,2,0], height=0)[0] == [3, 7].
    expect(findPeaks([0, 1, 3, 3, 3, 1, 0, 2, 2, 0], 0, 0)).toEqual([3, 7]);
  });
  it('filters by height and by width at half prominence', () => {
    // SciPy 1.17.1: find_peaks(t, height=1, width=0|1) → [2, 9], width=2 → [];
    // find_peaks(−t, height=1, width=0|1|2) → [6].
    const t = [0, 1, 3, 1, 0, -2, -5, -2, 0, 2, 0, 0];
    expect(findPeaks(t, 1, 1)).toEqual([2, 9]);
    expect(findPeaks(t, 1, 2)).toEqual([]);
    expect(findPeaks(t.map((v) => -v), 1, 2)).toEqual([6]);
    expect(findPeaks(t, 2.5, 0)).toEqual([2]);
  });
});

describe('resample_poly', () => {
  it('matches SciPy on a short waveform', () => {
    // scipy.signal.resample_poly([0,-1,-4,-2,1,2,1,.5,0,0], 10, 1): 100 samples; values at
    // 5, 10, 15, 20, 23, 40, 55, 99 printed by SciPy 1.17.1.
    const y = resamplePoly([0, -1, -4, -2, 1, 2, 1, 0.5, 0, 0], 10);
    expect(y.length).toBe(100);
    const want: Array<[number, number]> = [
      [5, -0.04713064990533565],
      [10, -1.0006690049456046],
      [15, -2.7604285710960994],
      [20, -4.002676019782418],
      [23, -3.9811344562122573],
      [40, 1.0006690049456044],
      [55, 1.607176923834526],
      [99, 0.011627479456893889],
    ];
    for (const [i, v] of want) expect(y[i]).toBeCloseTo(v, 9);
  });
});

describe('templateMetrics agrees with SpikeInterface', () => {
  // Values printed by SpikeInterface's own functions (postprocessing/template_metrics.py at
  // e9dedc1, upsampling 10, defaults) with SciPy 1.17.1, on these 30 kHz templates.
  it('a regular spike (trough then a slower positive bump)', () => {
    const t = [
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0, -0.002, -0.016, -0.107, -0.549, -2.179, -6.723, -16.131, -30.104, -43.669, -49.121, -42.534, -27.62, -11.907,
      -0.274, 6.96, 11.575, 14.987, 17.633, 19.383, 20.0, 19.385, 17.65, 15.097, 12.131, 9.157, 6.493, 4.325, 2.707, 1.591, 0.879, 0.456, 0.222, 0.102,
      0.044, 0.018, 0.007, 0.002, 0.001, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    const m = templateMetrics(t, 30000);
    expect(m.peak_to_valley).toBeCloseTo(0.00033666666666666665, 12);
    expect(m.peak_trough_ratio).toBeCloseTo(-0.40730561470862103, 6);
    expect(m.half_width).toBeCloseTo(0.00015333333333333334, 12);
    expect(m.repolarization_slope / 411354.3993255882).toBeCloseTo(1, 6);
    expect(m.recovery_slope / -28306.57141944987).toBeCloseTo(1, 6);
    expect(m.num_positive_peaks).toBe(1);
    expect(m.num_negative_peaks).toBe(1);
  });
  it('a non-physiological shape (two troughs)', () => {
    const t = [
      -0, -0, -0, -0, -0, -0, -0, -0, -0.001, -0.01, -0.116, -0.857, -4.06, -12.333, -24.022, -30.0, -24.022, -12.33, -4.038, -0.746, 0.323, 1.343, 3.246,
      6.065, 8.825, 10.0, 8.825, 6.065, 3.246, 1.345, 0.343, -0.603, -3.362, -10.274, -20.018, -25.0, -20.018, -10.278, -3.383, -0.714, -0.097, -0.008,
      -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0, -0,
    ];
    const m = templateMetrics(t, 30000);
    expect(m.peak_to_valley).toBeCloseTo(0.0003333333333333333, 12);
    expect(m.peak_trough_ratio).toBeCloseTo(-0.3333333333333333, 6);
    expect(m.half_width).toBeCloseTo(0.00078, 12);
    expect(m.repolarization_slope / 230235.72021432314).toBeCloseTo(1, 6);
    expect(m.recovery_slope / -7196.466497439982).toBeCloseTo(1, 6);
    expect(m.num_positive_peaks).toBe(1);
    expect(m.num_negative_peaks).toBe(2);
  });
  it('an empty template gives NaN', () => {
    expect(Number.isNaN(templateMetrics([], 30000).half_width)).toBe(true);
  });
});
