/**
 * Template-derived facts: unwhitening (`template_w @ whitening_mat_inv`, restricted to the
 * template's channels for sparse templates, as phylib), peak-to-peak amplitude, the peak
 * channel and the best channels (nearest to the peak channel on its shank, phy's rule for dense
 * templates).
 */

/**
 * Unwhitens one template: `data` (nSamples, nLoc) float32 whitened, `channels` (nLoc,) channel
 * indices (-1 = unused), `wmi` (nChannels, nChannels) float64 C order or null (identity).
 * Returns (nSamples, nLoc) float32. Whitened columns that are exactly zero are skipped: Kilosort
 * templates are zero far from the unit, which makes a dense 82 × 384 × 384 product ~10× cheaper.
 */
export function unwhitenTemplate(
  data: Float32Array,
  channels: Int32Array,
  nSamples: number,
  wmi: Float64Array | null,
  nChannels: number,
): Float32Array {
  const nLoc = channels.length;
  if (!wmi) return data.slice();
  const out = new Float32Array(nSamples * nLoc);
  const nonzero: number[] = [];
  for (let c = 0; c < nLoc; c++) {
    if (channels[c] < 0) continue;
    for (let t = 0; t < nSamples; t++) {
      if (data[t * nLoc + c] !== 0) {
        nonzero.push(c);
        break;
      }
    }
  }
  for (let c2 = 0; c2 < nLoc; c2++) {
    const ch2 = channels[c2];
    if (ch2 < 0) continue;
    for (const c of nonzero) {
      const w = wmi[channels[c] * nChannels + ch2];
      if (w === 0) continue;
      for (let t = 0; t < nSamples; t++) out[t * nLoc + c2] += data[t * nLoc + c] * w;
    }
  }
  return out;
}

/** Peak-to-peak amplitude of each column of a (nSamples, nLoc) waveform. */
export function peakToPeak(data: Float32Array, nSamples: number, nLoc: number): Float32Array {
  const out = new Float32Array(nLoc);
  for (let c = 0; c < nLoc; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let t = 0; t < nSamples; t++) {
      const v = data[t * nLoc + c];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    out[c] = nSamples ? hi - lo : 0;
  }
  return out;
}

/** Summary of one (unwhitened) template. */
export interface TemplateInfo {
  /** Channel index of the largest peak-to-peak amplitude (-1 when the template is empty). */
  peakChannel: number;
  /** Peak-to-peak amplitude on the peak channel (unwhitened, unscaled). */
  amplitude: number;
}

/** Peak channel and amplitude of an unwhitened (nSamples, nLoc) template. */
export function templateInfo(unwhitened: Float32Array, channels: Int32Array, nSamples: number): TemplateInfo {
  const ptp = peakToPeak(unwhitened, nSamples, channels.length);
  let best = -1;
  let amp = -Infinity;
  for (let c = 0; c < channels.length; c++) {
    if (channels[c] >= 0 && ptp[c] > amp) {
      amp = ptp[c];
      best = c;
    }
  }
  return best < 0 ? { peakChannel: -1, amplitude: 0 } : { peakChannel: channels[best], amplitude: amp };
}

/**
 * The `n` channels nearest to `peakChannel` on its shank, the peak first (ties by channel
 * index). `positions` (nChannels, 2) µm, `shanks` (nChannels,). When `allowed` is given
 * (sparse templates), only those channels are candidates.
 */
export function bestChannels(
  peakChannel: number,
  positions: Float32Array,
  shanks: Int32Array,
  n: number,
  allowed?: ArrayLike<number>,
): Int32Array {
  const nChannels = shanks.length;
  if (peakChannel < 0 || peakChannel >= nChannels) return new Int32Array(0);
  const px = positions[2 * peakChannel];
  const py = positions[2 * peakChannel + 1];
  const cand: number[] = [];
  if (allowed) {
    for (let k = 0; k < allowed.length; k++) if (allowed[k] >= 0 && shanks[allowed[k]] === shanks[peakChannel]) cand.push(allowed[k]);
    if (!cand.includes(peakChannel)) cand.push(peakChannel);
  } else {
    for (let c = 0; c < nChannels; c++) if (shanks[c] === shanks[peakChannel]) cand.push(c);
  }
  const d2 = (c: number) => (positions[2 * c] - px) ** 2 + (positions[2 * c + 1] - py) ** 2;
  cand.sort((a, b) => (a === peakChannel ? -1 : b === peakChannel ? 1 : d2(a) - d2(b) || a - b));
  return Int32Array.from(cand.slice(0, Math.max(1, n)));
}

/**
 * The template that most spikes of a cluster come from (phy's template of a cluster); `spikeIds`
 * may be a subsample. Returns -1 for no spikes.
 */
export function dominantTemplate(spikeTemplates: ArrayLike<number>, spikeIds: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  let best = -1;
  let bestCount = 0;
  for (let k = 0; k < spikeIds.length; k++) {
    const t = spikeTemplates[spikeIds[k]];
    const c = (counts.get(t) ?? 0) + 1;
    counts.set(t, c);
    if (c > bestCount || (c === bestCount && t < best)) {
      bestCount = c;
      best = t;
    }
  }
  return best;
}

/** Picks columns `cols` (indices into the nLoc columns) of a (nSamples, nLoc) array. */
export function selectColumns(data: Float32Array, nSamples: number, nLoc: number, cols: ArrayLike<number>): Float32Array {
  const m = cols.length;
  const out = new Float32Array(nSamples * m);
  for (let t = 0; t < nSamples; t++) {
    for (let k = 0; k < m; k++) out[t * m + k] = cols[k] >= 0 ? data[t * nLoc + cols[k]] : 0;
  }
  return out;
}
