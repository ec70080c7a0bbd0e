/**
 * The spike sources of the generator (true units, then noise sources) with their waveforms at
 * both drift extremes, and the spike train and true amplitude of every source.
 */
import { Rng, Stream } from '../random';
import type { SpikeSource, TrueUnit } from './buildDataset';
import type { DriftModel } from './drift';
import type { PresetSpec } from './presets';
import type { Probe } from './probe';
import { spikeTrain, type TrainParams } from './spikeTrain';
import { N_TEMPLATE_SAMPLES, peakChannelOf, renderNoise, renderUnit, unitFootprint, type NoiseKind } from './waveforms';

/** Scale of noise-source waveforms (their spikes' amplitudes are log-normal around it). */
const NOISE_AMPLITUDE = 15;

/** Spike-time margin from both ends of the recording, samples (a whole template fits). */
const EDGE_MARGIN = N_TEMPLATE_SAMPLES;

/** A unit's channels and footprint norm (from {@link unitFootprint}), by unit id. */
export type Footprint = { channels: Int32Array; norm: number };

/**
 * Renders every source: units (index = unit id; sets each unit's `peakChannel`) then
 * `nNoise` noise sources.
 */
export function renderSources(spec: PresetSpec, seed: number, probe: Probe, drift: DriftModel, units: TrueUnit[], nNoise: number): { sources: SpikeSource[]; footprints: Footprint[] } {
  const shifts = [drift.min, drift.max, 0];
  const sources: SpikeSource[] = [];
  const footprints: { channels: Int32Array; norm: number }[] = [];
  for (const u of units) {
    const fp = unitFootprint(probe, u.geometry, shifts);
    u.peakChannel = fp.peakChannel;
    footprints.push(fp);
    const peak = u.rawPeak / u.amplitude;
    const w0 = renderUnit(probe, u.geometry, u.shape, peak, drift.min, fp.channels, fp.norm);
    const w1 = renderUnit(probe, u.geometry, u.shape, peak, drift.max, fp.channels, fp.norm);
    sources.push({ kind: 'unit', unit: u.id, noiseKind: null, w0, w1, proj0: new Float32Array(0), proj1: new Float32Array(0), x: u.geometry.x, y: u.geometry.y, drifts: true });
  }
  const nrng = new Rng(seed, Stream.noise);
  const NOISE_KINDS: NoiseKind[] = ['oscillation', 'step', 'glitch'];
  for (let k = 0; k < nNoise; k++) {
    const kind = NOISE_KINDS[k % NOISE_KINDS.length];
    const shank = nrng.int(spec.nShanks);
    const w = renderNoise(probe, kind, shank, nrng.range(15, 35) / NOISE_AMPLITUDE, nrng);
    const pc = peakChannelOf(w).channel;
    sources.push({ kind: 'noise', unit: -1, noiseKind: kind, w0: w, w1: w, proj0: new Float32Array(0), proj1: new Float32Array(0), x: probe.positions[2 * pc], y: probe.positions[2 * pc + 1], drifts: false });
  }

  return { sources, footprints };
}

/** The spike times (samples) and true amplitudes of every source, in source order. */
export function drawSpikeTrains(spec: PresetSpec, seed: number, nSamples: number, units: TrueUnit[], sources: SpikeSource[], noiseRates: number[]): { times: Uint32Array; amps: Float32Array }[] {
  const perSource: { times: Uint32Array; amps: Float32Array }[] = [];
  for (let s = 0; s < sources.length; s++) {
    const rng = new Rng(seed, Stream.spikes, s);
    const train = spikeTrain(rng, sourceTrainParams(spec, units, noiseRates, s), EDGE_MARGIN, nSamples - EDGE_MARGIN);
    // The amplitudes draw from the same stream, after the whole train.
    const amps = new Float32Array(train.times.length);
    for (let i = 0; i < amps.length; i++) amps[i] = spikeAmplitude(spec, units, s, train.times[i], train.burstRank[i], rng);
    perSource.push({ times: train.times, amps });
  }
  return perSource;
}

/** The spike-time range of every train, samples: `[first, last)` (a whole template fits). */
export function trainRange(nSamples: number): { first: number; last: number } {
  return { first: EDGE_MARGIN, last: nSamples - EDGE_MARGIN };
}

/** Train parameters of source `s` (a unit, or a Poisson noise source after the units). */
export function sourceTrainParams(spec: PresetSpec, units: TrueUnit[], noiseRates: number[], s: number): TrainParams {
  const fs = spec.sampleRate;
  if (s < units.length) {
    const u = units[s];
    return { rate: u.rate, refractorySamples: u.refractorySamples, burstProbability: u.burstProbability, sampleRate: fs };
  }
  return { rate: noiseRates[s - units.length], refractorySamples: 0, burstProbability: 0, sampleRate: fs };
}

/**
 * True amplitude of a spike of source `s` at `time` samples: a unit's mean × slow change ×
 * wobble × jitter × 0.85 per burst rank; a noise source's log-normal around {@link NOISE_AMPLITUDE}.
 * Draws one normal from `rng` (the source's stream, after its train).
 */
export function spikeAmplitude(spec: PresetSpec, units: TrueUnit[], s: number, time: number, burstRank: number, rng: Rng): number {
  if (s >= units.length) return NOISE_AMPLITUDE * Math.exp(0.35 * rng.normal());
  const u = units[s];
  const T = spec.duration;
  const t = time / spec.sampleRate;
  const slow = 1 + u.ampSlope * (t / T - 0.5) + u.ampWobble * Math.sin((2 * Math.PI * t) / u.ampPeriod + u.ampPhase);
  const jit = Math.max(0.3, 1 + u.jitter * rng.normal());
  return u.amplitude * slow * jit * Math.pow(0.85, burstRank);
}
