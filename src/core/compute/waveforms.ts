/**
 * Waveform extraction from a raw recording: for each spike, a window of `nSamples` samples
 * starting `nBefore` samples before the spike, on the given channels; each window is read with a
 * margin on both sides, high-pass filtered forward-backward (or, unfiltered, median-subtracted
 * per channel — the high-pass already removes that offset), then the margin is cut (so the filter's edge transients fall outside the
 * window). Values are multiplied by the recording's gain (µV when known).
 */
import type { RawRecording } from '../dataset/Dataset';
import { filtfilt, type FilterCoefficients } from './filter';
import { peakToPeak } from './templates';
import { subtractColumnMedians } from './traces';

/** Samples read on each side of a waveform window before filtering: 3.3 ms at 30 kHz, > 3 time constants of a 150 Hz high-pass. */
export const WAVEFORM_MARGIN = 100;

export interface ExtractOptions {
  /** Samples per waveform. */
  nSamples: number;
  /** Samples before the spike time. */
  nBefore: number;
  /** High-pass filter, or null for raw (median-subtracted) data. */
  filter: FilterCoefficients | null;
  /** Margin samples (default {@link WAVEFORM_MARGIN}). */
  margin?: number;
  /** Called between spikes; throw to stop. */
  onSpike?: () => void;
}

/**
 * Waveforms of `spikeIds` on raw-file `columns`: (nSpikes, nSamples, nCh) float32 in the
 * recording's unit. `spikeTimes` in samples.
 */
export function extractWaveforms(
  raw: RawRecording,
  spikeTimes: ArrayLike<number>,
  spikeIds: ArrayLike<number>,
  columns: ArrayLike<number>,
  opts: ExtractOptions,
): Float32Array {
  const nCh = columns.length;
  const { nSamples, nBefore } = opts;
  const margin = opts.margin ?? WAVEFORM_MARGIN;
  const out = new Float32Array(spikeIds.length * nSamples * nCh);
  const gain = raw.gain;
  const nRead = nSamples + 2 * margin;
  for (let k = 0; k < spikeIds.length; k++) {
    opts.onSpike?.();
    const t = Math.round(spikeTimes[spikeIds[k]]);
    const start = t - nBefore - margin;
    const w = raw.read(start, start + nRead, columns);
    // Filtered: the high-pass removes each channel's offset exactly (filtfilt is linear and its
    // response to a constant is zero), so the median is subtracted only for raw windows.
    if (opts.filter) filtfilt(opts.filter, w, nRead, nCh);
    else subtractColumnMedians(w, nRead, nCh);
    const o = k * nSamples * nCh;
    for (let i = 0; i < nSamples * nCh; i++) out[o + i] = w[margin * nCh + i] * gain;
  }
  return out;
}

/** Mean over spikes of (nSpikes, nSamples, nCh) waveforms: (nSamples, nCh). */
export function meanWaveform(data: Float32Array, nSpikes: number, nSamples: number, nCh: number): Float32Array {
  const m = nSamples * nCh;
  const out = new Float32Array(m);
  if (nSpikes === 0) return out;
  const acc = new Float64Array(m);
  for (let k = 0; k < nSpikes; k++) for (let i = 0; i < m; i++) acc[i] += data[k * m + i];
  for (let i = 0; i < m; i++) out[i] = acc[i] / nSpikes;
  return out;
}

/** Peak-to-peak amplitude of each spike's waveform on one channel: (nSpikes,) from (nSpikes, nSamples, 1). */
export function waveformAmplitudes(data: Float32Array, nSpikes: number, nSamples: number): Float32Array {
  const out = new Float32Array(nSpikes);
  for (let k = 0; k < nSpikes; k++) out[k] = peakToPeak(data.subarray(k * nSamples, (k + 1) * nSamples), nSamples, 1)[0];
  return out;
}
