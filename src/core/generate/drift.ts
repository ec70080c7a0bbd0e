/**
 * Slow probe drift: every unit appears displaced in depth by drift(t) = D·(t/T − ½) +
 * A·sin(2πt/P + φ), a linear creep of `D` µm over the recording plus a wobble (A = D/4,
 * P = T/1.5–T/3). Waveforms are rendered at the two extremes of the drift and interpolated
 * linearly by {@link alphaAt}, which keeps per-spike cost to one multiply-add per sample.
 */
import type { Rng } from '../random';

/** Parameters of the drift of one recording. */
export interface DriftModel {
  /** Linear creep over the whole recording, µm. */
  totalMicrons: number;
  /** Wobble amplitude, µm. */
  wobbleMicrons: number;
  /** Wobble period, s. */
  wobblePeriod: number;
  /** Wobble phase, rad. */
  phase: number;
  /** Recording length, s. */
  duration: number;
  /** Smallest and largest drift over the recording, µm (from 2001 evenly spaced times). */
  min: number;
  max: number;
}

/** Draws a drift of `totalMicrons` µm (sign random) over `duration` s. */
export function makeDrift(rng: Rng, totalMicrons: number, duration: number): DriftModel {
  const d: DriftModel = {
    totalMicrons: totalMicrons * (rng.chance(0.5) ? 1 : -1),
    wobbleMicrons: totalMicrons / 4,
    wobblePeriod: duration / rng.range(1.5, 3),
    phase: rng.range(0, 2 * Math.PI),
    duration,
    min: 0,
    max: 0,
  };
  let mn = Infinity;
  let mx = -Infinity;
  for (let k = 0; k <= 2000; k++) {
    const v = driftAt(d, (k / 2000) * duration);
    mn = Math.min(mn, v);
    mx = Math.max(mx, v);
  }
  d.min = mn;
  d.max = mx;
  return d;
}

/** Depth displacement of the units at time `t` s, µm. */
export function driftAt(d: DriftModel, t: number): number {
  return d.totalMicrons * (t / d.duration - 0.5) + d.wobbleMicrons * Math.sin((2 * Math.PI * t) / d.wobblePeriod + d.phase);
}

/** Position of drift(t) between its extremes: 0 at `min`, 1 at `max` (clamped). */
export function alphaAt(d: DriftModel, t: number): number {
  const span = d.max - d.min;
  if (span <= 0) return 0;
  const a = (driftAt(d, t) - d.min) / span;
  return a < 0 ? 0 : a > 1 ? 1 : a;
}
