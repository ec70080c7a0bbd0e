/**
 * The template of every spike and Kilosort's fitted amplitude for it, then every per-spike
 * column sorted by time.
 */
import { Rng, Stream } from '../random';
import type { SpikeColumns, SpikeSource, TrueUnit } from './buildDataset';
import { alphaAt, type DriftModel } from './drift';
import { argsortUint32 } from '../argsort';
import type { TemplatePlan } from './templatePlans';
import { dotSparse } from './waveforms';

/** The per-spike columns in source order (before the sort by time). */
export interface UnsortedSpikes {
  times: Uint32Array;
  templates: Uint32Array;
  fit: Float32Array;
  trueAmps: Float32Array;
  sources: Int32Array;
}

/**
 * Assigns every spike of every source to a template and fits its amplitude, then sorts all
 * columns by time. Empties `perSource` as it goes (its arrays are no longer needed).
 */
export function assignSpikes(
  seed: number,
  sampleRate: number,
  drift: DriftModel,
  units: TrueUnit[],
  sources: SpikeSource[],
  perSource: { times: Uint32Array; amps: Float32Array }[],
  plan: TemplatePlan,
  onProgress?: (msg: string) => void,
): SpikeColumns {
  onProgress?.('assigning spikes to templates');
  const cols = fitSpikes(seed, sampleRate, drift, units, sources, perSource, plan);
  onProgress?.(`sorting ${cols.times.length} spikes by time`);
  return sortByTime(cols, plan.clusterOfTemplate, units.length);
}

/** Template and fitted amplitude of each spike, source after source. */
function fitSpikes(
  seed: number,
  fs: number,
  drift: DriftModel,
  units: TrueUnit[],
  sources: SpikeSource[],
  perSource: { times: Uint32Array; amps: Float32Array }[],
  plan: TemplatePlan,
): UnsortedSpikes {
  let nSpikes = 0;
  for (const p of perSource) nSpikes += p.times.length;
  const out: UnsortedSpikes = { times: new Uint32Array(nSpikes), templates: new Uint32Array(nSpikes), fit: new Float32Array(nSpikes), trueAmps: new Float32Array(nSpikes), sources: new Int32Array(nSpikes) };
  const norm2 = templateNorms(plan);
  let o = 0;
  for (let s = 0; s < sources.length; s++) {
    const { times, amps } = perSource[s];
    const fitter = new SourceFitter(seed, fs, drift, units, sources, plan, norm2, s);
    for (let i = 0; i < times.length; i++, o++) {
      out.times[o] = times[i];
      out.templates[o] = fitter.fit(times[i], amps[i]);
      out.trueAmps[o] = amps[i];
      out.fit[o] = fitter.amplitude;
      out.sources[o] = s;
    }
    perSource[s] = { times: new Uint32Array(0), amps: new Float32Array(0) };
  }
  return out;
}

/** ‖T‖² of every template (by id), for {@link SourceFitter}. */
export function templateNorms(plan: TemplatePlan): number[] {
  return plan.templates.map((t) => dotSparse(t.waveform, t.waveform));
}

/**
 * Assigns the spikes of one source, in train order, to their template (the unit's piece, or a
 * contaminating unit's leak to its host's template) and fits Kilosort's amplitude:
 * ⟨w, T⟩/‖T‖² at the spike's drift state × its true amplitude × (1 + 3 % noise). Draws from
 * the source's own stream (`Stream.spikes, s, 1`), so the in-memory and streaming writers
 * give the same values.
 */
export class SourceFitter {
  /** Fitted amplitude of the last spike passed to {@link fit}. */
  amplitude = 0;
  private readonly rng: Rng;
  private readonly cand: number[];
  private readonly leakTo: number;
  private readonly leakFraction: number;
  private readonly c0: number[];
  private readonly c1: number[];
  private readonly piece: Uint8Array | null;
  private readonly drifts: boolean;
  /** Spikes fitted so far (index into the unit's piece array). */
  private i = 0;

  constructor(
    seed: number,
    private readonly fs: number,
    private readonly drift: DriftModel,
    units: TrueUnit[],
    sources: SpikeSource[],
    plan: TemplatePlan,
    norm2: readonly number[],
    s: number,
  ) {
    const { templates, unitTemplates, idOfPlan, noiseTemplate, pieceOf } = plan;
    this.rng = new Rng(seed, Stream.spikes, s, 1);
    const src = sources[s];
    const u = s < units.length ? units[s] : null;
    // Candidate templates of this source and their fit coefficients at both drift extremes.
    const cand: number[] = u ? unitTemplates[u.id].map((p) => idOfPlan[p]) : [idOfPlan[noiseTemplate[s - units.length]]];
    this.leakTo = u && u.role === 'contaminating' ? idOfPlan[unitTemplates[u.partner][0]] : -1;
    this.leakFraction = u ? u.leakFraction : 0;
    if (this.leakTo >= 0) cand.push(this.leakTo);
    this.cand = cand;
    this.c0 = cand.map((t) => dotSparse(src.w0, templates[t].waveform) / norm2[t]);
    this.c1 = cand.map((t) => dotSparse(src.w1, templates[t].waveform) / norm2[t]);
    this.piece = u ? pieceOf[u.id] : null;
    this.drifts = src.drifts;
  }

  /** Template id of the source's next spike (at `time` samples, true amplitude `amp`); sets {@link amplitude}. */
  fit(time: number, amp: number): number {
    let k = this.piece ? this.piece[this.i] : 0;
    this.i++;
    if (this.leakTo >= 0 && this.rng.chance(this.leakFraction)) k = this.cand.length - 1;
    const alpha = this.drifts ? alphaAt(this.drift, time / this.fs) : 0;
    this.amplitude = amp * (this.c0[k] + alpha * (this.c1[k] - this.c0[k])) * (1 + 0.03 * this.rng.normal());
    return this.cand[k];
  }
}

/**
 * Every column sorted by time (stable: ties keep source order), with each spike's cluster and
 * ground-truth unit. The streaming writer sorts each time block with it (times relative to the
 * block's start, so they fit in uint32 whatever the recording's length).
 */
export function sortByTime(cols: UnsortedSpikes, clusterOfTemplate: Int32Array, nUnits: number): SpikeColumns {
  const nSpikes = cols.times.length;
  // Gather one column at a time and drop each unsorted column as soon as it is gathered, so the
  // peak is one extra column rather than a second copy of all of them (10 M spikes: −200 MB).
  const order = argsortUint32(cols.times);
  const gather = <A extends Uint32Array | Int32Array | Float32Array>(src: A, dst: A): A => {
    for (let i = 0; i < nSpikes; i++) dst[i] = src[order[i]];
    return dst;
  };
  const times = gather(cols.times, new Uint32Array(nSpikes));
  cols.times = new Uint32Array(0);
  const spikeTemplates = gather(cols.templates, new Uint32Array(nSpikes));
  cols.templates = new Uint32Array(0);
  const amplitudes = gather(cols.fit, new Float32Array(nSpikes));
  cols.fit = new Float32Array(0);
  const trueAmplitudes = gather(cols.trueAmps, new Float32Array(nSpikes));
  cols.trueAmps = new Float32Array(0);
  const spikeSources = gather(cols.sources, new Int32Array(nSpikes));
  cols.sources = new Int32Array(0);
  const spikeClusters = new Int32Array(nSpikes);
  const groundTruthUnits = new Int32Array(nSpikes);
  for (let i = 0; i < nSpikes; i++) {
    spikeClusters[i] = clusterOfTemplate[spikeTemplates[i]];
    groundTruthUnits[i] = spikeSources[i] < nUnits ? spikeSources[i] : -1;
  }
  return { times, templates: spikeTemplates, clusters: spikeClusters, amplitudes, trueAmplitudes, sources: spikeSources, groundTruthUnits };
}
