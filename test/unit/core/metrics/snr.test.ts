import { describe, expect, it } from 'vitest';
import type { RawRecording } from '../../../../src/core/dataset/Dataset';
import { MAD_TO_SIGMA, noiseLevels, robustSigma, snrOfTemplate } from '../../../../src/core/metrics/snr';

/** An in-memory recording: column c holds ±amp[c] alternating every sample (a Nyquist-rate square wave). */
function squareWave(amp: number[], nSamples: number, gain: number): RawRecording {
  return {
    files: [],
    nSamples,
    nChannelsDat: amp.length,
    dtype: 'float32',
    sampleRate: 30000,
    gain,
    unit: 'µV',
    read(start, end, columns) {
      const out = new Float32Array((end - start) * columns.length);
      for (let t = start; t < end; t++) {
        if (t < 0 || t >= nSamples) continue;
        for (let k = 0; k < columns.length; k++) out[(t - start) * columns.length + k] = (t % 2 ? 1 : -1) * amp[columns[k]];
      }
      return out;
    },
  };
}

describe('snr', () => {
  it('is |largest template value| / noise of its channel', () => {
    // (3 samples, 2 channels): largest |value| is −6 on channel 0, noise 2 there → 3.
    expect(snrOfTemplate([0, 1, -6, 2, 1, 0], 2, [2, 1])).toEqual({ snr: 3, channel: 0 });
    // Positive extremum (peak_sign "both"): 5 on channel 1, noise 0.5 → 10.
    expect(snrOfTemplate([0, 5, -1, 2], 2, [2, 0.5])).toEqual({ snr: 10, channel: 1 });
    expect(snrOfTemplate([], 2, [1, 1]).snr).toBeNaN();
    expect(snrOfTemplate([1, 2], 2, [0, 0]).snr).toBeNaN();
  });
  it('robust sigma is MAD / 0.6745', () => {
    // [1, 2, 3, 4, 100]: median 3, |x − 3| = 2, 1, 0, 1, 97 → MAD 1.
    expect(robustSigma([1, 2, 3, 4, 100])).toBeCloseTo(1 / 0.6744897501960817, 12);
    expect(robustSigma([])).toBeNaN();
  });
  it('noise level is MAD / 0.6745 of the filtered traces, times the gain', () => {
    // ±a alternating: the 150 Hz high-pass passes the Nyquist frequency unchanged, median 0,
    // |x − 0| = a everywhere → MAD a → σ = a / 0.6745, × gain 2.
    const raw = squareWave([1, 3], 300_000, 2);
    const lv = noiseLevels(raw, [0, 1]);
    expect(lv[0] / ((2 * 1) / MAD_TO_SIGMA)).toBeCloseTo(1, 2); // within 0.1 % (the filter's gain at Nyquist)
    expect(lv[1] / ((2 * 3) / MAD_TO_SIGMA)).toBeCloseTo(1, 2);
    // Deterministic: the chunks come from a seeded generator.
    expect(Array.from(noiseLevels(raw, [0, 1]))).toEqual(Array.from(lv));
  });
});
