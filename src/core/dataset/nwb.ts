/**
 * Opens an NWB 2.x HDF5 file with a Units table as a {@link Dataset}, read-only and lazily
 * (issue #15 slice 3; scope in docs/decisions/0012-ecosystem-inputs.md). Followed: nwb-schema
 * `core/nwb.misc.yaml` (Units: `spike_times` float64 seconds with `spike_times_index`,
 * `electrodes` + `electrodes_index`, `waveform_mean` (units × samples [× electrodes])),
 * `core/nwb.ecephys.yaml` (ElectricalSeries: `data` time × channels, `electrodes` region,
 * `data.conversion`), `core/nwb.base.yaml` (TimeSeries `starting_time` with its `rate`
 * attribute, or `timestamps`), hdmf-common-schema `common/table.yaml` (see `nwb/tables.ts`).
 *
 * ```
 * /                                  neurodata_type NWBFile, nwb_version
 * /units  (or /processing/<m>/<Units>)  id, spike_times, spike_times_index, electrodes(_index),
 *                                    waveform_mean, other 1-d columns (metrics, quality, …)
 * /general/extracellular_ephys/electrodes   id, rel_x, rel_y | x, y, group_name, …
 * /acquisition/<ElectricalSeries>    data (nTimes, nChannels), starting_time@rate | timestamps,
 *                                    electrodes (rows of the electrodes table)
 * ```
 *
 * Eager: the spike times (every spike's cluster is needed by the session, so the ragged column
 * is read whole, once, then merged in time), the Units columns, the electrodes table. Lazy: the
 * templates (one unit's `waveform_mean` row per read) and the raw data (row windows of the
 * series' `data`, chunked and compressed datasets included, through the HDF5 library).
 *
 * Nothing is written into the `.nwb`: a save writes phy files beside it (`spike_clusters.npy`,
 * `cluster_group.tsv`, …), which are read back here as for a template folder.
 */
import { anyBasename, type FileSystem } from '../formats/FileSystem';
import { attrNumber, attrString, type Hdf5Opener, type Hdf5Reader } from '../formats/hdf5';
import type { NumericArray } from '../formats/npy';
import { createRowsRawRecording, type RawRecording } from '../formats/raw';
import type { ClusterColumn, Dataset, RemoteDatasetInfo, SpikeTimes, TemplateSource } from './Dataset';
import { argsortUint32 } from '../argsort';
import { DiagnosticLog } from './DiagnosticLog';
import { closeSource, RAW_FEATURES, recordingDuration } from './rawData';
import { mergeClusterColumns, readClusterTables } from './kilosort/clusterTables';
import { TemplateFolderReader } from './kilosort/folder';
import { readSpikeClusters } from './kilosort/spikeColumns';
import { openOrFatal } from './kwik/KwikFile';
import { clusterIdsForUnits, qualityGroups } from './analyzer/sorting';
import { colnames, findElectricalSeries, findUnitsTables, raggedColumn, readElectrodes, readRowColumn, UNITS_RESERVED, type NwbChannels } from './nwb/tables';

/** Sample rate used when the file has no ElectricalSeries to take it from (Hz): Neuropixels' and most probes' rate. */
export const NWB_DEFAULT_RATE = 30_000;

/** Options of {@link openNwbDataset}. */
export interface NwbDatasetOptions {
  /** SharedArrayBuffer-backed per-spike columns (default true). */
  shared?: boolean;
  /**
   * A remote file: `nwbPath` is its URL (not looked up on disk), `dir` the local folder where its
   * saves and journal live (read back like the files beside a local `.nwb`).
   */
  remote?: { dir: string; info: RemoteDatasetInfo };
}

/** The time-sorted spikes of a Units table. */
interface NwbSpikes {
  /** (nSpikes,) samples, non-decreasing (uint32 when the last fits). */
  spikeTimes: SpikeTimes;
  /** (nSpikes,) unit index of each spike. */
  unitIndex: Int32Array;
}

/** What the ElectricalSeries gives: rate, start, and the raw recording when its data is usable. */
interface NwbSeries {
  path: string | null;
  rate: number;
  rateSource: 'rate' | 'timestamps' | 'default';
  t0: number;
  raw: RawRecording | null;
  channelMap: Int32Array | null;
  nSamples: number;
}

/**
 * Opens a `.nwb` file.
 * @param h5 opens an HDF5 file for reading (h5wasm in `src/main`)
 * @throws DatasetOpenError when a fatal problem stops the open (not NWB, no Units table, broken spike times)
 */
export function openNwbDataset(fs: FileSystem, h5: Hdf5Opener, nwbPath: string, opts: NwbDatasetOptions = {}): Dataset {
  const log = new DiagnosticLog();
  const path = opts.remote ? nwbPath : fs.resolve(nwbPath);
  if (!opts.remote) {
    const st = fs.stat(path);
    if (!st) return log.fatal(path, 'file.missing', 'file not found');
    if (st.isDirectory) log.fatal(path, 'file.unreadable', 'is a folder, expected a .nwb file');
  }
  const file = openOrFatal(h5, path, log);
  try {
    return load(fs, file, path, log, opts.shared ?? true, opts.remote);
  } catch (e) {
    file.close();
    throw e;
  }
}

function load(fs: FileSystem, h5: Hdf5Reader, path: string, log: DiagnosticLog, shared: boolean, remote: NwbDatasetOptions['remote']): Dataset {
  const version = attrString(h5.attr('/', 'nwb_version'));
  if (attrString(h5.attr('/', 'neurodata_type')) !== 'NWBFile' && version === undefined) {
    log.fatal(path, 'nwb.notNwb', 'not an NWB file: the HDF5 root has neither neurodata_type "NWBFile" nor an nwb_version attribute');
  }
  const tables = findUnitsTables(h5);
  if (!tables.length) log.fatal(path, 'nwb.noUnits', 'the NWB file has no Units table (/units, or a Units table in /processing): nothing to curate');
  const units = tables[0];
  if (tables.length > 1) log.add('info', path, 'nwb.otherUnits', `${tables.length} Units tables: reading ${units}; not read: ${tables.slice(1).join(', ')} (choosing one on open comes later)`);
  const allSeries = findElectricalSeries(h5);
  if (allSeries.length > 1) log.add('info', path, 'nwb.otherSeries', `${allSeries.length} ElectricalSeries: reading ${allSeries[0]}; not read: ${allSeries.slice(1).join(', ')} (choosing one on open comes later)`);

  const idPath = `${units}/id`;
  if (h5.kind(idPath) !== 'dataset') log.fatal(path, 'nwb.units', `${idPath} not found (every DynamicTable has an id column)`);
  const unitIds = Array.from(readNumbers(h5, idPath, log, path));
  const nUnits = unitIds.length;
  const { unitClusterIds, idsMapped } = clusterIdsForUnits(unitIds);

  const elecInfo = electrodesOfUnits(h5, units, nUnits);
  const wfShape = h5.info(`${units}/waveform_mean`)?.shape ?? [];
  const firstSeries = allSeries[0] ?? null;
  const seriesChannels = firstSeries ? (h5.info(`${firstSeries}/data`)?.shape[1] ?? 1) : 0;
  const channels = readElectrodes(h5, path, log, Math.max(seriesChannels, wfShape[2] ?? 1));
  const series = readSeries(h5, path, firstSeries, channels, log);
  const spikes = readSpikes(h5, path, units, nUnits, series, log, shared);
  const nSpikes = spikes.spikeTimes.length;

  // A spikedock save writes the phy files beside the .nwb (a remote file's: in its local folder);
  // they are read back as a template folder's.
  const dir = remote ? remote.dir : fs.dirname(path);
  const side = new TemplateFolderReader(fs, dir, shared, { log, expected: 'the folder of an NWB file' });
  // Files beside it belong to it only when it is the folder's one .nwb.
  const siblings = side.names.filter((n) => /\.nwb$/i.test(n) && n !== fs.basename(path));
  const readBack = !siblings.length && side.names.includes('spike_clusters.npy');
  if (siblings.length && side.names.includes('spike_clusters.npy')) {
    log.add('warning', path, 'nwb.sharedFolder', `the folder also holds ${siblings.join(', ')}: the saved phy files beside them (spike_clusters.npy, cluster_group.tsv, …) are not read back; open each .nwb from a folder of its own to keep its curation in files`);
  }
  let spikeClusters: Int32Array;
  let spikeClustersLayout = null;
  if (readBack) {
    ({ spikeClusters, spikeClustersLayout } = readSpikeClusters(side, nSpikes, `${units}/spike_times`, spikes.unitIndex));
  } else {
    spikeClusters = shared && typeof SharedArrayBuffer !== 'undefined' ? new Int32Array(new SharedArrayBuffer(nSpikes * 4)) : new Int32Array(nSpikes);
    for (let i = 0; i < nSpikes; i++) spikeClusters[i] = unitClusterIds[spikes.unitIndex[i]];
  }
  for (const s of side.kept) closeSource(s);

  const templates = readTemplates(h5, path, units, nUnits, channels.nChannels, elecInfo, log);
  const columns = readUnitColumns(h5, path, units, unitClusterIds, log);
  const clusterColumns: ClusterColumn[] = [];
  if (idsMapped) clusterColumns.push({ name: 'unit_id', file: `${path}:${idPath}`, values: new Map(unitIds.map((u, i) => [unitClusterIds[i], u])) });
  const saved = siblings.length ? { clusterColumns: [], clusterGroups: new Map<number, string>(), rejectedGroupRows: null } : readClusterTables(side, spikeClusters);
  mergeClusterColumns(clusterColumns, [...columns.columns, ...saved.clusterColumns]);

  const raw = series.raw;
  const duration = Math.max(recordingDuration(raw, spikes.spikeTimes, series.rate, log), series.nSamples / series.rate);
  let open = true;
  return {
    format: 'nwb',
    path,
    dir,
    name: remote ? remoteName(path) : fs.basename(path),
    params: { sample_rate: series.rate, nwb_version: version ?? 'unknown', units_table: units, electrical_series: series.path },
    sampleRate: series.rate,
    nSpikes,
    nChannels: channels.nChannels,
    nTemplates: templates ? nUnits : 0,
    duration,
    spikeTimes: spikes.spikeTimes,
    spikeClusters,
    spikeTemplates: templates ? spikes.unitIndex : null,
    amplitudes: null,
    channelMap: series.channelMap ?? Int32Array.from({ length: channels.nChannels }, (_, i) => i),
    channelPositions: channels.channelPositions,
    channelShanks: channels.channelShanks,
    channelProbes: new Int32Array(channels.nChannels),
    templates,
    similarTemplates: null,
    whiteningMatInv: null,
    features: null,
    templateFeatures: null,
    spikeAttributes: [],
    clusterColumns,
    // A save's cluster_group.tsv, else the table's `quality` column of phy groups.
    clusterGroups: (!siblings.length && side.names.includes('cluster_group.tsv')) || !columns.groups ? saved.clusterGroups : columns.groups,
    rejectedGroupRows: saved.rejectedGroupRows,
    spikeClustersLayout,
    raw,
    diagnostics: log.list,
    nwb: {
      version: version ?? 'unknown',
      units,
      otherUnits: tables.slice(1),
      electricalSeries: series.path,
      otherSeries: allSeries.slice(1),
      rateSource: series.rateSource,
      t0: series.t0,
      unitIds,
      unitClusterIds,
      idsMapped,
    },
    ...(remote ? { remote: remote.info } : {}),
    close(): void {
      if (open) h5.close();
      open = false;
    },
  };
}

/** The last part of a URL's path (`…/sub-01_ses-1.nwb` → `sub-01_ses-1.nwb`), else its host. */
function remoteName(url: string): string {
  const m = /^[a-z]+:\/\/([^/?#]*)([^?#]*)/i.exec(url);
  const parts = (m?.[2] ?? '').split('/').filter(Boolean);
  if (!parts.length) return m?.[1] ?? url;
  try {
    return decodeURIComponent(parts[parts.length - 1]);
  } catch {
    return parts[parts.length - 1];
  }
}

/** A numeric dataset that must be readable (fatal otherwise). */
function readNumbers(h5: Hdf5Reader, p: string, log: DiagnosticLog, file: string): NumericArray {
  try {
    return h5.read(p);
  } catch (e) {
    return log.fatalFrom(e, file, `${p}: `);
  }
}

/**
 * The rate, start and raw data of the ElectricalSeries. Rate: `starting_time@rate`, else
 * estimated from `timestamps` (median step of the first 1000), else {@link NWB_DEFAULT_RATE}.
 * Raw data only when `data` is 2-d numeric and its `electrodes` region names each electrode of
 * the table once (the displayed channels are the table's rows).
 */
function readSeries(h5: Hdf5Reader, file: string, p: string | null, ch: NwbChannels, log: DiagnosticLog): NwbSeries {
  const none = (rateSource: NwbSeries['rateSource'], rate: number, t0 = 0): NwbSeries => ({ path: p, rate, rateSource, t0, raw: null, channelMap: null, nSamples: 0 });
  if (!p) {
    log.add('warning', file, 'nwb.noElectricalSeries', `${anyBasename(file)} has no ElectricalSeries in /acquisition: no raw data (waveforms from waveform_mean, no traces), and spike times are converted to samples at ${NWB_DEFAULT_RATE} Hz`, RAW_FEATURES);
    return none('default', NWB_DEFAULT_RATE);
  }
  let rate = attrNumber(h5.attr(`${p}/starting_time`, 'rate'));
  let rateSource: NwbSeries['rateSource'] = 'rate';
  let t0 = 0;
  if (h5.kind(`${p}/starting_time`) === 'dataset') t0 = Number(h5.read(`${p}/starting_time`)[0]) || 0;
  if (!(rate !== undefined && rate > 0) && h5.kind(`${p}/timestamps`) === 'dataset') {
    const n = Math.min(1000, h5.info(`${p}/timestamps`)?.shape[0] ?? 0);
    const ts = n > 1 ? h5.read(`${p}/timestamps`, { start: 0, end: n }) : new Float64Array(0);
    const steps = Array.from({ length: Math.max(0, ts.length - 1) }, (_, i) => ts[i + 1] - ts[i]).sort((a, b) => a - b);
    const step = steps[Math.floor(steps.length / 2)];
    if (step > 0) {
      rate = 1 / step;
      rateSource = 'timestamps';
      t0 = ts[0];
      log.add('info', file, 'nwb.rateFromTimestamps', `${p} has timestamps, no rate: ${rate.toFixed(3)} Hz from the median step of its first ${ts.length} timestamps`);
    }
  }
  if (!(rate !== undefined && rate > 0)) {
    log.add('warning', file, 'nwb.rate', `${anyBasename(file)}: ${p} has no usable rate nor timestamps: no raw data, and spike times are converted to samples at ${NWB_DEFAULT_RATE} Hz`, RAW_FEATURES);
    return none('default', NWB_DEFAULT_RATE);
  }
  const data = `${p}/data`;
  const info = h5.info(data);
  const nSamples = info?.shape[0] ?? 0;
  const disable = (why: string): NwbSeries => {
    log.add('error', file, 'nwb.raw', `${anyBasename(file)}: ${data}: ${why}; raw waveforms and traces are off (curation and the other views still work)`, RAW_FEATURES);
    return { ...none(rateSource, rate!, t0), nSamples };
  };
  if (!info || info.dtype === 'string' || info.dtype === 'other') return disable('not a numeric dataset');
  if (info.shape.length !== 2) return disable(`shape (${info.shape.join(', ')}) is not (time, channels)`);
  const nCols = info.shape[1];
  const region = h5.kind(`${p}/electrodes`) === 'dataset' ? h5.read(`${p}/electrodes`) : Int32Array.from({ length: nCols }, (_, i) => i);
  if (region.length !== nCols) return disable(`its electrodes region has ${region.length} rows but data has ${nCols} channels`);
  const channelMap = new Int32Array(ch.nChannels).fill(-1);
  for (let k = 0; k < nCols; k++) {
    const e = region[k];
    if (e >= 0 && e < ch.nChannels && channelMap[e] < 0) channelMap[e] = k;
  }
  const missing = channelMap.indexOf(-1);
  if (missing >= 0) return disable(`electrode ${missing} of the electrodes table has no channel in the series (a series over part of the electrodes is not read yet)`);
  // data × conversion (+ offset) is in volts (nwb.base.yaml TimeSeries.data): shown in µV.
  // `conversion` is float32 in the schema: 7 significant digits (1e-6 stored as float32 reads 9.99999997e-7).
  const conversion = Number((attrNumber(h5.attr(data, 'conversion')) ?? 1).toPrecision(7));
  if (h5.kind(`${p}/channel_conversion`) === 'dataset') log.add('info', file, 'nwb.channelConversion', `${p}/channel_conversion is not applied (one gain for all channels: data.conversion)`);
  const raw = createRowsRawRecording({
    file,
    readRows: (s, e, c0, c1) => h5.read(data, { start: s, end: e }, { start: c0, end: c1 }),
    nSamples,
    nChannelsDat: nCols,
    dtype: info.dtype,
    sampleRate: rate,
    gain: conversion * 1e6,
    unit: 'µV',
    hdf5Dataset: data,
  });
  return { path: p, rate, rateSource, t0, raw, channelMap, nSamples };
}

/**
 * Every spike of the table, time-sorted. `spike_times` (seconds) is read whole once: the
 * session needs every spike's cluster anyway, and one read of 10 M float64 is ≈ 80 MB, far less
 * than one read per unit. Sample = round((t − t0) × rate), t0 the series' starting time.
 */
function readSpikes(h5: Hdf5Reader, file: string, units: string, nUnits: number, series: NwbSeries, log: DiagnosticLog, shared: boolean): NwbSpikes {
  const tPath = `${units}/spike_times`;
  if (h5.kind(tPath) !== 'dataset') log.fatal(file, 'nwb.noSpikeTimes', `${tPath} not found: the Units table has no spike times`);
  let ragged: ReturnType<typeof raggedColumn>;
  try {
    ragged = raggedColumn(h5, units, 'spike_times', nUnits);
  } catch (e) {
    return log.fatalFrom(e, file);
  }
  if (typeof ragged === 'string') return log.fatal(file, 'nwb.spikeTimesIndex', ragged);
  const { values: times, ends } = ragged;
  const nSpikes = nUnits ? ends[nUnits - 1] : 0;
  let t0 = series.t0;
  let minT = Infinity;
  for (let i = 0; i < nSpikes; i++) {
    if (!Number.isFinite(times[i])) log.fatal(file, 'nwb.spikeTimes', `${tPath}[${i}] is ${times[i]} (spike times must be finite seconds)`);
    if (times[i] < minT) minT = times[i];
  }
  if (t0 !== 0 && minT < t0) {
    log.add('warning', file, 'nwb.t0', `spikes before the ElectricalSeries' start (${minT} s < ${t0} s): times are counted from 0 s, so raw data and spikes may not line up`);
    t0 = 0;
  }
  const rate = series.rate;
  const sampleOf = (i: number) => Math.round((times[i] - t0) * rate);
  let negative = -1;
  for (let i = 0; i < nSpikes && negative < 0; i++) if (sampleOf(i) < 0) negative = i;
  if (negative >= 0) log.add('warning', file, 'nwb.negativeTimes', `${tPath}[${negative}] is before 0 s: negative spike times are put at sample 0`);
  const sab = shared && typeof SharedArrayBuffer !== 'undefined';
  const unitIndex = sab ? new Int32Array(new SharedArrayBuffer(nSpikes * 4)) : new Int32Array(nSpikes);
  // The spikes come unit by unit, so a stable sort by sample orders them by (sample, unit). Samples
  // below 2^32 (39 h at 30 kHz) take the generator's LSD radix argsort: O(n), 10 M spikes in a few
  // hundred ms where a comparison sort of 10 M keys took 1–1.5 s (bench: inputs).
  const samples = new Uint32Array(nSpikes);
  let fits = true;
  for (let i = 0; i < nSpikes && fits; i++) {
    const s = Math.max(0, sampleOf(i));
    if (s > 0xffffffff) fits = false;
    samples[i] = s;
  }
  if (fits) {
    const unitOf = new Int32Array(nSpikes);
    for (let u = 0; u < nUnits; u++) unitOf.fill(u, u ? ends[u - 1] : 0, ends[u]);
    const order = argsortUint32(samples);
    // Uint32Array: every sample fits (see SpikeTimes), half the memory of float64.
    const spikeTimes: SpikeTimes = sab ? new Uint32Array(new SharedArrayBuffer(nSpikes * 4)) : new Uint32Array(nSpikes);
    for (let i = 0; i < nSpikes; i++) {
      spikeTimes[i] = samples[order[i]];
      unitIndex[i] = unitOf[order[i]];
    }
    return { spikeTimes, unitIndex };
  }
  // Longer recordings: one sort of (sample, unit) keys; key = sample × nUnits + unit stays exact
  // below 2^53 (10 h at 30 kHz × 10 000 units ≈ 1.1e13).
  const keys = new Float64Array(nSpikes);
  let u = 0;
  for (let i = 0; i < nSpikes; i++) {
    while (i >= ends[u]) u++;
    keys[i] = Math.max(0, sampleOf(i)) * nUnits + u;
  }
  keys.sort();
  // Uint32Array when the last sample fits (see SpikeTimes): half the memory.
  const wide = nSpikes > 0 && Math.floor(keys[nSpikes - 1] / nUnits) >= 2 ** 32;
  const spikeTimes: SpikeTimes = wide
    ? sab ? new Float64Array(new SharedArrayBuffer(nSpikes * 8)) : new Float64Array(nSpikes)
    : sab ? new Uint32Array(new SharedArrayBuffer(nSpikes * 4)) : new Uint32Array(nSpikes);
  for (let i = 0; i < nSpikes; i++) {
    const s = Math.floor(keys[i] / nUnits);
    spikeTimes[i] = s;
    unitIndex[i] = keys[i] - s * nUnits;
  }
  return { spikeTimes, unitIndex };
}

/** Each unit's electrodes (rows of the electrodes table), or null when the table has no `electrodes` column. */
function electrodesOfUnits(h5: Hdf5Reader, units: string, nUnits: number): Int32Array[] | null {
  const p = `${units}/electrodes`;
  if (h5.kind(p) !== 'dataset') return null;
  let r: ReturnType<typeof raggedColumn>;
  try {
    r = raggedColumn(h5, units, 'electrodes', nUnits);
  } catch {
    return null;
  }
  if (typeof r === 'string') return null;
  const { values, ends } = r;
  return Array.from({ length: nUnits }, (_, i) => Int32Array.from(values.subarray(i ? ends[i - 1] : 0, ends[i])));
}

/**
 * `waveform_mean` as templates, one unit's row per read. Its last axis is the electrodes
 * (nwb.misc.yaml: `num_units × num_samples × num_electrodes`): all the table's electrodes when
 * it has that many, else each unit's own `electrodes` (same count for every unit), in that
 * order; a 2-d `num_units × num_samples` is on each unit's first electrode.
 */
function readTemplates(h5: Hdf5Reader, file: string, units: string, nUnits: number, nChannels: number, elec: Int32Array[] | null, log: DiagnosticLog): TemplateSource | null {
  const p = `${units}/waveform_mean`;
  const info = h5.info(p);
  const off = (why: string): null => {
    log.add('warning', file, 'nwb.noTemplates', `${anyBasename(file)}: ${why}: no templates (WaveformView shows raw spikes when the file has an ElectricalSeries; the template-based similarity is off)`, ['templates', 'similarity']);
    return null;
  };
  if (!info) return off(`${p} not found`);
  if (info.dtype === 'string' || info.dtype === 'other') return off(`${p} is not numeric`);
  const [n, nSamples, nLoc = 1] = info.shape;
  if (n !== nUnits || info.shape.length < 2 || info.shape.length > 3) return off(`${p} has shape (${info.shape.join(', ')}), expected (${nUnits}, samples[, electrodes])`);
  let channelsOf: (t: number) => Int32Array;
  if (info.shape.length === 3 && nLoc === nChannels) {
    const all = Int32Array.from({ length: nChannels }, (_, c) => c);
    channelsOf = () => all;
  } else if (info.shape.length === 2 && elec && elec.every((e) => e.length > 0 && e[0] >= 0 && e[0] < nChannels)) {
    channelsOf = (t) => elec[t].subarray(0, 1);
  } else if (elec && elec.every((e) => e.length === nLoc && e.every((c) => c >= 0 && c < nChannels))) {
    channelsOf = (t) => elec[t];
  } else {
    return off(
      info.shape.length === 2
        ? `${p} has one waveform per unit but ${units}/electrodes does not name each unit's electrode`
        : `${p} has ${nLoc} electrode${nLoc === 1 ? '' : 's'} per unit, neither the ${nChannels} of the electrodes table nor each unit's ${units}/electrodes`,
    );
  }
  // In µV, as the raw data is shown: the schema's unit of waveform_mean is volts (nwb.misc.yaml,
  // `unit` attribute, default "volts"); a file that says microvolts is taken as it is.
  const unit = (attrString(h5.attr(p, 'unit')) ?? 'volts').trim().toLowerCase();
  const micro = ['microvolts', 'microvolt', 'uv', 'µv', 'μv'].includes(unit);
  const scale = micro ? 1 : 1e6;
  if (!micro && !['volts', 'volt', 'v'].includes(unit)) log.add('info', file, 'nwb.templateUnit', `${p} is in "${unit}": read as volts (the schema's unit) and shown in µV`);
  return {
    nTemplates: nUnits,
    nSamples,
    nChannelsLoc: nLoc,
    getTemplate(t: number) {
      const row = h5.read(p, { start: t, end: t + 1 });
      const data = Float32Array.from(row as ArrayLike<number>);
      if (scale !== 1) for (let i = 0; i < data.length; i++) data[i] *= scale;
      return { data, channels: channelsOf(t) };
    },
  };
}

/**
 * The Units table's other 1-d columns (numbers and text) as cluster columns; a `quality` column
 * of phy groups gives the groups instead. Ragged, n-d and reference columns are listed in one
 * info line and skipped.
 */
function readUnitColumns(h5: Hdf5Reader, file: string, units: string, unitClusterIds: Int32Array, log: DiagnosticLog): { columns: ClusterColumn[]; groups: Map<number, string> | null } {
  const columns: ClusterColumn[] = [];
  let groups: Map<number, string> | null = null;
  const skipped: string[] = [];
  const n = unitClusterIds.length;
  for (const name of colnames(h5, units)) {
    if (UNITS_RESERVED.has(name) || name.endsWith('_index')) continue;
    const values = readRowColumn(h5, units, name, n);
    if (!values) {
      skipped.push(name);
      continue;
    }
    const map = new Map<number, string | number>();
    for (let u = 0; u < n; u++) {
      const v = values[u];
      if (v !== '' && !(typeof v === 'number' && Number.isNaN(v))) map.set(unitClusterIds[u], v);
    }
    const g = name === 'quality' ? qualityGroups(map) : null;
    if (g) groups = g;
    else columns.push({ name, file: `${file}:${units}/${name}`, values: map });
  }
  if (skipped.length) log.add('info', file, 'nwb.columns', `Units columns not shown (ragged, multi-dimensional or references): ${skipped.join(', ')}`);
  return { columns, groups };
}
