/**
 * Template similarity (`similar_templates.npy`) and the channel/template neighbourhoods of the
 * feature files.
 */
import type { Probe } from './probe';
import { dotSparse, type SparseWaveform } from './waveforms';

/** Lags searched by {@link similarTemplates}, samples either side (±0.27 ms at 30 kHz). */
export const SIMILARITY_MAX_LAG = 8;

/**
 * (n, n) float32 similarity: the maximum over lags |l| ≤ {@link SIMILARITY_MAX_LAG} of the
 * normalised cross-correlation Σ a(t)·b(t+l) / (‖a‖‖b‖) over all channels, floored at 0;
 * diagonal 1. Templates on disjoint channels are 0 without computing anything, which keeps 500
 * Neuropixels templates to about a second.
 */
export function similarTemplates(templates: readonly SparseWaveform[]): Float32Array {
  const n = templates.length;
  const out = new Float32Array(n * n);
  const norms = templates.map((w) => Math.sqrt(dotSparse(w, w)));
  const lo = templates.map((w) => (w.channels.length ? w.channels[0] : 0));
  const hi = templates.map((w) => (w.channels.length ? w.channels[w.channels.length - 1] : -1));
  for (let i = 0; i < n; i++) {
    out[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      if (hi[i] < lo[j] || hi[j] < lo[i] || norms[i] === 0 || norms[j] === 0) continue;
      let best = 0;
      for (let lag = -SIMILARITY_MAX_LAG; lag <= SIMILARITY_MAX_LAG; lag++) {
        const v = dotSparse(templates[i], templates[j], lag);
        if (v > best) best = v;
      }
      const sim = Math.min(1, best / (norms[i] * norms[j]));
      out[i * n + j] = sim;
      out[j * n + i] = sim;
    }
  }
  return out;
}

/** The `count` channels nearest to `channel` (itself first; ties by index), as Kilosort picks PC-feature channels. */
export function nearestChannels(probe: Probe, channel: number, count: number): Uint32Array {
  const x = probe.positions[2 * channel];
  const y = probe.positions[2 * channel + 1];
  const idx = Array.from({ length: probe.nChannels }, (_, c) => c);
  const d = idx.map((c) => Math.hypot(probe.positions[2 * c] - x, probe.positions[2 * c + 1] - y));
  idx.sort((a, b) => d[a] - d[b] || a - b);
  return Uint32Array.from(idx.slice(0, count));
}

/** The `count` templates most similar to `t` (itself first; ties by id), from an (n, n) matrix. */
export function topSimilar(similarity: Float32Array, n: number, t: number, count: number): Uint32Array {
  const idx = Array.from({ length: n }, (_, j) => j);
  const row = (j: number): number => (j === t ? Infinity : similarity[t * n + j]);
  idx.sort((a, b) => row(b) - row(a) || a - b);
  return Uint32Array.from(idx.slice(0, count));
}
