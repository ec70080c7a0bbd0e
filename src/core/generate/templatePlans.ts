/**
 * The templates a sorter would have made from the generator's sources: one per clean unit, one
 * per piece of an over-split unit, one per merged pair and multi-unit cluster, one per noise
 * source, plus unused "ghosts"; then shuffled into template ids, with their cluster ids.
 */
import type { Rng } from '../random';
import type { SpikeSource, TemplateInfo, TrueUnit } from './buildDataset';
import { alphaAt, type DriftModel } from './drift';
import type { PresetSpec } from './presets';
import type { Probe } from './probe';
import type { Footprint } from './sources';
import { combineSparse, peakChannelOf, perturbShape, renderUnit, unitFootprint, type SparseWaveform } from './waveforms';

/** A template before its id is known. */
type Plan = Omit<TemplateInfo, 'id' | 'peakChannel' | 'ptp'>;

/** What {@link planTemplates} works from. */
export interface TemplateInputs {
  spec: PresetSpec;
  probe: Probe;
  drift: DriftModel;
  units: TrueUnit[];
  muaMembers: number[][];
  /** Units (index = unit id) then noise sources. */
  sources: SpikeSource[];
  footprints: Footprint[];
  /** Spikes of each source. */
  counts: ArrayLike<number>;
  /**
   * Spike times (samples) and true amplitudes of each source; only over-split units' are read
   * (null elsewhere is allowed: the streaming writer keeps no other train).
   */
  perSource: ({ times: ArrayLike<number>; amps: Float32Array } | null)[];
  /** `Stream.templates`: the shape perturbations, the ghosts and the id shuffle. */
  trng: Rng;
}

/** The templates by id, and which logical template each unit's spikes go to. */
export interface TemplatePlan {
  /** By template id. */
  templates: TemplateInfo[];
  /** Cluster id of each template id (−1 for unused templates). */
  clusterOfTemplate: Int32Array;
  /** Template id of each logical template (plan index). */
  idOfPlan: Int32Array;
  /** Logical template(s) of each unit: one, or one per piece. */
  unitTemplates: number[][];
  /** Piece of each spike of split units (by time or amplitude), else null. */
  pieceOf: (Uint8Array | null)[];
  /** Logical template of each noise source. */
  noiseTemplate: number[];
}

/** The state of the planning walk. */
interface Planner extends TemplateInputs {
  plans: Plan[];
  unitTemplates: number[][];
  pieceOf: (Uint8Array | null)[];
  /** Logical template of each multi-unit cluster, once made. */
  muaTemplate: number[];
}

/** Plans, numbers and clusters the templates of the sources. */
export function planTemplates(inputs: TemplateInputs): TemplatePlan {
  const { units, spec, sources } = inputs;
  const p: Planner = { ...inputs, plans: [], unitTemplates: units.map(() => []), pieceOf: units.map(() => null), muaTemplate: [] };
  for (const u of units) planUnit(p, u);
  const noiseTemplate: number[] = [];
  for (let k = 0; k < spec.nNoise; k++) {
    noiseTemplate.push(p.plans.length);
    p.plans.push({ kind: 'noise', units: [], noise: k, waveform: sources[units.length + k].w0 });
  }
  planGhosts(p);
  const { templates, idOfPlan } = numberTemplates(p.plans, p.trng);
  const clusterOfTemplate = clustersOfTemplates(templates, units, p.unitTemplates, idOfPlan);
  return { templates, clusterOfTemplate, idOfPlan, unitTemplates: p.unitTemplates, pieceOf: p.pieceOf, noiseTemplate };
}

/** The template(s) of one unit, by its role. */
function planUnit(p: Planner, u: TrueUnit): void {
  switch (u.role) {
    case 'single':
    case 'distractor':
    case 'contaminated':
    case 'contaminating':
      p.unitTemplates[u.id].push(p.plans.length);
      p.plans.push({ kind: 'unit', units: [u.id], noise: -1, waveform: midWave(p, u.id) });
      break;
    case 'overSplitTime':
    case 'autoMerged':
    case 'overSplitAmplitude':
      planPieces(p, u);
      break;
    case 'merged':
      if (u.id < u.partner) planMergedPair(p, u, p.units[u.partner]);
      break;
    case 'mua':
      planMua(p, u);
      break;
  }
}

/** A unit's waveform halfway through the drift. */
function midWave(p: Planner, u: number): SparseWaveform {
  return combineSparse([
    { w: p.sources[u].w0, coef: 0.5 },
    { w: p.sources[u].w1, coef: 0.5 },
  ]);
}

/** The piece of each spike of a split unit: by amplitude quantiles, or before/after `splitTime`. */
function splitPieces(u: TrueUnit, times: ArrayLike<number>, amps: Float32Array, fs: number): Uint8Array {
  const piece = new Uint8Array(times.length);
  if (u.role === 'overSplitAmplitude') {
    const sorted = Float32Array.from(amps).sort();
    const qs = u.pieces === 3 ? [0.33, 0.7] : [0.5];
    const thr = qs.map((q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
    for (let i = 0; i < times.length; i++) {
      let k = 0;
      while (k < thr.length && amps[i] >= thr[k]) k++;
      piece[i] = k;
    }
  } else {
    const split = u.splitTime * fs;
    for (let i = 0; i < times.length; i++) piece[i] = times[i] < split ? 0 : 1;
  }
  return piece;
}

/** One template per piece of an over-split unit, at the mean amplitude and drift of its spikes. */
function planPieces(p: Planner, u: TrueUnit): void {
  const train = p.perSource[u.id];
  if (!train) throw new Error(`planTemplates: the spike train of over-split unit ${u.id} is missing`);
  const { times, amps } = train;
  const { drift, probe } = p;
  const fs = p.spec.sampleRate;
  const piece = splitPieces(u, times, amps, fs);
  p.pieceOf[u.id] = piece;
  for (let k = 0; k < u.pieces; k++) {
    let n = 0;
    let sa = 0;
    let sAlpha = 0;
    for (let i = 0; i < times.length; i++) {
      if (piece[i] !== k) continue;
      n++;
      sa += amps[i];
      sAlpha += alphaAt(drift, times[i] / fs);
    }
    const gain = n > 0 ? sa / n / u.amplitude : 1;
    const alpha = n > 0 ? sAlpha / n : 0.5;
    const fp = p.footprints[u.id];
    const w = renderUnit(probe, u.geometry, perturbShape(p.trng, u.shape), (u.rawPeak / u.amplitude) * gain, drift.min + alpha * (drift.max - drift.min), fp.channels, fp.norm);
    p.unitTemplates[u.id].push(p.plans.length);
    p.plans.push({ kind: 'overSplit', units: [u.id], noise: -1, waveform: w });
  }
}

/** One template for two merged units, weighted by their spike counts and amplitudes. */
function planMergedPair(p: Planner, u: TrueUnit, b: TrueUnit): void {
  const na = p.counts[u.id];
  const nb = p.counts[b.id];
  const meanAmp = (na * u.amplitude + nb * b.amplitude) / Math.max(1, na + nb);
  const w = combineSparse([
    { w: midWave(p, u.id), coef: (na * u.amplitude) / Math.max(1, na + nb) / meanAmp },
    { w: midWave(p, b.id), coef: (nb * b.amplitude) / Math.max(1, na + nb) / meanAmp },
  ]);
  p.unitTemplates[u.id].push(p.plans.length);
  p.unitTemplates[b.id].push(p.plans.length);
  p.plans.push({ kind: 'merged', units: [u.id, b.id], noise: -1, waveform: w });
}

/** One template per multi-unit cluster (made for its first member), weighted like a merge. */
function planMua(p: Planner, u: TrueUnit): void {
  const { counts, units } = p;
  if (p.muaTemplate[u.muaIndex] !== undefined) {
    p.unitTemplates[u.id].push(p.muaTemplate[u.muaIndex]);
    return;
  }
  const members = p.muaMembers[u.muaIndex];
  let total = 0;
  let weighted = 0;
  for (const m of members) {
    total += counts[m];
    weighted += counts[m] * units[m].amplitude;
  }
  const meanAmp = weighted / Math.max(1, total);
  const w = combineSparse(members.map((m) => ({ w: midWave(p, m), coef: (counts[m] * units[m].amplitude) / Math.max(1, total) / meanAmp })));
  p.muaTemplate[u.muaIndex] = p.plans.length;
  p.unitTemplates[u.id].push(p.plans.length);
  p.plans.push({ kind: 'mua', units: [...members], noise: -1, waveform: w });
}

/** Unused templates: weak, displaced copies of some units, as Kilosort leaves behind after merging. */
function planGhosts(p: Planner): void {
  const { probe, trng } = p;
  const singles = p.units.filter((u) => u.kind === 'single');
  for (let k = 0; k < p.spec.nUnusedTemplates && singles.length > 0; k++) {
    const u = singles[trng.int(singles.length)];
    const fp = unitFootprint(probe, u.geometry, [25]);
    p.plans.push({ kind: 'unused', units: [], noise: -1, waveform: renderUnit(probe, u.geometry, perturbShape(trng, u.shape), (0.6 * u.rawPeak) / u.amplitude, 25, fp.channels, fp.norm) });
  }
}

/** Shuffles the plans into template ids and measures each template's peak channel and ptp. */
function numberTemplates(plans: Plan[], trng: Rng): { templates: TemplateInfo[]; idOfPlan: Int32Array } {
  const nTemplates = plans.length;
  const order = trng.shuffle(Array.from({ length: nTemplates }, (_, k) => k));
  const idOfPlan = new Int32Array(nTemplates);
  order.forEach((plan, id) => (idOfPlan[plan] = id));
  const templates: TemplateInfo[] = new Array(nTemplates);
  for (let k = 0; k < nTemplates; k++) {
    const pk = peakChannelOf(plans[k].waveform);
    templates[idOfPlan[k]] = { ...plans[k], id: idOfPlan[k], peakChannel: pk.channel, ptp: pk.ptp };
  }
  return { templates, idOfPlan };
}

/** Cluster id = template id, except unused templates (−1) and auto-merged units (one new id each). */
function clustersOfTemplates(templates: TemplateInfo[], units: TrueUnit[], unitTemplates: number[][], idOfPlan: Int32Array): Int32Array {
  const nTemplates = templates.length;
  const clusterOfTemplate = new Int32Array(nTemplates);
  for (let t = 0; t < nTemplates; t++) clusterOfTemplate[t] = templates[t].kind === 'unused' ? -1 : t;
  let nextCluster = nTemplates;
  for (const u of units) {
    if (u.role !== 'autoMerged') continue;
    const id = nextCluster++;
    for (const k of unitTemplates[u.id]) clusterOfTemplate[idOfPlan[k]] = id;
  }
  return clusterOfTemplate;
}
