/**
 * Spike waveforms of generated units, in template space (the whitened space of `templates.npy`;
 * raw = template × amplitude × whitening_mat_inv).
 *
 * A unit's waveform is separable per channel: temporal shape × spatial gain. The shape is a
 * biphasic trough (σ 0.07–0.15 ms) followed by a repolarisation peak 0.3–0.8 ms later (so the
 * whole spike lasts ~1.5–2.5 ms), with a small bump before the trough; positive-peak units have
 * it inverted. The spatial gain is a point source seen from the probe plane,
 * g(d) = (1 + (d/λ)²)^−3/2, which falls to ~10 % at 40–90 µm for λ = 18–35 µm. Far channels see
 * a slightly later and broader spike (backpropagation ≈ 1 sample per 30 µm).
 */
import type { Probe } from './probe';
import type { Rng } from '../random';

/** Samples per template (Kilosort's 82). */
export const N_TEMPLATE_SAMPLES = 82;
/** Sample of the spike time within a template (phy extracts `n // 2` samples before). */
export const TEMPLATE_CENTER = 41;
/** Relative gain below which a channel is left out of a unit's waveform (zero in the template). */
export const GAIN_CUTOFF = 0.02;

/** Temporal shape parameters, in samples (30 kHz). */
export interface ShapeParams {
  /** Gaussian σ of the trough. */
  troughWidth: number;
  /** Trough → repolarisation peak delay. */
  peakDelay: number;
  /** Gaussian σ of the repolarisation peak. */
  peakWidth: number;
  /** Repolarisation peak height / trough depth. */
  peakRatio: number;
  /** Height of the small bump before the trough / trough depth. */
  preRatio: number;
  /** −1: negative trough (most units); +1: positive-peak unit. */
  sign: 1 | -1;
  /** Shift of the whole shape, samples (over-split templates differ by a fraction of a sample). */
  timeShift: number;
}

/** Where a unit sits relative to the probe. */
export interface UnitGeometry {
  /** µm, probe coordinates. */
  x: number;
  /** Depth, µm, probe coordinates (same axis as channel y). */
  y: number;
  /** Distance from the probe plane, µm (sets how sharp the footprint is). */
  z: number;
  shank: number;
  /** Spatial decay length λ, µm. */
  lambda: number;
}

/**
 * A waveform on a subset of channels: `data` is (channels.length, 82) float32, channel-major
 * (row k is channel `channels[k]`), channels ascending.
 */
export interface SparseWaveform {
  channels: Int32Array;
  data: Float32Array;
}

/** Draws a physiological shape. `positive` makes a positive-peak unit. */
export function randomShape(rng: Rng, sampleRate: number, positive: boolean): ShapeParams {
  const ms = sampleRate / 1000;
  return {
    troughWidth: rng.range(0.07, 0.15) * ms,
    peakDelay: rng.range(0.3, 0.8) * ms,
    peakWidth: rng.range(0.18, 0.4) * ms,
    peakRatio: rng.range(0.15, 0.5),
    preRatio: rng.range(0, 0.12),
    sign: positive ? 1 : -1,
    timeShift: 0,
  };
}

/**
 * A slightly different shape (similarity to the original ~0.9–0.99): Kilosort's over-split
 * templates of one unit differ like this, and so does a near-twin neighbour's waveform.
 */
export function perturbShape(rng: Rng, sh: ShapeParams): ShapeParams {
  return {
    ...sh,
    timeShift: (rng.chance(0.5) ? 1 : -1) * rng.range(0.2, 0.6),
    troughWidth: sh.troughWidth * rng.range(0.88, 1.12),
    peakDelay: sh.peakDelay * rng.range(0.9, 1.1),
    peakRatio: sh.peakRatio * rng.range(0.75, 1.25),
  };
}

/** Writes the unit-trough-normalised temporal shape into `out` (82 samples) times `scale`. */
export function temporalShape(p: ShapeParams, delay: number, broaden: number, scale: number, out: Float32Array, offset = 0): void {
  const w1 = p.troughWidth * broaden;
  const w2 = p.peakWidth * broaden;
  const d2 = p.peakDelay * broaden;
  const pre = 2.6 * w1;
  for (let s = 0; s < N_TEMPLATE_SAMPLES; s++) {
    const t = s - TEMPLATE_CENTER - delay - p.timeShift;
    const trough = Math.exp(-(t * t) / (2 * w1 * w1));
    const tp = t - d2;
    const peak = p.peakRatio * Math.exp(-(tp * tp) / (2 * w2 * w2));
    const tb = t + pre;
    const bump = p.preRatio * Math.exp(-(tb * tb) / (2 * w1 * w1));
    // Negative units: −trough + peak + bump; positive units mirror it.
    out[offset + s] = scale * -p.sign * (-trough + peak + bump);
  }
}

function gainAt(probe: Probe, g: UnitGeometry, depthShift: number, c: number): { gain: number; lateral: number } {
  if (probe.shanks[c] !== g.shank) return { gain: 0, lateral: Infinity };
  const dx = probe.positions[2 * c] - g.x;
  const dy = probe.positions[2 * c + 1] - (g.y + depthShift);
  const lateral = Math.sqrt(dx * dx + dy * dy);
  const r = Math.sqrt(lateral * lateral + g.z * g.z) / g.lambda;
  return { gain: Math.pow(1 + r * r, -1.5), lateral };
}

/**
 * Channels a unit reaches (relative gain ≥ {@link GAIN_CUTOFF} at any of `depthShifts`) and the
 * gain normaliser (the peak channel's gain at shift 0, so that channel has gain 1).
 */
export function unitFootprint(probe: Probe, g: UnitGeometry, depthShifts: readonly number[]): { channels: Int32Array; norm: number; peakChannel: number } {
  let norm = 0;
  let peakChannel = 0;
  for (let c = 0; c < probe.nChannels; c++) {
    const { gain } = gainAt(probe, g, 0, c);
    if (gain > norm) {
      norm = gain;
      peakChannel = c;
    }
  }
  const chans: number[] = [];
  for (let c = 0; c < probe.nChannels; c++) {
    let best = 0;
    for (const d of depthShifts) best = Math.max(best, gainAt(probe, g, d, c).gain);
    if (best / norm >= GAIN_CUTOFF) chans.push(c);
  }
  return { channels: Int32Array.from(chans), norm, peakChannel };
}

/**
 * Renders a unit on `channels` with the unit displaced by `depthShift` µm: the peak channel
 * (at shift 0) has a trough of `peak` template units.
 */
export function renderUnit(probe: Probe, g: UnitGeometry, shape: ShapeParams, peak: number, depthShift: number, channels: Int32Array, norm: number): SparseWaveform {
  const data = new Float32Array(channels.length * N_TEMPLATE_SAMPLES);
  for (let k = 0; k < channels.length; k++) {
    const { gain, lateral } = gainAt(probe, g, depthShift, channels[k]);
    temporalShape(shape, lateral / 30, 1 + lateral / 250, (peak * gain) / norm, data, k * N_TEMPLATE_SAMPLES);
  }
  return { channels: channels.slice(), data };
}

/** Non-physiological waveform families of noise clusters. */
export type NoiseKind = 'oscillation' | 'step' | 'glitch';

/**
 * A noise-cluster waveform over every channel of `shank`: the same time course on all of them
 * with random gains (no spatial decay — that is what makes it non-physiological).
 */
export function renderNoise(probe: Probe, kind: NoiseKind, shank: number, peak: number, rng: Rng): SparseWaveform {
  const chans: number[] = [];
  for (let c = 0; c < probe.nChannels; c++) if (probe.shanks[c] === shank) chans.push(c);
  const course = new Float32Array(N_TEMPLATE_SAMPLES);
  const period = rng.range(12, 30);
  const phase = rng.range(0, 2 * Math.PI);
  for (let s = 0; s < N_TEMPLATE_SAMPLES; s++) {
    const t = s - TEMPLATE_CENTER;
    if (kind === 'oscillation') {
      const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * s) / (N_TEMPLATE_SAMPLES - 1));
      course[s] = hann * Math.sin((2 * Math.PI * t) / period + phase);
    } else if (kind === 'step') {
      course[s] = t < 0 ? 0 : -Math.exp(-t / 40);
    } else {
      course[s] = t === 0 ? -1 : t === 1 ? 0.6 : t === 2 ? -0.2 : 0;
    }
  }
  let max = 0;
  for (let s = 0; s < N_TEMPLATE_SAMPLES; s++) max = Math.max(max, Math.abs(course[s]));
  const data = new Float32Array(chans.length * N_TEMPLATE_SAMPLES);
  for (let k = 0; k < chans.length; k++) {
    const gain = (peak * rng.range(0.6, 1)) / max;
    for (let s = 0; s < N_TEMPLATE_SAMPLES; s++) data[k * N_TEMPLATE_SAMPLES + s] = gain * course[s];
  }
  return { channels: Int32Array.from(chans), data };
}

/** Σ coef_i × w_i over the union of the channels. */
export function combineSparse(terms: ReadonlyArray<{ w: SparseWaveform; coef: number }>): SparseWaveform {
  const set = new Set<number>();
  for (const { w } of terms) for (const c of w.channels) set.add(c);
  const channels = Int32Array.from([...set].sort((a, b) => a - b));
  const index = new Map<number, number>();
  channels.forEach((c, k) => index.set(c, k));
  const data = new Float32Array(channels.length * N_TEMPLATE_SAMPLES);
  for (const { w, coef } of terms) {
    for (let k = 0; k < w.channels.length; k++) {
      const o = index.get(w.channels[k])! * N_TEMPLATE_SAMPLES;
      const i = k * N_TEMPLATE_SAMPLES;
      for (let s = 0; s < N_TEMPLATE_SAMPLES; s++) data[o + s] += coef * w.data[i + s];
    }
  }
  return { channels, data };
}

/** Σ a·b over the channels both waveforms have, at sample lag `lag` (b shifted right by lag). */
export function dotSparse(a: SparseWaveform, b: SparseWaveform, lag = 0): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  const lo = Math.max(0, lag);
  const hi = Math.min(N_TEMPLATE_SAMPLES, N_TEMPLATE_SAMPLES + lag);
  while (i < a.channels.length && j < b.channels.length) {
    const ca = a.channels[i];
    const cb = b.channels[j];
    if (ca < cb) i++;
    else if (cb < ca) j++;
    else {
      const oa = i * N_TEMPLATE_SAMPLES;
      const ob = j * N_TEMPLATE_SAMPLES - lag;
      for (let s = lo; s < hi; s++) sum += a.data[oa + s] * b.data[ob + s];
      i++;
      j++;
    }
  }
  return sum;
}

/** Peak-to-peak on each of the waveform's channels → the channel with the largest, and that value. */
export function peakChannelOf(w: SparseWaveform): { channel: number; ptp: number } {
  let best = -1;
  let bestPtp = -1;
  for (let k = 0; k < w.channels.length; k++) {
    let mn = Infinity;
    let mx = -Infinity;
    for (let s = 0; s < N_TEMPLATE_SAMPLES; s++) {
      const v = w.data[k * N_TEMPLATE_SAMPLES + s];
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    if (mx - mn > bestPtp) {
      bestPtp = mx - mn;
      best = w.channels[k];
    }
  }
  return { channel: best, ptp: Math.max(0, bestPtp) };
}

/** Writes `w` densely into `out` as (82, nChannels) float32 C order (a `templates.npy` row). */
export function writeDense(w: SparseWaveform, nChannels: number, out: Float32Array, offset = 0): void {
  out.fill(0, offset, offset + N_TEMPLATE_SAMPLES * nChannels);
  for (let k = 0; k < w.channels.length; k++) {
    const c = w.channels[k];
    for (let s = 0; s < N_TEMPLATE_SAMPLES; s++) out[offset + s * nChannels + c] = w.data[k * N_TEMPLATE_SAMPLES + s];
  }
}

/**
 * Three temporal principal components (82 samples each, orthonormal, (3, 82) row-major) of the
 * channel rows of `waveforms`, found by power iteration with deflation on their 82×82 covariance
 * — Kilosort's `wPCA`, from our own units. Signs are fixed so each component's largest-magnitude
 * sample is negative (deterministic).
 */
export function principalComponents(waveforms: readonly SparseWaveform[], maxRows = 4000): Float32Array {
  const n = N_TEMPLATE_SAMPLES;
  const cov = new Float64Array(n * n);
  let rows = 0;
  let total = 0;
  for (const w of waveforms) total += w.channels.length;
  const stride = Math.max(1, Math.floor(total / maxRows));
  let k = 0;
  for (const w of waveforms) {
    for (let r = 0; r < w.channels.length; r++, k++) {
      if (k % stride !== 0) continue;
      const o = r * n;
      for (let a = 0; a < n; a++) {
        const va = w.data[o + a];
        if (va === 0) continue;
        for (let b = 0; b < n; b++) cov[a * n + b] += va * w.data[o + b];
      }
      rows++;
    }
  }
  if (rows === 0) throw new RangeError('principalComponents: no waveform rows');
  const out = new Float32Array(3 * n);
  const v = new Float64Array(n);
  const next = new Float64Array(n);
  for (let pc = 0; pc < 3; pc++) {
    for (let a = 0; a < n; a++) v[a] = 1 + 0.01 * a;
    let lambda = 0;
    for (let it = 0; it < 300; it++) {
      for (let a = 0; a < n; a++) {
        let s = 0;
        for (let b = 0; b < n; b++) s += cov[a * n + b] * v[b];
        next[a] = s;
      }
      let norm = 0;
      for (let a = 0; a < n; a++) norm += next[a] * next[a];
      norm = Math.sqrt(norm);
      if (norm === 0) break;
      for (let a = 0; a < n; a++) v[a] = next[a] / norm;
      lambda = norm;
    }
    let big = 0;
    for (let a = 0; a < n; a++) if (Math.abs(v[a]) > Math.abs(big)) big = v[a];
    const sign = big > 0 ? -1 : 1;
    for (let a = 0; a < n; a++) out[pc * n + a] = sign * v[a];
    // Deflate so the next iteration finds the next component.
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) cov[a * n + b] -= lambda * v[a] * v[b];
  }
  return out;
}

/** Projections of every channel of `w` on the PCs: (nChannels, 3) float32 dense, zeros off the waveform. */
export function projectOnPcs(w: SparseWaveform, pcs: Float32Array, nChannels: number): Float32Array {
  const out = new Float32Array(nChannels * 3);
  for (let k = 0; k < w.channels.length; k++) {
    const c = w.channels[k];
    for (let pc = 0; pc < 3; pc++) {
      let s = 0;
      for (let t = 0; t < N_TEMPLATE_SAMPLES; t++) s += w.data[k * N_TEMPLATE_SAMPLES + t] * pcs[pc * N_TEMPLATE_SAMPLES + t];
      out[c * 3 + pc] = s;
    }
  }
  return out;
}
