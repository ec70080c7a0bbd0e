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
interface Unsorted {
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
): Unsorted {
  const { templates, unitTemplates, idOfPlan, noiseTemplate, pieceOf } = plan;
  let nSpikes = 0;
  for (const p of perSource) nSpikes += p.times.length;
  const out: Unsorted = { times: new Uint32Array(nSpikes), templates: new Uint32Array(nSpikes), fit: new Float32Array(nSpikes), trueAmps: new Float32Array(nSpikes), sources: new Int32Array(nSpikes) };
  const norm2 = templates.map((t) => dotSparse(t.waveform, t.waveform));
  let o = 0;
  for (let s = 0; s < sources.length; s++) {
    const { times, amps } = perSource[s];
    const rng = new Rng(seed, Stream.spikes, s, 1);
    const src = sources[s];
    const u = s < units.length ? units[s] : null;
    // Candidate templates of this source and their fit coefficients at both drift extremes.
    const cand: number[] = u ? unitTemplates[u.id].map((p) => idOfPlan[p]) : [idOfPlan[noiseTemplate[s - units.length]]];
    const leakTo = u && u.role === 'contaminating' ? idOfPlan[unitTemplates[u.partner][0]] : -1;
    if (leakTo >= 0) cand.push(leakTo);
    const c0 = cand.map((t) => dotSparse(src.w0, templates[t].waveform) / norm2[t]);
    const c1 = cand.map((t) => dotSparse(src.w1, templates[t].waveform) / norm2[t]);
    const piece = u ? pieceOf[u.id] : null;
    for (let i = 0; i < times.length; i++, o++) {
      let k = piece ? piece[i] : 0;
      if (leakTo >= 0 && rng.chance(u!.leakFraction)) k = cand.length - 1;
      const alpha = src.drifts ? alphaAt(drift, times[i] / fs) : 0;
      out.times[o] = times[i];
      out.templates[o] = cand[k];
      out.trueAmps[o] = amps[i];
      out.fit[o] = amps[i] * (c0[k] + alpha * (c1[k] - c0[k])) * (1 + 0.03 * rng.normal());
      out.sources[o] = s;
    }
    perSource[s] = { times: new Uint32Array(0), amps: new Float32Array(0) };
  }
  return out;
}

/** Every column sorted by time, with each spike's cluster and ground-truth unit. */
function sortByTime(cols: Unsorted, clusterOfTemplate: Int32Array, nUnits: number): SpikeColumns {
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
