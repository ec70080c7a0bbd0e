/**
 * `ground_truth.json`: what the sorter should have found, and every error it was made to do.
 * Cluster compositions are counted from the written spikes, so they are exact.
 */
import { GENERATOR_VERSION, type DatasetModel, type GeneratedDataset, type UnitRole } from './buildDataset';
import type { NoiseKind } from './waveforms';

/** A true unit in `ground_truth.json`. */
export interface GroundTruthUnit {
  id: number;
  kind: 'single' | 'mua';
  role: UnitRole;
  shank: number;
  /** µm, probe coordinates (at zero drift). */
  x: number;
  depth: number;
  /** Peak channel (row of channel_map). */
  channel: number;
  /** Measured rate, Hz. */
  rate: number;
  nSpikes: number;
  /** Templates that hold its spikes (ascending). */
  templateIds: number[];
  /** Clusters that hold its spikes (ascending). */
  clusterIds: number[];
  refractoryMs: number;
  positivePeak: boolean;
  bursting: boolean;
  /** Mean template scaling. */
  amplitude: number;
  /** Mean trough on its peak channel, raw a.u. */
  peakAmplitude: number;
}

/** What a cluster really is. */
export type GroundTruthClusterKind = 'single' | 'overSplit' | 'merged' | 'contaminated' | 'mua' | 'noise';

/** A cluster in `ground_truth.json`. */
export interface GroundTruthCluster {
  id: number;
  kind: GroundTruthClusterKind;
  templateIds: number[];
  nSpikes: number;
  /** Spikes of each true unit it holds, largest first. */
  units: { unit: number; nSpikes: number }[];
  noiseSpikes: number;
}

/** The whole file. */
export interface GroundTruth {
  generator: 'spikedock generate';
  version: number;
  preset: string;
  seed: number;
  sampleRate: number;
  /** s. */
  duration: number;
  nSamples: number;
  nSpikes: number;
  nChannels: number;
  nChannelsDat: number;
  nTemplates: number;
  nClusters: number;
  /** Probe drift: linear creep + wobble, µm. */
  drift: { totalMicrons: number; wobbleMicrons: number; wobblePeriodSeconds: number };
  units: GroundTruthUnit[];
  clusters: GroundTruthCluster[];
  /** Units split in several clusters (merge them). */
  overSplits: { unit: number; by: 'time' | 'amplitude'; clusters: number[]; templates: number[] }[];
  /** Units split in templates that `spike_clusters.npy` already groups in one cluster (id ≥ nTemplates). */
  autoMerged: { unit: number; cluster: number; templates: number[] }[];
  /** Two units in one cluster (split it). */
  merged: { cluster: number; units: number[] }[];
  /** Clusters that received part of another unit's spikes. */
  contaminated: { cluster: number; unit: number; contaminatingUnit: number; fraction: number }[];
  mua: { cluster: number; units: number[] }[];
  /**
   * Near-twin distractors: two clusters of two different neurons with very similar templates
   * (a merge the curator must NOT make). `units` = [host, distractor], `clusters` = their
   * clusters in the same order.
   */
  distractors: { clusters: [number, number]; units: [number, number] }[];
  noise: { cluster: number; kind: NoiseKind }[];
  /** Templates with no spike. */
  unusedTemplates: number[];
  /** Per-spike true unit file (int32, −1 = noise). */
  spikeUnitsFile: 'ground_truth_units.npy';
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

/**
 * Spikes per (cluster, true unit) and the templates of each unit, counted from the written
 * spikes: the one pass over all spikes that the ground truth needs. The streaming writer feeds
 * it block by block.
 */
export class GroundTruthCounts {
  /** Cluster id → (unit or −1 for noise) → spikes. */
  readonly perCluster = new Map<number, Map<number, number>>();
  readonly unitTemplates: Set<number>[];
  readonly unitCount: Float64Array;
  nSpikes = 0;

  constructor(nUnits: number) {
    this.unitTemplates = Array.from({ length: nUnits }, () => new Set<number>());
    this.unitCount = new Float64Array(nUnits);
  }

  /** Adds spikes (any order). */
  add(spikes: Pick<GeneratedDataset['spikes'], 'clusters' | 'groundTruthUnits' | 'templates'>): void {
    const { perCluster, unitTemplates, unitCount } = this;
    const n = spikes.clusters.length;
    for (let i = 0; i < n; i++) {
      const c = spikes.clusters[i];
      const u = spikes.groundTruthUnits[i];
      let m = perCluster.get(c);
      if (!m) perCluster.set(c, (m = new Map()));
      m.set(u, (m.get(u) ?? 0) + 1);
      if (u >= 0) {
        unitTemplates[u].add(spikes.templates[i]);
        unitCount[u]++;
      }
    }
    this.nSpikes += n;
  }
}

/** Builds the ground truth of a generated dataset. */
export function buildGroundTruth(ds: GeneratedDataset): GroundTruth {
  const counts = new GroundTruthCounts(ds.units.length);
  counts.add(ds.spikes);
  return groundTruthOf(ds, counts);
}

/** The ground truth of a model whose spikes were counted in `counts` (the streaming writer's path). */
export function groundTruthOf(ds: DatasetModel & Pick<GeneratedDataset, 'clusters'>, counts: GroundTruthCounts): GroundTruth {
  const { units, templates, clusterOfTemplate } = ds;
  const nUnits = units.length;
  const { perCluster, unitTemplates, unitCount } = counts;
  const sorted = (xs: Iterable<number>): number[] => [...xs].sort((a, b) => a - b);
  const clusterKind = (templateIds: number[]): GroundTruthClusterKind => {
    const t = templates[templateIds[0]];
    switch (t.kind) {
      case 'noise':
        return 'noise';
      case 'mua':
        return 'mua';
      case 'merged':
        return 'merged';
      case 'overSplit':
        return templateIds.length > 1 ? 'single' : 'overSplit';
      default:
        return units[t.units[0]].role === 'contaminated' ? 'contaminated' : 'single';
    }
  };
  const clusters: GroundTruthCluster[] = ds.clusters.map((c) => {
    const m = perCluster.get(c.id) ?? new Map<number, number>();
    const unitsIn = [...m.entries()].filter(([u]) => u >= 0).map(([unit, n]) => ({ unit, nSpikes: n }));
    unitsIn.sort((a, b) => b.nSpikes - a.nSpikes || a.unit - b.unit);
    return { id: c.id, kind: clusterKind(c.templateIds), templateIds: c.templateIds, nSpikes: c.nSpikes, units: unitsIn, noiseSpikes: m.get(-1) ?? 0 };
  });
  const templatesOfUnit = (u: number): number[] => sorted(unitTemplates[u]);
  const clustersOfUnit = (u: number): number[] => sorted(new Set(templatesOfUnit(u).map((t) => clusterOfTemplate[t])));
  const gtUnits: GroundTruthUnit[] = units.map((u) => ({
    id: u.id,
    kind: u.kind,
    role: u.role,
    shank: u.geometry.shank,
    x: round(u.geometry.x, 1),
    depth: round(u.geometry.y, 1),
    channel: u.peakChannel,
    rate: round(unitCount[u.id] / ds.duration),
    nSpikes: unitCount[u.id],
    templateIds: templatesOfUnit(u.id),
    clusterIds: clustersOfUnit(u.id),
    refractoryMs: round((u.refractorySamples / ds.sampleRate) * 1000),
    positivePeak: u.shape.sign > 0,
    bursting: u.burstProbability > 0,
    amplitude: round(u.amplitude),
    peakAmplitude: round(u.rawPeak, 1),
  }));
  // Own templates of split units (the leak of a contaminating unit is not a split).
  const ownTemplates = (u: number): number[] => sorted(templates.filter((t) => t.units.includes(u) && t.kind === 'overSplit').map((t) => t.id));
  const overSplits = units
    .filter((u) => u.role === 'overSplitTime' || u.role === 'overSplitAmplitude')
    .map((u) => {
      const ts = ownTemplates(u.id);
      return { unit: u.id, by: u.role === 'overSplitTime' ? ('time' as const) : ('amplitude' as const), templates: ts, clusters: sorted(new Set(ts.map((t) => clusterOfTemplate[t]))) };
    });
  const autoMerged = units
    .filter((u) => u.role === 'autoMerged')
    .map((u) => {
      const ts = ownTemplates(u.id);
      return { unit: u.id, cluster: clusterOfTemplate[ts[0]], templates: ts };
    });
  const clusterOfKind = (kind: GeneratedDataset['templates'][number]['kind'], pred: (t: GeneratedDataset['templates'][number]) => boolean) =>
    templates.filter((t) => t.kind === kind && pred(t));
  const merged = clusterOfKind('merged', () => true).map((t) => ({ cluster: clusterOfTemplate[t.id], units: sorted(t.units) }));
  const mua = clusterOfKind('mua', () => true).map((t) => ({ cluster: clusterOfTemplate[t.id], units: sorted(t.units) }));
  const noise = clusterOfKind('noise', () => true).map((t) => ({ cluster: clusterOfTemplate[t.id], kind: ds.sources[nUnits + t.noise].noiseKind! }));
  const contaminated = units
    .filter((u) => u.role === 'contaminated')
    .map((u) => {
      const t = templates.find((x) => x.kind === 'unit' && x.units[0] === u.id)!;
      const b = units[u.partner];
      return { cluster: clusterOfTemplate[t.id], unit: u.id, contaminatingUnit: b.id, fraction: round(b.leakFraction) };
    });
  const clusterOfUnit = (u: number): number => clusterOfTemplate[templates.find((x) => x.kind === 'unit' && x.units[0] === u)!.id];
  const distractors = units
    .filter((u) => u.role === 'distractor')
    .map((u) => ({ clusters: [clusterOfUnit(u.partner), clusterOfUnit(u.id)] as [number, number], units: [u.partner, u.id] as [number, number] }));
  const byCluster = <T extends { cluster: number }>(xs: T[]): T[] => xs.sort((a, b) => a.cluster - b.cluster);
  return {
    generator: 'spikedock generate',
    version: GENERATOR_VERSION,
    preset: ds.spec.name,
    seed: ds.seed,
    sampleRate: ds.sampleRate,
    duration: ds.duration,
    nSamples: ds.nSamples,
    nSpikes: counts.nSpikes,
    nChannels: ds.probe.nChannels,
    nChannelsDat: ds.probe.nChannelsDat,
    nTemplates: templates.length,
    nClusters: ds.clusters.length,
    drift: { totalMicrons: round(ds.drift.totalMicrons, 2), wobbleMicrons: round(ds.drift.wobbleMicrons, 2), wobblePeriodSeconds: round(ds.drift.wobblePeriod, 1) },
    units: gtUnits,
    clusters,
    overSplits,
    autoMerged,
    merged: byCluster(merged),
    contaminated: byCluster(contaminated),
    mua: byCluster(mua),
    distractors,
    noise: byCluster(noise),
    unusedTemplates: sorted(templates.filter((t) => t.kind === 'unused').map((t) => t.id)),
    spikeUnitsFile: 'ground_truth_units.npy',
  };
}
