/**
 * The generator's model: true units, the sorting "errors" made on them, and every per-spike
 * column, as a pure deterministic function of (preset, seed). Large derived data — PC features,
 * template features, spike positions and the raw recording — is not held here: it is computed
 * chunk by chunk from this model (`features.ts`, `raw.ts`) while the files are streamed.
 *
 * Amplitude convention (Kilosort's): raw waveform = amplitude × template × whitening_mat_inv,
 * templates live in the whitened space, whitening is a mild diagonal (per-channel noise rms
 * over its mean), and amplitudes are 10–30 on average per unit.
 */
import { Rng, Stream } from '../random';
import { assignSpikes } from './assignSpikes';
import { makeDrift, type DriftModel } from './drift';
import { clusterMetrics, type ClusterMetrics } from './metrics';
import type { PresetSpec } from './presets';
import { makeProbe, type Probe } from './probe';
import { nearestChannels, similarTemplates, topSimilar } from './similarity';
import { drawSpikeTrains, renderSources, type Footprint } from './sources';
import { planTemplates, type TemplateInputs, type TemplatePlan } from './templatePlans';
import { assignRates, assignRoles, makeUnits } from './units';
import { principalComponents, projectOnPcs, type NoiseKind, type ShapeParams, type SparseWaveform, type UnitGeometry } from './waveforms';

/** Version written to `ground_truth.json`; bump when the same seed would give different data. */
export const GENERATOR_VERSION = 2;

/** What the sorter did with a true unit. */
export type UnitRole =
  | 'single'
  | 'overSplitTime'
  | 'overSplitAmplitude'
  | 'autoMerged'
  | 'merged'
  | 'contaminated'
  | 'contaminating'
  | 'distractor'
  | 'mua';

/** A true unit of the simulation. */
export interface TrueUnit {
  id: number;
  /** `mua`: a small unit that only exists inside a multi-unit cluster. */
  kind: 'single' | 'mua';
  role: UnitRole;
  geometry: UnitGeometry;
  shape: ShapeParams;
  /** Channel of the largest waveform at zero drift. */
  peakChannel: number;
  /** Requested mean rate, Hz (bursts included). */
  rate: number;
  refractorySamples: number;
  /** Fraction of events that are bursts (0 = tonic). */
  burstProbability: number;
  /** Mean template scaling (`amplitudes.npy` scale), 10–30. */
  amplitude: number;
  /** Trough on the peak channel at mean amplitude, raw a.u. (before whitening_mat_inv). */
  rawPeak: number;
  /** Relative s.d. of per-spike amplitude. */
  jitter: number;
  /** Amplitude change over the recording (relative, linear). */
  ampSlope: number;
  /** Slow amplitude wobble (relative) and its period (s) and phase. */
  ampWobble: number;
  ampPeriod: number;
  ampPhase: number;
  /**
   * Merged partner, contaminated host (for `contaminating`), contaminating unit (for
   * `contaminated`), the unit a `distractor` twins, or (for that unit) its distractor; −1 if none.
   */
  partner: number;
  /** Fraction of this unit's spikes given to `partner`'s cluster (`contaminating` only). */
  leakFraction: number;
  /** Index of the MUA cluster (`mua` only), else −1. */
  muaIndex: number;
  /** Templates an over-split unit is split into (1 otherwise). */
  pieces: number;
  /** Time (s) at which a time-split unit changes template. */
  splitTime: number;
}

/** Anything that emits spikes: a true unit (index = unit id) or a noise source. */
export interface SpikeSource {
  kind: 'unit' | 'noise';
  /** Unit id, or −1 for noise. */
  unit: number;
  noiseKind: NoiseKind | null;
  /** Waveform (template space) at the lower and upper drift extremes (identical for noise); same channels. */
  w0: SparseWaveform;
  w1: SparseWaveform;
  /** (nChannels, 3) projections of w0 / w1 on the PCs. */
  proj0: Float32Array;
  proj1: Float32Array;
  /** Position for `spike_positions.npy`, µm (y at zero drift). */
  x: number;
  y: number;
  /** Whether the source moves with the drift (units do, noise does not). */
  drifts: boolean;
}

/** Why a template exists. */
export type TemplateKind = 'unit' | 'overSplit' | 'merged' | 'mua' | 'noise' | 'unused';

/** One row of `templates.npy`. */
export interface TemplateInfo {
  id: number;
  kind: TemplateKind;
  /** True units it was built from (empty for noise). */
  units: number[];
  /** Noise source index (into the noise sources), or −1. */
  noise: number;
  waveform: SparseWaveform;
  peakChannel: number;
  /** Peak-to-peak on the peak channel, template space. */
  ptp: number;
}

/** Per-spike columns, sorted by time. All (nSpikes,). */
export interface SpikeColumns {
  /** Samples (uint32: up to 39.7 h at 30 kHz). */
  times: Uint32Array;
  templates: Uint32Array;
  clusters: Int32Array;
  /** Kilosort's fitted template scaling (`amplitudes.npy`). */
  amplitudes: Float32Array;
  /** The spike's true scaling of its source waveform (drives raw and features). */
  trueAmplitudes: Float32Array;
  /** Index into `sources`. */
  sources: Int32Array;
  /** True unit, −1 for noise (`ground_truth_units.npy`). */
  groundTruthUnits: Int32Array;
}

/** A complete generated dataset, minus the chunked outputs. */
export interface GeneratedDataset {
  spec: PresetSpec;
  seed: number;
  probe: Probe;
  sampleRate: number;
  /** s. */
  duration: number;
  nSamples: number;
  drift: DriftModel;
  units: TrueUnit[];
  /** Units (index = unit id) then noise sources. */
  sources: SpikeSource[];
  /** By template id. */
  templates: TemplateInfo[];
  /** Cluster id of each template id (−1 for unused templates). */
  clusterOfTemplate: Int32Array;
  spikes: SpikeColumns;
  /** (nChannels,) diagonal of whitening_mat_inv (per-channel noise rms / mean rms). */
  whiteningInv: Float64Array;
  /** (nChannels,) noise rms of each channel in the raw file, a.u. */
  noiseRms: Float32Array;
  /** Noise rms in the whitened space (= the mean raw rms), the s.d. of PC feature noise. */
  featureNoise: number;
  /** (3, 82) temporal PCs. */
  pcs: Float32Array;
  nPcChannels: number;
  /** (nTemplates, nPcChannels) channels of each template's PC features. */
  pcFeatureInd: Uint32Array;
  /** (nTemplates, nTemplates) float32. */
  similarity: Float32Array;
  nTemplateFeatures: number;
  /** (nTemplates, nTemplateFeatures), or null when the preset skips template features. */
  templateFeatureInd: Uint32Array | null;
  /** Per cluster id, ascending. */
  clusters: ClusterMetrics[];
  /** Clusters a curator "already" labelled (cluster_group.tsv): id → group. */
  curatedGroups: Map<number, 'good' | 'mua' | 'noise'>;
}

/** The model without its spikes (and what depends on them): what the streaming writer holds. */
export type DatasetModel = Omit<GeneratedDataset, 'spikes' | 'clusters' | 'curatedGroups'>;

/** The first steps of the model, before any spike train: probe, drift, units and their sources. */
export interface SourceModel {
  spec: PresetSpec;
  seed: number;
  probe: Probe;
  drift: DriftModel;
  nSamples: number;
  units: TrueUnit[];
  muaMembers: number[][];
  /** Rates of the noise sources, Hz. */
  noiseRates: number[];
  sources: SpikeSource[];
  footprints: Footprint[];
}

/**
 * Builds the model of a preset, step by step (each step draws from its own random stream, so
 * the same seed gives the same data). Pure and deterministic; `onProgress` gets short status lines.
 * Holds every spike (≈ 30 bytes each); the chronic preset is written by the streaming path
 * instead (`streamSpikes.ts`), which gives the same spikes without holding them.
 */
export function buildDataset(spec: PresetSpec, seed: number, onProgress?: (msg: string) => void): GeneratedDataset {
  const base = buildSources(spec, seed, onProgress);
  if (base.nSamples > 0xffffffff) throw new RangeError('recording longer than 2^32 samples (the streaming path writes those)');
  const { drift, units, sources, nSamples } = base;
  onProgress?.('drawing spike trains');
  const perSource = drawSpikeTrains(spec, seed, nSamples, units, sources, base.noiseRates);

  onProgress?.('building templates');
  const plan = planTemplatesOf(base, perSource.map((p) => p.times.length), perSource);
  const spikes = assignSpikes(seed, spec.sampleRate, drift, units, sources, perSource, plan, onProgress);

  onProgress?.('similarity and PC basis');
  const model = modelOf(base, plan);
  const clusters = clusterMetrics(spikes, model.templates, model.clusterOfTemplate, model.whiteningInv, spec.sampleRate, nSamples);
  const curatedGroups = pickCuratedGroups(seed, clusters, model.templates, units);
  return { ...model, spikes, clusters, curatedGroups };
}

/** Probe, drift, units (roles, rates) and their rendered sources. */
export function buildSources(spec: PresetSpec, seed: number, onProgress?: (msg: string) => void): SourceModel {
  const nSamples = Math.round(spec.duration * spec.sampleRate);
  const probe = makeProbe(spec, seed);
  const drift = makeDrift(new Rng(seed, Stream.probe, 1), spec.driftMicrons, spec.duration);
  const urng = new Rng(seed, Stream.units);
  const { units, muaMembers } = makeUnits(spec, urng, probe);
  assignRoles(spec, units, urng);
  const noiseRates = assignRates(spec, seed, units);
  onProgress?.(`${units.length} true units, ${spec.nNoise} noise sources; rendering waveforms`);
  const { sources, footprints } = renderSources(spec, seed, probe, drift, units, spec.nNoise);
  return { spec, seed, probe, drift, nSamples, units, muaMembers, noiseRates, sources, footprints };
}

/** The templates of the sources, from each source's spike count and the over-split units' trains. */
export function planTemplatesOf(base: SourceModel, counts: ArrayLike<number>, perSource: TemplateInputs['perSource']): TemplatePlan {
  const { spec, probe, drift, units, muaMembers, sources, footprints, seed } = base;
  return planTemplates({ spec, probe, drift, units, muaMembers, sources, footprints, counts, perSource, trng: new Rng(seed, Stream.templates) });
}

/** The model once the templates are known: whitening, PC basis and projections, similarity. */
export function modelOf(base: SourceModel, plan: TemplatePlan): DatasetModel {
  const { spec, seed, probe, drift, units, sources, nSamples } = base;
  const { noiseRms, meanRms, whiteningInv } = makeWhitening(seed, probe.nChannels);
  const bases = featureBases(spec, probe, units, sources, plan.templates);
  return {
    spec,
    seed,
    probe,
    sampleRate: spec.sampleRate,
    duration: spec.duration,
    nSamples,
    drift,
    units,
    sources,
    templates: plan.templates,
    clusterOfTemplate: plan.clusterOfTemplate,
    whiteningInv,
    noiseRms,
    featureNoise: meanRms,
    pcs: bases.pcs,
    nPcChannels: bases.nPcChannels,
    pcFeatureInd: bases.pcFeatureInd,
    similarity: bases.similarity,
    nTemplateFeatures: bases.nTemplateFeatures,
    templateFeatureInd: bases.templateFeatureInd,
  };
}

/** Per-channel noise rms (10–15 a.u.) and the diagonal whitening inverse it implies (rms / mean rms). */
function makeWhitening(seed: number, nChannels: number): { noiseRms: Float32Array; meanRms: number; whiteningInv: Float64Array } {
  const wrng = new Rng(seed, Stream.probe, 2);
  const noiseRms = new Float32Array(nChannels);
  for (let c = 0; c < nChannels; c++) noiseRms[c] = wrng.range(10, 15);
  let meanRms = 0;
  for (let c = 0; c < nChannels; c++) meanRms += noiseRms[c] / nChannels;
  const whiteningInv = new Float64Array(nChannels);
  for (let c = 0; c < nChannels; c++) whiteningInv[c] = noiseRms[c] / meanRms;
  return { noiseRms, meanRms, whiteningInv };
}

/**
 * The PC basis (and every source's projections on it, set on the sources), each template's
 * PC-feature channels, the template similarity and each template's template-feature templates.
 */
function featureBases(
  spec: PresetSpec,
  probe: Probe,
  units: TrueUnit[],
  sources: SpikeSource[],
  templates: TemplateInfo[],
): Pick<GeneratedDataset, 'pcs' | 'nPcChannels' | 'pcFeatureInd' | 'similarity' | 'nTemplateFeatures' | 'templateFeatureInd'> {
  const nTemplates = templates.length;
  const pcs = principalComponents(units.map((u) => sources[u.id].w0));
  for (const src of sources) {
    src.proj0 = projectOnPcs(src.w0, pcs, probe.nChannels);
    src.proj1 = src.w1 === src.w0 ? src.proj0 : projectOnPcs(src.w1, pcs, probe.nChannels);
  }
  const nLoc = Math.min(spec.nPcChannels, probe.nChannels);
  const pcFeatureInd = new Uint32Array(nTemplates * nLoc);
  for (let t = 0; t < nTemplates; t++) pcFeatureInd.set(nearestChannels(probe, templates[t].peakChannel, nLoc), t * nLoc);
  const similarity = similarTemplates(templates.map((t) => t.waveform));
  const nTf = Math.min(spec.nTemplateFeatures, nTemplates);
  let templateFeatureInd: Uint32Array | null = null;
  if (nTf > 0) {
    templateFeatureInd = new Uint32Array(nTemplates * nTf);
    for (let t = 0; t < nTemplates; t++) templateFeatureInd.set(topSimilar(similarity, nTemplates, t, nTf), t * nTf);
  }
  return { pcs, nPcChannels: nLoc, pcFeatureInd, similarity, nTemplateFeatures: nTf, templateFeatureInd };
}

/**
 * A curator's first few labels (≈ 4 % of clusters per kind, at least one each): clean single
 * units as `good`, noise clusters as `noise`, multi-unit clusters as `mua`. Everything else is
 * left unlabelled, as in a folder straight out of the sorter.
 */
export function pickCuratedGroups(seed: number, clusters: ClusterMetrics[], templates: TemplateInfo[], units: TrueUnit[]): Map<number, 'good' | 'mua' | 'noise'> {
  const byKind = { good: [] as number[], mua: [] as number[], noise: [] as number[] };
  for (const c of clusters) {
    const t = templates[c.templateIds[0]];
    if (t.kind === 'noise') byKind.noise.push(c.id);
    else if (t.kind === 'mua') byKind.mua.push(c.id);
    else if (t.kind === 'unit' && c.templateIds.length === 1 && units[t.units[0]].role === 'single') byKind.good.push(c.id);
  }
  const rng = new Rng(seed, Stream.labels);
  const out = new Map<number, 'good' | 'mua' | 'noise'>();
  const n = Math.max(1, Math.round(clusters.length * 0.04));
  for (const group of ['good', 'mua', 'noise'] as const) {
    const ids = rng.shuffle(byKind[group].slice());
    for (const id of ids.slice(0, n)) out.set(id, group);
  }
  return out;
}
