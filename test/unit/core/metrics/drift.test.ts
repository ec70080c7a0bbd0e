import { describe, expect, it } from 'vitest';
import { driftMetrics } from '../../../../src/core/metrics/drift';

/** 100 spikes per 60 s interval (fs = 1 Hz), interval k at depth ys[k]. */
function train(ys: number[], perBin = 100): { t: number[]; y: number[] } {
  const t: number[] = [];
  const y: number[] = [];
  ys.forEach((v, b) => {
    for (let j = 0; j < perBin; j++) {
      t.push(b * 60 + j * 0.5);
      y.push(v);
    }
  });
  return { t, y };
}

describe('drift_ptp / drift_std / drift_mad', () => {
  it('measure the interval medians against the overall median', () => {
    // Depths 10, 12, 20 in three intervals: overall median 12 → drifts −2, 0, 8.
    // ptp 10; std √(((−2−2)² + (0−2)² + (8−2)²) / 3) = √(56 / 3); mad: median 0, |d| 2, 0, 8 → 2.
    const { t, y } = train([10, 12, 20]);
    const r = driftMetrics(t, y, 180, 1);
    expect(r.drift_ptp).toBeCloseTo(10, 12);
    expect(r.drift_std).toBeCloseTo(Math.sqrt(56 / 3), 12);
    expect(r.drift_mad).toBeCloseTo(2, 12);
  });
  it('ignores intervals with fewer than 100 spikes, NaN when more than half are', () => {
    // Intervals 0 and 2 have 100 spikes, interval 1 only 50 (NaN): drifts of 10 and 20 against
    // the median of all 250 positions (15 is not a position: sorted 100×10, 50×15, 100×20 →
    // 125th/126th = 15) → −5, 5: ptp 10, std 5.
    const a = train([10]);
    const b = train([15], 50);
    const c = train([20]);
    const t = [...a.t, ...b.t.map((v) => v + 60), ...c.t.map((v) => v + 120)];
    const y = [...a.y, ...b.y, ...c.y];
    const r = driftMetrics(t, y, 180, 1);
    expect(r.drift_ptp).toBeCloseTo(10, 12);
    expect(r.drift_std).toBeCloseTo(5, 12);
    // Two of three intervals empty: 2 > 0.5 · 3 → NaN.
    expect(driftMetrics(a.t, a.y, 180, 1).drift_ptp).toBeNaN();
  });
  it('is NaN for a recording with fewer than 2 intervals', () => {
    const { t, y } = train([10]);
    expect(driftMetrics(t, y, 100, 1)).toEqual({ drift_ptp: NaN, drift_std: NaN, drift_mad: NaN });
  });
});
