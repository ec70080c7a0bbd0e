/**
 * The raw recording (`recording.dat`, int16, time-major interleaved over `n_channels_dat`),
 * rendered chunk by chunk: Gaussian noise + every spike's source waveform × its true amplitude ×
 * whitening_mat_inv, so phy's raw waveforms agree with the templates and amplitudes.
 *
 * Noise (10–15 a.u. rms per channel) is spatially correlated: each channel mixes its own white
 * noise with its two shank neighbours' (ρ = 0.35) and a common-mode term (4 a.u. rms) shared by
 * all channels; it is white in time (the data looks band-passed; no filter is run). Reference
 * columns carry 3 a.u. of noise; a Neuropixels sync column a 1 Hz square wave on bit 6 (0/64).
 *
 * One random stream per {@link RAW_BLOCK} samples: output does not depend on the chunking, as
 * long as chunks start on a block boundary.
 */
import { normalTable, Rng, Stream } from '../random';
import { lowerBound } from '../search';
import { alphaAt } from './drift';
import { N_TEMPLATE_SAMPLES, TEMPLATE_CENTER } from './waveforms';
import type { GeneratedDataset } from './buildDataset';

/** Samples per random stream (0.1 s at 30 kHz); chunk starts must be multiples of it. */
export const RAW_BLOCK = 3000;
/** Neighbour mixing coefficient of the spatially correlated noise. */
const NEIGHBOUR_RHO = 0.35;
/** Common-mode noise rms, a.u. */
const COMMON_MODE_RMS = 4;
/** Noise rms of reference columns, a.u. */
const REFERENCE_RMS = 3;
/** Sync channel high level (bit 6, as on the Neuropixels SYNC line). */
const SYNC_HIGH = 64;

/** Samples of the raw file for a dataset and a requested length in seconds (clamped to the recording). */
export function rawSampleCount(ds: Pick<GeneratedDataset, 'nSamples' | 'sampleRate'>, seconds: number): number {
  return Math.max(0, Math.min(ds.nSamples, Math.round(seconds * ds.sampleRate)));
}

/**
 * Renders samples `[start, start + n)`: (n, nChannelsDat) int16, C order (the file's layout).
 * `scratch`, if given, must hold at least n × nChannelsDat floats (reused between chunks).
 */
export function rawChunk(ds: GeneratedDataset, start: number, n: number, scratch?: Float32Array): Int16Array {
  if (start % RAW_BLOCK !== 0) throw new RangeError(`raw chunk start ${start} is not a multiple of ${RAW_BLOCK}`);
  const probe = ds.probe;
  const nC = probe.nChannels;
  const nDat = probe.nChannelsDat;
  const total = n * nDat;
  // Spikes are summed into `signal` first; the noise is drawn in the final pass that also
  // rounds to int16, so the noise never makes a round trip through memory.
  const signal = scratch && scratch.length >= total ? scratch.subarray(0, total) : new Float32Array(total);
  signal.fill(0);
  addSpikes(ds, start, n, signal);

  const map = probe.channelMap;
  const table = normalTable();
  // Mixing weights: w is offset by one so w[c], w[c + 1], w[c + 2] are the previous, own and
  // next channel's white noise; a neighbour on another shank (or none) has weight 0.
  const own = new Float32Array(nC);
  const prev = new Float32Array(nC);
  const next = new Float32Array(nC);
  for (let c = 0; c < nC; c++) {
    const hasPrev = probe.previousOnShank[c] >= 0 ? 1 : 0;
    const hasNext = c + 1 < nC && probe.previousOnShank[c + 1] === c ? 1 : 0;
    const sigma = ds.noiseRms[c];
    const ind = Math.sqrt(Math.max(1, sigma * sigma - COMMON_MODE_RMS * COMMON_MODE_RMS));
    own[c] = ind / Math.sqrt(1 + NEIGHBOUR_RHO * NEIGHBOUR_RHO * (hasPrev + hasNext));
    prev[c] = own[c] * NEIGHBOUR_RHO * hasPrev;
    next[c] = own[c] * NEIGHBOUR_RHO * hasNext;
  }
  const extra = probe.extraColumns;
  const sync = probe.extraKind === 'sync';
  const halfPeriod = ds.sampleRate / 2;
  const w = new Float32Array(nC + 3);
  const out = new Int16Array(total);
  let rng = new Rng(ds.seed, Stream.raw, start / RAW_BLOCK);
  for (let r = 0; r < n; r++) {
    const g = start + r;
    if (r !== 0 && g % RAW_BLOCK === 0) rng = new Rng(ds.seed, Stream.raw, g / RAW_BLOCK);
    for (let c = 1; c <= nC; c += 2) {
      const u = rng.nextU32();
      w[c] = table[u & 0xffff];
      w[c + 1] = table[u >>> 16];
    }
    w[nC + 1] = 0;
    const cm = COMMON_MODE_RMS * rng.fastNormal();
    const o = r * nDat;
    for (let c = 0; c < nC; c++) {
      const k = o + map[c];
      let x = own[c] * w[c + 1] + prev[c] * w[c] + next[c] * w[c + 2] + cm + signal[k];
      x = x > 32767 ? 32767 : x < -32768 ? -32768 : x;
      out[k] = Math.floor(x + 0.5);
    }
    for (let e = 0; e < extra.length; e++) {
      const k = o + extra[e];
      out[k] = sync ? (Math.floor(g / halfPeriod) % 2) * SYNC_HIGH : Math.floor(REFERENCE_RMS * rng.fastNormal() + 0.5);
    }
  }
  return out;
}

/** Adds every spike overlapping `[start, start + n)` (a spike at ts covers [ts − 41, ts + 40]) into `signal`. */
function addSpikes(ds: GeneratedDataset, start: number, n: number, signal: Float32Array): void {
  const { times, sources, trueAmplitudes } = ds.spikes;
  const nDat = ds.probe.nChannelsDat;
  const map = ds.probe.channelMap;
  const end = start + n;
  const v = ds.whiteningInv;
  const L = N_TEMPLATE_SAMPLES;
  for (let i = lowerBound(times, Math.max(0, start - (L - TEMPLATE_CENTER - 1))); i < times.length && times[i] - TEMPLATE_CENTER < end; i++) {
    const src = ds.sources[sources[i]];
    const t0 = times[i] - TEMPLATE_CENTER;
    const sLo = Math.max(0, start - t0);
    const sHi = Math.min(L, end - t0);
    const a = trueAmplitudes[i];
    const alpha = src.drifts ? alphaAt(ds.drift, times[i] / ds.sampleRate) : 0;
    const chans = src.w0.channels;
    const d0 = src.w0.data;
    const d1 = src.w1.data;
    for (let k = 0; k < chans.length; k++) {
      const ch = chans[k];
      const gain = a * v[ch];
      const base = k * L;
      let o = (t0 + sLo - start) * nDat + map[ch];
      for (let s = sLo; s < sHi; s++, o += nDat) {
        const x0 = d0[base + s];
        signal[o] += gain * (x0 + alpha * (d1[base + s] - x0));
      }
    }
  }
}
