/**
 * Dataset presets of the generator. Counts are of *true* units and of sorting "errors"; the
 * number of clusters follows from them (e.g. a unit over-split in 3 gives 3 clusters, a merged
 * pair gives 1), and the spike count is steered to `targetSpikes` by scaling firing rates.
 */

/** Preset names accepted by `spikedock generate --preset`. */
export type PresetName = 'small' | 'medium' | 'neuropixels' | 'neuropixels-lite' | 'neuropixels-wide' | 'chronic';

/** Everything that differs between presets. */
export interface PresetSpec {
  name: PresetName;
  /** Hz. */
  sampleRate: number;
  /** Recording length, s. */
  duration: number;
  /** Channels sorted (rows of `channel_map.npy`). */
  nChannels: number;
  /** Shanks; channels are split evenly between them. */
  nShanks: number;
  /**
   * Interleaved channels in `recording.dat` (`n_channels_dat`): more than `nChannels` when the
   * file has channels the sorter skipped (references) or a sync channel.
   */
  nChannelsDat: number;
  /** Raw columns that are not sorted channels: `'reference'` columns are skipped by `channel_map`. */
  extraColumns: 'references' | 'sync' | 'none';
  /** Well-isolated single units (before sorting errors are assigned to some of them). */
  nSingleUnits: number;
  /** Units split in two templates/clusters by time (drift). */
  nOverSplitTime: number;
  /** Units split in 2–3 templates/clusters by amplitude. */
  nOverSplitAmplitude: number;
  /** Units split in two templates by time whose templates share one cluster id in `spike_clusters.npy` (≥ nTemplates). */
  nAutoMerged: number;
  /** Pairs of units sorted as one template/cluster. */
  nMergedPairs: number;
  /** Clusters that also receive 5–20 % of a neighbouring unit's spikes. */
  nContaminated: number;
  /**
   * Near-twin distractors: extra single units placed a few µm from another single unit with an
   * almost identical waveform but their own spike train (a different neuron; merging the pair
   * breaks the refractory period).
   */
  nDistractors: number;
  /** Multi-unit clusters, each made of 3–5 small units. */
  nMua: number;
  /** Noise clusters (non-physiological shapes, Poisson times, ground truth −1). */
  nNoise: number;
  /** Templates with no spike (Kilosort leaves some). */
  nUnusedTemplates: number;
  /** Expected total spikes (rates are scaled to it). */
  targetSpikes: number;
  /** Channels per row of `pc_features.npy` (nLoc). */
  nPcChannels: number;
  /** Columns of `template_features.npy`; 0 skips the file. */
  nTemplateFeatures: number;
  /** Default length of `recording.dat`, s (the recording's duration when it is shorter). */
  defaultRawSeconds: number;
  /** Total depth drift of the probe over the recording, µm. */
  driftMicrons: number;
  /** Lowest firing rate of a single unit, Hz (multi-unit members: twice it); default 0.5. */
  minRate?: number;
  /**
   * Written by the streaming path (`streamSpikes.ts`), which never holds a whole per-spike
   * column: the chronic preset (300 M spikes would need ≈ 9 GB in memory).
   */
  streaming?: boolean;
  /**
   * dtype of `spike_times.npy`: `uint64` as Kilosort 2–2.5 (`rezToPhy.m`: `uint64(rez.st3(:,1))`),
   * `int64` as Kilosort 4 (`kilosort/io.py` `save_to_phy`: `st[:,0].astype('int64')`); default uint64.
   */
  spikeTimesDtype?: 'uint64' | 'int64';
}

/** The unit counts of a ≈ 1,500-cluster sorting (`neuropixels-wide`, `chronic`). */
const WIDE_UNITS = { nSingleUnits: 1230, nOverSplitTime: 60, nOverSplitAmplitude: 36, nAutoMerged: 30, nMergedPairs: 45, nContaminated: 75, nMua: 120, nNoise: 75 } as const;

/** The full Neuropixels preset; `neuropixels-lite` and `neuropixels-wide` keep its probe and change only the fields they list. */
const NEUROPIXELS: PresetSpec = {
  name: 'neuropixels',
  sampleRate: 30000,
  duration: 7200,
  nChannels: 384,
  nShanks: 1,
  nChannelsDat: 385,
  extraColumns: 'sync',
  nSingleUnits: 400,
  nOverSplitTime: 20,
  nOverSplitAmplitude: 12,
  nAutoMerged: 10,
  nMergedPairs: 15,
  nContaminated: 25,
  nDistractors: 10,
  nMua: 40,
  nNoise: 25,
  nUnusedTemplates: 8,
  targetSpikes: 10_000_000,
  nPcChannels: 12,
  nTemplateFeatures: 0,
  defaultRawSeconds: 300,
  driftMicrons: 8,
};

/**
 * The presets. `neuropixels-lite` and `neuropixels-wide` have the probe and cluster count of a
 * Neuropixels sort (≈490 and ≈1,500 clusters) with few spikes and a 2 s raw file, so the e2e
 * tests of views at hundreds of clusters generate in seconds, not minutes.
 */
export const PRESETS: Readonly<Record<PresetName, PresetSpec>> = {
  small: {
    name: 'small',
    sampleRate: 30000,
    duration: 60,
    nChannels: 32,
    nShanks: 2,
    nChannelsDat: 34,
    extraColumns: 'references',
    nSingleUnits: 20,
    nOverSplitTime: 1,
    nOverSplitAmplitude: 1,
    nAutoMerged: 1,
    nMergedPairs: 1,
    nContaminated: 2,
    nDistractors: 2,
    nMua: 2,
    nNoise: 2,
    nUnusedTemplates: 1,
    targetSpikes: 34_000,
    nPcChannels: 32,
    nTemplateFeatures: 16,
    defaultRawSeconds: 60,
    driftMicrons: 4,
  },
  medium: {
    name: 'medium',
    sampleRate: 30000,
    duration: 600,
    nChannels: 384,
    nShanks: 1,
    nChannelsDat: 384,
    extraColumns: 'none',
    nSingleUnits: 120,
    nOverSplitTime: 6,
    nOverSplitAmplitude: 4,
    nAutoMerged: 3,
    nMergedPairs: 5,
    nContaminated: 8,
    nDistractors: 4,
    nMua: 10,
    nNoise: 8,
    nUnusedTemplates: 3,
    targetSpikes: 1_000_000,
    nPcChannels: 32,
    nTemplateFeatures: 32,
    defaultRawSeconds: 60,
    driftMicrons: 6,
  },
  neuropixels: NEUROPIXELS,
  // No distractors in the view-test presets: their cluster counts (≈490, ≈1,500) are what the e2e tests and docs name.
  'neuropixels-lite': { ...NEUROPIXELS, name: 'neuropixels-lite', duration: 120, targetSpikes: 150_000, defaultRawSeconds: 2, nDistractors: 0 },
  'neuropixels-wide': { ...NEUROPIXELS, ...WIDE_UNITS, name: 'neuropixels-wide', duration: 120, nDistractors: 0, targetSpikes: 300_000, defaultRawSeconds: 2 },
  // A whole night: 15 h (1.62e9 samples), the ≈ 1,500 clusters of `neuropixels-wide` (plus 20
  // distractors), ≈ 300 M spikes, 20 µm of drift, PC features on 3 channels (300 M × 3 × 3 × 4 B
  // = 10.8 GB), no raw data by default; written by the streaming path, spike times int64 as
  // Kilosort 4 writes them.
  chronic: {
    ...NEUROPIXELS,
    ...WIDE_UNITS,
    name: 'chronic',
    duration: 15 * 3600,
    nDistractors: 20,
    targetSpikes: 300_000_000,
    nPcChannels: 3,
    defaultRawSeconds: 0,
    driftMicrons: 20,
    streaming: true,
    spikeTimesDtype: 'int64',
  },
};

/** Changes to a preset from the command line (`--hours`, `--spikes`, `--clusters`), for tests and benches at other scales. */
export interface PresetOverrides {
  /** Recording length, h (the spike count follows unless `spikes` is given). */
  hours?: number;
  /** Expected total spikes. */
  spikes?: number;
  /** About this many clusters: every unit and error count is scaled. */
  clusters?: number;
}

/** Clusters a spec gives, approximately (an amplitude split gives 2–3, a merged pair takes two units). */
function approxClusters(s: PresetSpec): number {
  return s.nSingleUnits + s.nOverSplitTime + 1.5 * s.nOverSplitAmplitude - s.nMergedPairs + s.nDistractors + s.nMua + s.nNoise;
}

/**
 * `spec` with `o` applied. With fewer spikes than the preset's rate floor allows, the floor
 * ({@link PresetSpec.minRate}) is lowered so the target can be met (a few spikes over 40 h).
 */
export function withOverrides(spec: PresetSpec, o: PresetOverrides): PresetSpec {
  const out: PresetSpec = { ...spec };
  if (o.hours !== undefined) {
    if (!(o.hours > 0)) throw new RangeError(`hours must be > 0 (got ${o.hours})`);
    out.duration = o.hours * 3600;
    out.targetSpikes = Math.round((spec.targetSpikes * out.duration) / spec.duration);
    out.defaultRawSeconds = Math.min(spec.defaultRawSeconds, out.duration);
  }
  if (o.spikes !== undefined) {
    if (!(o.spikes >= 1)) throw new RangeError(`spikes must be ≥ 1 (got ${o.spikes})`);
    out.targetSpikes = Math.round(o.spikes);
  }
  if (o.clusters !== undefined) {
    if (!(o.clusters >= 1)) throw new RangeError(`clusters must be ≥ 1 (got ${o.clusters})`);
    const f = o.clusters / approxClusters(spec);
    const scale = (n: number, min = 0): number => Math.max(min, Math.round(n * f));
    out.nSingleUnits = scale(spec.nSingleUnits, 1);
    out.nOverSplitTime = scale(spec.nOverSplitTime);
    out.nOverSplitAmplitude = scale(spec.nOverSplitAmplitude);
    out.nAutoMerged = scale(spec.nAutoMerged);
    out.nMergedPairs = scale(spec.nMergedPairs);
    out.nContaminated = scale(spec.nContaminated);
    out.nDistractors = scale(spec.nDistractors);
    out.nMua = scale(spec.nMua);
    out.nNoise = scale(spec.nNoise, 1);
    out.nUnusedTemplates = scale(spec.nUnusedTemplates);
  }
  if (o.hours !== undefined || o.spikes !== undefined || o.clusters !== undefined) {
    // Room for the target: a quarter of an even share per unit (multi-unit members count ~4 each).
    const nUnits = out.nSingleUnits + out.nDistractors + 4 * out.nMua;
    out.minRate = Math.min(spec.minRate ?? 0.5, (0.25 * out.targetSpikes) / (out.duration * Math.max(1, nUnits)));
  }
  return out;
}

/** True when `name` is a preset name. */
export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}
