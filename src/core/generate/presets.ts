/**
 * Dataset presets of the generator. Counts are of *true* units and of sorting "errors"; the
 * number of clusters follows from them (e.g. a unit over-split in 3 gives 3 clusters, a merged
 * pair gives 1), and the spike count is steered to `targetSpikes` by scaling firing rates.
 */

/** Preset names accepted by `spikedock generate --preset`. */
export type PresetName = 'small' | 'medium' | 'neuropixels' | 'neuropixels-lite' | 'neuropixels-wide';

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
}

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
  'neuropixels-wide': {
    ...NEUROPIXELS,
    name: 'neuropixels-wide',
    duration: 120,
    nSingleUnits: 1230,
    nOverSplitTime: 60,
    nOverSplitAmplitude: 36,
    nAutoMerged: 30,
    nMergedPairs: 45,
    nContaminated: 75,
    nDistractors: 0,
    nMua: 120,
    nNoise: 75,
    targetSpikes: 300_000,
    defaultRawSeconds: 2,
  },
};

/** True when `name` is a preset name. */
export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}
