/**
 * Evidence from the clusters' templates: waveform similarity with a lag search, and the distance
 * between the units' locations. Both are cheap (a few thousand multiply-adds per pair), so every
 * candidate pair gets them.
 */

/** A cluster's mean unwhitened template on some channels. */
export interface ClusterTemplate {
  /** (k,) channel indices, ascending. */
  channels: Int32Array;
  /** (nSamples, k) float32, C order (sample-major, as `UnwhitenedTemplate`). */
  data: Float32Array;
  nSamples: number;
}

/** Lags searched by {@link templateSimilarity}, samples either side: ±0.17 ms at 30 kHz. */
export const TEMPLATE_MAX_LAG = 5;

/** Result of {@link templateSimilarity}. */
export interface TemplateSimilarity {
  /** Max over lags of the normalised cross-correlation, −1…1. */
  similarity: number;
  /** The lag reaching it, samples: b is shifted by `lag` (b(t + lag) matches a(t)). */
  lag: number;
}

function norm(t: ClusterTemplate): number {
  let s = 0;
  for (let i = 0; i < t.data.length; i++) s += t.data[i] * t.data[i];
  return Math.sqrt(s);
}

/**
 * Normalised cross-correlation of two templates on their shared channels,
 * max over |lag| ≤ `maxLag` of Σ_shared Σ_t a(t, ch) · b(t + lag, ch) / (‖a‖ ‖b‖), the norms
 * taken over each template's own channels. Dividing by the full norms (not the shared part's)
 * is why two units that only touch on a few weak channels score low: the shared channels must
 * hold most of both waveforms' energy for the score to approach 1. Ties between lags go to the
 * smallest |lag| (then the negative one). Null when the templates share no channel or one is
 * all zeros.
 */
export function templateSimilarity(a: ClusterTemplate, b: ClusterTemplate, maxLag = TEMPLATE_MAX_LAG): TemplateSimilarity | null {
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.channels.length && j < b.channels.length) {
    if (a.channels[i] === b.channels[j]) pairs.push([i++, j++]);
    else if (a.channels[i] < b.channels[j]) i++;
    else j++;
  }
  const na = norm(a);
  const nb = norm(b);
  if (!pairs.length || na === 0 || nb === 0) return null;
  const n = Math.min(a.nSamples, b.nSamples);
  const ka = a.channels.length;
  const kb = b.channels.length;
  let best: TemplateSimilarity = { similarity: -Infinity, lag: 0 };
  const lags = [0];
  for (let l = 1; l <= maxLag; l++) lags.push(-l, l);
  for (const lag of lags) {
    let s = 0;
    const t0 = Math.max(0, -lag);
    const t1 = Math.min(n, n - lag);
    for (const [ia, ib] of pairs) for (let t = t0; t < t1; t++) s += a.data[t * ka + ia] * b.data[(t + lag) * kb + ib];
    const v = s / (na * nb);
    if (v > best.similarity) best = { similarity: v, lag };
  }
  return best;
}

/** Euclidean distance between two locations, µm; NaN when either is unknown. */
export function locationDistance(a: { x: number; y: number }, b: { x: number; y: number }): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}
