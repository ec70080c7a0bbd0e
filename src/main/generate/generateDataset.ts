/**
 * Writes a generated Kilosort/phy template folder with ground truth (see
 * src/core/generate/README.md). The model is built in memory as typed arrays (≈ 30 bytes per
 * spike); PC features, template features, spike positions and the raw file are computed and
 * written chunk by chunk, so memory stays bounded whatever the recording length.
 */
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PRESETS, isPresetName, withOverrides, type PresetName, type PresetOverrides, type PresetSpec } from '../../core/generate/presets';
import { buildDataset } from '../../core/generate/buildDataset';
import { buildGroundTruth } from '../../core/generate/groundTruth';
import { pcFeaturesChunk, spikePositionsChunk, templateFeatureCoefficients, templateFeaturesChunk } from '../../core/generate/features';
import { ANALYZER_ENTRIES, writeAnalyzer } from './generateAnalyzer';
import { NWB_FILE, writeNwb } from './generateNwb';
import { binaryAnalyzerToZarr } from './zarrAnalyzer';

/** The store `--format analyzer-zarr` writes (its recording, `recording.dat`, beside it). */
export const ZARR_STORE = 'sorting_analyzer.zarr';
/** Where the analyzer is first written as a binary_folder, then converted (removed after). */
const ZARR_SCRATCH = '.analyzer-binary';
import { ALL_FILES, SPIKE_CHUNK, removeStale, spikeTimeWords, spikeTimesDtype, stream, writeClusterFiles, writeModelFiles, writeRaw } from './phyFiles';
import { writeStreamedPhy } from './streamPhy';

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
  /** Changes to the preset (`--hours`, `--spikes`, `--clusters`). */
  overrides?: PresetOverrides;
  /** Write `pc_features.npy` and `pc_feature_ind.npy` (default true; phy format only). */
  pcFeatures?: boolean;
  /** Write with the streaming path (phy format only; the chronic preset always does). */
  stream?: boolean;
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

/**
 * Generates the preset into `outDir` (created if needed). Refuses a folder that holds a
 * `params.py` not written by the generator (no `ground_truth.json` beside it), so a real sorting
 * is never overwritten.
 */
export async function generateDataset(outDir: string, opts: GenerateOptions): Promise<GenerateSummary> {
  const started = Date.now();
  if (!isPresetName(opts.preset)) throw new GenerateError(`unknown preset '${String(opts.preset)}' (${Object.keys(PRESETS).join(', ')})`);
  let spec: PresetSpec;
  try {
    spec = withOverrides(PRESETS[opts.preset], opts.overrides ?? {});
  } catch (e) {
    throw new GenerateError((e as Error).message);
  }
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new GenerateError(`seed must be a non-negative integer (got ${seed})`);
  const rawSeconds = opts.rawSeconds ?? spec.defaultRawSeconds;
  if (!(rawSeconds >= 0)) throw new GenerateError(`raw seconds must be ≥ 0 (got ${rawSeconds})`);
  const progress = opts.onProgress ?? (() => undefined);

  const format = opts.format ?? 'phy';
  if (format !== 'phy' && format !== 'analyzer' && format !== 'analyzer-zarr' && format !== 'nwb') throw new GenerateError(`unknown format '${String(format)}' (phy, analyzer, analyzer-zarr, nwb)`);
  if (opts.stringUnitIds && format !== 'analyzer' && format !== 'analyzer-zarr') throw new GenerateError('string unit ids are for --format analyzer or analyzer-zarr only (phy cluster ids are integers)');

  const streaming = opts.stream === true || spec.streaming === true;
  if (streaming && format !== 'phy') throw new GenerateError(`the ${spec.name} preset is written by the streaming path, which writes phy folders only (not --format ${format})`);
  const pcFeatures = opts.pcFeatures !== false;
  if (!pcFeatures && format !== 'phy') throw new GenerateError('--no-pc-features is for phy folders only');
  if (!streaming && Math.round(spec.duration * spec.sampleRate) > 0xffffffff) {
    throw new GenerateError(`a recording of ${spec.duration / 3600} h is over 2^32 samples: only the streaming path writes it (--stream)`);
  }

  const dir = path.resolve(outDir);
  await prepareFolder(dir, format);
  const written = new Map<string, number>();
  const put = async (name: string, bytes: Uint8Array | string): Promise<void> => {
    await writeFile(path.join(dir, name), bytes);
    written.set(name, typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength);
  };
  const summaryOf = (r: { nSpikes: number; nClusters: number; nTemplates: number; nChannels: number; nChannelsDat: number; rawSeconds: number }): GenerateSummary => ({
    outDir: dir,
    format,
    preset: spec.name,
    seed,
    ...r,
    nChannelsDat: format === 'phy' ? r.nChannelsDat : r.nChannels,
    sampleRate: spec.sampleRate,
    duration: spec.duration,
    files: [...written.keys()].sort(),
    bytes: [...written.values()].reduce((a, b) => a + b, 0),
    elapsedMs: Date.now() - started,
  });
  if (streaming) {
    const r = await writeStreamedPhy(dir, spec, seed, { rawSeconds: opts.raw === false ? 0 : rawSeconds, pcFeatures, onProgress: progress }, put, written);
    await removeStale(dir, written);
    return summaryOf(r);
  }

  const ds = buildDataset(spec, seed, progress);
  const nSpikes = ds.spikes.times.length;
  const nT = ds.templates.length;
  const nC = ds.probe.nChannels;
  const summary = (rawWritten: number): GenerateSummary =>
    summaryOf({ nSpikes, nClusters: ds.clusters.length, nTemplates: nT, nChannels: nC, nChannelsDat: ds.probe.nChannelsDat, rawSeconds: rawWritten });

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
  await stream(dir, 'spike_times.npy', spikeTimesDtype(spec), [nSpikes], written, async (w) => {
    for (let start = 0; start < nSpikes; start += SPIKE_CHUNK) await w.append(spikeTimeWords(ds.spikes.times, start, Math.min(nSpikes, start + SPIKE_CHUNK)));
  });
  const column = (name: string, dtype: 'uint32' | 'int32' | 'float32', data: Uint32Array | Int32Array | Float32Array) =>
    stream(dir, name, dtype, [nSpikes], written, (w) => w.append(data));
  await column('spike_templates.npy', 'uint32', ds.spikes.templates);
  await column('spike_clusters.npy', 'int32', ds.spikes.clusters);
  await column('amplitudes.npy', 'float32', ds.spikes.amplitudes);
  await column('ground_truth_units.npy', 'int32', ds.spikes.groundTruthUnits);
  await writeModelFiles(dir, ds, pcFeatures, put, written);

  const chunks = Math.ceil(nSpikes / SPIKE_CHUNK);
  if (pcFeatures) {
    progress(`writing pc_features.npy (${nSpikes} × 3 × ${ds.nPcChannels})`);
    await stream(dir, 'pc_features.npy', 'float32', [nSpikes, 3, ds.nPcChannels], written, async (w) => {
      for (let k = 0; k < chunks; k++) {
        await w.append(pcFeaturesChunk(ds, k * SPIKE_CHUNK, Math.min(nSpikes, (k + 1) * SPIKE_CHUNK)));
        if (chunks > 8 && k % Math.ceil(chunks / 4) === 0 && k > 0) progress(`  pc_features ${Math.round((100 * k) / chunks)} %`);
      }
    });
  }
  if (ds.templateFeatureInd) {
    const coef = templateFeatureCoefficients(ds);
    await stream(dir, 'template_features.npy', 'float32', [nSpikes, ds.nTemplateFeatures], written, async (w) => {
      for (let k = 0; k < chunks; k++) await w.append(templateFeaturesChunk(ds, coef, k * SPIKE_CHUNK, Math.min(nSpikes, (k + 1) * SPIKE_CHUNK)));
    });
  }
  await stream(dir, 'spike_positions.npy', 'float32', [nSpikes, 2], written, async (w) => {
    for (let k = 0; k < chunks; k++) await w.append(spikePositionsChunk(ds, k * SPIKE_CHUNK, Math.min(nSpikes, (k + 1) * SPIKE_CHUNK)));
  });

  await writeClusterFiles(ds, ds.clusters, ds.curatedGroups, put);
  await put('ground_truth.json', JSON.stringify(buildGroundTruth(ds), null, 1) + '\n');
  const rawWritten = opts.raw !== false ? await writeRaw(dir, ds, rawSeconds, progress, written) : 0;
  await removeStale(dir, written);
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

/** Bytes of the files under `dir`. */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? await folderBytes(p) : (await stat(p)).size;
  }
  return total;
}
