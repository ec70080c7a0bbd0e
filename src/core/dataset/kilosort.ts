/**
 * Opens a Kilosort/phy template folder (phylib `TemplateModel`, phy-features §3.1) as a
 * {@link Dataset}: validated, lazily, and without ever writing into the sorter's folder.
 *
 * Eager (one big read each, SharedArrayBuffer-backed when `shared`): `spike_times` (float64
 * samples), `spike_templates`, `spike_clusters` (int32), `amplitudes` (float32), and the small
 * per-channel / per-template arrays. Lazy (headers only at open): `templates.npy`,
 * `pc_features.npy`, `template_features.npy`, `spike_<name>.npy` attributes and the raw data.
 *
 * Every problem becomes a {@link Diagnostic}. A problem in a required file (or one that would
 * make the curation wrong, such as decreasing spike times) is `fatal` and throws a
 * {@link DatasetOpenError}; a problem in an optional file disables only what needs that file.
 */
import type { FileSystem } from '../formats/FileSystem';
import type { ByteSource } from '../formats/ByteSource';
import type { Dataset, RawRecording, SpikeColumns } from './Dataset';
import { closeSource, openRawData, recordingDuration } from './rawData';
import { readChannels } from './kilosort/channels';
import { readClusterTables } from './kilosort/clusterTables';
import { readFeatures } from './kilosort/features';
import { TemplateFolderReader } from './kilosort/folder';
import { readParamsFile } from './kilosort/params';
import { openSpikeAttributes } from './kilosort/spikeAttributes';
import { readAmplitudes, readSpikeClusters, readSpikeTemplates, readSpikeTimes } from './kilosort/spikeColumns';
import { readTemplates } from './kilosort/templates';
import { readWhitening } from './kilosort/whitening';

export { DatasetOpenError } from './DatasetOpenError';
export { invertMatrix } from './kilosort/whitening';

/** Options of {@link openTemplateDataset}. */
export interface TemplateDatasetOptions {
  /**
   * Back the per-spike columns with SharedArrayBuffers so worker threads read them without a
   * copy (default true).
   */
  shared?: boolean;
  /**
   * The per-spike columns of this same folder, already opened and checked by another thread
   * (SharedArrayBuffer-backed): used as they are, and their files are not read. Only the
   * assistant's thread passes them (see `sharedSpikeColumns`).
   */
  columns?: SpikeColumns;
}

/**
 * Opens a Kilosort/phy template folder.
 *
 * @param dir the folder that holds `params.py`
 * @throws DatasetOpenError (a FormatError) when a fatal problem stops the open; it carries every
 *   diagnostic found
 */
export function openTemplateDataset(fs: FileSystem, dir: string, opts: TemplateDatasetOptions = {}): Dataset {
  const shared = opts.shared ?? true;
  const root = fs.resolve(dir);
  const r = new TemplateFolderReader(fs, root, shared);
  try {
    return load(r, root, opts.columns);
  } catch (e) {
    for (const s of r.kept) closeSource(s);
    throw e;
  }
}

/** The four per-spike columns read from the folder (and checked). */
function readColumns(r: TemplateFolderReader, sampleRate: number) {
  const { spikeTimes, timesFile } = readSpikeTimes(r, sampleRate);
  const nSpikes = spikeTimes.length;
  const timesName = r.fs.basename(timesFile);
  const { spikeTemplates, tMax } = readSpikeTemplates(r, nSpikes, timesName);
  const { spikeClusters, spikeClustersLayout } = readSpikeClusters(r, nSpikes, timesName, spikeTemplates);
  const amplitudes = readAmplitudes(r, nSpikes, timesName);
  return { spikeTimes, spikeTemplates, tMax, spikeClusters, spikeClustersLayout, amplitudes, timesName };
}

/** Columns another thread read and checked (see {@link TemplateDatasetOptions.columns}); only the largest template id is computed. */
function givenColumns(c: SpikeColumns) {
  const st = c.spikeTemplates;
  if (!st) throw new Error('a template folder always has spike_templates: these columns are not from one');
  let tMax = -1;
  for (let i = 0; i < st.length; i++) if (st[i] > tMax) tMax = st[i];
  return { ...c, spikeTemplates: st, spikeClustersLayout: c.spikeClustersLayout ?? null, tMax, timesName: 'spike_times.npy' };
}

/** The folder read step by step; each step reports into `r.log` and may throw a DatasetOpenError. */
function load(r: TemplateFolderReader, root: string, given?: SpikeColumns): Dataset {
  const { fs } = r;
  const { params, paramsFile, sampleRate, nChannelsDat } = readParamsFile(r);
  const { spikeTimes, spikeTemplates, tMax, spikeClusters, spikeClustersLayout, amplitudes, timesName } = given
    ? givenColumns(given)
    : readColumns(r, sampleRate);
  const nSpikes = spikeTimes.length;
  const ch = readChannels(r, nChannelsDat);
  const nChannels = ch.nChannels;
  const { templates, similarTemplates, nTemplates } = readTemplates(r, spikeTemplates, tMax, nChannels);
  const whiteningMatInv = readWhitening(r, nChannels);
  const { features, templateFeatures } = readFeatures(r, spikeTemplates, tMax, nChannels, nTemplates);
  const spikeAttributes = openSpikeAttributes(r, nSpikes, timesName);
  const { clusterColumns, clusterGroups, rejectedGroupRows } = readClusterTables(r, spikeClusters);
  const opened = ch.rawUsable ? openRawData(fs, { datPath: params.dat_path, dir: root, origin: paramsFile, dtype: params.dtype, offset: params.offset, nChannelsDat: params.n_channels_dat, sampleRate }, r.log) : null;
  const raw: RawRecording | null = opened ? opened.recording : null;
  let rawSources: ByteSource[] = opened ? opened.sources : [];
  const duration = recordingDuration(raw, spikeTimes, sampleRate, r.log);
  const kept = r.kept;
  return {
    format: 'template',
    path: root,
    dir: root,
    name: fs.basename(root),
    params,
    sampleRate,
    nSpikes,
    nChannels,
    nTemplates,
    duration,
    spikeTimes,
    spikeClusters,
    spikeTemplates,
    amplitudes,
    channelMap: ch.channelMap,
    channelPositions: ch.channelPositions,
    channelShanks: ch.channelShanks,
    channelProbes: ch.channelProbes,
    templates,
    similarTemplates,
    whiteningMatInv,
    features,
    templateFeatures,
    spikeAttributes,
    clusterColumns,
    clusterGroups,
    rejectedGroupRows,
    spikeClustersLayout,
    raw,
    diagnostics: r.log.list,
    close(): void {
      for (const s of kept) closeSource(s);
      for (const s of rawSources) closeSource(s);
      kept.length = 0;
      rawSources = [];
    },
  };
}
