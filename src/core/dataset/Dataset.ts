/**
 * The in-memory model of an opened sorting output, whatever its format (Kilosort/phy template
 * folder or Kwik). Per-spike columns the app needs for every spike are typed arrays loaded once
 * (SharedArrayBuffer-backed where the platform allows, so worker threads read them without a
 * copy); everything large (templates, PC features, raw data) is read lazily through sources.
 *
 * Units: times in samples unless the name says otherwise; positions in µm; `sampleRate` in Hz.
 */
import type { Diagnostic } from '../diagnostics';
import type { RemoteFileSpec } from '../formats/BlockByteSource';
import type { NpyDtype, NumericArray } from '../formats/npy';
import type { RawRecording } from '../formats/raw';
import type { RejectedRow } from '../formats/tsv';

/**
 * Which sorter output the dataset came from (`analyzer`: a SpikeInterface SortingAnalyzer folder;
 * `nwb`: an NWB 2.x HDF5 file with a Units table).
 */
export type DatasetFormat = 'template' | 'kwik' | 'analyzer' | 'nwb';

/** Templates, read lazily (`templates.npy` of a Neuropixels sort is 60–130 MB). */
export interface TemplateSource {
  readonly nTemplates: number;
  /** Samples per template waveform (82 for Kilosort). */
  readonly nSamples: number;
  /** Channels stored per template (all channels for dense templates). */
  readonly nChannelsLoc: number;
  /**
   * One template: `data` is (nSamples, nChannelsLoc) float32 C order, whitened as stored;
   * `channels` is (nChannelsLoc,) channel indices (-1 = unused slot).
   */
  getTemplate(templateId: number): { data: Float32Array; channels: Int32Array };
}

/** Per-spike features (PC features of a template folder, or the `.kwx` features of Kwik). */
export interface FeatureSource {
  /** Number of principal components per channel. */
  readonly nPcs: number;
  /** Channels per spike row. */
  readonly nChannelsLoc: number;
  /**
   * Spikes that have features, ascending, or null when every spike has a row
   * (`pc_feature_spike_ids.npy` subsets).
   */
  readonly spikeIds: Int32Array | null;
  /**
   * Features of the given spikes (ascending spike ids, all present in `spikeIds` when it is not
   * null). `data` is (n, nChannelsLoc, nPcs) float32; `channels` is (n, nChannelsLoc) int32
   * channel indices of each row's columns (-1 = unused); `masks` (Kwik only) is (n, nChannelsLoc).
   */
  read(spikeIds: ArrayLike<number>): { data: Float32Array; channels: Int32Array; masks?: Float32Array };
}

export type { RawRecording };

/** A per-spike attribute file such as Kilosort 4's `spike_positions.npy`. */
export interface SpikeAttribute {
  /** Name without the `spike_` prefix, e.g. `positions`. */
  name: string;
  file: string;
  /** Columns per spike (1 or 2 are plotted). */
  nColumns: number;
  /**
   * When `file` is a structured `.npy` (SpikeInterface's `spike_locations.npy`), the record fields
   * of the columns in order (`['x', 'y']`); absent for a plain (nSpikes, nColumns) array.
   */
  fields?: string[];
  /** Values for the given spikes: (n, nColumns) float32. */
  read(spikeIds: ArrayLike<number>): Float32Array;
}

/** One cluster-table column from the sorter (a `cluster_*.tsv` / `*.csv` field). */
export interface ClusterColumn {
  name: string;
  /** The file it came from. */
  file: string;
  values: Map<number, string | number>;
}

/**
 * Rows of `cluster_group.tsv` that the session cannot use — a wrong header, an id that is not a
 * non-negative integer, or a cluster with no spike. A save rewrites `cluster_group.tsv` from the
 * session, so these rows are written aside into `cluster_group.rejected.tsv` (same header) rather
 * than lost; a `tsv.rejectedRows` warning lists them on open.
 */
export interface RejectedClusterRows {
  /** The file they came from (`cluster_group.tsv`). */
  file: string;
  /** Its header line as written. */
  header: string;
  rows: RejectedRow[];
}

/**
 * How the sorter wrote `spike_clusters.npy`: its dtype (`uint32` for Kilosort 2/2.5, `int32` or
 * `int64` for others) and shape (`(N,)` or MATLAB's `(N, 1)`). A save writes the file back in
 * the same layout, so tools that check it (and phylib, which squeezes and casts to int32) keep
 * reading it the same way.
 */
export interface SpikeClustersLayout {
  dtype: NpyDtype;
  shape: number[];
}

/** Kwik-specific selection (channel group and clustering). */
export interface KwikSelection {
  channelGroup: number;
  channelGroups: number[];
  clustering: string;
  clusterings: string[];
}

/**
 * What a SpikeInterface `SortingAnalyzer` adds to the common columns: its unit ids and how they
 * became cluster ids, the extensions found, and the files worker threads read by themselves.
 */
export interface AnalyzerInfo {
  /** SpikeInterface version that wrote the analyzer (`spikeinterface_info.json`). */
  version: string;
  /** How the analyzer was saved (`SortingAnalyzer.save_as(format=...)`). */
  storage: 'binary_folder' | 'zarr';
  /** Unit ids as written (`sorting/numpysorting_info.json`), in unit-index order. */
  unitIds: Array<string | number>;
  /** (nUnits,) cluster id of each unit index. */
  unitClusterIds: Int32Array;
  /**
   * True when cluster ids are unit indices (unit ids not all distinct non-negative integers);
   * the original ids are then the `unit_id` cluster column.
   */
  idsMapped: boolean;
  /** Extension folders found under `extensions/`, sorted. */
  extensions: string[];
  /** (nChannels,) noise level of each channel (`noise_levels` extension), in the templates' units; null when absent. */
  noiseLevels: Float32Array | null;
  /** Files worker threads open themselves (null when absent or unusable). */
  workerFiles: {
    /** Dense `(nUnits, nSamples, nChannels)` `extensions/templates/average.npy`. */
    templates: string | null;
    /** `pca_projection.npy` (nSampled, nPcs, nLoc), the sampled spikes' ids and (nUnits, nLoc) channel of each column (-1 unused). */
    features: { file: string; spikeIdsFile: string; ind: Int32Array } | null;
  };
  /**
   * Zarr analyzers: the decoded `.npy` bytes (SharedArrayBuffer-backed) of the files worker
   * threads read (templates, PC features and their spike ids, spike locations), by the path in
   * {@link workerFiles}; workers read them in place instead of opening a file. Null for a
   * `binary_folder`.
   */
  memoryFiles: ReadonlyMap<string, Uint8Array> | null;
}

/** What an NWB file adds to the common columns: which tables were read and how units became clusters. */
export interface NwbInfo {
  /** `nwb_version` of the file's root. */
  version: string;
  /** HDF5 path of the Units table read (`/units`). */
  units: string;
  /** Other Units tables of the file, not read (a chooser on open is a later slice). */
  otherUnits: string[];
  /** HDF5 path of the ElectricalSeries read as raw data, or null. */
  electricalSeries: string | null;
  /** Other ElectricalSeries of the file, not read. */
  otherSeries: string[];
  /** Where the sample rate came from: the ElectricalSeries (`rate` or `timestamps`) or the 30 kHz default. */
  rateSource: 'rate' | 'timestamps' | 'default';
  /** Seconds subtracted from spike times before conversion to samples (the series' `starting_time`). */
  t0: number;
  /** Unit ids (`/units/id`), in unit-index order. */
  unitIds: number[];
  /** (nUnits,) cluster id of each unit index. */
  unitClusterIds: Int32Array;
  /** True when cluster ids are unit indices; the original ids are then the `unit_id` column. */
  idsMapped: boolean;
}

/** How a remote dataset is read (issue #15 slice 5). */
export interface RemoteDatasetInfo {
  /** The file as every thread reads it (workers get it with the raw data's spec). */
  spec: RemoteFileSpec;
  /** Bytes this process's reader of the file has received from the network so far. */
  networkBytes(): number;
  /** Bytes it has read through the block cache so far (network + disk cache). */
  bytesRead(): number;
}

/**
 * (nSpikes,) spike times in samples. Readers store them as `Uint32Array` when the last time is
 * below 2^32 samples (4 bytes a spike: 1.2 GB instead of 2.4 GB at 300 M spikes) and as
 * `Float64Array` otherwise (longer recordings, negative or fractional times). Both index to the
 * same numbers, so code that reads `t[i]` works on either.
 */
export type SpikeTimes = Float64Array | Uint32Array;

/**
 * (nSpikes,) template id of each spike. A template folder's load as `Uint16Array` when every id
 * is below 65 536 (Kilosort makes hundreds to a few thousand templates: 2 bytes a spike, 600 MB
 * less than int32 at 300 M spikes), else `Int32Array`; both index to the same numbers.
 */
export type SpikeTemplateIds = Int32Array | Uint16Array;

/** An opened dataset. */
export interface Dataset {
  readonly format: DatasetFormat;
  /** Folder (template, analyzer) or `.kwik` / `.nwb` file path, as resolved. */
  readonly path: string;
  /** Folder that holds the dataset's files (where `.spikedock/` lives). */
  readonly dir: string;
  /** Short display name. */
  readonly name: string;
  /** `params.py` (keys lower-cased) or the Kwik metadata as key/values. */
  readonly params: Record<string, unknown>;
  readonly sampleRate: number;
  readonly nSpikes: number;
  /** Displayed channels (length of `channel_map`). */
  readonly nChannels: number;
  /** 0 for Kwik. */
  readonly nTemplates: number;
  /**
   * Seconds: the larger of the raw data's length and the last spike's time (see
   * `recordingDuration`; a `raw.short` warning says when the raw data ends before the spikes).
   */
  readonly duration: number;
  /**
   * (nSpikes,) spike times in samples, non-decreasing: `Uint32Array` when every time is below
   * 2^32 samples (39.7 h at 30 kHz; half the memory), else `Float64Array` (exact to 2^53).
   */
  readonly spikeTimes: SpikeTimes;
  /** (nSpikes,) cluster of each spike as stored on disk when opened. */
  readonly spikeClusters: Int32Array;
  /**
   * (nSpikes,) original template of each spike (`Uint16Array` when every id is below 65 536, see
   * `SpikeTemplateIds`); null for Kwik.
   */
  readonly spikeTemplates: SpikeTemplateIds | null;
  /** (nSpikes,) template scaling amplitudes (`amplitudes.npy`); null when absent. */
  readonly amplitudes: Float32Array | null;
  /** (nChannels,) raw-file column of each displayed channel. */
  readonly channelMap: Int32Array;
  /** (nChannels, 2) x, y in µm, C order. */
  readonly channelPositions: Float32Array;
  /** (nChannels,) shank of each channel (zeros when unknown). */
  readonly channelShanks: Int32Array;
  /** (nChannels,) probe of each channel (zeros when unknown). */
  readonly channelProbes: Int32Array;
  readonly templates: TemplateSource | null;
  /** (nTemplates, nTemplates) float32 C order, or null when absent. */
  readonly similarTemplates: Float32Array | null;
  /** (nChannels, nChannels) float64 C order; identity when absent (and never written). */
  readonly whiteningMatInv: Float64Array | null;
  readonly features: FeatureSource | null;
  readonly templateFeatures: FeatureSource | null;
  readonly spikeAttributes: SpikeAttribute[];
  /** Sorter cluster columns (KSLabel, ContamPct, custom `cluster_<name>.tsv`…), group excluded. */
  readonly clusterColumns: ClusterColumn[];
  /** Cluster groups as saved (`cluster_group.tsv` or Kwik `cluster_group`). */
  readonly clusterGroups: Map<number, string>;
  /** Layout of the sorter's `spike_clusters.npy` (absent or null: there was none; saved as int32 (N,)). */
  readonly spikeClustersLayout?: SpikeClustersLayout | null;
  /** Rows of `cluster_group.tsv` that could not be used (absent or null: none). */
  readonly rejectedGroupRows?: RejectedClusterRows | null;
  readonly raw: RawRecording | null;
  /** Everything found wrong or missing while opening. */
  readonly diagnostics: Diagnostic[];
  readonly kwik?: KwikSelection;
  readonly analyzer?: AnalyzerInfo;
  readonly nwb?: NwbInfo;
  /** A remote file (`path` is its URL; `dir` the per-URL folder of its saves and journal). */
  readonly remote?: RemoteDatasetInfo;
  /** Releases file handles. */
  close(): void;
}

/**
 * The per-spike columns of an opened {@link Dataset} that another thread can take instead of
 * reading the files again (`openTemplateDataset`'s `columns`): SharedArrayBuffer-backed arrays
 * are shared by `postMessage`, not copied, so the assistant's thread and the main thread hold
 * one copy (2 GB at 100 M spikes before this, measured; see decision 0013).
 */
export type SpikeColumns = Pick<Dataset, 'spikeTimes' | 'spikeClusters' | 'spikeTemplates' | 'amplitudes' | 'spikeClustersLayout'>;

/**
 * The dataset's per-spike columns when every one is SharedArrayBuffer-backed (then posting them
 * to a worker thread shares them), else null.
 */
export function sharedSpikeColumns(ds: Dataset): SpikeColumns | null {
  const arrays = [ds.spikeTimes, ds.spikeClusters, ds.spikeTemplates, ds.amplitudes];
  if (typeof SharedArrayBuffer === 'undefined' || !arrays.every((a) => a === null || a.buffer instanceof SharedArrayBuffer)) return null;
  return { spikeTimes: ds.spikeTimes, spikeClusters: ds.spikeClusters, spikeTemplates: ds.spikeTemplates, amplitudes: ds.amplitudes, spikeClustersLayout: ds.spikeClustersLayout ?? null };
}

/** Converts any numeric column to Int32Array (copying only when needed). */
export function toInt32(a: NumericArray): Int32Array {
  if (a instanceof Int32Array) return a;
  const out = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i];
  return out;
}

/**
 * Spike times that fit in [0, 2^32) samples as a `Uint32Array` (half the memory of float64; see
 * {@link SpikeTimes}), others as they are. Copies (the float64 array is dropped by the caller).
 */
export function compactSpikeTimes(t: Float64Array, shared: boolean): SpikeTimes {
  const n = t.length;
  // Non-decreasing, so the first and last bound them; every value must still be an integer.
  if (n && !(t[0] >= 0 && t[n - 1] < 2 ** 32)) return t;
  for (let i = 0; i < n; i++) if (Math.floor(t[i]) !== t[i]) return t;
  const out = shared && typeof SharedArrayBuffer !== 'undefined' ? new Uint32Array(new SharedArrayBuffer(n * 4)) : new Uint32Array(n);
  out.set(t);
  return out;
}
