/**
 * Writes a generated dataset as an NWB 2.7.0 HDF5 file (`sorting.nwb`) through the one NWB
 * writer (`main/nwb/NwbWriter.ts`, pynwb's layout).
 *
 * Written: the NWBFile's required datasets, `/general/devices/probe`, one ElectrodeGroup per
 * shank, `/general/extracellular_ephys/electrodes` (x, y, z, rel_x, rel_y, location, group,
 * group_name), `/units` (the phy folder's clusters: id, spike_times + index, electrodes + index —
 * the channels within 100 µm of the peak —, waveform_mean over all electrodes, the phy tables as
 * `quality`, `KSLabel`, `ContamPct`, `Amplitude`, and `firing_rate`, `isi_violations_count`),
 * and `/acquisition/ElectricalSeries` (int16, gzip-compressed in chunks of
 * {@link SERIES_CHUNK_ROWS} samples × {@link SERIES_CHUNK_COLUMNS} channels) when raw seconds are
 * asked for.
 */
import type { GeneratedDataset } from '../../core/generate/buildDataset';
import { RAW_BLOCK, rawSampleCount } from '../../core/generate/raw';
import { N_TEMPLATE_SAMPLES } from '../../core/generate/waveforms';
import { NwbWriter, raggedSpikeTimes, type H5Group } from '../nwb/NwbWriter';
import { displayedRawChunk, unitAverages } from './generateAnalyzer';

/** The file the NWB writer owns. */
export const NWB_FILE = 'sorting.nwb';

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
  const progress = opts.onProgress ?? (() => undefined);
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

  const now = new Date(Date.UTC(2026, 0, 1)).toISOString();
  const w = await NwbWriter.create(file, {
    identifier: `spikedock-generate-${ds.spec.name}-${ds.seed}`,
    sessionDescription: `spikedock generate: preset ${ds.spec.name}, seed ${ds.seed} (ground truth in ground_truth.json)`,
    startTime: now,
    objectIdSeed: String(ds.seed),
  });
  try {
    const elRef = w.writeElectrodes(ds.probe.positions, ds.probe.shanks, `simulated ${ds.spec.name} probe`);

    // Units: each unit's spikes in time order, in seconds.
    progress(`writing ${NWB_FILE}: ${nUnits} units, ${nSpikes} spikes`);
    const { times, ends } = raggedSpikeTimes(ds.spikes.times, unitIndex, nUnits, fs);
    const avg = unitAverages(ds, unitIndex, nUnits);
    const layout = opts.waveformMean ?? 'all';
    const k = layout === 'single' ? 1 : layout === 'unit' ? Math.min(...avg.sparseChannels.map((c) => c.length)) : Infinity;
    const unitChannels = avg.sparseChannels.map((c) => c.slice(0, k));
    const waveformMean = {
      name: 'waveform_mean',
      write(units: H5Group, writer: NwbWriter) {
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
        const d = writer.vector(units, 'waveform_mean', wm, 'the spike waveform mean for each spike unit', 'VectorData', '<f', shape);
        d.create_attribute('sampling_rate', fs);
        d.create_attribute('unit', 'volts');
      },
    };
    w.writeUnits({
      description: 'spikedock generate: the phy folder clusters of the same seed',
      unitIds,
      spikeTimes: times,
      ends,
      sampleRate: fs,
      electrodes: { table: elRef, channels: unitChannels },
      columns: [
        ...(layout !== 'none' ? [waveformMean] : []),
        { name: 'quality', values: clusterIds.map((id) => ds.curatedGroups.get(id) ?? 'unsorted'), description: 'the curator label of each unit (phy groups)' },
        { name: 'KSLabel', values: ds.clusters.map((c) => c.ksLabel), description: "Kilosort's label" },
        { name: 'ContamPct', values: Float64Array.from(ds.clusters, (c) => Number(c.contamPct.toFixed(1))), description: "Kilosort's contamination estimate, %" },
        { name: 'Amplitude', values: Float64Array.from(ds.clusters, (c) => Number(c.amplitude.toFixed(1))), description: "Kilosort's amplitude" },
        { name: 'firing_rate', values: Float64Array.from(ds.clusters, (c) => c.nSpikes / ds.duration), description: 'spikes per second' },
        { name: 'isi_violations_count', values: BigInt64Array.from(ds.clusters, (c) => BigInt(c.refractoryViolations)), description: 'inter-spike intervals below the refractory period' },
      ],
    });

    // The ElectricalSeries: the sorted channels, chunked and gzip-compressed.
    if (opts.rawSeconds <= 0) return 0;
    const f = w.file;
    const nRaw = rawSampleCount(ds, opts.rawSeconds);
    progress(`writing ${NWB_FILE}: ElectricalSeries (${(nRaw / fs).toFixed(1)} s × ${nC} channels)`);
    const es = f.create_group('acquisition/ElectricalSeries');
    w.typed(es, 'ElectricalSeries', 'core', { comments: 'no comments', description: 'simulated recording (spikedock generate)' });
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
    const region = w.vector(es, 'electrodes', BigInt64Array.from({ length: nC }, (_, c) => BigInt(c)), 'the electrodes of the recording', 'DynamicTableRegion');
    region.create_attribute('table', elRef);
    return nRaw / fs;
  } finally {
    w.close();
  }
}
