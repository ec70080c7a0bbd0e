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
  const fs = p.sampleRate;
  const meanPerEvent = 1 + p.burstProbability * ((BURST_EXTRA_MIN + BURST_EXTRA_MAX) / 2);
  const eventRate = p.rate / meanPerEvent;
  const minBurstIsi = Math.max(p.refractorySamples + 1, Math.round(0.003 * fs));
  const maxBurstIsi = Math.round(0.008 * fs);
  // Mean event interval 1/eventRate; the dead time is part of it, the exponential the rest.
  const meanFree = Math.max(1, fs / eventRate - p.refractorySamples);
  let cap = Math.ceil(((last - first) / fs) * p.rate * 1.3) + 64;
  let times = new Uint32Array(cap);
  let rank = new Uint8Array(cap);
  let n = 0;
  const push = (t: number, r: number): void => {
    if (n === cap) {
      cap *= 2;
      const nt = new Uint32Array(cap);
      nt.set(times);
      times = nt;
      const nr = new Uint8Array(cap);
      nr.set(rank);
      rank = nr;
    }
    times[n] = t;
    rank[n] = r;
    n++;
  };
  let t = first + Math.floor(rng.exponential() * meanFree);
  while (t < last) {
    push(t, 0);
    if (p.burstProbability > 0 && rng.chance(p.burstProbability)) {
      const extra = BURST_EXTRA_MIN + rng.int(BURST_EXTRA_MAX - BURST_EXTRA_MIN + 1);
      for (let k = 1; k <= extra; k++) {
        const next = t + minBurstIsi + rng.int(maxBurstIsi - minBurstIsi + 1);
        if (next >= last) break;
        t = next;
        push(t, k);
      }
    }
    t += p.refractorySamples + Math.floor(rng.exponential() * meanFree);
  }
  return { times: times.slice(0, n), burstRank: rank.slice(0, n) };
}
