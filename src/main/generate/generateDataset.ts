/**
 * Writes a generated Kilosort/phy template folder with ground truth (see
 * src/core/generate/README.md). The model is built in memory as typed arrays (≈ 30 bytes per
 * spike); PC features, template features, spike positions and the raw file are computed and
 * written chunk by chunk, so memory stays bounded whatever the recording length.
 */
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeNpy, type NpyDtype } from '../../core/formats/npy';
import { formatClusterField } from '../../core/formats/tsv';
import { formatParams } from '../../core/formats/params';
import { PRESETS, isPresetName, type PresetName } from '../../core/generate/presets';
import { buildDataset, type GeneratedDataset } from '../../core/generate/buildDataset';
import { buildGroundTruth } from '../../core/generate/groundTruth';
import { FEATURE_BLOCK, pcFeaturesChunk, spikePositionsChunk, templateFeatureCoefficients, templateFeaturesChunk } from '../../core/generate/features';
import { RAW_BLOCK, rawChunk, rawSampleCount } from '../../core/generate/raw';
import { N_TEMPLATE_SAMPLES, writeDense } from '../../core/generate/waveforms';
import { StreamWriter } from './StreamWriter';
import { ANALYZER_ENTRIES, writeAnalyzer } from './generateAnalyzer';
import { NWB_FILE, writeNwb } from './generateNwb';
import { binaryAnalyzerToZarr } from './zarrAnalyzer';

/** The store `--format analyzer-zarr` writes (its recording, `recording.dat`, beside it). */
export const ZARR_STORE = 'sorting_analyzer.zarr';
/** Where the analyzer is first written as a binary_folder, then converted (removed after). */
const ZARR_SCRATCH = '.analyzer-binary';

/** Options of {@link generateDataset}. */
export interface GenerateOptions {
  preset: PresetName;
  /** Non-negative integer; default 1. */
  seed?: number;
  /** Write `recording.dat` (default true). */
  raw?: boolean;
  /** Seconds of raw data to write (default: the preset's; clamped to the recording). */
  rawSeconds?: number;
  onProgress?: (msg: string) => void;
  /**
   * `phy` (default): a Kilosort/phy template folder; `analyzer`: a SpikeInterface SortingAnalyzer
   * binary_folder; `analyzer-zarr`: the same analyzer as the Zarr store `sorting_analyzer.zarr`
   * (`save_as(format="zarr")`) with `recording.dat` beside it; `nwb`: `sorting.nwb`, NWB 2.x HDF5.
   */
  format?: GenerateFormat;
  /** Analyzer only: unit ids as strings (`"u12"`) instead of the cluster ids. */
  stringUnitIds?: boolean;
}

/** What `generate` writes. */
export type GenerateFormat = 'phy' | 'analyzer' | 'analyzer-zarr' | 'nwb';

/** What was written. */
export interface GenerateSummary {
  outDir: string;
  format: GenerateFormat;
  preset: PresetName;
  seed: number;
  nSpikes: number;
  nClusters: number;
  nTemplates: number;
  nChannels: number;
  nChannelsDat: number;
  sampleRate: number;
  /** Recording length, s. */
  duration: number;
  /** Length of `recording.dat`, s (0 when no raw file was written). */
  rawSeconds: number;
  /** File names written, ascending. */
  files: string[];
  /** Total bytes written. */
  bytes: number;
  elapsedMs: number;
}

/** A problem with the request (bad option, unsafe output folder): the message is for the user. */
export class GenerateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GenerateError';
  }
}

/** Default seed when none is given. */
export const DEFAULT_SEED = 1;

/** Every file the generator may write (stale ones from an earlier run are removed). */
const ALL_FILES = [
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
const SPIKE_CHUNK = FEATURE_BLOCK * 64;
/** Samples per chunk of the raw file (1 s at 30 kHz). */
const RAW_CHUNK = RAW_BLOCK * 10;

/**
 * Generates the preset into `outDir` (created if needed). Refuses a folder that holds a
 * `params.py` not written by the generator (no `ground_truth.json` beside it), so a real sorting
 * is never overwritten.
 */
export async function generateDataset(outDir: string, opts: GenerateOptions): Promise<GenerateSummary> {
  const started = Date.now();
  if (!isPresetName(opts.preset)) throw new GenerateError(`unknown preset '${String(opts.preset)}' (${Object.keys(PRESETS).join(', ')})`);
  const spec = PRESETS[opts.preset];
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new GenerateError(`seed must be a non-negative integer (got ${seed})`);
  const rawSeconds = opts.rawSeconds ?? spec.defaultRawSeconds;
  if (!(rawSeconds >= 0)) throw new GenerateError(`raw seconds must be ≥ 0 (got ${rawSeconds})`);
  const progress = opts.onProgress ?? (() => undefined);

  const format = opts.format ?? 'phy';
  if (format !== 'phy' && format !== 'analyzer' && format !== 'analyzer-zarr' && format !== 'nwb') throw new GenerateError(`unknown format '${String(format)}' (phy, analyzer, analyzer-zarr, nwb)`);
  if (opts.stringUnitIds && format !== 'analyzer' && format !== 'analyzer-zarr') throw new GenerateError('string unit ids are for --format analyzer or analyzer-zarr only (phy cluster ids are integers)');

  const dir = path.resolve(outDir);
  await prepareFolder(dir, format);
  const ds = buildDataset(spec, seed, progress);
  const written = new Map<string, number>();
  const put = async (name: string, bytes: Uint8Array | string): Promise<void> => {
    await writeFile(path.join(dir, name), bytes);
    written.set(name, typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength);
  };
  const nSpikes = ds.spikes.times.length;
  const nT = ds.templates.length;
  const nC = ds.probe.nChannels;
  const summary = (rawWritten: number): GenerateSummary => {
    const files = [...written.keys()].sort();
    return {
      outDir: dir,
      format,
      preset: spec.name,
      seed,
      nSpikes,
      nClusters: ds.clusters.length,
      nTemplates: nT,
      nChannels: nC,
      nChannelsDat: format === 'phy' ? ds.probe.nChannelsDat : nC,
      sampleRate: ds.sampleRate,
      duration: ds.duration,
      rawSeconds: rawWritten,
      files,
      bytes: [...written.values()].reduce((a, b) => a + b, 0),
      elapsedMs: Date.now() - started,
    };
  };

  if (format === 'analyzer') {
    const rawWritten = await writeAnalyzer(dir, ds, { stringUnitIds: opts.stringUnitIds, rawSeconds: opts.raw === false ? 0 : rawSeconds, onProgress: progress }, put, (name, size) => written.set(name, size));
    await stream(dir, 'ground_truth_units.npy', 'int32', [nSpikes], written, (w) => w.append(ds.spikes.groundTruthUnits));
    await put('ground_truth.json', JSON.stringify(buildGroundTruth(ds), null, 1) + '\n');
    return summary(rawWritten);
  }

  if (format === 'analyzer-zarr') {
    // The binary_folder first (one owner of the analyzer's content), then the same files as Zarr.
    const scratch = path.join(dir, ZARR_SCRATCH);
    await rm(scratch, { recursive: true, force: true });
    await mkdir(scratch);
    const putScratch = (name: string, bytes: Uint8Array | string) => writeFile(path.join(scratch, name), bytes);
    const rawWritten = await writeAnalyzer(scratch, ds, { stringUnitIds: opts.stringUnitIds, rawSeconds: opts.raw === false ? 0 : rawSeconds, onProgress: progress }, putScratch, () => undefined);
    progress(`writing ${ZARR_STORE} (Zarr v2, Blosc zstd)`);
    // SpikeInterface writes the recording's paths relative to the store (os.path.relpath).
    await rm(path.join(dir, ZARR_STORE), { recursive: true, force: true });
    await binaryAnalyzerToZarr(scratch, path.join(dir, ZARR_STORE), (p) => `../${p}`);
    if (rawWritten > 0) await rename(path.join(scratch, 'recording.dat'), path.join(dir, 'recording.dat'));
    await rm(scratch, { recursive: true, force: true });
    written.set(ZARR_STORE, await folderBytes(path.join(dir, ZARR_STORE)));
    if (rawWritten > 0) written.set('recording.dat', (await stat(path.join(dir, 'recording.dat'))).size);
    await stream(dir, 'ground_truth_units.npy', 'int32', [nSpikes], written, (w) => w.append(ds.spikes.groundTruthUnits));
    await put('ground_truth.json', JSON.stringify(buildGroundTruth(ds), null, 1) + '\n');
    return summary(rawWritten);
  }

  if (format === 'nwb') {
    const rawWritten = await writeNwb(path.join(dir, NWB_FILE), ds, { rawSeconds: opts.raw === false ? 0 : rawSeconds, onProgress: progress });
    written.set(NWB_FILE, (await stat(path.join(dir, NWB_FILE))).size);
    await stream(dir, 'ground_truth_units.npy', 'int32', [nSpikes], written, (w) => w.append(ds.spikes.groundTruthUnits));
    await put('ground_truth.json', JSON.stringify(buildGroundTruth(ds), null, 1) + '\n');
    return summary(rawWritten);
  }

  progress(`writing ${nSpikes} spikes, ${nT} templates, ${ds.clusters.length} clusters`);
  // Per-spike columns are written straight from the model's typed arrays (no encoded copy).
  await stream(dir, 'spike_times.npy', 'uint64', [nSpikes], written, async (w) => {
    // uint64 little endian: the low word, then a zero high word (times are < 2^32).
    for (let start = 0; start < nSpikes; start += SPIKE_CHUNK) {
      const end = Math.min(nSpikes, start + SPIKE_CHUNK);
      const words = new Uint32Array(2 * (end - start));
      for (let i = start; i < end; i++) words[2 * (i - start)] = ds.spikes.times[i];
      await w.append(words);
    }
  });
  const column = (name: string, dtype: 'uint32' | 'int32' | 'float32', data: Uint32Array | Int32Array | Float32Array) =>
    stream(dir, name, dtype, [nSpikes], written, (w) => w.append(data));
  await column('spike_templates.npy', 'uint32', ds.spikes.templates);
  await column('spike_clusters.npy', 'int32', ds.spikes.clusters);
  await column('amplitudes.npy', 'float32', ds.spikes.amplitudes);
  await column('ground_truth_units.npy', 'int32', ds.spikes.groundTruthUnits);
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
  await put('pc_feature_ind.npy', encodeNpy(ds.pcFeatureInd, 'uint32', [nT, ds.nPcChannels]));
  if (ds.templateFeatureInd) await put('template_feature_ind.npy', encodeNpy(ds.templateFeatureInd, 'uint32', [nT, ds.nTemplateFeatures]));

  // templates.npy: (nTemplates, 82, nChannels), one template at a time.
  await stream(dir, 'templates.npy', 'float32', [nT, N_TEMPLATE_SAMPLES, nC], written, async (w) => {
    for (const t of ds.templates) {
      const row = new Float32Array(N_TEMPLATE_SAMPLES * nC);
      writeDense(t.waveform, nC, row);
      await w.append(row);
    }
  });

  const chunks = Math.ceil(nSpikes / SPIKE_CHUNK);
  progress(`writing pc_features.npy (${nSpikes} × 3 × ${ds.nPcChannels})`);
  await stream(dir, 'pc_features.npy', 'float32', [nSpikes, 3, ds.nPcChannels], written, async (w) => {
    for (let k = 0; k < chunks; k++) {
      await w.append(pcFeaturesChunk(ds, k * SPIKE_CHUNK, Math.min(nSpikes, (k + 1) * SPIKE_CHUNK)));
      if (chunks > 8 && k % Math.ceil(chunks / 4) === 0 && k > 0) progress(`  pc_features ${Math.round((100 * k) / chunks)} %`);
    }
  });
  if (ds.templateFeatureInd) {
    const coef = templateFeatureCoefficients(ds);
    await stream(dir, 'template_features.npy', 'float32', [nSpikes, ds.nTemplateFeatures], written, async (w) => {
      for (let k = 0; k < chunks; k++) await w.append(templateFeaturesChunk(ds, coef, k * SPIKE_CHUNK, Math.min(nSpikes, (k + 1) * SPIKE_CHUNK)));
    });
  }
  await stream(dir, 'spike_positions.npy', 'float32', [nSpikes, 2], written, async (w) => {
    for (let k = 0; k < chunks; k++) await w.append(spikePositionsChunk(ds, k * SPIKE_CHUNK, Math.min(nSpikes, (k + 1) * SPIKE_CHUNK)));
  });

  // Cluster tables, as Kilosort writes them (Amplitude and ContamPct with one decimal).
  const field = (name: string, value: (c: GeneratedDataset['clusters'][number]) => string | number): string =>
    formatClusterField(
      name,
      ds.clusters.map((c) => [c.id, value(c)]),
    );
  await put('cluster_KSLabel.tsv', field('KSLabel', (c) => c.ksLabel));
  await put('cluster_ContamPct.tsv', field('ContamPct', (c) => c.contamPct.toFixed(1)));
  await put('cluster_Amplitude.tsv', field('Amplitude', (c) => c.amplitude.toFixed(1)));
  await put('cluster_group.tsv', formatClusterField('group', [...ds.curatedGroups.entries()]));

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
  await put('ground_truth.json', JSON.stringify(buildGroundTruth(ds), null, 1) + '\n');

  let rawWritten = 0;
  if (opts.raw !== false) {
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
    rawWritten = nRaw / ds.sampleRate;
  }

  for (const name of ALL_FILES) {
    if (!written.has(name)) await rm(path.join(dir, name), { force: true });
  }
  return summary(rawWritten);
}

async function prepareFolder(dir: string, format: GenerateFormat): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await mkdir(dir, { recursive: true });
    return;
  }
  const ours = entries.includes('ground_truth.json');
  if (entries.includes('params.py') && !ours) {
    throw new GenerateError(`${dir} holds a params.py that the generator did not write; refusing to overwrite a sorting (choose an empty folder)`);
  }
  if ((entries.includes('spikeinterface_info.json') || entries.includes(ZARR_STORE)) && !ours) {
    throw new GenerateError(`${dir} holds a SpikeInterface folder that the generator did not write; refusing to overwrite it (choose an empty folder)`);
  }
  // A phy folder, an analyzer and an NWB file do not share a folder: a generated one of another kind is replaced.
  const others = (format === 'analyzer' ? [...ALL_FILES, NWB_FILE] : format === 'nwb' ? [...ALL_FILES, ...ANALYZER_ENTRIES] : format === 'analyzer-zarr' ? [...ALL_FILES, ...ANALYZER_ENTRIES, NWB_FILE] : [...ANALYZER_ENTRIES, NWB_FILE]).concat(format === 'analyzer-zarr' ? [] : [ZARR_STORE]);
  for (const name of others) await rm(path.join(dir, name), { recursive: true, force: true });
}

async function stream(
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

/** Bytes of the files under `dir`. */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? await folderBytes(p) : (await stat(p)).size;
  }
  return total;
}
