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
import type { PresetSpec } from './presets';
import { makeProbe, type Probe } from './probe';
import { makeDrift, alphaAt, type DriftModel } from './drift';
import { spikeTrain, argsortUint32 } from './spikeTrain';
import {
  N_TEMPLATE_SAMPLES,
  combineSparse,
  dotSparse,
  peakChannelOf,
  principalComponents,
  projectOnPcs,
  randomShape,
  renderNoise,
  renderUnit,
  unitFootprint,
  type NoiseKind,
  type ShapeParams,
  type SparseWaveform,
  type UnitGeometry,
} from './waveforms';
import { similarTemplates, nearestChannels, topSimilar } from './similarity';
import { clusterMetrics, type ClusterMetrics } from './metrics';

/** Version written to `ground_truth.json`; bump when the same seed would give different data. */
export const GENERATOR_VERSION = 1;

/** What the sorter did with a true unit. */
export type UnitRole =
  | 'single'
  | 'overSplitTime'
  | 'overSplitAmplitude'
  | 'autoMerged'
  | 'merged'
  | 'contaminated'
  | 'contaminating'
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
  /** Merged partner, contaminated host (for `contaminating`) or contaminating unit (for `contaminated`); −1 if none. */
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

/** Spike-time margin from both ends of the recording, samples (a whole template fits). */
const EDGE_MARGIN = N_TEMPLATE_SAMPLES;

/** Builds the model of a preset. Pure and deterministic; `onProgress` gets short status lines. */
export function buildDataset(spec: PresetSpec, seed: number, onProgress?: (msg: string) => void): GeneratedDataset {
  const fs = spec.sampleRate;
  const T = spec.duration;
  const nSamples = Math.round(T * fs);
  if (nSamples > 0xffffffff) throw new RangeError('recording longer than 2^32 samples');
  const probe = makeProbe(spec, seed);
  const drift = makeDrift(new Rng(seed, Stream.probe, 1), spec.driftMicrons, T);
  const shifts = [drift.min, drift.max, 0];

  // --- True units --------------------------------------------------------------------------
  const urng = new Rng(seed, Stream.units);
  const units: TrueUnit[] = [];
  const newUnit = (kind: 'single' | 'mua', geometry: UnitGeometry, rawPeak: number, positive: boolean, jitter: number): TrueUnit => {
    const amplitude = urng.range(10, 30);
    const bursting = kind === 'single' && urng.chance(0.2);
    return {
      id: units.length,
      kind,
      role: kind === 'mua' ? 'mua' : 'single',
      geometry,
      shape: randomShape(urng, fs, positive),
      peakChannel: 0,
      rate: 0,
      refractorySamples: Math.round(urng.range(1.5, 2.0) * 1e-3 * fs),
      burstProbability: bursting ? urng.range(0.1, 0.3) : 0,
      amplitude,
      rawPeak,
      jitter,
      ampSlope: urng.normal() * 0.12,
      ampWobble: urng.range(0, 0.08),
      ampPeriod: T / urng.range(0.5, 4),
      ampPhase: urng.range(0, 2 * Math.PI),
      partner: -1,
      leakFraction: 0,
      muaIndex: -1,
      pieces: 1,
      splitTime: 0,
    };
  };
  const randomGeometry = (shank: number, y: number): UnitGeometry => ({
    x: shank * 250 + urng.range(-5, 75),
    y,
    z: urng.range(8, 35),
    shank,
    lambda: urng.range(18, 35),
  });
  for (let i = 0; i < spec.nSingleUnits; i++) {
    const shank = urng.int(spec.nShanks);
    const g = randomGeometry(shank, urng.range(0, probe.shankHeight + 20));
    units.push(newUnit('single', g, Math.exp(urng.range(Math.log(50), Math.log(350))), urng.chance(0.1), urng.range(0.06, 0.14)));
  }
  const muaMembers: number[][] = [];
  for (let m = 0; m < spec.nMua; m++) {
    const shank = urng.int(spec.nShanks);
    const cy = urng.range(10, probe.shankHeight + 10);
    const cx = urng.range(10, 60);
    const members: number[] = [];
    const k = 3 + urng.int(3);
    for (let j = 0; j < k; j++) {
      const g: UnitGeometry = { x: shank * 250 + cx + urng.range(-15, 15), y: cy + urng.range(-25, 25), z: urng.range(25, 50), shank, lambda: urng.range(25, 40) };
      const u = newUnit('mua', g, urng.range(30, 60), false, urng.range(0.1, 0.2));
      u.muaIndex = m;
      members.push(u.id);
      units.push(u);
    }
    muaMembers.push(members);
  }

  // --- Sorting errors: roles of single units -------------------------------------------------
  const free: number[] = [];
  for (const u of units) if (u.kind === 'single') free.push(u.id);
  const takeRandom = (): number => {
    if (free.length === 0) return -1;
    return free.splice(urng.int(free.length), 1)[0];
  };
  const takeNearest = (a: number): number => {
    const ua = units[a].geometry;
    let best = -1;
    let bestD = 80;
    for (const b of free) {
      const ub = units[b].geometry;
      if (ub.shank !== ua.shank) continue;
      const d = Math.hypot(ub.x - ua.x, ub.y - ua.y);
      if (d < bestD) {
        bestD = d;
        best = b;
      }
    }
    if (best >= 0) free.splice(free.indexOf(best), 1);
    return best;
  };
  const pairUp = (roleA: UnitRole, roleB: UnitRole, count: number, setup: (a: TrueUnit, b: TrueUnit) => void): void => {
    for (let i = 0; i < count; i++) {
      for (let attempt = 0; attempt < 20; attempt++) {
        const a = takeRandom();
        if (a < 0) return;
        const b = takeNearest(a);
        if (b < 0) {
          free.push(a);
          free.sort((x, y) => x - y);
          continue;
        }
        units[a].role = roleA;
        units[b].role = roleB;
        units[a].partner = b;
        units[b].partner = a;
        setup(units[a], units[b]);
        break;
      }
    }
  };
  const setRole = (count: number, role: UnitRole, setup: (u: TrueUnit) => void): void => {
    for (let i = 0; i < count; i++) {
      const a = takeRandom();
      if (a < 0) return;
      units[a].role = role;
      setup(units[a]);
    }
  };
  const timeSplit = (u: TrueUnit): void => {
    u.pieces = 2;
    u.splitTime = T * urng.range(0.35, 0.65);
    u.ampSlope = (urng.chance(0.5) ? 1 : -1) * urng.range(0.35, 0.5);
  };
  setRole(spec.nOverSplitTime, 'overSplitTime', timeSplit);
  setRole(spec.nAutoMerged, 'autoMerged', timeSplit);
  setRole(spec.nOverSplitAmplitude, 'overSplitAmplitude', (u) => {
    u.pieces = urng.chance(0.5) ? 3 : 2;
    u.jitter = urng.range(0.2, 0.26);
  });
  pairUp('merged', 'merged', spec.nMergedPairs, () => undefined);
  pairUp('contaminated', 'contaminating', spec.nContaminated, (_host, b) => {
    b.leakFraction = urng.range(0.05, 0.2);
  });

  // --- Rates: log-normal, clipped to 0.5–30 Hz, median scaled to the target spike count ----
  const rrng = new Rng(seed, Stream.rates);
  const nNoise = spec.nNoise;
  const noiseBudget = 0.05 * spec.targetSpikes;
  const noiseRates = Array.from({ length: nNoise }, () => (noiseBudget / (nNoise * T)) * rrng.range(0.5, 1.5));
  const z = units.map(() => rrng.normal());
  // Errors must be visible: a split or leaking unit needs a few hundred spikes (≥ 240, at ≥ 1 Hz).
  const errorFloor = Math.max(1, 240 / T);
  const floorOf = units.map((u) => {
    if (u.role === 'overSplitTime' || u.role === 'overSplitAmplitude' || u.role === 'autoMerged' || u.role === 'contaminating' || u.role === 'contaminated') return errorFloor;
    return u.kind === 'mua' ? 1 : 0.5;
  });
  const rateOf = (median: number, i: number): number => Math.min(30, Math.max(floorOf[i], median * Math.exp(0.9 * z[i])));
  const unitBudget = spec.targetSpikes - noiseRates.reduce((s, r) => s + r * T, 0);
  let lo = Math.log(0.01);
  let hi = Math.log(100);
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    let total = 0;
    for (let i = 0; i < units.length; i++) total += rateOf(Math.exp(mid), i) * T;
    if (total < unitBudget) lo = mid;
    else hi = mid;
  }
  const median = Math.exp((lo + hi) / 2);
  for (const u of units) u.rate = rateOf(median, u.id);

  // --- Waveforms of the sources -------------------------------------------------------------
  onProgress?.(`${units.length} true units, ${nNoise} noise sources; rendering waveforms`);
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
  const NOISE_AMPLITUDE = 15;
  for (let k = 0; k < nNoise; k++) {
    const kind = NOISE_KINDS[k % NOISE_KINDS.length];
    const shank = nrng.int(spec.nShanks);
    const w = renderNoise(probe, kind, shank, nrng.range(15, 35) / NOISE_AMPLITUDE, nrng);
    const pc = peakChannelOf(w).channel;
    sources.push({ kind: 'noise', unit: -1, noiseKind: kind, w0: w, w1: w, proj0: new Float32Array(0), proj1: new Float32Array(0), x: probe.positions[2 * pc], y: probe.positions[2 * pc + 1], drifts: false });
  }

  // --- Spike trains and true amplitudes ------------------------------------------------------
  onProgress?.('drawing spike trains');
  const perSource: { times: Uint32Array; amps: Float32Array }[] = [];
  const first = EDGE_MARGIN;
  const last = nSamples - EDGE_MARGIN;
  for (let s = 0; s < sources.length; s++) {
    const rng = new Rng(seed, Stream.spikes, s);
    if (s < units.length) {
      const u = units[s];
      const train = spikeTrain(rng, { rate: u.rate, refractorySamples: u.refractorySamples, burstProbability: u.burstProbability, sampleRate: fs }, first, last);
      const amps = new Float32Array(train.times.length);
      for (let i = 0; i < amps.length; i++) {
        const t = train.times[i] / fs;
        const slow = 1 + u.ampSlope * (t / T - 0.5) + u.ampWobble * Math.sin((2 * Math.PI * t) / u.ampPeriod + u.ampPhase);
        const jit = Math.max(0.3, 1 + u.jitter * rng.normal());
        amps[i] = u.amplitude * slow * jit * Math.pow(0.85, train.burstRank[i]);
      }
      perSource.push({ times: train.times, amps });
    } else {
      const train = spikeTrain(rng, { rate: noiseRates[s - units.length], refractorySamples: 0, burstProbability: 0, sampleRate: fs }, first, last);
      const amps = new Float32Array(train.times.length);
      for (let i = 0; i < amps.length; i++) amps[i] = NOISE_AMPLITUDE * Math.exp(0.35 * rng.normal());
      perSource.push({ times: train.times, amps });
    }
  }

  // --- Templates (logical order; ids are shuffled below) -------------------------------------
  onProgress?.('building templates');
  const trng = new Rng(seed, Stream.templates);
  const plans: Omit<TemplateInfo, 'id' | 'peakChannel' | 'ptp'>[] = [];
  const alphaOf = (sample: number): number => alphaAt(drift, sample / fs);
  const midWave = (u: number): SparseWaveform => combineSparse([
    { w: sources[u].w0, coef: 0.5 },
    { w: sources[u].w1, coef: 0.5 },
  ]);
  /** Logical template(s) of each unit: one, or one per piece. */
  const unitTemplates: number[][] = units.map(() => []);
  /** Piece of each spike of split units (by time or amplitude). */
  const pieceOf: (Uint8Array | null)[] = units.map(() => null);
  const perturbed = (sh: ShapeParams): ShapeParams => ({
    ...sh,
    timeShift: (trng.chance(0.5) ? 1 : -1) * trng.range(0.2, 0.6),
    // Kilosort's over-split templates differ in shape, not only in scale (similarity ~0.9–0.99).
    troughWidth: sh.troughWidth * trng.range(0.88, 1.12),
    peakDelay: sh.peakDelay * trng.range(0.9, 1.1),
    peakRatio: sh.peakRatio * trng.range(0.75, 1.25),
  });
  const muaTemplate: number[] = [];
  for (const u of units) {
    const { times, amps } = perSource[u.id];
    switch (u.role) {
      case 'single':
      case 'contaminated':
      case 'contaminating':
        unitTemplates[u.id].push(plans.length);
        plans.push({ kind: 'unit', units: [u.id], noise: -1, waveform: midWave(u.id) });
        break;
      case 'overSplitTime':
      case 'autoMerged':
      case 'overSplitAmplitude': {
        const piece = new Uint8Array(times.length);
        if (u.role === 'overSplitAmplitude') {
          const sorted = Float32Array.from(amps).sort();
          const qs = u.pieces === 3 ? [0.33, 0.7] : [0.5];
          const thr = qs.map((q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
          for (let i = 0; i < times.length; i++) {
            let p = 0;
            while (p < thr.length && amps[i] >= thr[p]) p++;
            piece[i] = p;
          }
        } else {
          const split = u.splitTime * fs;
          for (let i = 0; i < times.length; i++) piece[i] = times[i] < split ? 0 : 1;
        }
        pieceOf[u.id] = piece;
        for (let p = 0; p < u.pieces; p++) {
          let n = 0;
          let sa = 0;
          let sAlpha = 0;
          for (let i = 0; i < times.length; i++) {
            if (piece[i] !== p) continue;
            n++;
            sa += amps[i];
            sAlpha += alphaOf(times[i]);
          }
          const gain = n > 0 ? sa / n / u.amplitude : 1;
          const alpha = n > 0 ? sAlpha / n : 0.5;
          const fp = footprints[u.id];
          const w = renderUnit(probe, u.geometry, perturbed(u.shape), (u.rawPeak / u.amplitude) * gain, drift.min + alpha * (drift.max - drift.min), fp.channels, fp.norm);
          unitTemplates[u.id].push(plans.length);
          plans.push({ kind: 'overSplit', units: [u.id], noise: -1, waveform: w });
        }
        break;
      }
      case 'merged': {
        if (u.id > u.partner) break;
        const b = units[u.partner];
        const na = perSource[u.id].times.length;
        const nb = perSource[b.id].times.length;
        const meanAmp = (na * u.amplitude + nb * b.amplitude) / Math.max(1, na + nb);
        const w = combineSparse([
          { w: midWave(u.id), coef: (na * u.amplitude) / Math.max(1, na + nb) / meanAmp },
          { w: midWave(b.id), coef: (nb * b.amplitude) / Math.max(1, na + nb) / meanAmp },
        ]);
        unitTemplates[u.id].push(plans.length);
        unitTemplates[b.id].push(plans.length);
        plans.push({ kind: 'merged', units: [u.id, b.id], noise: -1, waveform: w });
        break;
      }
      case 'mua': {
        if (muaTemplate[u.muaIndex] !== undefined) {
          unitTemplates[u.id].push(muaTemplate[u.muaIndex]);
          break;
        }
        const members = muaMembers[u.muaIndex];
        let total = 0;
        let weighted = 0;
        for (const m of members) {
          total += perSource[m].times.length;
          weighted += perSource[m].times.length * units[m].amplitude;
        }
        const meanAmp = weighted / Math.max(1, total);
        const w = combineSparse(members.map((m) => ({ w: midWave(m), coef: (perSource[m].times.length * units[m].amplitude) / Math.max(1, total) / meanAmp })));
        muaTemplate[u.muaIndex] = plans.length;
        unitTemplates[u.id].push(plans.length);
        plans.push({ kind: 'mua', units: [...members], noise: -1, waveform: w });
        break;
      }
    }
  }
  const noiseTemplate: number[] = [];
  for (let k = 0; k < nNoise; k++) {
    noiseTemplate.push(plans.length);
    plans.push({ kind: 'noise', units: [], noise: k, waveform: sources[units.length + k].w0 });
  }
  const singles = units.filter((u) => u.kind === 'single');
  for (let k = 0; k < spec.nUnusedTemplates && singles.length > 0; k++) {
    // A ghost: a weak, displaced copy of some unit, as Kilosort leaves behind after merging.
    const u = singles[trng.int(singles.length)];
    const fp = unitFootprint(probe, u.geometry, [25]);
    plans.push({ kind: 'unused', units: [], noise: -1, waveform: renderUnit(probe, u.geometry, perturbed(u.shape), (0.6 * u.rawPeak) / u.amplitude, 25, fp.channels, fp.norm) });
  }
  const nTemplates = plans.length;
  const order = trng.shuffle(Array.from({ length: nTemplates }, (_, k) => k));
  const idOfPlan = new Int32Array(nTemplates);
  order.forEach((plan, id) => (idOfPlan[plan] = id));
  const templates: TemplateInfo[] = new Array(nTemplates);
  for (let p = 0; p < nTemplates; p++) {
    const pk = peakChannelOf(plans[p].waveform);
    templates[idOfPlan[p]] = { ...plans[p], id: idOfPlan[p], peakChannel: pk.channel, ptp: pk.ptp };
  }
  const clusterOfTemplate = new Int32Array(nTemplates);
  for (let t = 0; t < nTemplates; t++) clusterOfTemplate[t] = templates[t].kind === 'unused' ? -1 : t;
  let nextCluster = nTemplates;
  for (const u of units) {
    if (u.role !== 'autoMerged') continue;
    const id = nextCluster++;
    for (const p of unitTemplates[u.id]) clusterOfTemplate[idOfPlan[p]] = id;
  }

  // --- Template of every spike, and Kilosort's fitted amplitude ------------------------------
  onProgress?.('assigning spikes to templates');
  let nSpikes = 0;
  for (const p of perSource) nSpikes += p.times.length;
  let allTimes = new Uint32Array(nSpikes);
  let allTemplates = new Uint32Array(nSpikes);
  let allFit = new Float32Array(nSpikes);
  let allTrue = new Float32Array(nSpikes);
  let allSources = new Int32Array(nSpikes);
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
      const alpha = src.drifts ? alphaOf(times[i]) : 0;
      allTimes[o] = times[i];
      allTemplates[o] = cand[k];
      allTrue[o] = amps[i];
      allFit[o] = amps[i] * (c0[k] + alpha * (c1[k] - c0[k])) * (1 + 0.03 * rng.normal());
      allSources[o] = s;
    }
    perSource[s] = { times: new Uint32Array(0), amps: new Float32Array(0) };
  }

  // --- Sort by time ---------------------------------------------------------------------------
  onProgress?.(`sorting ${nSpikes} spikes by time`);
  // Gather one column at a time and drop each unsorted column as soon as it is gathered, so the
  // peak is one extra column rather than a second copy of all of them (10 M spikes: −200 MB).
  const order2 = argsortUint32(allTimes);
  const gather = <A extends Uint32Array | Int32Array | Float32Array>(src: A, dst: A): A => {
    for (let i = 0; i < nSpikes; i++) dst[i] = src[order2[i]];
    return dst;
  };
  const times = gather(allTimes, new Uint32Array(nSpikes));
  allTimes = new Uint32Array(0);
  const spikeTemplates = gather(allTemplates, new Uint32Array(nSpikes));
  allTemplates = new Uint32Array(0);
  const amplitudes = gather(allFit, new Float32Array(nSpikes));
  allFit = new Float32Array(0);
  const trueAmplitudes = gather(allTrue, new Float32Array(nSpikes));
  allTrue = new Float32Array(0);
  const spikeSources = gather(allSources, new Int32Array(nSpikes));
  allSources = new Int32Array(0);
  const spikeClusters = new Int32Array(nSpikes);
  const groundTruthUnits = new Int32Array(nSpikes);
  for (let i = 0; i < nSpikes; i++) {
    spikeClusters[i] = clusterOfTemplate[spikeTemplates[i]];
    groundTruthUnits[i] = spikeSources[i] < units.length ? spikeSources[i] : -1;
  }
  const spikes: SpikeColumns = { times, templates: spikeTemplates, clusters: spikeClusters, amplitudes, trueAmplitudes, sources: spikeSources, groundTruthUnits };

  // --- Whitening, PCs, feature channels, similarity -------------------------------------------
  onProgress?.('similarity and PC basis');
  const wrng = new Rng(seed, Stream.probe, 2);
  const noiseRms = new Float32Array(probe.nChannels);
  for (let c = 0; c < probe.nChannels; c++) noiseRms[c] = wrng.range(10, 15);
  let meanRms = 0;
  for (let c = 0; c < probe.nChannels; c++) meanRms += noiseRms[c] / probe.nChannels;
  const whiteningInv = new Float64Array(probe.nChannels);
  for (let c = 0; c < probe.nChannels; c++) whiteningInv[c] = noiseRms[c] / meanRms;

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

  // --- Cluster metrics and a few curated labels ------------------------------------------------
  const clusters = clusterMetrics(spikes, templates, clusterOfTemplate, whiteningInv, fs, nSamples);
  const curatedGroups = pickCuratedGroups(new Rng(seed, Stream.labels), clusters, templates, units);

  return {
    spec,
    seed,
    probe,
    sampleRate: fs,
    duration: T,
    nSamples,
    drift,
    units,
    sources,
    templates,
    clusterOfTemplate,
    spikes,
    whiteningInv,
    noiseRms,
    featureNoise: meanRms,
    pcs,
    nPcChannels: nLoc,
    pcFeatureInd,
    similarity,
    nTemplateFeatures: nTf,
    templateFeatureInd,
    clusters,
    curatedGroups,
  };
}

/**
 * A curator's first few labels (≈ 4 % of clusters per kind, at least one each): clean single
 * units as `good`, noise clusters as `noise`, multi-unit clusters as `mua`. Everything else is
 * left unlabelled, as in a folder straight out of the sorter.
 */
function pickCuratedGroups(rng: Rng, clusters: ClusterMetrics[], templates: TemplateInfo[], units: TrueUnit[]): Map<number, 'good' | 'mua' | 'noise'> {
  const byKind = { good: [] as number[], mua: [] as number[], noise: [] as number[] };
  for (const c of clusters) {
    const t = templates[c.templateIds[0]];
    if (t.kind === 'noise') byKind.noise.push(c.id);
    else if (t.kind === 'mua') byKind.mua.push(c.id);
    else if (t.kind === 'unit' && c.templateIds.length === 1 && units[t.units[0]].role === 'single') byKind.good.push(c.id);
  }
  const out = new Map<number, 'good' | 'mua' | 'noise'>();
  const n = Math.max(1, Math.round(clusters.length * 0.04));
  for (const group of ['good', 'mua', 'noise'] as const) {
    const ids = rng.shuffle(byKind[group].slice());
    for (const id of ids.slice(0, n)) out.set(id, group);
  }
  return out;
}
