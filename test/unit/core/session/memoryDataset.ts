/**
 * A small in-memory template Dataset for session tests: `nClusters` clusters, one template per
 * cluster, spikes in time order, sparse templates (non-zero on 4 channels around the peak).
 */
import type { Dataset } from '../../../../src/core/dataset/Dataset';
import { Rng } from '../../../../src/core/random';

export interface MemoryDatasetOptions {
  nSpikes?: number;
  nClusters?: number;
  nChannels?: number;
  nSamples?: number;
  dir?: string;
  seed?: number;
  /** Include similar_templates (false → null, 'zeros' → all zeros). */
  similar?: boolean | 'zeros';
  groups?: Array<[number, string]>;
  columns?: Array<{ name: string; values: Array<[number, string | number]> }>;
}

export function memoryDataset(o: MemoryDatasetOptions = {}): Dataset {
  const nSpikes = o.nSpikes ?? 10_000;
  const nClusters = o.nClusters ?? 20;
  const nChannels = o.nChannels ?? 16;
  const nSamples = o.nSamples ?? 20;
  const random = new Rng((o.seed ?? 1));
  const rand = () => random.uniform();
  const sampleRate = 25000;
  const spikeTimes = new Float64Array(nSpikes);
  const spikeClusters = new Int32Array(nSpikes);
  const amplitudes = new Float32Array(nSpikes);
  let t = 0;
  for (let i = 0; i < nSpikes; i++) {
    t += 1 + Math.floor(rand() * 50);
    spikeTimes[i] = t;
    spikeClusters[i] = Math.floor(rand() * rand() * nClusters);
    amplitudes[i] = 0.5 + rand();
  }
  const nTemplates = nClusters;
  const peak = (k: number) => (k * 3) % nChannels;
  const templates = {
    nTemplates,
    nSamples,
    nChannelsLoc: nChannels,
    getTemplate(id: number) {
      const data = new Float32Array(nSamples * nChannels);
      for (let c = 0; c < 4; c++) {
        const ch = (peak(id) + c) % nChannels;
        for (let s = 0; s < nSamples; s++) data[s * nChannels + ch] = -Math.exp(-((s - nSamples / 2) ** 2) / (2 * (1 + (id % 3)) ** 2)) * (4 - c) * (1 + id / nTemplates);
      }
      return { data, channels: Int32Array.from({ length: nChannels }, (_, i) => i) };
    },
  };
  let similarTemplates: Float32Array | null = null;
  if (o.similar !== false) {
    similarTemplates = new Float32Array(nTemplates * nTemplates);
    if (o.similar !== 'zeros') {
      for (let i = 0; i < nTemplates; i++) for (let j = 0; j < nTemplates; j++) similarTemplates[i * nTemplates + j] = i === j ? 1 : 1 / (1 + Math.abs(i - j));
    }
  }
  const whiteningMatInv = new Float64Array(nChannels * nChannels);
  for (let i = 0; i < nChannels; i++) whiteningMatInv[i * nChannels + i] = 2;
  const positions = new Float32Array(nChannels * 2);
  for (let i = 0; i < nChannels; i++) positions[i * 2 + 1] = i * 20;
  return {
    format: 'template',
    path: o.dir ?? '/nonexistent/memory',
    dir: o.dir ?? '/nonexistent/memory',
    name: 'memory',
    params: {},
    sampleRate,
    nSpikes,
    nChannels,
    nTemplates,
    duration: t / sampleRate,
    spikeTimes,
    spikeClusters,
    spikeTemplates: Int32Array.from(spikeClusters),
    amplitudes,
    channelMap: Int32Array.from({ length: nChannels }, (_, i) => i + 100),
    channelPositions: positions,
    channelShanks: new Int32Array(nChannels),
    channelProbes: new Int32Array(nChannels),
    templates,
    similarTemplates,
    whiteningMatInv,
    features: null,
    templateFeatures: null,
    spikeAttributes: [],
    clusterColumns: (o.columns ?? []).map((c) => ({ name: c.name, file: `cluster_${c.name}.tsv`, values: new Map(c.values) })),
    clusterGroups: new Map(o.groups ?? []),
    raw: null,
    diagnostics: [],
    close() {},
  };
}
