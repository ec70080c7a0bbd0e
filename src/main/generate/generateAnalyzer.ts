/**
 * Writes a generated dataset as a SpikeInterface `SortingAnalyzer` saved with
 * `format="binary_folder"`, in the layout of SpikeInterface 0.105.0 (`core/sortinganalyzer.py`
 * `create_binary_folder`, `core/sortingfolder.py` `NumpyFolderSorting.write_sorting`, `core/base.py`
 * `to_dict` for the JSON dumps, `AnalyzerExtension._save_params` / `_save_data` /
 * `_save_importing_provenance` / `_save_run_info` for each extension, probeinterface 0.3.2
 * `write_probeinterface`). The units are the phy folder's clusters (same spikes, same ids), so an
 * analyzer and a phy folder of one seed hold the same curation problem.
 *
 * Written: `spikeinterface_info.json`, `settings.json`, `sorting/` (`numpysorting_info.json`,
 * `spikes.npy`, `si_folder.json`, `properties/` with the phy folder's cluster tables as
 * SpikeInterface's phy reader names them), `recording.json` (a `BinaryRecordingExtractor` of
 * `recording.dat`, which holds the analyzer's channels only), `recording_info/`
 * (`recording_attributes.json`, `probegroup.json`), `sparsity_mask.npy` (channels within 100 µm of
 * each unit's peak channel, SpikeInterface's default radius), and the extensions `random_spikes`
 * (≤ 500 spikes per unit), `templates` (`average`, raw units), `noise_levels`, `template_similarity`, `spike_amplitudes`,
 * `principal_components` (`by_channel_local`, 3 components, sparse), `spike_locations`,
 * `quality_metrics`. Not written: the PCA models (`pca_model_*.pkl`, Python pickles),
 * `sorting_provenance.json`, `waveforms`.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { encodeNpy } from '../../core/formats/npy';
import { encodeStructuredNpyHeader, encodeStructuredRecords, type FieldSpec } from '../../core/formats/npyStructured';
import { encodeNpyStrings } from '../../core/formats/npyText';
import type { GeneratedDataset } from '../../core/generate/buildDataset';
import { FEATURE_BLOCK, pcFeaturesChunk, spikePositionsChunk } from '../../core/generate/features';
import { RAW_BLOCK, rawChunk, rawSampleCount } from '../../core/generate/raw';
import { N_TEMPLATE_SAMPLES, writeDense } from '../../core/generate/waveforms';
import { StreamWriter } from './StreamWriter';
import { PyFloat, pyJson } from './pyJson';

/** The SpikeInterface version whose layout is written. */
export const SPIKEINTERFACE_VERSION = '0.105.0';
/** The probeinterface version whose `probegroup.json` is written. */
const PROBEINTERFACE_VERSION = '0.3.2';
/** SpikeInterface's default sparsity radius (`estimate_sparsity(method="radius", radius_um=100)`). */
export const SPARSITY_RADIUS_UM = 100;
/** `random_spikes` default `max_spikes_per_unit`. */
const MAX_SPIKES_PER_UNIT = 500;
/** Spikes per chunk of the streamed per-spike files. */
const SPIKE_CHUNK = FEATURE_BLOCK * 64;
/** Samples per chunk of the raw file (1 s at 30 kHz). */
const RAW_CHUNK = RAW_BLOCK * 10;

/** Options of {@link writeAnalyzer}. */
export interface AnalyzerWriteOptions {
  /** Unit ids as strings (`"u12"`) instead of the cluster ids. */
  stringUnitIds?: boolean;
  /** Seconds of raw data to write (0: none, and no recording.json). */
  rawSeconds: number;
  onProgress: (msg: string) => void;
}

/** Folders and files the analyzer writer owns (removed before a new run over an old one). */
export const ANALYZER_ENTRIES = ['spikeinterface_info.json', 'settings.json', 'sorting', 'recording.json', 'recording_info', 'sparsity_mask.npy', 'extensions', 'recording.dat'];

const provenance = (cls: string) => ({ class: cls, module: 'spikeinterface', version: SPIKEINTERFACE_VERSION });

/**
 * Writes the analyzer into `dir` (which exists and holds none of {@link ANALYZER_ENTRIES});
 * `put` writes one small file and counts it, `stream` one streamed `.npy`. Returns the raw
 * seconds written.
 */
export async function writeAnalyzer(
  dir: string,
  ds: GeneratedDataset,
  opts: AnalyzerWriteOptions,
  put: (name: string, bytes: Uint8Array | string) => Promise<void>,
  streamed: (name: string, size: number) => void,
): Promise<number> {
  const fs = ds.sampleRate;
  const nC = ds.probe.nChannels;
  const nSpikes = ds.spikes.times.length;
  const clusterIds = ds.clusters.map((c) => c.id);
  const nUnits = clusterIds.length;
  const unitIds: Array<string | number> = clusterIds.map((id) => (opts.stringUnitIds ? `u${id}` : id));
  const unitOf = new Map<number, number>(clusterIds.map((id, i) => [id, i]));
  const unitIndex = new Int32Array(nSpikes);
  for (let i = 0; i < nSpikes; i++) unitIndex[i] = unitOf.get(ds.spikes.clusters[i])!;
  const channelIds = Array.from({ length: nC }, (_, c) => c);
  for (const d of ['sorting', 'sorting/properties', 'recording_info', 'extensions']) await mkdir(path.join(dir, d), { recursive: true });

  await put('spikeinterface_info.json', pyJson({ version: SPIKEINTERFACE_VERSION, dev_mode: false, object: 'SortingAnalyzer' }, 4));
  await put('settings.json', pyJson({ return_in_uV: false, peak_sign: 'neg', peak_mode: 'extremum' }, 4));

  // sorting/: NumpyFolderSorting.
  opts.onProgress(`writing the analyzer's sorting (${nUnits} units${opts.stringUnitIds ? ', string unit ids' : ''})`);
  await put('sorting/numpysorting_info.json', pyJson({ sampling_frequency: new PyFloat(fs), unit_ids: unitIds, num_segments: 1 }));
  const spikeFields: FieldSpec[] = [
    { name: 'sample_index', dtype: 'int64' },
    { name: 'unit_index', dtype: 'int64' },
    { name: 'segment_index', dtype: 'int64' },
  ];
  const zeros = new Uint8Array(nSpikes);
  await streamRecords(path.join(dir, 'sorting/spikes.npy'), spikeFields, nSpikes, (s, e) => encodeStructuredRecords(spikeFields, [ds.spikes.times, unitIndex, zeros], s, e), streamed, 'sorting/spikes.npy');
  // Unit properties as SpikeInterface's phy reader sets them (read_phy / read_kilosort: every
  // cluster_*.tsv column, phy's `group` renamed `quality`, and `original_cluster_id`).
  await put('sorting/properties/original_cluster_id.npy', encodeNpy(clusterIds, 'int64'));
  await put('sorting/properties/quality.npy', encodeNpyStrings(clusterIds.map((id) => ds.curatedGroups.get(id) ?? 'unsorted')));
  await put('sorting/properties/KSLabel.npy', encodeNpyStrings(ds.clusters.map((c) => c.ksLabel)));
  await put('sorting/properties/ContamPct.npy', encodeNpy(ds.clusters.map((c) => Number(c.contamPct.toFixed(1))), 'float64'));
  await put('sorting/properties/Amplitude.npy', encodeNpy(ds.clusters.map((c) => Number(c.amplitude.toFixed(1))), 'float64'));
  await put('sorting/si_folder.json', pyJson({ ...provenance('spikeinterface.core.sortingfolder.NumpyFolderSorting'), kwargs: { folder_path: '.', mmap_mode: null }, annotations: {}, properties: {}, relative_paths: true }, 4));

  // recording_info/ and the probe.
  const location = channelIds.map((c) => [new PyFloat(ds.probe.positions[2 * c]), new PyFloat(ds.probe.positions[2 * c + 1])]);
  const group = Array.from(ds.probe.shanks);
  await put(
    'recording_info/recording_attributes.json',
    pyJson({ channel_ids: channelIds, sampling_frequency: new PyFloat(fs), num_channels: nC, num_samples: [ds.nSamples], is_filtered: true, properties: { group, location }, dtype: 'int16' }, 4),
  );
  await put(
    'recording_info/probegroup.json',
    pyJson(
      {
        specification: 'probeinterface',
        version: PROBEINTERFACE_VERSION,
        probes: [
          {
            ndim: 2,
            si_units: 'um',
            annotations: { model_name: 'spikedock generated', manufacturer: 'spikedock' },
            contact_annotations: {},
            contact_positions: location,
            contact_plane_axes: channelIds.map(() => [[new PyFloat(1), new PyFloat(0)], [new PyFloat(0), new PyFloat(1)]]),
            contact_shapes: channelIds.map(() => 'circle'),
            contact_shape_params: channelIds.map(() => ({ radius: 6 })),
            device_channel_indices: channelIds,
            contact_ids: channelIds.map((c) => `e${c}`),
            shank_ids: group.map(String),
          },
        ],
      },
      4,
    ),
  );

  const { unitTemplates, dominant, sparseChannels, mask } = unitAverages(ds, unitIndex, nUnits);
  const nT = ds.templates.length;
  const gain = ds.whiteningInv;
  await put('sparsity_mask.npy', encodeNpy(mask, 'bool', [nUnits, nC]));

  const extension = async (name: string, cls: string, params: Record<string, unknown>, files: Array<[string, Uint8Array | string]>) => {
    await mkdir(path.join(dir, 'extensions', name), { recursive: true });
    await put(`extensions/${name}/params.json`, pyJson(params, 4));
    await put(`extensions/${name}/info.json`, pyJson(provenance(cls), 4));
    for (const [f, bytes] of files) await put(`extensions/${name}/${f}`, bytes);
    await put(`extensions/${name}/run_info.json`, pyJson({ run_completed: true, runtime_s: new PyFloat(0) }, 4));
  };

  // random_spikes: up to 500 evenly spaced spikes of each unit, ascending.
  const start = new Int32Array(nUnits + 1);
  for (let i = 0; i < nSpikes; i++) start[unitIndex[i] + 1]++;
  for (let u = 0; u < nUnits; u++) start[u + 1] += start[u];
  const fill = start.slice(0, nUnits);
  const byUnit = new Int32Array(nSpikes);
  for (let i = 0; i < nSpikes; i++) byUnit[fill[unitIndex[i]]++] = i;
  const picked: number[] = [];
  for (let u = 0; u < nUnits; u++) {
    const n = start[u + 1] - start[u];
    const k = Math.min(MAX_SPIKES_PER_UNIT, n);
    for (let j = 0; j < k; j++) picked.push(byUnit[start[u] + Math.floor((j * n) / k)]);
  }
  const randomSpikes = Int32Array.from(picked).sort();
  await extension('random_spikes', 'spikeinterface.core.analyzer_extension_core.ComputeRandomSpikes', { method: 'uniform', max_spikes_per_unit: MAX_SPIKES_PER_UNIT, margin_size: null, seed: ds.seed }, [
    ['random_spikes_indices.npy', encodeNpy(randomSpikes, 'int64')],
  ]);

  // templates: nbefore = int(ms_before × fs / 1000) = 41 of the 82 samples (rounded up at 1 ns so
  // Python's int() does not land on 40).
  const ms = Math.ceil((((N_TEMPLATE_SAMPLES / 2) * 1000) / fs) * 1e6) / 1e6;
  await extension('templates', 'spikeinterface.core.analyzer_extension_core.ComputeTemplates', { operators: ['average'], ms_before: new PyFloat(ms), ms_after: new PyFloat(ms) }, [
    ['average.npy', encodeNpy(unitTemplates, 'float32', [nUnits, N_TEMPLATE_SAMPLES, nC])],
  ]);

  // template_similarity: the phy folder's similarity of each unit's dominant template.
  const sim = new Float32Array(nUnits * nUnits);
  for (let a = 0; a < nUnits; a++) for (let b = 0; b < nUnits; b++) sim[a * nUnits + b] = a === b ? 1 : ds.similarity[dominant[a] * nT + dominant[b]];
  await extension('template_similarity', 'spikeinterface.postprocessing.template_similarity.ComputeTemplateSimilarity', { method: 'cosine', max_lag_ms: 0, support: 'union' }, [
    ['similarity.npy', encodeNpy(sim, 'float32', [nUnits, nUnits])],
  ]);

  // spike_amplitudes: the spike's amplitude × its template's extremum in raw units (signed, a.u.).
  const templatePeak = new Float32Array(nT);
  for (let t = 0; t < nT; t++) {
    const w = ds.templates[t].waveform;
    for (let k = 0; k < w.data.length; k++) {
      const v = w.data[k] * gain[w.channels[Math.floor(k / N_TEMPLATE_SAMPLES)]];
      if (Math.abs(v) > Math.abs(templatePeak[t])) templatePeak[t] = v;
    }
  }
  const amps = new Float32Array(nSpikes);
  for (let i = 0; i < nSpikes; i++) amps[i] = ds.spikes.amplitudes[i] * templatePeak[ds.spikes.templates[i]];
  await extension('spike_amplitudes', 'spikeinterface.postprocessing.spike_amplitudes.ComputeSpikeAmplitudes', {}, [['amplitudes.npy', encodeNpy(amps, 'float32')]]);

  // noise_levels: the raw noise rms of each channel (what SpikeInterface's snr divides by).
  await extension('noise_levels', 'spikeinterface.core.analyzer_extension_core.ComputeNoiseLevels', { num_chunks_per_segment: 20, chunk_size: 10000, seed: ds.seed }, [
    ['noise_levels.npy', encodeNpy(ds.noiseRms, 'float32')],
  ]);

  // principal_components (by_channel_local, 3 PCs): the phy features of the sampled spikes on
  // each unit's sparse channels (0 where the spike's template has no feature on that channel).
  opts.onProgress(`writing principal_components for ${randomSpikes.length} sampled spikes`);
  const nLoc = Math.max(1, ...sparseChannels.map((c) => c.length));
  const nPc = ds.nPcChannels;
  const proj = new Float32Array(randomSpikes.length * 3 * nLoc);
  for (let k = 0; k < randomSpikes.length; ) {
    const blockStart = Math.floor(randomSpikes[k] / FEATURE_BLOCK) * FEATURE_BLOCK;
    const blockEnd = Math.min(nSpikes, blockStart + FEATURE_BLOCK);
    const feats = pcFeaturesChunk(ds, blockStart, blockEnd);
    for (; k < randomSpikes.length && randomSpikes[k] < blockEnd; k++) {
      const i = randomSpikes[k];
      const t = ds.spikes.templates[i];
      const chans = sparseChannels[unitIndex[i]];
      for (let j = 0; j < chans.length; j++) {
        let col = -1;
        for (let q = 0; q < nPc; q++) if (ds.pcFeatureInd[t * nPc + q] === chans[j]) col = q;
        if (col < 0) continue;
        for (let p = 0; p < 3; p++) proj[(k * 3 + p) * nLoc + j] = feats[((i - blockStart) * 3 + p) * nPc + col];
      }
    }
  }
  await extension('principal_components', 'spikeinterface.postprocessing.principal_component.ComputePrincipalComponents', { n_components: 3, mode: 'by_channel_local', whiten: true, dtype: 'float32' }, [
    ['pca_projection.npy', encodeNpy(proj, 'float32', [randomSpikes.length, 3, nLoc])],
  ]);

  // spike_locations: the phy folder's spike positions as (x, y) float64 records.
  const locFields: FieldSpec[] = [
    { name: 'x', dtype: 'float64' },
    { name: 'y', dtype: 'float64' },
  ];
  await mkdir(path.join(dir, 'extensions/spike_locations'), { recursive: true });
  await put('extensions/spike_locations/params.json', pyJson({ ms_before: new PyFloat(0.5), ms_after: new PyFloat(0.5), spike_retriever_kwargs: {}, method: 'center_of_mass', method_kwargs: {} }, 4));
  await put('extensions/spike_locations/info.json', pyJson(provenance('spikeinterface.postprocessing.spike_locations.ComputeSpikeLocations'), 4));
  await streamRecords(
    path.join(dir, 'extensions/spike_locations/spike_locations.npy'),
    locFields,
    nSpikes,
    (s, e) => {
      const xy = spikePositionsChunk(ds, s, e);
      const x = new Float64Array(e - s);
      const y = new Float64Array(e - s);
      for (let i = 0; i < e - s; i++) [x[i], y[i]] = [xy[2 * i], xy[2 * i + 1]];
      return encodeStructuredRecords(locFields, [x, y]);
    },
    streamed,
    'extensions/spike_locations/spike_locations.npy',
  );
  await put('extensions/spike_locations/run_info.json', pyJson({ run_completed: true, runtime_s: new PyFloat(0) }, 4));

  // quality_metrics: a pandas dataframe written with to_csv(index=True) (unnamed index column).
  const metricNames = ['num_spikes', 'firing_rate', 'isi_violations_count', 'rp_contamination'];
  const csv = [`,${metricNames.join(',')}`, ...ds.clusters.map((c, u) => [unitIds[u], c.nSpikes, c.nSpikes / ds.duration, c.refractoryViolations, c.contamPct / 100].join(','))].join('\n') + '\n';
  await extension('quality_metrics', 'spikeinterface.metrics.quality.quality_metrics.ComputeQualityMetrics', { metric_names: metricNames, metrics_to_compute: metricNames, delete_existing_metrics: false, metric_params: {}, periods: null }, [['metrics.csv', csv]]);

  // The recording: recording.dat with the analyzer's channels, and its provenance.
  if (opts.rawSeconds <= 0) return 0;
  const nRaw = rawSampleCount(ds, opts.rawSeconds);
  opts.onProgress(`writing recording.dat (${(nRaw / fs).toFixed(1)} s × ${nC} channels)`);
  const rawScratch = new Float32Array(RAW_CHUNK * ds.probe.nChannelsDat);
  const w = await StreamWriter.create(path.join(dir, 'recording.dat'));
  try {
    for (let s0 = 0; s0 < nRaw; s0 += RAW_CHUNK) {
      const n = Math.min(RAW_CHUNK, nRaw - s0);
      await w.append(displayedRawChunk(ds, s0, n, rawScratch));
    }
  } finally {
    await w.close();
  }
  streamed('recording.dat', w.size);
  await put(
    'recording.json',
    pyJson(
      {
        ...provenance('spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor'),
        kwargs: {
          file_paths: ['recording.dat'],
          sampling_frequency: new PyFloat(fs),
          t_starts: null,
          num_channels: nC,
          dtype: '<i2',
          channel_ids: channelIds,
          time_axis: 0,
          file_offset: 0,
          gain_to_uV: null,
          offset_to_uV: null,
          is_filtered: true,
        },
        annotations: { is_filtered: true },
        properties: { group, location },
        relative_paths: true,
      },
      4,
    ),
  );
  return nRaw / fs;
}

/** Streams a 1-D structured `.npy` of `n` records, `SPIKE_CHUNK` records per `encode` call. */
async function streamRecords(file: string, fields: FieldSpec[], n: number, encode: (start: number, end: number) => Uint8Array, streamed: (name: string, size: number) => void, name: string): Promise<void> {
  const w = await StreamWriter.create(file);
  try {
    await w.append(encodeStructuredNpyHeader(fields, n));
    for (let s = 0; s < n; s += SPIKE_CHUNK) await w.append(encode(s, Math.min(n, s + SPIKE_CHUNK)));
  } finally {
    await w.close();
  }
  streamed(name, w.size);
}

/** Each unit's average template, dominant template and sparse channels (see {@link unitAverages}). */
export interface UnitAverages {
  /** (nUnits, N_TEMPLATE_SAMPLES, nChannels) float32, the raw file's units. */
  unitTemplates: Float32Array;
  /** (nUnits,) the template most of the unit's spikes came from. */
  dominant: Int32Array;
  /** Each unit's channels within {@link SPARSITY_RADIUS_UM} of its peak channel, ascending. */
  sparseChannels: number[][];
  /** (nUnits, nChannels) 1 where the channel is in the unit's sparse set. */
  mask: Uint8Array;
}

/**
 * What SpikeInterface computes from a recording for each unit (and NWB's `waveform_mean`
 * holds): the average template, and its channels within 100 µm of the peak channel.
 * @param unitIndex (nSpikes,) unit index of each spike
 */
export function unitAverages(ds: GeneratedDataset, unitIndex: Int32Array, nUnits: number): UnitAverages {
  const nSpikes = ds.spikes.times.length;
  const nC = ds.probe.nChannels;
  // Unit templates in the raw file's units, as SpikeInterface averages the recording: the mean
  // over the unit's spikes of amplitude × template × the channel's unwhitening gain (raw.ts).
  const gain = ds.whiteningInv;
  const perUnitTemplate = new Map<number, Map<number, { n: number; amp: number }>>();
  for (let i = 0; i < nSpikes; i++) {
    const u = unitIndex[i];
    const t = ds.spikes.templates[i];
    let m = perUnitTemplate.get(u);
    if (!m) perUnitTemplate.set(u, (m = new Map()));
    const e = m.get(t) ?? { n: 0, amp: 0 };
    e.n++;
    e.amp += ds.spikes.trueAmplitudes[i];
    m.set(t, e);
  }
  const rowSize = N_TEMPLATE_SAMPLES * nC;
  const unitTemplates = new Float32Array(nUnits * rowSize);
  const scratch = new Float32Array(rowSize);
  const dominant = new Int32Array(nUnits);
  for (let u = 0; u < nUnits; u++) {
    const m = perUnitTemplate.get(u) ?? new Map<number, { n: number; amp: number }>();
    let total = 0;
    let best = -1;
    for (const [t, e] of m) {
      total += e.n;
      if (best < 0 || e.n > m.get(best)!.n) best = t;
    }
    dominant[u] = Math.max(0, best);
    for (const [t, e] of m) {
      writeDense(ds.templates[t].waveform, nC, scratch);
      const w = e.amp / total;
      for (let k = 0; k < rowSize; k++) unitTemplates[u * rowSize + k] += w * scratch[k] * gain[k % nC];
    }
  }
  // Sparsity: channels within 100 µm of each unit's peak (largest peak-to-peak) channel.
  const mask = new Uint8Array(nUnits * nC);
  const sparseChannels: number[][] = [];
  for (let u = 0; u < nUnits; u++) {
    let peak = 0;
    let peakPtp = -1;
    for (let c = 0; c < nC; c++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let s = 0; s < N_TEMPLATE_SAMPLES; s++) {
        const v = unitTemplates[u * rowSize + s * nC + c];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi - lo > peakPtp) [peak, peakPtp] = [c, hi - lo];
    }
    const px = ds.probe.positions[2 * peak];
    const py = ds.probe.positions[2 * peak + 1];
    const chans: number[] = [];
    for (let c = 0; c < nC; c++) {
      if (Math.hypot(ds.probe.positions[2 * c] - px, ds.probe.positions[2 * c + 1] - py) <= SPARSITY_RADIUS_UM) {
        mask[u * nC + c] = 1;
        chans.push(c);
      }
    }
    sparseChannels.push(chans);
  }
  return { unitTemplates, dominant, sparseChannels, mask };
}

/**
 * Raw samples `[s0, s0 + n)` of the displayed channels only (`channel_map` order): (n, nChannels)
 * int16, what a recording of the sorted channels holds (an analyzer's `recording.dat`, an NWB
 * ElectricalSeries). `scratch` as for `rawChunk`.
 */
export function displayedRawChunk(ds: GeneratedDataset, s0: number, n: number, scratch?: Float32Array): Int16Array {
  const nC = ds.probe.nChannels;
  const dat = ds.probe.nChannelsDat;
  const full = rawChunk(ds, s0, n, scratch);
  const out = new Int16Array(n * nC);
  for (let s = 0; s < n; s++) for (let c = 0; c < nC; c++) out[s * nC + c] = full[s * dat + ds.probe.channelMap[c]];
  return out;
}
