/**
 * Writes a generated dataset as an NWB 2.7.0 HDF5 file (`sorting.nwb`) through h5wasm, laid out
 * as pynwb 2.x writes it: every typed group or dataset carries `neurodata_type`, `namespace`
 * (`core` or `hdmf-common`) and `object_id` (a UUID); the root adds `nwb_version`; text is
 * variable-length UTF-8; DynamicTables carry `colnames` and `description`, their VectorIndex a
 * `target` and their DynamicTableRegion a `table` object reference (nwb-schema `core/nwb.file.yaml`,
 * `nwb.misc.yaml`, `nwb.ecephys.yaml`; hdmf-common-schema `common/table.yaml`).
 *
 * Written: the NWBFile's required datasets, `/general/devices/probe`, one ElectrodeGroup per
 * shank, `/general/extracellular_ephys/electrodes` (x, y, z, rel_x, rel_y, location, group,
 * group_name), `/units` (the phy folder's clusters: id, spike_times + index, electrodes + index —
 * the channels within 100 µm of the peak —, waveform_mean over all electrodes, the phy tables as
 * `quality`, `KSLabel`, `ContamPct`, `Amplitude`, and `firing_rate`, `isi_violations_count`),
 * and `/acquisition/ElectricalSeries` (int16, gzip-compressed in chunks of
 * {@link SERIES_CHUNK_ROWS} samples × {@link SERIES_CHUNK_COLUMNS} channels) when raw seconds are
 * asked for. Not written: `/specifications` (the cached schema; readers
 * that need it, such as pynwb, take the schema they ship).
 */
import { createHash } from 'node:crypto';
import type { GeneratedDataset } from '../../core/generate/buildDataset';
import { RAW_BLOCK, rawSampleCount } from '../../core/generate/raw';
import { N_TEMPLATE_SAMPLES } from '../../core/generate/waveforms';
import { displayedRawChunk, unitAverages } from './generateAnalyzer';

/** The file the NWB writer owns. */
export const NWB_FILE = 'sorting.nwb';
/** The NWB schema version written. */
export const NWB_VERSION = '2.7.0';

/** Options of {@link writeNwb}. */
export interface NwbWriteOptions {
  /** Seconds of raw data written as an ElectricalSeries (0: none). */
  rawSeconds: number;
  /** Unit ids to write instead of the cluster ids (tests: negative or repeated ids). */
  unitIds?: number[];
  /**
   * `waveform_mean`'s last axis (default `all`): every electrode of the table; `unit`: each
   * unit's own electrodes (its first k channels within 100 µm, k the fewest any unit has — the
   * `electrodes` column then names those); `single`: 2-d, on each unit's first electrode; `none`.
   */
  waveformMean?: 'all' | 'unit' | 'single' | 'none';
  onProgress?: (msg: string) => void;
}

type H5 = typeof import('h5wasm/node').default;
type H5Group = InstanceType<H5['Group']>;
type H5Entity = H5Group | InstanceType<H5['Dataset']>;

/** Samples per chunk of the ElectricalSeries (1 s at 30 kHz). */
const RAW_CHUNK = RAW_BLOCK * 10;
/**
 * Chunk of the series' data: 8000 × 64 int16 = 1 000 KB, under HDF5's default 1 MiB chunk cache,
 * so a waveform (82 samples on neighbouring channels) decompresses one or two chunks, not a
 * second of every channel (a 1 s × 384-channel chunk, 23 MB, cost 73 ms per waveform here).
 */
export const SERIES_CHUNK_ROWS = 8000;
export const SERIES_CHUNK_COLUMNS = 64;

/**
 * Writes `ds` to `file` (replaced). Returns the raw seconds written.
 */
export async function writeNwb(file: string, ds: GeneratedDataset, opts: NwbWriteOptions): Promise<number> {
  // Imported here: compiling h5wasm's WebAssembly would slow every generate that never needs it.
  const h5wasm = (await import('h5wasm/node')).default;
  await h5wasm.ready;
  const progress = opts.onProgress ?? (() => undefined);
  let counter = 0;
  // Deterministic ids (same seed, same file): a UUID-shaped hash of the seed and a counter.
  const objectId = (): string => {
    const h = createHash('sha256').update(`${ds.seed}:${counter++}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const typed = (e: H5Entity, type: string, namespace: 'core' | 'hdmf-common', extra: Record<string, string | number> = {}): void => {
    e.create_attribute('namespace', namespace);
    e.create_attribute('neurodata_type', type);
    e.create_attribute('object_id', objectId());
    for (const [k, v] of Object.entries(extra)) e.create_attribute(k, v);
  };
  const vector = (g: H5Group, name: string, data: Parameters<H5Group['create_dataset']>[0]['data'], description: string, type = 'VectorData', dtype?: string, shape?: number[]) => {
    const d = g.create_dataset({ name, data, ...(dtype ? { dtype } : {}), ...(shape ? { shape } : {}) });
    typed(d, type, 'hdmf-common', { description });
    return d;
  };

  const nC = ds.probe.nChannels;
  const fs = ds.sampleRate;
  const clusterIds = ds.clusters.map((c) => c.id);
  const nUnits = clusterIds.length;
  const unitIds = opts.unitIds ?? clusterIds;
  if (unitIds.length !== nUnits) throw new Error(`writeNwb: ${unitIds.length} unit ids for ${nUnits} units`);
  const unitOf = new Map<number, number>(clusterIds.map((id, i) => [id, i]));
  const nSpikes = ds.spikes.times.length;
  const unitIndex = new Int32Array(nSpikes);
  for (let i = 0; i < nSpikes; i++) unitIndex[i] = unitOf.get(ds.spikes.clusters[i])!;

  const f = new h5wasm.File(file, 'w');
  try {
    typed(f, 'NWBFile', 'core', { nwb_version: NWB_VERSION });
    const now = new Date(Date.UTC(2026, 0, 1)).toISOString();
    f.create_dataset({ name: 'file_create_date', data: [now] });
    f.create_dataset({ name: 'identifier', data: `spikedock-generate-${ds.spec.name}-${ds.seed}` });
    f.create_dataset({ name: 'session_description', data: `spikedock generate: preset ${ds.spec.name}, seed ${ds.seed} (ground truth in ground_truth.json)` });
    f.create_dataset({ name: 'session_start_time', data: now });
    f.create_dataset({ name: 'timestamps_reference_time', data: now });
    for (const g of ['acquisition', 'analysis', 'processing', 'stimulus', 'stimulus/presentation', 'stimulus/templates', 'general', 'general/devices', 'general/extracellular_ephys']) f.create_group(g);

    // Device, one ElectrodeGroup per shank, the electrodes table.
    const device = f.create_group('general/devices/probe');
    typed(device, 'Device', 'core', { description: `simulated ${ds.spec.name} probe` });
    const ecephys = f.get('general/extracellular_ephys') as H5Group;
    const shanks = [...new Set(ds.probe.shanks)].sort((a, b) => a - b);
    const groupRef = new Map<number, ReturnType<H5Group['create_reference']>>();
    for (const s of shanks) {
      const g = ecephys.create_group(`shank${s}`);
      typed(g, 'ElectrodeGroup', 'core', { description: `shank ${s}`, location: 'unknown' });
      g.create_soft_link('/general/devices/probe', 'device');
      groupRef.set(s, g.create_reference());
    }
    const el = ecephys.create_group('electrodes');
    const elCols = ['x', 'y', 'z', 'location', 'group', 'group_name', 'rel_x', 'rel_y'];
    typed(el, 'DynamicTable', 'hdmf-common', { description: 'metadata about extracellular electrodes' });
    el.create_attribute('colnames', elCols);
    vector(el, 'id', BigInt64Array.from({ length: nC }, (_, c) => BigInt(c)), '', 'ElementIdentifiers');
    const pos = ds.probe.positions;
    vector(el, 'x', Float64Array.from({ length: nC }, (_, c) => pos[2 * c]), 'the x coordinate of the channel location (simulated: the probe x)');
    vector(el, 'y', Float64Array.from({ length: nC }, (_, c) => pos[2 * c + 1]), 'the y coordinate of the channel location (simulated: the probe depth)');
    vector(el, 'z', new Float64Array(nC), 'the z coordinate of the channel location');
    vector(el, 'location', Array.from({ length: nC }, () => 'unknown'), 'the location of channel within the subject e.g. brain region');
    vector(el, 'group', Array.from(ds.probe.shanks, (s) => groupRef.get(s)!), 'a reference to the ElectrodeGroup this electrode is a part of');
    vector(el, 'group_name', Array.from(ds.probe.shanks, (s) => `shank${s}`), 'the name of the ElectrodeGroup this electrode is a part of');
    vector(el, 'rel_x', Float64Array.from({ length: nC }, (_, c) => pos[2 * c]), 'the x coordinate within the electrode group');
    vector(el, 'rel_y', Float64Array.from({ length: nC }, (_, c) => pos[2 * c + 1]), 'the y coordinate within the electrode group');
    const elRef = el.create_reference();

    // Units: each unit's spikes in time order, in seconds.
    progress(`writing ${NWB_FILE}: ${nUnits} units, ${nSpikes} spikes`);
    const ends = new Int32Array(nUnits);
    for (let i = 0; i < nSpikes; i++) ends[unitIndex[i]]++;
    for (let u = 1; u < nUnits; u++) ends[u] += ends[u - 1];
    const fill = Int32Array.from({ length: nUnits }, (_, u) => (u ? ends[u - 1] : 0));
    const times = new Float64Array(nSpikes);
    for (let i = 0; i < nSpikes; i++) times[fill[unitIndex[i]]++] = ds.spikes.times[i] / fs;
    const avg = unitAverages(ds, unitIndex, nUnits);
    const layout = opts.waveformMean ?? 'all';
    const k = layout === 'single' ? 1 : layout === 'unit' ? Math.min(...avg.sparseChannels.map((c) => c.length)) : Infinity;
    const unitChannels = avg.sparseChannels.map((c) => c.slice(0, k));
    const elecEnds = new Int32Array(nUnits);
    unitChannels.forEach((c, u) => (elecEnds[u] = (u ? elecEnds[u - 1] : 0) + c.length));
    const unitCols = ['spike_times', 'electrodes', ...(layout !== 'none' ? ['waveform_mean'] : []), 'quality', 'KSLabel', 'ContamPct', 'Amplitude', 'firing_rate', 'isi_violations_count'];
    const units = f.create_group('units');
    typed(units, 'Units', 'core', { description: 'spikedock generate: the phy folder clusters of the same seed' });
    units.create_attribute('colnames', unitCols);
    vector(units, 'id', BigInt64Array.from(unitIds, (u) => BigInt(u)), '', 'ElementIdentifiers');
    const st = vector(units, 'spike_times', times, 'the spike times for each unit in seconds');
    st.create_attribute('resolution', 1 / fs);
    vector(units, 'spike_times_index', ends, 'Index for VectorData spike_times', 'VectorIndex').create_attribute('target', st.create_reference());
    const elec = vector(units, 'electrodes', BigInt64Array.from(unitChannels.flat(), (c) => BigInt(c)), 'the electrodes that each unit came from', 'DynamicTableRegion');
    elec.create_attribute('table', elRef);
    vector(units, 'electrodes_index', elecEnds, 'Index for VectorData electrodes', 'VectorIndex').create_attribute('target', elec.create_reference());
    if (layout !== 'none') {
      // The raw file's int16 units × 1e-6 V (the ElectricalSeries' conversion): volts.
      const nLoc = layout === 'all' ? nC : unitChannels[0].length;
      const wm = new Float32Array(nUnits * N_TEMPLATE_SAMPLES * nLoc);
      for (let u = 0; u < nUnits; u++) {
        for (let s = 0; s < N_TEMPLATE_SAMPLES; s++) {
          for (let j = 0; j < nLoc; j++) {
            const c = layout === 'all' ? j : unitChannels[u][j];
            wm[(u * N_TEMPLATE_SAMPLES + s) * nLoc + j] = avg.unitTemplates[(u * N_TEMPLATE_SAMPLES + s) * nC + c] * 1e-6;
          }
        }
      }
      const shape = layout === 'single' ? [nUnits, N_TEMPLATE_SAMPLES] : [nUnits, N_TEMPLATE_SAMPLES, nLoc];
      const d = vector(units, 'waveform_mean', wm, 'the spike waveform mean for each spike unit', 'VectorData', '<f', shape);
      d.create_attribute('sampling_rate', fs);
      d.create_attribute('unit', 'volts');
    }
    vector(units, 'quality', clusterIds.map((id) => ds.curatedGroups.get(id) ?? 'unsorted'), 'the curator label of each unit (phy groups)');
    vector(units, 'KSLabel', ds.clusters.map((c) => c.ksLabel), "Kilosort's label");
    vector(units, 'ContamPct', Float64Array.from(ds.clusters, (c) => Number(c.contamPct.toFixed(1))), "Kilosort's contamination estimate, %");
    vector(units, 'Amplitude', Float64Array.from(ds.clusters, (c) => Number(c.amplitude.toFixed(1))), "Kilosort's amplitude");
    vector(units, 'firing_rate', Float64Array.from(ds.clusters, (c) => c.nSpikes / ds.duration), 'spikes per second');
    vector(units, 'isi_violations_count', BigInt64Array.from(ds.clusters, (c) => BigInt(c.refractoryViolations)), 'inter-spike intervals below the refractory period');

    // The ElectricalSeries: the sorted channels, chunked and gzip-compressed.
    if (opts.rawSeconds <= 0) return 0;
    const nRaw = rawSampleCount(ds, opts.rawSeconds);
    progress(`writing ${NWB_FILE}: ElectricalSeries (${(nRaw / fs).toFixed(1)} s × ${nC} channels)`);
    const es = f.create_group('acquisition/ElectricalSeries');
    typed(es, 'ElectricalSeries', 'core', { comments: 'no comments', description: 'simulated recording (spikedock generate)' });
    const data = es.create_dataset({ name: 'data', data: new Int16Array(0), shape: [0, nC], maxshape: [null, nC], chunks: [Math.min(SERIES_CHUNK_ROWS, Math.max(1, nRaw)), Math.min(SERIES_CHUNK_COLUMNS, nC)], compression: 'gzip', compression_opts: 4, dtype: '<h' });
    data.create_attribute('conversion', 1e-6, null, '<f');
    data.create_attribute('offset', 0);
    data.create_attribute('resolution', -1);
    data.create_attribute('unit', 'volts');
    data.resize([nRaw, nC]);
    const scratch = new Float32Array(RAW_CHUNK * ds.probe.nChannelsDat);
    for (let s0 = 0; s0 < nRaw; s0 += RAW_CHUNK) {
      const n = Math.min(RAW_CHUNK, nRaw - s0);
      data.write_slice([[s0, s0 + n]], displayedRawChunk(ds, s0, n, scratch));
    }
    const t0 = es.create_dataset({ name: 'starting_time', data: 0 });
    t0.create_attribute('rate', fs, null, '<f');
    t0.create_attribute('unit', 'seconds');
    const region = vector(es, 'electrodes', BigInt64Array.from({ length: nC }, (_, c) => BigInt(c)), 'the electrodes of the recording', 'DynamicTableRegion');
    region.create_attribute('table', elRef);
    return nRaw / fs;
  } finally {
    f.close();
  }
}
