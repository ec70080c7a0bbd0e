/**
 * Opens a SpikeInterface `SortingAnalyzer` saved with `format="binary_folder"` as a
 * {@link Dataset}: lazily, through the same pieces as the template folder, and without writing
 * into the analyzer. Layout followed: SpikeInterface 0.105.0, `core/sortinganalyzer.py`
 * (`SortingAnalyzer.create_binary_folder` / `load_from_binary_folder`):
 *
 * ```
 * <analyzer>/spikeinterface_info.json   {"version", "dev_mode", "object": "SortingAnalyzer"}
 *            settings.json              {"return_in_uV", "peak_sign", "peak_mode"}
 *            sorting/                   NumpyFolderSorting (analyzer/sorting.ts)
 *            sorting_provenance.json    (not read)
 *            recording.json | .pickle   the recording's provenance (analyzer/recording.ts)
 *            recording_info/recording_attributes.json, probegroup.json (analyzer/probe.ts)
 *            sparsity_mask.npy          (nUnits, nChannels) bool, when sparse
 *            extensions/<name>/         (analyzer/extensions.ts)
 * ```
 *
 * Eager: the spike vector's sample and unit columns (→ times, templates = unit indices,
 * clusters), amplitudes, similarity, the small JSON files. Lazy: templates, PC features, spike
 * locations, raw data.
 *
 * A Zarr analyzer ({@link openZarrAnalyzerDataset}) is decoded at open into the files of this
 * layout (`analyzer/zarrFiles.ts`), held in memory, and read by the same steps.
 *
 * Files a spikedock save wrote beside the analyzer's own (`spike_clusters.npy`,
 * `cluster_group.tsv`, `cluster_<field>.tsv`) are read back as for a template folder: inside a
 * `binary_folder`, and in the folder holding a Zarr store (never inside the store).
 */
import type { FileSystem } from '../formats/FileSystem';
import { OverlayFileSystem } from '../formats/OverlayFileSystem';
import { ZarrHierarchy, type ZarrStore } from '../formats/zarr';
import { DiagnosticLog } from './DiagnosticLog';
import { zarrAnalyzerFiles } from './analyzer/zarrFiles';
import type { ByteSource } from '../formats/ByteSource';
import type { ClusterColumn, Dataset, RawRecording } from './Dataset';
import { closeSource, recordingDuration } from './rawData';
import { mergeClusterColumns, readClusterTables } from './kilosort/clusterTables';
import { TemplateFolderReader } from './kilosort/folder';
import { readSpikeClusters } from './kilosort/spikeColumns';
import { readJsonFile } from './analyzer/json';
import { readAnalyzerChannels, readRecordingAttributes } from './analyzer/probe';
import { readAnalyzerSorting, readSortingProperties } from './analyzer/sorting';
import { openAnalyzerRecording } from './analyzer/recording';
import {
  AnalyzerExtensions,
  readAnalyzerAmplitudes,
  readAnalyzerFeatures,
  readAnalyzerMetrics,
  readAnalyzerNoiseLevels,
  readAnalyzerSimilarity,
  readAnalyzerSpikeLocations,
  readAnalyzerTemplates,
} from './analyzer/extensions';

/** Options of {@link openAnalyzerDataset}. */
export interface AnalyzerDatasetOptions {
  /** SharedArrayBuffer-backed per-spike columns (default true). */
  shared?: boolean;
}

/** The file that marks a SpikeInterface folder (`SortingAnalyzer`, recording or sorting folders). */
export const ANALYZER_INFO_FILE = 'spikeinterface_info.json';

/**
 * Opens a SortingAnalyzer `binary_folder`.
 * @param dir the analyzer folder (the one holding `spikeinterface_info.json`)
 * @throws DatasetOpenError (a FormatError) when a fatal problem stops the open
 */
export function openAnalyzerDataset(fs: FileSystem, dir: string, opts: AnalyzerDatasetOptions = {}): Dataset {
  const root = fs.resolve(dir);
  const r = new TemplateFolderReader(fs, root, opts.shared ?? true, { expected: 'a SpikeInterface SortingAnalyzer folder' });
  try {
    if (/\.zarr$/i.test(root) || r.names.includes('.zattrs') || r.names.includes('.zmetadata') || r.names.includes('zarr.json')) {
      r.log.fatal(root, 'analyzer.zarr', 'a Zarr store, not a binary_folder: open it as a Zarr analyzer (openZarrAnalyzerDataset)');
    }
    return load(r, root, null);
  } catch (e) {
    for (const s of r.kept) closeSource(s);
    throw e;
  }
}

/**
 * Opens a SortingAnalyzer saved with `format="zarr"`: its arrays are decoded once (async, through
 * `store`) into the files of the `binary_folder` layout, held in memory, and read by the same
 * steps as a `binary_folder`. Only the extension data the views use is decoded
 * (`analyzer/zarrFiles.ts`). A recording the analyzer names is read from `fs` as for a
 * `binary_folder` (its relative paths are relative to the store's folder); what a spikedock save
 * writes goes to the folder holding the store (read back from there), never into the store.
 * @param fs the file system holding the store (and its recording), for everything not in the store
 * @param store the store's keys (a local folder, or any async key → bytes map)
 * @param path the store's path in `fs` (the `.zarr` folder; for a remote store, the local folder
 *   standing for it, e.g. its cache: the decoded files are shown under it and a save goes beside it)
 * @throws DatasetOpenError (a FormatError) when a fatal problem stops the open
 */
export async function openZarrAnalyzerDataset(fs: FileSystem, store: ZarrStore, path: string, opts: AnalyzerDatasetOptions = {}): Promise<Dataset> {
  const root = fs.resolve(path);
  const shared = opts.shared ?? true;
  const log = new DiagnosticLog();
  let files: Map<string, Uint8Array>;
  try {
    const h = await ZarrHierarchy.open(store);
    const info = h.node('')!.attrs.spikeinterface_info as { object?: unknown } | undefined;
    if (!info) log.fatal(root, 'analyzer.notAnalyzer', 'the Zarr store has no spikeinterface_info attribute: not a SpikeInterface SortingAnalyzer');
    files = await zarrAnalyzerFiles(h, log, shared);
  } catch (e) {
    return log.fatalFrom(e, root);
  }
  const overlay = new OverlayFileSystem(fs, root, files);
  const r = new TemplateFolderReader(overlay, root, shared, { log, expected: 'a SpikeInterface SortingAnalyzer Zarr store' });
  const savedDir = fs.dirname(root);
  try {
    return load(r, root, { savedDir, memoryFiles: overlay });
  } catch (e) {
    for (const s of r.kept) closeSource(s);
    throw e;
  }
}

/** How a Zarr analyzer differs from a `binary_folder` for {@link load}. */
interface ZarrOrigin {
  /** The folder holding the store, where a save writes (and the phy files are read back from). */
  savedDir: string;
  /** The decoded files (worker threads get the ones they read). */
  memoryFiles: OverlayFileSystem;
}

/** The folder read step by step; each step reports into `r.log` and may throw a DatasetOpenError. */
function load(r: TemplateFolderReader, root: string, zarr: ZarrOrigin | null): Dataset {
  const { fs, log, shared } = r;
  const info = readJsonFile(r, ANALYZER_INFO_FILE, 'it says which SpikeInterface object the folder holds')!;
  if (info.object !== 'SortingAnalyzer') {
    log.fatal(r.path(ANALYZER_INFO_FILE), 'analyzer.notAnalyzer', `the folder holds a SpikeInterface ${JSON.stringify(info.object)}, not a SortingAnalyzer (open the analyzer made from it)`);
  }
  const version = typeof info.version === 'string' ? info.version : 'unknown';
  if (!r.names.includes('recording_info')) log.fatal(r.path('recording_info'), 'file.missing', 'recording_info/ not found (required: it names the channels); this is not a SortingAnalyzer binary_folder');
  const recInfo = r.sub('recording_info', 'the recording_info folder of a SortingAnalyzer');
  const attrs = readRecordingAttributes(recInfo);
  const sorting = readAnalyzerSorting(r);
  const { sampleRate, unitIds, unitClusterIds, idsMapped, unitIndex, spikeTimes } = sorting;
  if (attrs.sampleRate !== null && Math.abs(attrs.sampleRate - sampleRate) > 1e-6 * sampleRate) {
    log.add('warning', attrs.file, 'analyzer.sampleRate', `the recording's sampling_frequency (${attrs.sampleRate} Hz) differs from the sorting's (${sampleRate} Hz); using the sorting's`);
  }
  const nSpikes = spikeTimes.length;
  const nUnits = unitIds.length;
  const nChannels = attrs.nChannels;
  const channels = readAnalyzerChannels(recInfo, attrs);

  // A spikedock save writes spike_clusters.npy beside the analyzer's files; else clusters are the units.
  const side = zarr ? savedFilesReader(r, root, zarr.savedDir) : r;
  let spikeClusters: Int32Array;
  let spikeClustersLayout = null;
  if (side?.names.includes('spike_clusters.npy')) {
    ({ spikeClusters, spikeClustersLayout } = readSpikeClusters(side, nSpikes, 'sorting/spikes.npy', unitIndex));
  } else {
    spikeClusters = shared && typeof SharedArrayBuffer !== 'undefined' ? new Int32Array(new SharedArrayBuffer(nSpikes * 4)) : new Int32Array(nSpikes);
    for (let i = 0; i < nSpikes; i++) spikeClusters[i] = unitClusterIds[unitIndex[i]];
  }

  const ext = new AnalyzerExtensions(r);
  const { templates, file: templatesFile } = readAnalyzerTemplates(ext, nUnits, nChannels);
  const similarTemplates = readAnalyzerSimilarity(ext, nUnits);
  const amplitudes = readAnalyzerAmplitudes(ext, nSpikes, shared);
  const noiseLevels = readAnalyzerNoiseLevels(ext, nChannels);
  const pcs = readAnalyzerFeatures(r, ext, unitIndex, nUnits, nChannels);
  const locations = readAnalyzerSpikeLocations(ext, nSpikes);
  const clusterColumns: ClusterColumn[] = [];
  if (idsMapped) {
    const values = new Map<number, string | number>();
    unitIds.forEach((u, i) => values.set(unitClusterIds[i], u));
    clusterColumns.push({ name: 'unit_id', file: sorting.spikesFile.replace(/spikes\.npy$/, 'numpysorting_info.json'), values });
  }
  // Later sources win on a name clash: unit properties, then metrics, then what a save wrote.
  const properties = readSortingProperties(r, unitClusterIds);
  const saved = side ? readClusterTables(side, spikeClusters) : { clusterColumns: [], clusterGroups: new Map<number, string>(), rejectedGroupRows: null };
  mergeClusterColumns(clusterColumns, [...properties.columns, ...readAnalyzerMetrics(ext, unitIds, unitClusterIds), ...saved.clusterColumns]);

  // Last: nothing after it throws, so its sources need no closing on a failed open.
  const opened = openAnalyzerRecording(fs, root, r.names, attrs.channelIds, sampleRate, log);
  const raw: RawRecording | null = opened ? opened.recording : null;
  let rawSources: ByteSource[] = opened ? opened.sources : [];
  const duration = Math.max(recordingDuration(raw, spikeTimes, sampleRate, log), attrs.nSamples !== null ? attrs.nSamples / sampleRate : 0);
  const kept = r.kept;
  return {
    format: 'analyzer',
    path: root,
    dir: zarr ? zarr.savedDir : root,
    name: fs.basename(root),
    params: { sample_rate: sampleRate, spikeinterface_version: version, n_channels: nChannels, channel_ids: attrs.channelIds, ...(opened ? opened.params : {}) },
    sampleRate,
    nSpikes,
    nChannels,
    nTemplates: nUnits,
    duration,
    spikeTimes,
    spikeClusters,
    spikeTemplates: unitIndex,
    amplitudes,
    channelMap: opened ? opened.channelMap : Int32Array.from({ length: nChannels }, (_, i) => i),
    channelPositions: channels.channelPositions,
    channelShanks: channels.channelShanks,
    channelProbes: channels.channelProbes,
    templates,
    similarTemplates,
    whiteningMatInv: null,
    features: pcs ? pcs.features : null,
    templateFeatures: null,
    spikeAttributes: locations ? [locations] : [],
    clusterColumns,
    // A save's cluster_group.tsv, else the sorting's `quality` property.
    clusterGroups: side?.names.includes('cluster_group.tsv') || !properties.groups ? saved.clusterGroups : properties.groups,
    rejectedGroupRows: saved.rejectedGroupRows,
    spikeClustersLayout,
    raw,
    diagnostics: log.list,
    analyzer: {
      version,
      storage: zarr ? 'zarr' : 'binary_folder',
      unitIds,
      unitClusterIds,
      idsMapped,
      extensions: ext.names,
      noiseLevels,
      workerFiles: { templates: templatesFile, features: pcs ? { file: pcs.file, spikeIdsFile: pcs.spikeIdsFile, ind: pcs.ind } : null },
      memoryFiles: zarr ? workerMemoryFiles(zarr.memoryFiles, [templatesFile, pcs?.file, pcs?.spikeIdsFile, locations?.file]) : null,
    },
    close(): void {
      for (const s of [...kept, ...rawSources]) closeSource(s);
      kept.length = 0;
      rawSources = [];
    },
  };
}

/**
 * The reader of the folder holding a Zarr store, where a save writes its phy files; null (with a
 * warning when saved files are there) when the folder also holds another analyzer store or NWB
 * file, whose saves would share those files.
 */
function savedFilesReader(r: TemplateFolderReader, root: string, dir: string): TemplateFolderReader | null {
  const side = new TemplateFolderReader(r.fs, dir, r.shared, { log: r.log, expected: 'the folder of a Zarr analyzer' });
  const own = r.fs.basename(root);
  const siblings = side.names.filter((n) => /\.(zarr|nwb)$/i.test(n) && n !== own);
  if (!siblings.length) return side;
  if (side.names.includes('spike_clusters.npy')) {
    r.log.add('warning', root, 'analyzer.sharedFolder', `the folder also holds ${siblings.join(', ')}: the saved phy files beside them (spike_clusters.npy, cluster_group.tsv, …) are not read back; keep each Zarr analyzer in a folder of its own to keep its curation in files`);
  }
  return null;
}

/** The decoded files worker threads open (by path), SharedArrayBuffer-backed. */
function workerMemoryFiles(fs: OverlayFileSystem, paths: Array<string | null | undefined>): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const p of paths) {
    const bytes = p ? fs.memoryFile(p) : undefined;
    if (p && bytes) out.set(p, bytes);
  }
  return out;
}
