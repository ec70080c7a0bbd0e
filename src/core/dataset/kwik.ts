/**
 * Opens a Kwik dataset (klusta `KwikModel`, kwik_version 2, phy-features §3.6) as a
 * {@link Dataset}: `x.kwik` (spikes, clusterings, cluster groups, channels), `x.kwx` (features and
 * masks, read lazily) and the raw `.dat` it names.
 *
 * The HDF5 library is injected (`h5`), so this loader stays pure; `src/main/openDataset.ts` wires
 * h5wasm. Nothing is written.
 */
import type { FileSystem } from '../formats/FileSystem';
import type { Hdf5Opener } from '../formats/hdf5';
import { attrNumber, attrNumbers, attrString, attrStrings } from '../formats/hdf5';
import { compactSpikeTimes, type Dataset, type KwikSelection, type SpikeTimes } from './Dataset';
import { DiagnosticLog } from './DiagnosticLog';
import { closeSource, openRawData, RAW_FEATURES, recordingDuration } from './rawData';
import { openKwx } from './kwik/features';
import { numericKeys, openOrFatal, plainValue, readOrFatal, sharedCopy, SPIKEDETEKT, type KwikFile } from './kwik/KwikFile';

export { DatasetOpenError } from './DatasetOpenError';

/** Options of {@link openKwikDataset}. */
export interface KwikDatasetOptions {
  /** Channel group (shank) to open; default the first one. */
  channelGroup?: number;
  /** Clustering to open; default `main` (else the first one). */
  clustering?: string;
  /** Back per-spike columns with SharedArrayBuffers (default true). */
  shared?: boolean;
}

/** klusta's group ids, used when the file has no `/cluster_groups` names. */
const DEFAULT_GROUP_NAMES: Record<number, string> = { 0: 'noise', 1: 'mua', 2: 'good', 3: 'unsorted' };

/** Spacing of the linear layout used when channel positions are missing, µm. */
const LINEAR_PITCH_UM = 20;

/**
 * Opens a `.kwik` file.
 *
 * @param h5 opens an HDF5 file for reading (h5wasm in `src/main`)
 * @throws DatasetOpenError when a fatal problem stops the open (not a Kwik file, unknown channel
 *   group or clustering, missing or inconsistent spikes)
 */
export function openKwikDataset(fs: FileSystem, h5: Hdf5Opener, kwikPath: string, opts: KwikDatasetOptions = {}): Dataset {
  const log: DiagnosticLog = new DiagnosticLog();
  const path = fs.resolve(kwikPath);
  const st = fs.stat(path);
  if (!st) return log.fatal(path, 'file.missing', 'file not found');
  if (st.isDirectory) log.fatal(path, 'file.unreadable', 'is a folder, expected a .kwik file');
  const kwik = openOrFatal(h5, path, log);
  const k: KwikFile = { fs, h5, log, path, dir: fs.dirname(path), kwik, opened: [kwik], rawSources: [], shared: opts.shared ?? true };
  try {
    return load(k, opts);
  } catch (e) {
    for (const o of k.opened) o.close();
    for (const s of k.rawSources) closeSource(s);
    throw e;
  }
}

/** The file read step by step; each step reports into `k.log` and may throw a DatasetOpenError. */
function load(k: KwikFile, opts: KwikDatasetOptions): Dataset {
  const { fs, log, path, dir } = k;
  const version = readVersion(k);
  const selection = selectClustering(k, opts);
  const G = `/channel_groups/${selection.channelGroup}`;
  const recordings = numericKeys(k.kwik.keys('/recordings'));
  const spikeTimes = readSpikeTimes(k, G, recordings);
  const nSpikes = spikeTimes.length;
  const spikeClusters = readSpikeClusters(k, G, selection.clustering, nSpikes);
  const clusterGroups = readClusterGroups(k, G, selection.clustering);
  const ch = readChannels(k, G, selection.channelGroup);
  const { params, sampleRate } = readMetadata(k, version, recordings);
  const features = openKwx(k, G, ch.nChannels, nSpikes);
  const rawOpened = openKwikRaw(k, G, ch.channelMap, recordings, sampleRate);
  if (rawOpened) k.rawSources = rawOpened.sources;
  const raw = rawOpened ? rawOpened.recording : null;
  const duration = recordingDuration(raw, spikeTimes, sampleRate, log);
  return {
    format: 'kwik',
    path,
    dir,
    name: fs.basename(path),
    params,
    sampleRate,
    nSpikes,
    nChannels: ch.nChannels,
    nTemplates: 0,
    duration,
    spikeTimes,
    spikeClusters,
    spikeTemplates: null,
    amplitudes: null,
    channelMap: ch.channelMap,
    channelPositions: ch.channelPositions,
    channelShanks: ch.channelShanks,
    channelProbes: ch.channelProbes,
    templates: null,
    similarTemplates: null,
    whiteningMatInv: null,
    features,
    templateFeatures: null,
    spikeAttributes: [],
    clusterColumns: [],
    clusterGroups,
    raw,
    diagnostics: log.list,
    kwik: selection,
    close(): void {
      for (const o of k.opened) o.close();
      for (const s of k.rawSources) closeSource(s);
      k.opened.length = 0;
      k.rawSources = [];
    },
  };
}

/** `kwik_version` of the root: only 2 (klusta's) is supported. */
function readVersion(k: KwikFile): number {
  const version = attrNumber(k.kwik.attr('/', 'kwik_version'));
  if (version === undefined) k.log.fatal(k.path, 'kwik.notKwik', 'not a Kwik file: the HDF5 root has no kwik_version attribute');
  if (version !== 2) k.log.fatal(k.path, 'kwik.version', `unsupported kwik_version ${version} (only version 2, written by klusta, is supported)`);
  return version;
}

/** The channel group (default the first) and clustering (default `main`, else the first) to open. */
function selectClustering(k: KwikFile, opts: KwikDatasetOptions): KwikSelection {
  const { kwik, log, path } = k;
  const channelGroups = numericKeys(kwik.keys('/channel_groups'));
  if (!channelGroups.length) log.fatal(path, 'kwik.noChannelGroup', 'the file has no /channel_groups');
  const channelGroup = opts.channelGroup ?? channelGroups[0];
  if (!channelGroups.includes(channelGroup)) {
    log.fatal(path, 'kwik.channelGroup', `channel group ${channelGroup} not found (the file has channel group${channelGroups.length > 1 ? 's' : ''} ${channelGroups.join(', ')})`);
  }
  const G = `/channel_groups/${channelGroup}`;
  const clusterings = kwik.keys(`${G}/spikes/clusters`).filter((c) => kwik.kind(`${G}/spikes/clusters/${c}`) === 'dataset');
  if (!clusterings.length) log.fatal(path, 'kwik.noClustering', `channel group ${channelGroup} has no clustering (${G}/spikes/clusters is empty)`);
  const clustering = opts.clustering ?? (clusterings.includes('main') ? 'main' : clusterings[0]);
  if (!clusterings.includes(clustering)) {
    log.fatal(path, 'kwik.clustering', `clustering '${clustering}' not found (the file has ${clusterings.map((c) => `'${c}'`).join(', ')})`);
  }
  return { channelGroup, channelGroups, clustering, clusterings };
}

/**
 * `time_samples`, shifted by each recording's `start_sample` when several are concatenated; must
 * not decrease. Compacted to uint32 when they fit (see SpikeTimes).
 */
function readSpikeTimes(k: KwikFile, G: string, recordings: number[]): SpikeTimes {
  const { kwik, log, path } = k;
  const timeSamples = readOrFatal(k, `${G}/spikes/time_samples`);
  const nSpikes = timeSamples.length;
  const spikeTimes = sharedCopy(Float64Array, timeSamples, k.shared);
  const recPath = `${G}/spikes/recording`;
  if (recordings.length > 1 && kwik.kind(recPath) === 'dataset') {
    // Several recordings are concatenated in time; each spike's sample is relative to its
    // recording, so add the recording's `start_sample`.
    const rec = kwik.read(recPath);
    if (rec.length !== nSpikes) log.fatal(path, 'lengths.mismatch', `${recPath} has ${rec.length} entries but ${G}/spikes/time_samples has ${nSpikes}`);
    const start = new Map<number, number>();
    for (const r of recordings) start.set(r, attrNumber(kwik.attr(`/recordings/${r}`, 'start_sample')) ?? 0);
    for (let i = 0; i < nSpikes; i++) spikeTimes[i] += start.get(rec[i]) ?? 0;
  }
  for (let i = 1; i < nSpikes; i++) {
    if (!(spikeTimes[i] >= spikeTimes[i - 1])) {
      log.fatal(path, 'spikeTimes.decreasing', `${G}/spikes/time_samples must be non-decreasing, but spike ${i} (${spikeTimes[i]} samples) comes before spike ${i - 1} (${spikeTimes[i - 1]} samples)`);
    }
  }
  return compactSpikeTimes(spikeTimes, k.shared);
}

/** The chosen clustering's cluster of every spike (integers ≥ 0, one per spike). */
function readSpikeClusters(k: KwikFile, G: string, clustering: string, nSpikes: number): Int32Array {
  const clustersPath = `${G}/spikes/clusters/${clustering}`;
  const clu = readOrFatal(k, clustersPath);
  if (clu.length !== nSpikes) k.log.fatal(k.path, 'lengths.mismatch', `${clustersPath} has ${clu.length} entries but ${G}/spikes/time_samples has ${nSpikes}`);
  const spikeClusters = sharedCopy(Int32Array, clu, k.shared);
  for (let i = 0; i < nSpikes; i++) {
    if (!(spikeClusters[i] >= 0) || spikeClusters[i] !== clu[i]) k.log.fatal(k.path, 'spikeClusters.negative', `${clustersPath}: spike ${i} has cluster ${clu[i]} (cluster ids must be integers ≥ 0)`);
  }
  return spikeClusters;
}

/** Each cluster's group name (the file's `/cluster_groups` names, else klusta's defaults). */
function readClusterGroups(k: KwikFile, G: string, clustering: string): Map<number, string> {
  const { kwik } = k;
  const groupNames = new Map<number, string>(Object.entries(DEFAULT_GROUP_NAMES).map(([id, v]) => [Number(id), v]));
  for (const g of numericKeys(kwik.keys(`${G}/cluster_groups/${clustering}`))) {
    const name = attrString(kwik.attr(`${G}/cluster_groups/${clustering}/${g}`, 'name'));
    if (name) groupNames.set(g, name.toLowerCase());
  }
  const clusterGroups = new Map<number, string>();
  for (const id of numericKeys(kwik.keys(`${G}/clusters/${clustering}`))) {
    const g = attrNumber(kwik.attr(`${G}/clusters/${clustering}/${id}`, 'cluster_group'));
    if (g !== undefined) clusterGroups.set(id, groupNames.get(g) ?? String(g));
  }
  return clusterGroups;
}

/** The channels of a channel group: `channel_order` (else the listed channels) and their positions. */
function readChannels(k: KwikFile, G: string, channelGroup: number): Pick<Dataset, 'nChannels' | 'channelMap' | 'channelPositions' | 'channelShanks' | 'channelProbes'> {
  const { kwik, log, path } = k;
  let order = attrNumbers(kwik.attr(G, 'channel_order'));
  if (!order) {
    log.add('warning', path, 'kwik.channelOrder', `${G} has no channel_order attribute: using the channels listed in ${G}/channels in numeric order`);
    order = numericKeys(kwik.keys(`${G}/channels`));
  }
  const channelMap = Int32Array.from(order);
  const nChannels = channelMap.length;
  const channelPositions = new Float32Array(nChannels * 2);
  let missingPos = 0;
  for (let i = 0; i < nChannels; i++) {
    const p = attrNumbers(kwik.attr(`${G}/channels/${channelMap[i]}`, 'position'));
    if (p && p.length >= 2) {
      channelPositions[2 * i] = p[0];
      channelPositions[2 * i + 1] = p[1];
    } else {
      missingPos++;
    }
  }
  if (missingPos) {
    log.add('warning', path, 'kwik.channelPositions', `${missingPos} of ${nChannels} channels have no position: using a linear layout (${LINEAR_PITCH_UM} µm pitch)`);
    for (let i = 0; i < nChannels; i++) {
      channelPositions[2 * i] = 0;
      channelPositions[2 * i + 1] = i * LINEAR_PITCH_UM;
    }
  }
  // A channel group is a shank in klusta's probe files.
  const channelShanks = new Int32Array(nChannels).fill(channelGroup);
  return { nChannels, channelMap, channelPositions, channelShanks, channelProbes: new Int32Array(nChannels) };
}

/** spikedetekt's attributes as `params`, and the sample rate (spikedetekt's, else the first recording's, else 1 Hz). */
function readMetadata(k: KwikFile, version: number, recordings: number[]): { params: Record<string, unknown>; sampleRate: number } {
  const { kwik } = k;
  const params: Record<string, unknown> = { kwik_version: version };
  for (const name of kwik.attrNames(SPIKEDETEKT)) params[name.toLowerCase()] = plainValue(kwik.attr(SPIKEDETEKT, name));
  let sampleRate = attrNumber(kwik.attr(SPIKEDETEKT, 'sample_rate')) ?? (recordings.length ? attrNumber(kwik.attr(`/recordings/${recordings[0]}`, 'sample_rate')) : undefined);
  if (!(sampleRate !== undefined && sampleRate > 0)) {
    k.log.add('warning', k.path, 'params.sampleRate', 'no sample_rate in /application_data/spikedetekt nor /recordings: using 1 Hz, so times and rates are in samples, not seconds');
    sampleRate = 1;
  }
  return { params, sampleRate };
}

/**
 * The raw data the file names (each recording's `dat_path`, else spikedetekt's `raw_data_files`,
 * else `x.dat`), or null when absent or when `channel_order` does not fit its columns.
 */
function openKwikRaw(k: KwikFile, G: string, channelMap: Int32Array, recordings: number[], sampleRate: number): ReturnType<typeof openRawData> {
  const { fs, kwik, log, path } = k;
  const nChannelsDat = attrNumber(kwik.attr(SPIKEDETEKT, 'n_channels'));
  if (nChannelsDat !== undefined) {
    for (let i = 0; i < channelMap.length; i++) {
      if (channelMap[i] < 0 || channelMap[i] >= nChannelsDat) {
        log.add('error', path, 'channelMap.outOfRange', `channel ${channelMap[i]} of ${G} channel_order is not a column of the raw data (n_channels = ${nChannelsDat}): raw data cannot be mapped to channels`, RAW_FEATURES);
        return null;
      }
    }
  }
  const named: string[] = [];
  for (const r of recordings) {
    const p = attrString(kwik.attr(`/recordings/${r}/raw`, 'dat_path'));
    if (p) named.push(p);
  }
  const datPath = named.length ? named : (attrStrings(kwik.attr(SPIKEDETEKT, 'raw_data_files')) ?? [fs.basename(path).replace(/\.kwik$/i, '') + '.dat']);
  return openRawData(fs, { datPath, dir: k.dir, origin: path, dtype: attrString(kwik.attr(SPIKEDETEKT, 'dtype')) ?? 'int16', offset: 0, nChannelsDat, sampleRate, stillWorks: 'features and curation' }, log);
}
