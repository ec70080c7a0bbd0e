/**
 * Per-spike outputs computed chunk by chunk while they are written (never held whole: the
 * Neuropixels preset's `pc_features.npy` is 10 M × 3 × 12 float32 = 1.4 GB).
 *
 * PC features are what Kilosort computes: the projections of the spike's (noisy) whitened
 * waveform on 3 temporal PCs, on the PC-feature channels of the spike's *template*. A spike's
 * waveform is its source's waveform at its drift state × its true amplitude, so over-split
 * clusters overlap, contaminating spikes sit apart, and noise is N(0, featureNoise) per value.
 *
 * Random numbers come from one stream per block of {@link FEATURE_BLOCK} spikes, so output does
 * not depend on how the caller chunks (chunks must start on a block boundary).
 */
import { Rng, Stream } from '../random';
import { alphaAt, driftAt } from './drift';
import { dotSparse } from './waveforms';
import type { DatasetModel, GeneratedDataset, SpikeColumns } from './buildDataset';

/** Spikes per random stream; chunk starts must be multiples of it. */
export const FEATURE_BLOCK = 4096;

/**
 * The per-spike inputs of the chunked outputs for consecutive spikes `[first, first + n)` of
 * the recording: the whole dataset's columns (`first` 0), or one block of the streaming writer
 * (times as numbers: samples past 2^32 are exact).
 */
export interface SpikeBlock extends Pick<SpikeColumns, 'templates' | 'trueAmplitudes' | 'sources'> {
  /** Index of the block's first spike in the recording. */
  first: number;
  /** Samples, absolute. */
  times: ArrayLike<number>;
}

/** A model with its spikes (the in-memory path) or without them (then a {@link SpikeBlock} is passed). */
type Model = DatasetModel & Partial<Pick<GeneratedDataset, 'spikes'>>;

/** The block holding spikes `[start, end)` (global indices), checked. */
function blockOf(ds: Model, start: number, end: number, block: SpikeBlock | undefined): SpikeBlock {
  const b = block ?? (ds.spikes ? { first: 0, ...ds.spikes } : null);
  if (!b) throw new Error('features: a model without spikes needs a spike block');
  if (start % FEATURE_BLOCK !== 0) throw new RangeError(`chunk start ${start} is not a multiple of ${FEATURE_BLOCK}`);
  if (start < b.first || end > b.first + b.times.length || end < start) throw new RangeError(`spikes [${start}, ${end}) out of range`);
  return b;
}

/** PC features of spikes `[start, end)`: (end − start, 3, nPcChannels) float32, C order. */
export function pcFeaturesChunk(ds: Model, start: number, end: number, block?: SpikeBlock): Float32Array {
  const b = blockOf(ds, start, end, block);
  const nLoc = ds.nPcChannels;
  const row = 3 * nLoc;
  const out = new Float32Array((end - start) * row);
  const { times, templates, trueAmplitudes, sources, first } = b;
  const sigma = ds.featureNoise;
  const fs = ds.sampleRate;
  let rng = new Rng(ds.seed, Stream.features, start / FEATURE_BLOCK);
  for (let i = start; i < end; i++) {
    if (i !== start && i % FEATURE_BLOCK === 0) rng = new Rng(ds.seed, Stream.features, i / FEATURE_BLOCK);
    const j = i - first;
    const src = ds.sources[sources[j]];
    const a = trueAmplitudes[j];
    const alpha = src.drifts ? alphaAt(ds.drift, times[j] / fs) : 0;
    const p0 = src.proj0;
    const p1 = src.proj1;
    const ind = templates[j] * nLoc;
    const o = (i - start) * row;
    for (let k = 0; k < nLoc; k++) {
      const c3 = ds.pcFeatureInd[ind + k] * 3;
      for (let pc = 0; pc < 3; pc++) {
        const v0 = p0[c3 + pc];
        out[o + pc * nLoc + k] = a * (v0 + alpha * (p1[c3 + pc] - v0)) + sigma * rng.fastNormal();
      }
    }
  }
  return out;
}

/**
 * Fit coefficients of every source on every template, for template features: (nTemplates, 2)
 * per source, ⟨w0, T⟩/‖T‖² and ⟨w1, T⟩/‖T‖² (zero where they share no channel).
 */
export function templateFeatureCoefficients(ds: Model): Float32Array[] {
  const nT = ds.templates.length;
  const norm2 = ds.templates.map((t) => dotSparse(t.waveform, t.waveform));
  return ds.sources.map((src) => {
    const out = new Float32Array(nT * 2);
    for (let t = 0; t < nT; t++) {
      if (norm2[t] === 0) continue;
      const w = ds.templates[t].waveform;
      out[2 * t] = dotSparse(src.w0, w) / norm2[t];
      out[2 * t + 1] = src.w1 === src.w0 ? out[2 * t] : dotSparse(src.w1, w) / norm2[t];
    }
    return out;
  });
}

/**
 * Template features of spikes `[start, end)`: (end − start, nTemplateFeatures) float32 — the
 * amplitude each spike would have on each template of its template's `template_feature_ind` row.
 */
export function templateFeaturesChunk(ds: Model, coefficients: Float32Array[], start: number, end: number, block?: SpikeBlock): Float32Array {
  const b = blockOf(ds, start, end, block);
  const nTf = ds.nTemplateFeatures;
  const ind = ds.templateFeatureInd;
  const out = new Float32Array((end - start) * nTf);
  if (!ind || nTf === 0) return out;
  const { times, templates, trueAmplitudes, sources, first } = b;
  const fs = ds.sampleRate;
  let rng = new Rng(ds.seed, Stream.templateFeatures, start / FEATURE_BLOCK);
  for (let i = start; i < end; i++) {
    if (i !== start && i % FEATURE_BLOCK === 0) rng = new Rng(ds.seed, Stream.templateFeatures, i / FEATURE_BLOCK);
    const j = i - first;
    const src = ds.sources[sources[j]];
    const coef = coefficients[sources[j]];
    const alpha = src.drifts ? alphaAt(ds.drift, times[j] / fs) : 0;
    const a = trueAmplitudes[j];
    const row = templates[j] * nTf;
    for (let k = 0; k < nTf; k++) {
      const t = ind[row + k];
      const c0 = coef[2 * t];
      out[(i - start) * nTf + k] = a * (c0 + alpha * (coef[2 * t + 1] - c0)) * (1 + 0.03 * rng.fastNormal());
    }
  }
  return out;
}

/**
 * Kilosort 4-style spike positions of `[start, end)`: (end − start, 2) float32 x, y in µm — the
 * source's position moved by the drift, with 2 µm localisation noise (15 µm for noise spikes).
 */
export function spikePositionsChunk(ds: Model, start: number, end: number, block?: SpikeBlock): Float32Array {
  const b = blockOf(ds, start, end, block);
  const out = new Float32Array((end - start) * 2);
  const { times, sources, first } = b;
  const fs = ds.sampleRate;
  let rng = new Rng(ds.seed, Stream.positions, start / FEATURE_BLOCK);
  for (let i = start; i < end; i++) {
    if (i !== start && i % FEATURE_BLOCK === 0) rng = new Rng(ds.seed, Stream.positions, i / FEATURE_BLOCK);
    const j = i - first;
    const src = ds.sources[sources[j]];
    const sd = src.drifts ? 2 : 15;
    const dy = src.drifts ? driftAt(ds.drift, times[j] / fs) : 0;
    out[2 * (i - start)] = src.x + sd * rng.fastNormal();
    out[2 * (i - start) + 1] = src.y + dy + sd * rng.fastNormal();
  }
  return out;
}
