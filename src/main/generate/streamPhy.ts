/**
 * The streaming writer of a generated phy folder (the `chronic` preset, or any preset with
 * `--stream`): spikes come from `SpikeStream` chunk by chunk, in time order, and every per-spike
 * file is appended to at once, so no column of the whole recording is ever held (peak memory ≈
 * the model + one 60 s block, whatever the spike count). Cluster metrics and ground-truth counts
 * are accumulated on the way; the files that need them are written at the end.
 */
import path from 'node:path';
import type { GeneratedDataset, SpikeColumns } from '../../core/generate/buildDataset';
import { pcFeaturesChunk, spikePositionsChunk, templateFeatureCoefficients, templateFeaturesChunk } from '../../core/generate/features';
import { GroundTruthCounts, groundTruthOf } from '../../core/generate/groundTruth';
import { ClusterMetricsAccumulator } from '../../core/generate/metrics';
import { pickCuratedGroups } from '../../core/generate/buildDataset';
import type { PresetSpec } from '../../core/generate/presets';
import { rawSampleCount } from '../../core/generate/raw';
import { SpikeStream, planStream, type StreamedSpikes } from '../../core/generate/streamSpikes';
import { N_TEMPLATE_SAMPLES } from '../../core/generate/waveforms';
import { spikeTimeWords, spikeTimesDtype, writeClusterFiles, writeModelFiles, writeRaw, type Put } from './phyFiles';
import { StreamWriter } from './StreamWriter';

/** What {@link writeStreamedPhy} wrote (the summary's numbers). */
export interface StreamedSummary {
  nSpikes: number;
  nClusters: number;
  nTemplates: number;
  nChannels: number;
  nChannelsDat: number;
  /** s of `recording.dat` written (0: none). */
  rawSeconds: number;
}

/** Writes the phy folder of `spec` into `dir` (prepared by the caller) by the streaming path. */
export async function writeStreamedPhy(
  dir: string,
  spec: PresetSpec,
  seed: number,
  opts: { rawSeconds: number; pcFeatures: boolean; onProgress: (msg: string) => void },
  put: Put,
  written: Map<string, number>,
): Promise<StreamedSummary> {
  const progress = opts.onProgress;
  const sp = planStream(spec, seed, progress);
  const model = sp.model;
  const nSpikes = sp.nSpikes;
  const nRaw = rawSampleCount(model, opts.rawSeconds);
  // The raw file is rendered from the spikes that overlap it, kept in memory (uint32 times).
  if (nRaw > 0xffffffff) throw new RangeError(`--raw-seconds ${opts.rawSeconds}: raw data past 2^32 samples is not supported`);
  // A spike at t covers [t − 41, t + 40]: those before nRaw + 82 cover every one that reaches the file.
  const rawEnd = nRaw + N_TEMPLATE_SAMPLES;

  await writeModelFiles(dir, model, opts.pcFeatures, put, written);
  progress(`streaming ${nSpikes} spikes, ${model.templates.length} templates`);
  const files: [string, StreamWriter][] = [];
  const open = async (name: string, dtype: Parameters<typeof StreamWriter.createNpy>[1], shape: number[]): Promise<StreamWriter> => {
    const w = await StreamWriter.createNpy(path.join(dir, name), dtype, shape);
    files.push([name, w]);
    return w;
  };
  const acc = new ClusterMetricsAccumulator(model.clusterOfTemplate, model.sampleRate);
  const counts = new GroundTruthCounts(model.units.length);
  const rawSpikes: StreamedSpikes[] = [];
  let handedOut = 0;
  try {
    const times = await open('spike_times.npy', spikeTimesDtype(spec), [nSpikes]);
    const templates = await open('spike_templates.npy', 'uint32', [nSpikes]);
    const clusters = await open('spike_clusters.npy', 'int32', [nSpikes]);
    const amplitudes = await open('amplitudes.npy', 'float32', [nSpikes]);
    const truth = await open('ground_truth_units.npy', 'int32', [nSpikes]);
    const pcs = opts.pcFeatures ? await open('pc_features.npy', 'float32', [nSpikes, 3, model.nPcChannels]) : null;
    const coef = model.templateFeatureInd ? templateFeatureCoefficients(model) : null;
    const tfs = coef ? await open('template_features.npy', 'float32', [nSpikes, model.nTemplateFeatures]) : null;
    const positions = await open('spike_positions.npy', 'float32', [nSpikes, 2]);

    const stream = new SpikeStream(sp);
    let nextReport = nSpikes / 10;
    for (let chunk = stream.next(); chunk; chunk = stream.next()) {
      const n = chunk.times.length;
      const first = chunk.first;
      await times.append(spikeTimeWords(chunk.times, 0, n));
      await templates.append(chunk.templates);
      await clusters.append(chunk.clusters);
      await amplitudes.append(chunk.amplitudes);
      await truth.append(chunk.groundTruthUnits);
      if (pcs) await pcs.append(pcFeaturesChunk(model, first, first + n, chunk));
      if (tfs && coef) await tfs.append(templateFeaturesChunk(model, coef, first, first + n, chunk));
      await positions.append(spikePositionsChunk(model, first, first + n, chunk));
      acc.add(chunk, 0);
      counts.add(chunk);
      if (nRaw > 0 && chunk.times[0] < rawEnd) rawSpikes.push(chunk);
      handedOut += n;
      if (handedOut >= nextReport && handedOut < nSpikes) {
        progress(`  ${Math.round((100 * handedOut) / nSpikes)} % (${(chunk.times[n - 1] / model.sampleRate / 3600).toFixed(2)} h)`);
        nextReport += nSpikes / 10;
      }
    }
  } finally {
    for (const [name, w] of files) {
      await w.close();
      written.set(name, w.size);
    }
  }
  // The headers promised nSpikes rows: the second pass must have drawn exactly the first pass's spikes.
  if (handedOut !== nSpikes) throw new Error(`streaming generator: ${handedOut} spikes streamed, ${nSpikes} counted (the two passes disagree)`);

  const clusterRows = acc.finish(model.templates, model.whiteningInv, model.nSamples);
  const curatedGroups = pickCuratedGroups(seed, clusterRows, model.templates, model.units);
  await writeClusterFiles(model, clusterRows, curatedGroups, put);
  await put('ground_truth.json', JSON.stringify(groundTruthOf({ ...model, clusters: clusterRows }, counts), null, 1) + '\n');

  let rawSeconds = 0;
  if (nRaw > 0) {
    const ds: GeneratedDataset = { ...model, spikes: rawColumns(rawSpikes, rawEnd), clusters: clusterRows, curatedGroups };
    rawSeconds = await writeRaw(dir, ds, opts.rawSeconds, progress, written);
  }
  return { nSpikes, nClusters: clusterRows.length, nTemplates: model.templates.length, nChannels: model.probe.nChannels, nChannelsDat: model.probe.nChannelsDat, rawSeconds };
}

/** The spikes before `end` samples of the kept chunks, as in-memory columns (what `rawChunk` reads). */
function rawColumns(chunks: StreamedSpikes[], end: number): SpikeColumns {
  let n = 0;
  for (const c of chunks) for (let i = 0; i < c.times.length && c.times[i] < end; i++) n++;
  const out: SpikeColumns = {
    times: new Uint32Array(n),
    templates: new Uint32Array(n),
    clusters: new Int32Array(n),
    amplitudes: new Float32Array(n),
    trueAmplitudes: new Float32Array(n),
    sources: new Int32Array(n),
    groundTruthUnits: new Int32Array(n),
  };
  let o = 0;
  for (const c of chunks) {
    for (let i = 0; i < c.times.length && o < n && c.times[i] < end; i++, o++) {
      out.times[o] = c.times[i];
      out.templates[o] = c.templates[i];
      out.clusters[o] = c.clusters[i];
      out.amplitudes[o] = c.amplitudes[i];
      out.trueAmplitudes[o] = c.trueAmplitudes[i];
      out.sources[o] = c.sources[i];
      out.groundTruthUnits[o] = c.groundTruthUnits[i];
    }
  }
  return out;
}
