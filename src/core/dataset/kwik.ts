/**
 * Opens a Kwik dataset (klusta `KwikModel`, kwik_version 2, phy-features §3.6) as a
 * {@link Dataset}: `x.kwik` (spikes, clusterings, cluster groups, channels), `x.kwx` (features and
 * masks, read lazily) and the raw `.dat` it names.
 *
 * The HDF5 library is injected (`h5`), so this loader stays pure; `src/main/openDataset.ts` wires
 * h5wasm. Nothing is written.
 */
import type { Feature } from '../diagnostics';
import type { FileSystem } from '../formats/FileSystem';
import type { Hdf5Opener, Hdf5Reader } from '../formats/hdf5';
import { attrNumber, attrNumbers, attrString, attrStrings } from '../formats/hdf5';
import type { NumericArray } from '../formats/npy';
import type { Dataset, FeatureSource, KwikSelection, RawRecording } from './Dataset';
import { DiagnosticLog } from './DiagnosticLog';
import type { ByteSource } from '../formats/ByteSource';
import { closeSource, openRawData, RAW_FEATURES, recordingDuration } from './rawData';

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

function numericKeys(keys: string[]): number[] {
  return keys.filter((k) => /^\d+$/.test(k)).map(Number).sort((a, b) => a - b);
}

function sharedCopy<T extends Float64Array | Int32Array>(Ctor: { new (b: ArrayBufferLike): T; new (n: number): T; BYTES_PER_ELEMENT: number }, src: ArrayLike<number>, shared: boolean): T {
  const out = shared && typeof SharedArrayBuffer !== 'undefined' ? new Ctor(new SharedArrayBuffer(src.length * Ctor.BYTES_PER_ELEMENT)) : new Ctor(src.length);
  if (ArrayBuffer.isView(src) && (src as NumericArray).constructor === out.constructor) (out as unknown as Float64Array).set(src as unknown as Float64Array);
  else for (let i = 0; i < src.length; i++) out[i] = src[i];
  return out;
}

/** A JSON-friendly copy of an attribute (typed arrays become number lists). */
function plainValue(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) {
    const a = Array.from(v as NumericArray);
    return a.length === 1 ? a[0] : a;
  }
  if (Array.isArray(v) && v.length === 1) return v[0];
  return v;
}

/**
 * Features and masks from `.kwx:/channel_groups/G/features_masks` ((nSpikes, nChannels·nPcs, 2)
 * float32: `[..., 0]` features, `[:, ::nPcs, 1]` masks). Rows are read on demand.
 */
class KwxFeatureSource implements FeatureSource {
  readonly spikeIds = null;

  constructor(
    private readonly kwx: Hdf5Reader,
    private readonly dataset: string,
    readonly nChannelsLoc: number,
    readonly nPcs: number,
    private readonly nSpikes: number,
  ) {}

  read(spikeIds: ArrayLike<number>): { data: Float32Array; channels: Int32Array; masks: Float32Array } {
    const n = spikeIds.length;
    const nc = this.nChannelsLoc;
    const np = this.nPcs;
    const width = nc * np * 2;
    const data = new Float32Array(n * nc * np);
    const masks = new Float32Array(n * nc);
    const channels = new Int32Array(n * nc);
    let k = 0;
    while (k < n) {
      // One HDF5 read per run of consecutive spikes.
      let j = k + 1;
      while (j < n && spikeIds[j] === spikeIds[j - 1] + 1) j++;
      const start = spikeIds[k];
      if (!(Number.isInteger(start) && start >= 0 && spikeIds[j - 1] < this.nSpikes)) throw new RangeError(`spike ${start} out of range (${this.nSpikes} spikes)`);
      const rows = this.kwx.read(this.dataset, { start, end: spikeIds[j - 1] + 1 });
      for (let i = k; i < j; i++) {
        const base = (i - k) * width;
        for (let c = 0; c < nc; c++) {
          for (let p = 0; p < np; p++) data[(i * nc + c) * np + p] = rows[base + (c * np + p) * 2];
          masks[i * nc + c] = rows[base + c * np * 2 + 1];
          channels[i * nc + c] = c;
        }
      }
      k = j;
    }
    return { data, channels, masks };
  }
}

function openOrFatal(h5: Hdf5Opener, path: string, log: DiagnosticLog): Hdf5Reader {
  try {
    return h5(path);
  } catch (e) {
    return log.fatalFrom(e, path);
  }
}

/**
 * Opens a `.kwik` file.
 *
 * @param h5 opens an HDF5 file for reading (h5wasm in `src/main`)
 * @throws DatasetOpenError when a fatal problem stops the open (not a Kwik file, unknown channel
 *   group or clustering, missing or inconsistent spikes)
 */
export function openKwikDataset(fs: FileSystem, h5: Hdf5Opener, kwikPath: string, opts: KwikDatasetOptions = {}): Dataset {
  const shared = opts.shared ?? true;
  const log: DiagnosticLog = new DiagnosticLog();
  const path = fs.resolve(kwikPath);
  const dir = fs.dirname(path);
  const st = fs.stat(path);
  if (!st) return log.fatal(path, 'file.missing', 'file not found');
  if (st.isDirectory) log.fatal(path, 'file.unreadable', 'is a folder, expected a .kwik file');
  const kwik: Hdf5Reader = openOrFatal(h5, path, log);
  const opened: Hdf5Reader[] = [kwik];
  let rawSources: ByteSource[] = [];
  try {
    const ds = load();
    return ds;
  } catch (e) {
    for (const o of opened) o.close();
    for (const s of rawSources) closeSource(s);
    throw e;
  }

  function load(): Dataset {
    const version = attrNumber(kwik.attr('/', 'kwik_version'));
    if (version === undefined) log.fatal(path, 'kwik.notKwik', 'not a Kwik file: the HDF5 root has no kwik_version attribute');
    if (version !== 2) log.fatal(path, 'kwik.version', `unsupported kwik_version ${version} (only version 2, written by klusta, is supported)`);

    // Channel group and clustering ---------------------------------------------------------------
    const channelGroups = numericKeys(kwik.keys('/channel_groups'));
    if (!channelGroups.length) log.fatal(path, 'kwik.noChannelGroup', 'the file has no /channel_groups');
    const channelGroup = opts.channelGroup ?? channelGroups[0];
    if (!channelGroups.includes(channelGroup)) {
      log.fatal(path, 'kwik.channelGroup', `channel group ${channelGroup} not found (the file has channel group${channelGroups.length > 1 ? 's' : ''} ${channelGroups.join(', ')})`);
    }
    const G = `/channel_groups/${channelGroup}`;
    const clusterings = kwik.keys(`${G}/spikes/clusters`).filter((k) => kwik.kind(`${G}/spikes/clusters/${k}`) === 'dataset');
    if (!clusterings.length) log.fatal(path, 'kwik.noClustering', `channel group ${channelGroup} has no clustering (${G}/spikes/clusters is empty)`);
    const clustering = opts.clustering ?? (clusterings.includes('main') ? 'main' : clusterings[0]);
    if (!clusterings.includes(clustering)) {
      log.fatal(path, 'kwik.clustering', `clustering '${clustering}' not found (the file has ${clusterings.map((c) => `'${c}'`).join(', ')})`);
    }

    // Spikes -------------------------------------------------------------------------------------
    const readOrFatal = (p: string): NumericArray => {
      if (kwik.kind(p) !== 'dataset') log.fatal(path, 'kwik.missing', `${p} not found`);
      try {
        return kwik.read(p);
      } catch (e) {
        return log.fatalFrom(e, path, `${p}: `);
      }
    };
    const timeSamples = readOrFatal(`${G}/spikes/time_samples`);
    const nSpikes = timeSamples.length;
    const spikeTimes = sharedCopy(Float64Array, timeSamples, shared);
    const recPath = `${G}/spikes/recording`;
    const recordings = numericKeys(kwik.keys('/recordings'));
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
    const clustersPath = `${G}/spikes/clusters/${clustering}`;
    const clu = readOrFatal(clustersPath);
    if (clu.length !== nSpikes) log.fatal(path, 'lengths.mismatch', `${clustersPath} has ${clu.length} entries but ${G}/spikes/time_samples has ${nSpikes}`);
    const spikeClusters = sharedCopy(Int32Array, clu, shared);
    for (let i = 0; i < nSpikes; i++) {
      if (!(spikeClusters[i] >= 0) || spikeClusters[i] !== clu[i]) log.fatal(path, 'spikeClusters.negative', `${clustersPath}: spike ${i} has cluster ${clu[i]} (cluster ids must be integers ≥ 0)`);
    }

    // Cluster groups ---------------------------------------------------------------------------------
    const groupNames = new Map<number, string>(Object.entries(DEFAULT_GROUP_NAMES).map(([k, v]) => [Number(k), v]));
    for (const g of numericKeys(kwik.keys(`${G}/cluster_groups/${clustering}`))) {
      const name = attrString(kwik.attr(`${G}/cluster_groups/${clustering}/${g}`, 'name'));
      if (name) groupNames.set(g, name.toLowerCase());
    }
    const clusterGroups = new Map<number, string>();
    for (const id of numericKeys(kwik.keys(`${G}/clusters/${clustering}`))) {
      const g = attrNumber(kwik.attr(`${G}/clusters/${clustering}/${id}`, 'cluster_group'));
      if (g !== undefined) clusterGroups.set(id, groupNames.get(g) ?? String(g));
    }

    // Channels ---------------------------------------------------------------------------------------
    const channelKeys = numericKeys(kwik.keys(`${G}/channels`));
    let order = attrNumbers(kwik.attr(G, 'channel_order'));
    if (!order) {
      log.add('warning', path, 'kwik.channelOrder', `${G} has no channel_order attribute: using the channels listed in ${G}/channels in numeric order`);
      order = channelKeys;
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
    const channelProbes = new Int32Array(nChannels);

    // Metadata ---------------------------------------------------------------------------------------
    const SD = '/application_data/spikedetekt';
    const params: Record<string, unknown> = { kwik_version: version };
    for (const name of kwik.attrNames(SD)) params[name.toLowerCase()] = plainValue(kwik.attr(SD, name));
    let sampleRate = attrNumber(kwik.attr(SD, 'sample_rate')) ?? (recordings.length ? attrNumber(kwik.attr(`/recordings/${recordings[0]}`, 'sample_rate')) : undefined);
    if (!(sampleRate !== undefined && sampleRate > 0)) {
      log.add('warning', path, 'params.sampleRate', 'no sample_rate in /application_data/spikedetekt nor /recordings: using 1 Hz, so times and rates are in samples, not seconds');
      sampleRate = 1;
    }

    // Features (.kwx) ----------------------------------------------------------------------------------
    const features = openKwx();

    function openKwx(): FeatureSource | null {
      const disables: Feature[] = ['features'];
      const kwxPath = path.replace(/\.kwik$/i, '') + '.kwx';
      const kst = fs.stat(kwxPath);
      if (!kst || kst.isDirectory) {
        log.add('warning', kwxPath, 'kwik.kwxMissing', `${fs.basename(kwxPath)} not found next to ${fs.basename(path)}: features and masks are unavailable`, disables);
        return null;
      }
      let kwx: Hdf5Reader;
      try {
        kwx = h5(kwxPath);
      } catch (e) {
        log.from(e, kwxPath, 'error', disables, '; features disabled');
        return null;
      }
      opened.push(kwx);
      const fm = `${G}/features_masks`;
      const info = kwx.info(fm);
      const fail = (code: string, message: string): null => {
        log.add('error', kwxPath, code, `${fm}: ${message}; features disabled`, disables);
        return null;
      };
      if (!info) return fail('kwik.noFeatures', 'not found');
      const s = info.shape;
      if (s.length !== 3 || s[2] !== 2) return fail('npy.shape', `expected (n_spikes, n_channels × n_features, 2) but got (${s.join(', ')})`);
      if (s[0] !== nSpikes) return fail('lengths.mismatch', `has ${s[0]} rows but the .kwik has ${nSpikes} spikes`);
      const nfpc = attrNumber(kwik.attr(SD, 'n_features_per_channel')) ?? (nChannels > 0 ? s[1] / nChannels : 0);
      if (!(Number.isInteger(nfpc) && nfpc > 0 && s[1] === nChannels * nfpc)) {
        return fail('lengths.mismatch', `has ${s[1]} columns, not ${nChannels} channels × ${nfpc} features per channel`);
      }
      return new KwxFeatureSource(kwx, fm, nChannels, nfpc, nSpikes);
    }

    // Raw data -----------------------------------------------------------------------------------------
    let raw: RawRecording | null = null;
    const nChannelsDat = attrNumber(kwik.attr(SD, 'n_channels'));
    let rawUsable = true;
    if (nChannelsDat !== undefined) {
      for (let i = 0; i < nChannels; i++) {
        if (channelMap[i] < 0 || channelMap[i] >= nChannelsDat) {
          log.add('error', path, 'channelMap.outOfRange', `channel ${channelMap[i]} of ${G} channel_order is not a column of the raw data (n_channels = ${nChannelsDat}): raw data cannot be mapped to channels`, RAW_FEATURES);
          rawUsable = false;
          break;
        }
      }
    }
    if (rawUsable) {
      const named: string[] = [];
      for (const r of recordings) {
        const p = attrString(kwik.attr(`/recordings/${r}/raw`, 'dat_path'));
        if (p) named.push(p);
      }
      const datPath = named.length ? named : (attrStrings(kwik.attr(SD, 'raw_data_files')) ?? [fs.basename(path).replace(/\.kwik$/i, '') + '.dat']);
      const rawOpened = openRawData(fs, { datPath, dir, origin: path, dtype: attrString(kwik.attr(SD, 'dtype')) ?? 'int16', offset: 0, nChannelsDat, sampleRate, stillWorks: 'features and curation' }, log);
      if (rawOpened) {
        raw = rawOpened.recording;
        rawSources = rawOpened.sources;
      }
    }

    const selection: KwikSelection = { channelGroup, channelGroups, clustering, clusterings };
    const duration = recordingDuration(raw, spikeTimes, sampleRate, log);
    return {
      format: 'kwik',
      path,
      dir,
      name: fs.basename(path),
      params,
      sampleRate,
      nSpikes,
      nChannels,
      nTemplates: 0,
      duration,
      spikeTimes,
      spikeClusters,
      spikeTemplates: null,
      amplitudes: null,
      channelMap,
      channelPositions,
      channelShanks,
      channelProbes,
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
        for (const o of opened) o.close();
        for (const s of rawSources) closeSource(s);
        opened.length = 0;
        rawSources = [];
      },
    };
  }
}
