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
import { medianInPlace } from './stats';

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
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) return NaN;
  const a = Float64Array.from(values);
  const m = medianInPlace(a);
  // |v − m| over the reordered copy: the median of a set does not depend on its order.
  for (let i = 0; i < a.length; i++) a[i] = Math.abs(a[i] - m);
  return medianInPlace(a) / MAD_TO_SIGMA;
}

/**
 * Noise level (MAD / 0.6745, the recording's unit after gain) of raw-file `columns`, averaged over
 * `numChunks` chunks whose starts are drawn by the project's seeded {@link Rng} (deterministic:
 * SpikeInterface draws them with `seed=None`). Each chunk is high-pass filtered as the
 * waveforms are (the display filter, 150 Hz, with a {@link WAVEFORM_MARGIN} cut on each side),
 * so signal and noise are measured on the same traces.
 */
export function noiseLevels(raw: RawRecording, columns: ArrayLike<number>, opts: Partial<typeof NOISE_DEFAULTS> = {}): Float64Array {
  const est = new NoiseLevels(raw, columns, opts);
  while (!est.step());
  return est.levels();
}

/** Channels per {@link NoiseLevels.step}: one 500 ms chunk of 64 channels is ≈ 20 ms of work. */
const NOISE_STEP_CHANNELS = 64;

/**
 * {@link noiseLevels} in steps of one chunk × ≤ 64 channels, for a caller that must yield between
 * steps (the app computes the noise of every channel of a 384-channel probe on its main thread:
 * 20 chunks × 6 channel groups). The chunk starts are drawn up front, so each channel's level is
 * the same whichever channels are estimated together.
 */
export class NoiseLevels {
  private readonly sums: Float64Array;
  private readonly starts: number[] = [];
  private readonly chunk: number;
  private readonly filter: ReturnType<typeof displayHighpass>;
  /** The current chunk, every column: (chunk + 2 margins, columns.length). */
  private block: Float32Array | null = null;
  private blockOf = -1;
  private group: Float32Array | null = null;
  private cols: Float64Array | null = null;
  private k = 0;
  private g = 0;

  constructor(
    private readonly raw: RawRecording,
    private readonly columns: ArrayLike<number>,
    opts: Partial<typeof NOISE_DEFAULTS> = {},
  ) {
    const { numChunks, chunkSeconds, seed } = { ...NOISE_DEFAULTS, ...opts };
    this.sums = new Float64Array(columns.length);
    this.chunk = Math.max(1, Math.min(Math.floor(chunkSeconds * raw.sampleRate), raw.nSamples));
    this.filter = displayHighpass(raw.sampleRate);
    const rng = new Rng(seed, 0x5e1);
    for (let k = 0; k < numChunks; k++) this.starts.push(rng.int(Math.max(1, raw.nSamples - this.chunk + 1)));
  }

  /** Whether every step is done. */
  get done(): boolean {
    return this.k >= this.starts.length || this.columns.length === 0;
  }

  /** One chunk of one channel group; returns {@link done}. */
  step(): boolean {
    if (this.done) return true;
    const { raw, chunk } = this;
    const nRead = chunk + 2 * WAVEFORM_MARGIN;
    const nAll = this.columns.length;
    // The chunk is read once for every channel (an interleaved file costs the same for one or all
    // columns) and kept for the chunk's other groups.
    if (!this.block || this.blockOf !== this.k) {
      const start = this.starts[this.k];
      this.block = raw.read(start - WAVEFORM_MARGIN, start - WAVEFORM_MARGIN + nRead, this.columns);
      this.blockOf = this.k;
    }
    const g0 = this.g;
    const g1 = Math.min(g0 + NOISE_STEP_CHANNELS, nAll);
    const nCh = g1 - g0;
    const block = this.block;
    const w = (this.group ??= new Float32Array(nRead * NOISE_STEP_CHANNELS)).subarray(0, nRead * nCh);
    for (let i = 0; i < nRead; i++) {
      const o = i * nAll + g0;
      for (let c = 0; c < nCh; c++) w[i * nCh + c] = block[o + c];
    }
    filtfilt(this.filter, w, nRead, nCh);
    // Channel-major copies, row by row (sequential reads of the filtered block), then one MAD each.
    const cols = (this.cols ??= new Float64Array(chunk * NOISE_STEP_CHANNELS));
    const gain = raw.gain;
    for (let i = 0; i < chunk; i++) {
      const o = (WAVEFORM_MARGIN + i) * nCh;
      for (let c = 0; c < nCh; c++) cols[c * chunk + i] = w[o + c] * gain;
    }
    for (let c = 0; c < nCh; c++) this.sums[g0 + c] += robustSigma(cols.subarray(c * chunk, (c + 1) * chunk));
    this.g = g1;
    if (this.g >= nAll) {
      this.g = 0;
      this.k++;
      this.block = null;
    }
    return this.done;
  }

  /** (columns.length,) the levels, once {@link done}. */
  levels(): Float64Array {
    return Float64Array.from(this.sums, (v) => v / this.starts.length);
  }
}
