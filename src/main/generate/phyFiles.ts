/**
 * The phy-folder files shared by the generator's two writers (`generateDataset.ts`, in memory;
 * `streamPhy.ts`, streaming): the model's files, the cluster tables, the raw file, `.npy` streams.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { encodeNpy, type NpyDtype } from '../../core/formats/npy';
import { formatClusterField } from '../../core/formats/tsv';
import { formatParams } from '../../core/formats/params';
import type { DatasetModel, GeneratedDataset } from '../../core/generate/buildDataset';
import { FEATURE_BLOCK } from '../../core/generate/features';
import type { PresetSpec } from '../../core/generate/presets';
import { RAW_BLOCK, rawChunk, rawSampleCount } from '../../core/generate/raw';
import { N_TEMPLATE_SAMPLES, writeDense } from '../../core/generate/waveforms';
import { StreamWriter } from './StreamWriter';

/** Every file the generator may write (stale ones from an earlier run are removed). */
export const ALL_FILES = [
  'params.py',
  'spike_times.npy',
  'spike_templates.npy',
  'spike_clusters.npy',
  'amplitudes.npy',
  'templates.npy',
  'whitening_mat.npy',
  'whitening_mat_inv.npy',
  'similar_templates.npy',
  'pc_features.npy',
  'pc_feature_ind.npy',
  'template_features.npy',
  'template_feature_ind.npy',
  'channel_map.npy',
  'channel_positions.npy',
  'channel_shanks.npy',
  'spike_positions.npy',
  'cluster_group.tsv',
  'cluster_KSLabel.tsv',
  'cluster_ContamPct.tsv',
  'cluster_Amplitude.tsv',
  'ground_truth.json',
  'ground_truth_units.npy',
  'recording.dat',
];
/** Spikes per chunk of the streamed per-spike files. */
export const SPIKE_CHUNK = FEATURE_BLOCK * 64;
/** Samples per chunk of the raw file (1 s at 30 kHz). */
export const RAW_CHUNK = RAW_BLOCK * 10;

/** dtype of `spike_times.npy` for a preset (see {@link PresetSpec.spikeTimesDtype}). */
export function spikeTimesDtype(spec: PresetSpec): 'uint64' | 'int64' {
  return spec.spikeTimesDtype ?? 'uint64';
}

/**
 * Spike times `[start, end)` as 64-bit little-endian words (low, high) for `spike_times.npy`:
 * the same bytes for int64 and uint64 (times are ≥ 0); exact for any time below 2^53.
 */
export function spikeTimeWords(times: ArrayLike<number>, start: number, end: number): Uint32Array {
  const words = new Uint32Array(2 * (end - start));
  for (let i = start; i < end; i++) {
    const t = times[i];
    words[2 * (i - start)] = t >>> 0;
    words[2 * (i - start) + 1] = Math.floor(t / 4294967296);
  }
  return words;
}

/** The files that do not depend on the spikes: probe, whitening, similarity, PC channels, templates. */
export async function writeModelFiles(dir: string, ds: DatasetModel, pcFeatures: boolean, put: Put, written: Map<string, number>): Promise<void> {
  const nC = ds.probe.nChannels;
  const nT = ds.templates.length;
  await put('channel_map.npy', encodeNpy(ds.probe.channelMap, 'int32'));
  await put('channel_positions.npy', encodeNpy(ds.probe.positions, 'float32', [nC, 2]));
  await put('channel_shanks.npy', encodeNpy(ds.probe.shanks, 'int32'));
  const white = new Float64Array(nC * nC);
  const whiteInv = new Float64Array(nC * nC);
  for (let c = 0; c < nC; c++) {
    white[c * nC + c] = 1 / ds.whiteningInv[c];
    whiteInv[c * nC + c] = ds.whiteningInv[c];
  }
  await put('whitening_mat.npy', encodeNpy(white, 'float64', [nC, nC]));
  await put('whitening_mat_inv.npy', encodeNpy(whiteInv, 'float64', [nC, nC]));
  await put('similar_templates.npy', encodeNpy(ds.similarity, 'float32', [nT, nT]));
  if (pcFeatures) await put('pc_feature_ind.npy', encodeNpy(ds.pcFeatureInd, 'uint32', [nT, ds.nPcChannels]));
  if (ds.templateFeatureInd) await put('template_feature_ind.npy', encodeNpy(ds.templateFeatureInd, 'uint32', [nT, ds.nTemplateFeatures]));

  // templates.npy: (nTemplates, 82, nChannels), one template at a time.
  await stream(dir, 'templates.npy', 'float32', [nT, N_TEMPLATE_SAMPLES, nC], written, async (w) => {
    for (const t of ds.templates) {
      const row = new Float32Array(N_TEMPLATE_SAMPLES * nC);
      writeDense(t.waveform, nC, row);
      await w.append(row);
    }
  });
}

/** Cluster tables, as Kilosort writes them (Amplitude and ContamPct with one decimal), and params.py. */
export async function writeClusterFiles(ds: DatasetModel, clusters: GeneratedDataset['clusters'], curatedGroups: GeneratedDataset['curatedGroups'], put: Put): Promise<void> {
  const field = (name: string, value: (c: GeneratedDataset['clusters'][number]) => string | number): string =>
    formatClusterField(
      name,
      clusters.map((c) => [c.id, value(c)]),
    );
  await put('cluster_KSLabel.tsv', field('KSLabel', (c) => c.ksLabel));
  await put('cluster_ContamPct.tsv', field('ContamPct', (c) => c.contamPct.toFixed(1)));
  await put('cluster_Amplitude.tsv', field('Amplitude', (c) => c.amplitude.toFixed(1)));
  await put('cluster_group.tsv', formatClusterField('group', [...curatedGroups.entries()]));
  await put(
    'params.py',
    formatParams({
      dat_path: 'recording.dat',
      n_channels_dat: ds.probe.nChannelsDat,
      dtype: 'int16',
      offset: 0,
      sample_rate: ds.sampleRate,
      hp_filtered: false,
    }),
  );
}

/** Writes the first `rawSeconds` of `recording.dat`; returns the seconds written. `ds.spikes` must hold every spike that overlaps them. */
export async function writeRaw(dir: string, ds: GeneratedDataset, rawSeconds: number, progress: (msg: string) => void, written: Map<string, number>): Promise<number> {
  const nRaw = rawSampleCount(ds, rawSeconds);
  progress(`writing recording.dat (${(nRaw / ds.sampleRate).toFixed(1)} s × ${ds.probe.nChannelsDat} channels)`);
  const scratch = new Float32Array(RAW_CHUNK * ds.probe.nChannelsDat);
  const w = await StreamWriter.create(path.join(dir, 'recording.dat'));
  try {
    const nChunks = Math.ceil(nRaw / RAW_CHUNK);
    for (let k = 0; k < nChunks; k++) {
      const start = k * RAW_CHUNK;
      // The chunk is written while the next is computed: it cannot share `scratch`'s output.
      await w.append(rawChunk(ds, start, Math.min(RAW_CHUNK, nRaw - start), scratch));
      if (nChunks > 40 && k > 0 && k % Math.ceil(nChunks / 10) === 0) progress(`  recording.dat ${Math.round((100 * k) / nChunks)} %`);
    }
  } finally {
    await w.close();
  }
  written.set('recording.dat', w.size);
  return nRaw / ds.sampleRate;
}

/** Removes the generator's files that this run did not write (from an earlier run). */
export async function removeStale(dir: string, written: Map<string, number>): Promise<void> {
  for (const name of ALL_FILES) {
    if (!written.has(name)) await rm(path.join(dir, name), { force: true });
  }
}

/** Writes one named file whole and records its size. */
export type Put = (name: string, bytes: Uint8Array | string) => Promise<void>;

/** Writes one `.npy` file through a {@link StreamWriter} and records its size. */
export async function stream(
  dir: string,
  name: string,
  dtype: NpyDtype,
  shape: number[],
  written: Map<string, number>,
  body: (w: StreamWriter) => Promise<void>,
): Promise<void> {
  const w = await StreamWriter.createNpy(path.join(dir, name), dtype, shape);
  try {
    await body(w);
  } finally {
    await w.close();
  }
  written.set(name, w.size);
}
