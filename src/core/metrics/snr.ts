/**
 * Signal-to-noise ratio (`spikeinterface/metrics/quality/misc_metrics.py: compute_snrs`, commit
 * a5f7dbb): |template extremum on the main channel| / noise level of that channel, with the
 * SortingAnalyzer's defaults `peak_sign="both"`, `peak_mode="extremum"` (main channel = largest
 * |value| of the template), and noise levels from `core/recording_tools.py: get_noise_levels`
 * (`method="mad"`: per chunk, median |x − median x| / 0.6744897501960817, averaged over 20
 * random chunks of 500 ms — `time_series_tools.py: get_random_sample_slices` defaults).
 */
import type { RawRecording } from '../dataset/Dataset';
import { displayHighpass, filtfilt } from '../compute/filter';
import { WAVEFORM_MARGIN } from '../compute/waveforms';
import { Rng } from '../random';
import { median } from './stats';

/** MAD → σ of a normal distribution (SpikeInterface hard-codes the same constant). */
export const MAD_TO_SIGMA = 0.6744897501960817;

/** Chunks and chunk length of the noise estimate. */
export const NOISE_DEFAULTS = { numChunks: 20, chunkSeconds: 0.5, seed: 0 };

/**
 * `snr` of one template: |value of largest magnitude| / noise[channel of that value].
 * `template` (nSamples, nCh) row-major; `noise` (nCh,) the noise level of each of its channels.
 * NaN for an empty template or a zero noise level.
 */
export function snrOfTemplate(template: ArrayLike<number>, nCh: number, noise: ArrayLike<number>): { snr: number; channel: number } {
  let best = -1;
  let amp = 0;
  for (let i = 0; i < template.length; i++) {
    const v = Math.abs(template[i]);
    if (v > amp || best < 0) {
      amp = v;
      best = i % nCh;
    }
  }
  if (best < 0 || !(noise[best] > 0)) return { snr: NaN, channel: best };
  return { snr: amp / noise[best], channel: best };
}

/** MAD / 0.6745 of `values` (SpikeInterface's noise estimator on one chunk); NaN for no values. */
export function robustSigma(values: ArrayLike<number>): number {
  const m = median(values);
  return median(Float64Array.from(values, (v) => Math.abs(v - m))) / MAD_TO_SIGMA;
}

/**
 * Noise level (MAD / 0.6745, the recording's unit after gain) of raw-file `columns`, averaged over
 * `numChunks` chunks whose starts are drawn by the project's seeded {@link Rng} (deterministic:
 * SpikeInterface draws them with `seed=None`). Each chunk is high-pass filtered as the
 * waveforms are (the display filter, 150 Hz, with a {@link WAVEFORM_MARGIN} cut on each side),
 * so signal and noise are measured on the same traces.
 */
export function noiseLevels(raw: RawRecording, columns: ArrayLike<number>, opts: Partial<typeof NOISE_DEFAULTS> = {}): Float64Array {
  const { numChunks, chunkSeconds, seed } = { ...NOISE_DEFAULTS, ...opts };
  const nCh = columns.length;
  const out = new Float64Array(nCh);
  const chunk = Math.max(1, Math.min(Math.floor(chunkSeconds * raw.sampleRate), raw.nSamples));
  const filter = displayHighpass(raw.sampleRate);
  const rng = new Rng(seed, 0x5e1);
  const col = new Float64Array(chunk);
  for (let k = 0; k < numChunks; k++) {
    const start = rng.int(Math.max(1, raw.nSamples - chunk + 1));
    const nRead = chunk + 2 * WAVEFORM_MARGIN;
    const w = raw.read(start - WAVEFORM_MARGIN, start - WAVEFORM_MARGIN + nRead, columns);
    filtfilt(filter, w, nRead, nCh);
    for (let c = 0; c < nCh; c++) {
      for (let i = 0; i < chunk; i++) col[i] = w[(WAVEFORM_MARGIN + i) * nCh + c] * raw.gain;
      out[c] += robustSigma(col);
    }
  }
  for (let c = 0; c < nCh; c++) out[c] /= numChunks;
  return out;
}
