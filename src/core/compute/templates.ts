/**
 * Template-derived facts: unwhitening (`template_w @ whitening_mat_inv`, restricted to the
 * template's channels for sparse templates, as phylib), peak-to-peak amplitude, the peak
 * channel and the best channels (nearest to the peak channel on its shank, phy's rule for dense
 * templates).
 */

/** Row-sparse (n, n) matrix: row r's non-zeros are `values[start[r], start[r + 1])` at columns `cols[…]`. */
export interface SparseRows {
  /** (n + 1,) */
  start: Int32Array;
  cols: Int32Array;
  values: Float64Array;
}

/** The non-zeros of the (n, n) C-order matrix `m`, by row (columns ascending). O(n²) once. */
export function sparseRows(m: ArrayLike<number>, n: number): SparseRows {
  let nnz = 0;
  for (let i = 0; i < n * n; i++) if (m[i] !== 0) nnz++;
  const start = new Int32Array(n + 1);
  const cols = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let p = 0;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const v = m[r * n + c];
      if (v !== 0) {
        cols[p] = c;
        values[p++] = v;
      }
    }
    start[r + 1] = p;
  }
  return { start, cols, values };
}

const rowsCache = new WeakMap<Float64Array, SparseRows>();

/** `sparseRows(wmi, n)`, built once per matrix. */
function cachedRows(wmi: Float64Array, n: number): SparseRows {
  let r = rowsCache.get(wmi);
  if (!r) rowsCache.set(wmi, (r = sparseRows(wmi, n)));
  return r;
}

/**
 * The unwhitening product on chosen slots of a template: `data` (nSamples, nLoc) whitened,
 * `slots` the columns to use and `chans` their channel indices (all ≥ 0). Returns
 * (nSamples, slots.length) float32 with y[s, b] = Σ_a x[s, a] · Winv[chans[a], chans[b]], or the
 * slots copied when there is no `wmi` (identity) or a channel is out of its range. Winv is used
 * row-sparse (its zeros skipped; `rows` = `sparseRows(wmi, nChannels)` when the caller has it):
 * Kilosort's is banded and generated ones are diagonal, so this is O(nS · k · band), not
 * O(nS · k²); each template's rows are its channels' non-zeros mapped to its slots.
 */
export function unwhitenSlots(
  data: ArrayLike<number>,
  nLoc: number,
  slots: ArrayLike<number>,
  chans: Int32Array,
  nSamples: number,
  wmi: Float64Array | null,
  nChannels: number,
  rows?: SparseRows,
): Float32Array {
  const k = slots.length;
  const nS = nSamples;
  const out = new Float32Array(nS * k);
  if (!wmi || !chans.every((c) => c < nChannels)) {
    for (let s = 0; s < nS; s++) for (let a = 0; a < k; a++) out[s * k + a] = data[s * nLoc + slots[a]];
    return out;
  }
  const R = rows ?? cachedRows(wmi, nChannels);
  const slotOf = new Int32Array(nChannels).fill(-1);
  const mult = new Int32Array(nChannels);
  let dup = false;
  for (let a = 0; a < k; a++) {
    const ch = chans[a];
    // A channel listed twice (a malformed template_ind) gets its contribution in every slot.
    if (mult[ch]++ > 0) {
      slotOf[ch] = -2;
      dup = true;
    } else slotOf[ch] = a;
  }
  let total = 0;
  for (let a = 0; a < k; a++) {
    const ch = chans[a];
    if (!dup) total += R.start[ch + 1] - R.start[ch];
    else for (let e = R.start[ch]; e < R.start[ch + 1]; e++) total += mult[R.cols[e]];
  }
  const rowStart = new Int32Array(k + 1);
  const idx = new Int32Array(total);
  const ws = new Float64Array(total);
  let p = 0;
  for (let a = 0; a < k; a++) {
    const ch = chans[a];
    for (let e = R.start[ch]; e < R.start[ch + 1]; e++) {
      const c = R.cols[e];
      const b = slotOf[c];
      if (b >= 0) {
        idx[p] = b;
        ws[p++] = R.values[e];
      } else if (b === -2) {
        for (let bb = 0; bb < k; bb++) {
          if (chans[bb] !== c) continue;
          idx[p] = bb;
          ws[p++] = R.values[e];
        }
      }
    }
    rowStart[a + 1] = p;
  }
  for (let s = 0; s < nS; s++) {
    const o = s * k;
    for (let a = 0; a < k; a++) {
      const x = data[s * nLoc + slots[a]];
      if (x === 0) continue;
      for (let j = rowStart[a]; j < rowStart[a + 1]; j++) out[o + idx[j]] += x * ws[j];
    }
  }
  return out;
}

/**
 * Unwhitens one template: `data` (nSamples, nLoc) float32 whitened, `channels` (nLoc,) channel
 * indices (-1 = unused, left at 0), `wmi` (nChannels, nChannels) float64 C order or null
 * (identity). Returns (nSamples, nLoc) float32 (the {@link unwhitenSlots} product on every used
 * slot: zero columns cost nothing).
 */
export function unwhitenTemplate(
  data: Float32Array,
  channels: Int32Array,
  nSamples: number,
  wmi: Float64Array | null,
  nChannels: number,
  rows?: SparseRows,
): Float32Array {
  const nLoc = channels.length;
  if (!wmi) return data.slice();
  const slots: number[] = [];
  for (let c = 0; c < nLoc; c++) if (channels[c] >= 0) slots.push(c);
  if (slots.length === nLoc) return unwhitenSlots(data, nLoc, slots, channels, nSamples, wmi, nChannels, rows);
  const sub = unwhitenSlots(data, nLoc, slots, Int32Array.from(slots, (c) => channels[c]), nSamples, wmi, nChannels, rows);
  const out = new Float32Array(nSamples * nLoc);
  for (let t = 0; t < nSamples; t++) for (let a = 0; a < slots.length; a++) out[t * nLoc + slots[a]] = sub[t * slots.length + a];
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
