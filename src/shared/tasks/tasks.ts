/**
 * Typed task specs of the compute worker pool (GUIDE §4): a task is a name plus its argument and
 * result types, so `pool.run(tasks.correlograms, args, { signal, lane })` is fully typed and the
 * handler in `src/native-workers/handlers` implements exactly that signature.
 *
 * Per-spike columns travel inside a {@link DatasetHandle} backed by SharedArrayBuffers: posting
 * one to a worker shares the memory (no copy); workers cache what they derive from it (opened
 * raw/feature/template readers, template summaries) by `handle.id`. Large results come back as
 * transferables. Times are samples unless named otherwise; channel indices index the dataset's
 * displayed channels (`channel_map` order).
 */
import type { RefractoryStats } from '../ipc/contract';
import type { MergePreviewMetrics, MergeVerdict } from '../../core/metrics/mergePreview';
import type { RefractoryCounts } from '../../core/compute/spikeStats';
import type { SpikeTemplateIds, SpikeTimes } from '../../core/dataset/Dataset';
import type { DriftClick, DriftDensity, DriftDepthSource, DriftGrid, DriftPart } from '../../core/compute/drift';
import type { RemoteFileSpec } from '../../core/formats/BlockByteSource';
import type { SpikeAssignment } from '../../core/session/SpikeAssignment';

/** Where a worker reads the raw recording from (it opens its own file handles). */
export interface RawSpec {
  /** Files concatenated in time. */
  files: string[];
  /** Sample dtype name (`int16`, `float32`, …). */
  dtype: string;
  /** Bytes to skip at the start of each file (`offset` in params.py). */
  offset: number;
  nChannelsDat: number;
  sampleRate: number;
  /** Raw value × gain = `unit`. */
  gain: number;
  unit: string;
  /**
   * When set, the samples are this HDF5 dataset of `files[0]` (an NWB ElectricalSeries' `data`,
   * (nSamples, nChannelsDat)), read through h5wasm, not flat bytes; `dtype` and `offset` are unused.
   */
  hdf5Dataset?: string;
  /** When set, `files[0]` is this remote file's URL, read by range requests through the shared block cache. */
  remote?: RemoteFileSpec;
}

/** Kilosort/phy template files a worker reads itself. */
export interface TemplateFileSpec {
  /** `templates.npy`: (nTemplates, nSamples, nLoc) float32. */
  file: string;
  /** `template_ind.npy` (nTemplates, nLoc) for sparse templates, else null (dense). */
  indFile: string | null;
}

/**
 * PC feature files a worker reads itself (rows read lazily, never whole): a Kilosort/phy
 * folder's, or a SpikeInterface analyzer's `principal_components` (whose channel index is built
 * from `sparsity_mask.npy` and sent as `ind`).
 */
export interface FeatureFileSpec {
  /** `pc_features.npy` (or the analyzer's `pca_projection.npy`): (nRows, nPcs, nLoc) float32. */
  file: string;
  /** `pc_feature_ind.npy`: (nTemplates, nLoc) channel of each column per template; ignored when `ind` is given. */
  indFile: string;
  /** (nTemplates, nLoc) channel of each column per template, when no file holds it. */
  ind?: Int32Array;
  /** `pc_feature_spike_ids.npy` (the analyzer's `random_spikes_indices.npy`) when features exist for a subset of spikes, else null. */
  spikeIdsFile: string | null;
}

/**
 * What workers know about one opened dataset. Typed arrays here are SharedArrayBuffer-backed
 * (created once by the ComputeService), so sending a handle never copies spike data.
 */
export interface DatasetHandle {
  /** Unique per opened dataset (and per ComputeService): the workers' cache key. */
  id: string;
  sampleRate: number;
  nSpikes: number;
  /** Seconds. */
  duration: number;
  nChannels: number;
  /** (nSpikes,) samples, non-decreasing (uint32 when the recording allows; see `SpikeTimes`). */
  spikeTimes: SpikeTimes;
  /** The live clustering (spike → segment → cluster, shared; `clusterOfSpike` reads it). */
  assignment: SpikeAssignment;
  /** (nSpikes,) original template of each spike, or null (Kwik). */
  spikeTemplates: SpikeTemplateIds | null;
  /** (nSpikes,) template scaling amplitudes, or null. */
  amplitudes: Float32Array | null;
  /** (nChannels,) raw-file column of each displayed channel. */
  channelMap: Int32Array;
  /** (nChannels, 2) µm. */
  channelPositions: Float32Array;
  /** (nChannels,) */
  channelShanks: Int32Array;
  /** (nChannels, nChannels) float64 or null (identity). */
  whiteningMatInv: Float64Array | null;
  raw: RawSpec | null;
  templates: TemplateFileSpec | null;
  features: FeatureFileSpec | null;
  /** Spike times grouped by cluster (built once in the background; null until then). */
  clusterTimes?: ClusterTimes | null;
  /** The sorter's per-spike positions (`spike_positions.npy`, (nSpikes, nColumns) x, y µm) when the dataset has them, else null. */
  spikePositions?: { file: string; fields?: string[] } | null;
  /** Every spike's depth for DriftView (built once, lazily, by the `spikeDepths` task; null until then). */
  spikeDepths?: SpikeDepths | null;
  /**
   * Files held in memory (a Zarr analyzer's decoded `.npy` files, SharedArrayBuffer-backed so a
   * handle never copies them), by the path the specs above name; a worker reads these in place
   * instead of opening the path.
   */
  memoryFiles?: ReadonlyMap<string, Uint8Array> | null;
}

/** Every spike's depth, µm, and where it comes from (DriftView; `spikeDepths` task). */
export interface SpikeDepths {
  source: DriftDepthSource;
  /** (nSpikes,) float32 µm on a SharedArrayBuffer (NaN: no depth); empty when `source` is `none`. */
  depths: Float32Array;
  /** Finite min and max of `depths` (NaN when none is finite). */
  min: number;
  max: number;
}

/** Builds {@link SpikeDepths} from the handle's positions file or templates. */
export interface SpikeDepthsArgs {
  dataset: DatasetHandle;
  source: DriftDepthSource;
  /**
   * Fill only spikes [from, to) of this shared (nSpikes,) array (the build split across threads;
   * the result's `depths` is then this array and min/max are the part's). Absent: all spikes,
   * into a new shared array.
   */
  into?: { depths: Float32Array; from: number; to: number };
}

/** DriftView's density of every spike (`dataset.spikeDepths` must be built). */
export interface DriftDensityArgs {
  dataset: DatasetHandle;
  grid: DriftGrid;
  /** One share of the spikes (the image split across threads), absent: all. */
  part?: DriftPart;
}

/** The spike a click on DriftView means (`spikeOfDensestCluster`; `dataset.spikeDepths` must be built). */
export interface DriftPickArgs {
  dataset: DatasetHandle;
  click: DriftClick;
}

/**
 * Every spike's time (samples) grouped by the cluster it had when this was built, in spike
 * order within each cluster (SharedArrayBuffers): cluster id `c`'s spike times are
 * `times[offsets[c] .. offsets[c + 1])`. A cluster id always names one fixed set of spikes, so
 * the slice of an id stays valid after later merges and splits (new ids are simply absent:
 * `c ≥ offsets.length − 1` or an empty slice). Lets a worker read a cluster's times as one
 * contiguous run instead of one scattered read per spike.
 */
export interface ClusterTimes {
  /** (maxClusterId + 2,) */
  offsets: Int32Array;
  /** (nSpikes,) samples, of the spike times' element type (uint32 or float64, see `SpikeTimes`). */
  times: SpikeTimes;
}

/** Builds {@link ClusterTimes} from the handle's current clustering. */
export interface ClusterTimesArgs {
  dataset: DatasetHandle;
}

/** A task: its name (the handler key) and, as phantom types, its arguments and result. */
export interface TaskSpec<A, R> {
  readonly name: string;
  /** Type carriers only; never set. */
  readonly _args?: A;
  readonly _result?: R;
}

function task<A, R>(name: string): TaskSpec<A, R> {
  return { name };
}

/** Spike-id lists of several clusters, concatenated: list k is `spikeIds[offsets[k]..offsets[k+1])`. */
export interface SpikeLists {
  clusterIds: number[];
  /** Ascending within each list. */
  spikeIds: Int32Array;
  /** (nClusters + 1,) */
  offsets: Int32Array;
}

export interface CorrelogramsArgs extends SpikeLists {
  dataset: DatasetHandle;
  /** Seconds. */
  binSize: number;
  windowSize: number;
  refractoryPeriod: number;
  /** Spikes per cluster used for the correlograms (regular subsample); statistics use all. */
  maxSpikes: number;
  /**
   * One part of a selection split by time across threads (absent: the whole lists). The lists
   * are then a contiguous piece of each cluster's full list: `firstPos[k]` is the position of
   * list k's first spike in the full list of `fullLength[k]` spikes (so the regular subsample
   * picks the same spikes as on the full list). Spikes with id ≥ `refEnd` are partners only:
   * neither reference spikes nor counted in the statistics. The result then carries
   * `oneSided` counts to be summed over parts and per-part statistics
   * (`nSpikes` and `nViolations` of consecutive pairs inside the part).
   */
  part?: { firstPos: Int32Array; fullLength: Int32Array; refEnd: number };
}

export interface CorrelogramsResult {
  nBins: number;
  /** (n, n, nBins) int32 symmetric counts (empty for a part). */
  counts: Int32Array;
  /** A part's (n, n, half + 1) one-sided counts. */
  oneSided?: Int32Array;
  /** (nBins,) the ACG of the union of the trains (`mergedCorrelogram`), when n ≥ 2 and not a part. */
  merged?: Int32Array;
  /** (n,) Hz over the whole recording. */
  firingRates: Float32Array;
  stats: RefractoryStats[];
}

/** The merge preview of a selection (`mergePreview` handler): every spike of each cluster. */
export interface MergePreviewArgs extends SpikeLists {
  dataset: DatasetHandle;
  /** Seconds: for the union's refractory statistics (the CorrelogramView readout). */
  refractoryPeriod: number;
}

export interface MergePreviewResult {
  /** SpikeInterface's metrics of the union train. */
  merged: MergePreviewMetrics;
  /** The same of each cluster, in list order. */
  parts: MergePreviewMetrics[];
  /** The union's refractory statistics (`refractoryStatsOfTimes`). */
  mergedStats: RefractoryCounts;
  verdict: MergeVerdict;
}

export interface AllPairsArgs {
  dataset: DatasetHandle;
  /** Clusters (rows of the output), in output order. */
  clusterIds: number[];
  /** Output rows [rowStart, rowEnd) of this part: the reference clusters it counts (partners are all clusters). */
  rowStart: number;
  rowEnd: number;
  binSize: number;
  windowSize: number;
}

export interface AllPairsResult {
  /** (rowEnd − rowStart, n, half + 1) one-sided counts of this part's rows. */
  oneSided: Int32Array;
  half: number;
}

export interface HistogramsArgs extends SpikeLists {
  dataset: DatasetHandle;
  kind: 'isi' | 'firingRate';
  /** ISI: bin width and range max, seconds. */
  binSize: number;
  max: number;
  /** Firing rate: bins over the recording. */
  nBins: number;
}

export interface HistogramsResult {
  nBins: number;
  /** Seconds. */
  start: number;
  binSize: number;
  /** (nClusters, nBins) */
  values: Float32Array;
}

export interface WaveformsArgs {
  dataset: DatasetHandle;
  clusters: Array<{ clusterId: number; spikeIds: Int32Array; channelIds: Int32Array }>;
  /** Samples per waveform and samples before the spike time. */
  nSamples: number;
  nBefore: number;
  filter: boolean;
  /** Return every spike's waveform (false: only the mean). */
  withSpikes: boolean;
}

export interface WaveformsResult {
  unit: string;
  clusters: Array<{
    clusterId: number;
    /** (nSpikes, nSamples, nCh) float32 in `unit` (empty when !withSpikes). */
    data: Float32Array;
    /** (nSamples, nCh) */
    mean: Float32Array;
  }>;
}

export interface RawAmplitudesArgs {
  dataset: DatasetHandle;
  spikeIds: Int32Array;
  /** Per spike: the channel to measure on (the best channel of its cluster). */
  channelIds: Int32Array;
  nSamples: number;
  nBefore: number;
  filter: boolean;
}

export interface RawAmplitudesResult {
  unit: string;
  /** (n,) peak-to-peak amplitude. */
  amplitudes: Float32Array;
}

export interface TracesArgs {
  dataset: DatasetHandle;
  /** Samples [start, end). */
  start: number;
  end: number;
  channelIds: Int32Array;
  filter: boolean;
  /** Target pixel width (0 = never decimate). */
  width: number;
  /**
   * When given, the result is written into this shared output instead of returned (`data` of
   * the result is then empty): `data` is the whole window's output — (nTimes, nChannels) samples
   * or (width, nChannels, 2) envelope — and this task fills its channels' columns from
   * `channelOffset`. Lets one window be split by channels across threads with no merge copy.
   */
  into?: { data: Float32Array; nChannels: number; channelOffset: number };
}

/** Whether a trace window of `nTimes` samples is decimated to `width` columns (min/max envelope). */
export function tracesUseEnvelope(nTimes: number, width: number): boolean {
  return width > 0 && nTimes > 2 * width;
}

export interface TracesResult {
  unit: string;
  mode: 'samples' | 'envelope';
  nTimes: number;
  /** Samples per column of `data`. */
  samplesPerColumn: number;
  data: Float32Array;
}

export interface FeaturesArgs {
  dataset: DatasetHandle;
  /**
   * Spike sets to read. A set with a `cacheKey` names a fixed spike set (e.g. the background
   * candidates, the same for every selection): the worker keeps its feature rows under that key
   * and reads the file only the first time.
   */
  sets: Array<{ clusterId: number; spikeIds: Int32Array; cacheKey?: string }>;
  /** Channels whose PCs are returned (1 or 2). */
  channelIds: number[];
}

export interface FeaturesResult {
  nPcs: number;
  /**
   * Per set: `features` (n, channelIds.length, nPcs) float32, 0 where a spike has no feature on
   * a channel; `present` (n, channelIds.length) 1 where it has.
   */
  sets: Array<{ clusterId: number; features: Float32Array; present: Uint8Array }>;
}

/**
 * Outlier removal (`core/cleanup/outliers.ts`) over every spike of one cluster, in a worker (the
 * background lane): the PC features are read a chunk at a time, never all rows at once.
 */
export interface OutliersArgs {
  dataset: DatasetHandle;
  /** (n,) the cluster's spikes that have PC feature rows, ascending. */
  spikeIds: Int32Array;
  /** The channels whose PCs make the feature vector (the cluster's best channels). */
  channelIds: number[];
  /** χ² quantile of the threshold (0–1, e.g. 0.999). */
  quantile: number;
}

export interface OutliersResult {
  /** Spike ids whose squared Mahalanobis distance exceeds the threshold, ascending. */
  outliers: Int32Array;
  /** Spikes measured: those with features on every one of the channels (the others stay). */
  nMeasured: number;
  /** Dimensions: channels × PCs. */
  nDims: number;
  /** χ²_ppf(quantile, nDims). */
  threshold: number;
}

/** Re-cluster one cluster (background lane): every spike's features, a mixture chosen by BIC (`core/cleanup/recluster.ts`). */
export interface ReclusterArgs {
  dataset: DatasetHandle;
  /** (n,) the cluster's spikes, ascending. */
  spikeIds: Int32Array;
  /** The cluster's best channels (indices), whose PCs are the features. */
  channelIds: number[];
  /** Forced number of parts (1–6); default chosen by BIC. */
  n?: number;
  seed?: number;
}

export interface ReclusterTaskResult {
  /** (n,) part of each spike, 0 = largest. */
  labels: Int32Array;
  k: number;
  /** BIC per number of components tried (NaN where not tried). */
  bics: Float64Array;
  /** Feature dimensions used, and spikes the mixture was fitted on. */
  d: number;
  nFit: number;
}

export interface TemplateInfoArgs {
  dataset: DatasetHandle;
  templateIds: number[];
}

export interface TemplateInfoResult {
  /** Per template: peak channel index and unwhitened peak-to-peak amplitude. */
  peakChannels: Int32Array;
  amplitudes: Float32Array;
}

/** Every task the workers run. */
export const tasks = {
  correlograms: task<CorrelogramsArgs, CorrelogramsResult>('correlograms'),
  mergePreview: task<MergePreviewArgs, MergePreviewResult>('mergePreview'),
  allPairsCorrelograms: task<AllPairsArgs, AllPairsResult>('allPairsCorrelograms'),
  histograms: task<HistogramsArgs, HistogramsResult>('histograms'),
  waveforms: task<WaveformsArgs, WaveformsResult>('waveforms'),
  rawAmplitudes: task<RawAmplitudesArgs, RawAmplitudesResult>('rawAmplitudes'),
  traces: task<TracesArgs, TracesResult>('traces'),
  features: task<FeaturesArgs, FeaturesResult>('features'),
  clusterTimes: task<ClusterTimesArgs, ClusterTimes>('clusterTimes'),
  templateInfo: task<TemplateInfoArgs, TemplateInfoResult>('templateInfo'),
  outliers: task<OutliersArgs, OutliersResult>('outliers'),
  spikeDepths: task<SpikeDepthsArgs, SpikeDepths>('spikeDepths'),
  driftDensity: task<DriftDensityArgs, DriftDensity>('driftDensity'),
  driftPick: task<DriftPickArgs, { spikeId: number }>('driftPick'),
  recluster: task<ReclusterArgs, ReclusterTaskResult>('recluster'),
} as const;

/** Names of all tasks. */
export type TaskName = (typeof tasks)[keyof typeof tasks]['name'];

/** The message the pool posts for one task (pool-internal envelope). */
export interface TaskMessage {
  name: string;
  args: unknown;
  /** Int32Array(1) on a SharedArrayBuffer: set to 1 by the pool when the caller aborts. */
  cancel: Int32Array;
}

/** Thrown inside a handler that noticed its cancel flag. */
export const CANCELLED_MESSAGE = 'spikedock: task cancelled';
