/**
 * Export of a curated session in the formats other tools read (issue #15, slice 4), with no menu
 * and no open window: the CLI's `spikedock export` and tests call {@link exportSession}.
 *
 * - `si-curation`: SpikeInterface's curation format v2 (`curation.json`) in the sorting's own
 *   unit ids (`core/session/curationFormat.ts`, the file a save writes beside the dataset);
 * - `phy`: a phy template folder of the final clusters (`params.py`, `spike_times.npy`,
 *   `spike_clusters.npy`, `spike_templates.npy` and `templates.npy` when the input has templates,
 *   `amplitudes.npy` when it has amplitudes, `channel_map.npy`, `channel_positions.npy`,
 *   `channel_shanks.npy`, `cluster_group.tsv`, `cluster_<field>.tsv`, `cluster_info.tsv`), the
 *   tables written by the same functions as a save;
 * - `nwb`: an NWB 2.7.0 file (`main/nwb/NwbWriter.ts`, the generator's writer) with the electrodes
 *   table of the input's channels and a Units table of the final clusters: `id` = cluster id,
 *   `spike_times` in s (+ the NWB input's `starting_time`), `electrodes` = the best channel,
 *   `quality` = the group (`unsorted` when none), the cluster metrics (`n_spikes`,
 *   `firing_rate`, `amplitude`, `depth`, `peak_channel`, `shank`) and the label columns.
 *
 * The sorter's files are never written: the output must be a new file or an empty folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dataset, SpikeTemplateIds } from '../../core/dataset/Dataset';
import { encodeNpy } from '../../core/formats/npy';
import { formatParams } from '../../core/formats/params';
import type { ClusterLabels } from '../../core/session/ClusterLabels';
import type { ClusterMeta } from '../../core/session/ClusterMeta';
import type { ClusterMetrics } from '../../core/session/ClusterMetrics';
import { datasetSiCuration } from '../../core/session/curationFormat';
import { writeFileAtomicSync } from '../io/durableFs';
import { NwbWriter, raggedSpikeTimes, type NwbColumn } from '../nwb/NwbWriter';
import { UserError } from '../UserError';
import { int32NpyChunks, writeClusterGroupFiles, writeClusterInfo, type QualitySource } from '../session/saveSession';


/** `spike_templates.npy` as int32, as Kilosort writes it (the column may be held as uint16, see SpikeTemplateIds). */
function spikeTemplatesNpy(a: SpikeTemplateIds): Uint8Array[] {
  return a instanceof Int32Array ? int32NpyChunks(a) : [encodeNpy(a, 'int32')];
}
/** The formats of {@link exportSession}. */
export const EXPORT_FORMATS = ['si-curation', 'nwb', 'phy'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A session to export: the dataset, the journal's base assignment and the curation now. */
export interface ExportInput {
  dataset: Dataset;
  /** (nSpikes,) the journal's base assignment (the sorter's units). */
  base: Int32Array;
  labels: ClusterLabels;
  meta: ClusterMeta;
  metrics: ClusterMetrics;
  quality?: QualitySource;
}

/** What an export wrote. */
export interface ExportResult {
  files: string[];
}

/** Writes `input`'s curation to `out` in `format`; throws a `UserError` naming what is in the way. */
export async function exportSession(input: ExportInput, format: ExportFormat, out: string): Promise<ExportResult> {
  out = path.resolve(out);
  if (format === 'si-curation') return { files: [exportSiCuration(input, out)] };
  if (format === 'nwb') return { files: [await exportNwb(input, out)] };
  return { files: exportPhy(input, out) };
}

/** Units columns the NWB export writes itself: label columns of these names are left out. */
const NWB_OWN_COLUMNS = new Set(['id', 'spike_times', 'spike_times_index', 'electrodes', 'electrodes_index', 'quality', 'group', 'n_spikes', 'firing_rate', 'amplitude', 'depth', 'peak_channel', 'shank']);

async function exportNwb(input: ExportInput, file: string): Promise<string> {
  const { dataset: ds, labels, meta, metrics } = input;
  if (fs.existsSync(file)) throw new UserError(`${file} exists; an NWB export writes a new file (the sorter's files are never overwritten)`);
  const ids = labels.clusterIds();
  const row = new Map<number, number>(ids.map((id, i) => [id, i]));
  const unitIndex = Int32Array.from(labels.flatAssignment(), (c) => row.get(c)!);
  const { times, ends } = raggedSpikeTimes(ds.spikeTimes, unitIndex, ids.length, ds.sampleRate);
  const t0 = ds.nwb?.t0 ?? 0;
  if (t0) for (let i = 0; i < times.length; i++) times[i] += t0;
  metrics.precompute();
  const m = ids.map((id) => metrics.metrics(id));
  const columns: NwbColumn[] = [
    { name: 'quality', description: 'the curator label of each unit (phy groups: good, mua, noise, unsorted)', values: ids.map((id) => meta.group(id) ?? 'unsorted') },
    { name: 'n_spikes', description: 'number of spikes', values: BigInt64Array.from(m, (v) => BigInt(v.nSpikes)) },
    { name: 'firing_rate', description: 'spikes per second', values: Float64Array.from(m, (v) => v.fr) },
    { name: 'amplitude', description: 'peak-to-peak template amplitude (template units × amplitude scaling); NaN when unknown', values: Float64Array.from(m, (v) => v.amp ?? NaN) },
    { name: 'depth', description: 'y of the best channel, µm', values: Float64Array.from(m, (v) => v.depth) },
    { name: 'peak_channel', description: 'best channel (channel_map value)', values: BigInt64Array.from(m, (v) => BigInt(v.ch)) },
    { name: 'shank', description: 'shank of the best channel', values: BigInt64Array.from(m, (v) => BigInt(v.sh)) },
  ];
  for (const name of meta.labelColumns()) {
    if (NWB_OWN_COLUMNS.has(name) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    const values = ids.map((id) => meta.get(name, id));
    const numeric = values.every((v) => v === null || typeof v === 'number');
    columns.push({ name, description: `${name} (spikedock cluster column)`, values: numeric ? Float64Array.from(values, (v) => (v === null ? NaN : (v as number))) : values.map((v) => (v === null ? '' : String(v))) });
  }
  const w = await NwbWriter.create(file, {
    identifier: `spikedock-export-${path.basename(ds.path)}-${new Date().toISOString()}`,
    sessionDescription: `spikedock export of the curation of ${ds.path}`,
    startTime: new Date().toISOString(),
  });
  try {
    const table = w.writeElectrodes(ds.channelPositions, ds.channelShanks, `the probe of ${ds.name}`);
    w.writeUnits({
      description: `spikedock curation of ${ds.name}: one unit per final cluster`,
      unitIds: ids,
      spikeTimes: times,
      ends,
      sampleRate: ds.sampleRate,
      electrodes: { table, channels: m.map((v) => (v.channel >= 0 ? [v.channel] : [])) },
      columns,
    });
  } finally {
    w.close();
  }
  return file;
}

function exportSiCuration(input: ExportInput, file: string): string {
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UserError(`${file} is a folder; give the path of the curation file to write (e.g. ${path.join(file, 'curation.json')})`);
  const { dataset, labels, meta } = input;
  const si = datasetSiCuration(dataset, input.base, labels.flatAssignment(), (id) => meta.group(id));
  if (typeof si === 'string') throw new UserError(`${dataset.path}: no SpikeInterface curation can be written: ${si}`);
  writeFileAtomicSync(file, [JSON.stringify(si) + '\n']);
  return file;
}

function exportPhy(input: ExportInput, dir: string): string[] {
  const { dataset: ds, labels, meta, metrics } = input;
  if (fs.existsSync(dir) && (!fs.statSync(dir).isDirectory() || fs.readdirSync(dir).length)) throw new UserError(`${dir} is not an empty folder; a phy export writes a new folder (the sorter's files are never overwritten)`);
  if (path.resolve(dir) === path.resolve(ds.dir)) throw new UserError(`${dir} is the dataset's own folder; export to another one`);
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const put = (name: string, chunks: Parameters<typeof writeFileAtomicSync>[1]) => {
    const f = path.join(dir, name);
    writeFileAtomicSync(f, chunks);
    written.push(f);
  };
  const nC = ds.nChannels;
  // Samples as phy reads them: int64 (Kilosort writes uint64; phylib accepts both).
  put('spike_times.npy', [encodeNpy(ds.spikeTimes, 'int64')]);
  put('spike_clusters.npy', int32NpyChunks(labels.flatAssignment()));
  if (ds.amplitudes) put('amplitudes.npy', [encodeNpy(ds.amplitudes, 'float32')]);
  const t = ds.templates;
  if (t && ds.spikeTemplates) {
    put('spike_templates.npy', spikeTemplatesNpy(ds.spikeTemplates));
    // Dense (nTemplates, nSamples, nChannels) float32, as Kilosort writes them: a few MB.
    const dense = new Float32Array(t.nTemplates * t.nSamples * nC);
    for (let k = 0; k < t.nTemplates; k++) {
      const { data, channels } = t.getTemplate(k);
      for (let s = 0; s < t.nSamples; s++) {
        for (let j = 0; j < channels.length; j++) {
          const c = channels[j];
          if (c >= 0 && c < nC) dense[(k * t.nSamples + s) * nC + c] = data[s * t.nChannelsLoc + j];
        }
      }
    }
    put('templates.npy', [encodeNpy(dense, 'float32', [t.nTemplates, t.nSamples, nC])]);
  } else if (ds.spikeTemplates) put('spike_templates.npy', spikeTemplatesNpy(ds.spikeTemplates));
  put('channel_map.npy', int32NpyChunks(ds.channelMap));
  put('channel_positions.npy', [encodeNpy(ds.channelPositions, 'float32', [nC, 2])]);
  put('channel_shanks.npy', int32NpyChunks(ds.channelShanks));
  // The raw recording stays where it is: a template folder's dat_path made absolute; other
  // inputs have no flat binary file phy could read, so none is named.
  const p = ds.params;
  const dat = ds.format === 'template' && typeof p.dat_path === 'string' && p.dat_path ? path.resolve(ds.dir, p.dat_path) : null;
  put('params.py', [formatParams({
    dat_path: dat ?? '',
    n_channels_dat: typeof p.n_channels_dat === 'number' ? p.n_channels_dat : nC,
    dtype: typeof p.dtype === 'string' ? p.dtype : 'int16',
    offset: typeof p.offset === 'number' ? p.offset : 0,
    sample_rate: ds.sampleRate,
    hp_filtered: p.hp_filtered === true,
  })]);
  const ids = labels.clusterIds();
  written.push(...writeClusterGroupFiles(dir, { rejectedGroupRows: null }, ids, meta));
  written.push(writeClusterInfo(dir, 'template', ids, meta, metrics, input.quality));
  return written;
}
