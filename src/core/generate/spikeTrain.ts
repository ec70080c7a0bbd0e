/**
 * Spike trains of generated units and noise sources, in integer samples.
 *
 * Units are renewal processes with a dead time: each inter-event interval is the refractory
 * period plus an exponential, so no two spikes of a unit are closer than the refractory period
 * (1.5–2 ms). Bursting units start a burst (2–4 spikes, 3–8 ms apart, amplitude decaying) at a
 * fraction of events. Noise sources are Poisson (no dead time, coincident samples allowed).
 */
import type { Rng } from '../random';

/** Parameters of one train. */
export interface TrainParams {
  /** Mean spike rate including burst spikes, Hz. */
  rate: number;
  /** Dead time, samples; 0 = Poisson. */
  refractorySamples: number;
  /** Probability that an event is a burst (0 for tonic units). */
  burstProbability: number;
  sampleRate: number;
}

/** A spike train: `times` ascending samples, `burstRank` 0 for an event's first spike, k for its k-th follower. */
export interface SpikeTrain {
  times: Uint32Array;
  burstRank: Uint8Array;
}

/** Extra spikes of a burst: 1–3, mean 2. */
const BURST_EXTRA_MIN = 1;
const BURST_EXTRA_MAX = 3;

/**
 * Draws a train over samples `[first, last)` (callers keep a template's half-width of margin at
 * both ends so every waveform fits in the recording).
 */
export function spikeTrain(rng: Rng, p: TrainParams, first: number, last: number): SpikeTrain {
  const gen = new SpikeTrainGenerator(rng, p, first, last);
  let cap = Math.ceil(((last - first) / p.sampleRate) * p.rate * 1.3) + 64;
  let times = new Uint32Array(cap);
  let rank = new Uint8Array(cap);
  let n = 0;
  while (gen.next()) {
    if (n === cap) {
      cap *= 2;
      const nt = new Uint32Array(cap);
      nt.set(times);
      times = nt;
      const nr = new Uint8Array(cap);
      nr.set(rank);
      rank = nr;
    }
    times[n] = gen.time;
    rank[n] = gen.burstRank;
    n++;
  }
  return { times: times.slice(0, n), burstRank: rank.slice(0, n) };
}

/**
 * The spikes of one train, one at a time, in time order: {@link spikeTrain} drains it whole; the
 * streaming writer (chronic preset) advances one generator per source block by block, so no
 * train is ever held. Same draws in the same order as a whole train: the same `rng` gives the
 * same spikes either way. Times are plain numbers (exact to 2^53 samples), so recordings past
 * 2^32 samples work.
 */
export class SpikeTrainGenerator {
  /** Time of the current spike, samples (valid after {@link next} returned true). */
  time = -1;
  /** 0 for an event's first spike, k for its k-th burst follower. */
  burstRank = 0;
  private readonly meanFree: number;
  private readonly minBurstIsi: number;
  private readonly maxBurstIsi: number;
  /** Start of the next event (before its burst), samples. */
  private t: number;
  /** Burst followers still to draw after the current spike. */
  private burstLeft = 0;
  private started = false;

  constructor(
    readonly rng: Rng,
    private readonly p: TrainParams,
    first: number,
    private readonly last: number,
  ) {
    const fs = p.sampleRate;
    const meanPerEvent = 1 + p.burstProbability * ((BURST_EXTRA_MIN + BURST_EXTRA_MAX) / 2);
    const eventRate = p.rate / meanPerEvent;
    this.minBurstIsi = Math.max(p.refractorySamples + 1, Math.round(0.003 * fs));
    this.maxBurstIsi = Math.round(0.008 * fs);
    // Mean event interval 1/eventRate; the dead time is part of it, the exponential the rest.
    this.meanFree = Math.max(1, fs / eventRate - p.refractorySamples);
    this.t = first + Math.floor(rng.exponential() * this.meanFree);
  }

  /** Advances to the next spike; false when the train has ended (before `last`). */
  next(): boolean {
    const { rng, p } = this;
    while (this.burstLeft > 0) {
      this.burstLeft--;
      const t = this.time + this.minBurstIsi + rng.int(this.maxBurstIsi - this.minBurstIsi + 1);
      if (t >= this.last) {
        this.burstLeft = 0;
        break;
      }
      this.time = t;
      this.burstRank++;
      return true;
    }
    if (this.started) this.t = this.time + p.refractorySamples + Math.floor(rng.exponential() * this.meanFree);
    this.started = true;
    if (this.t >= this.last) {
      this.started = false;
      this.t = Infinity;
      return false;
    }
    this.time = this.t;
    this.burstRank = 0;
    if (p.burstProbability > 0 && rng.chance(p.burstProbability)) this.burstLeft = BURST_EXTRA_MIN + rng.int(BURST_EXTRA_MAX - BURST_EXTRA_MIN + 1);
    return true;
  }
}

