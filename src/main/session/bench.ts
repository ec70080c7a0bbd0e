/**
 * Session benchmark (issue 3, "Measure"): a synthetic 10 M-spike / 500-cluster session built in
 * memory (log-normal cluster sizes, one template per cluster, sparse templates), measuring
 * merges, splits, undo/redo, the 100-op sequences, similarity (cold/warm), journal appends and
 * a full save. `runSessionBench()` prints a table and returns the figures (ms).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Dataset } from '../../core/dataset/Dataset';
import { ClusterLabels } from '../../core/session/ClusterLabels';
import { ClusterMeta } from '../../core/session/ClusterMeta';
import { ClusterMetrics } from '../../core/session/ClusterMetrics';
import { Curation, type JournalRecord } from '../../core/session/Curation';
import { Similarity } from '../../core/session/Similarity';
import { hashInt32 } from '../../core/session/spikeCodec';
import { JournalFile } from './JournalFile';
import { saveSession } from './saveSession';
import { Rng } from '../../core/random';
import { lowerBound } from '../../core/search';

/** Figures in milliseconds (counts where named). */
export interface SessionBenchResult {
  nSpikes: number;
  nClusters: number;
  build: number;
  mergeMedian: number;
  undoMergeMedian: number;
  redoMergeMedian: number;
  mergeLargest: number;
  undoMergeLargest: number;
  redoMergeLargest: number;
  split50k: number;
  undoSplit50k: number;
  redoSplit50k: number;
  disjoint100Merges: number;
  disjoint100Undos: number;
  disjoint100Redos: number;
  disjointTotal: number;
  chain100Merges: number;
  chain100Undos: number;
  chainTotal: number;
  /** One-time pass at open: metrics and template sets of all clusters. */
  metricsPass: number;
  similarityCold: number;
  similarityWarm: number;
  similarityAfterMerge: number;
  similarityComputedCold: number;
  similarityComputedWarm: number;
  journalAppendP50: number;
  journalAppendP95: number;
  journalAppendSplit50k: number;
  save: number;
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

function time(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

/** Synthetic 10 M-spike dataset (in memory). */
export function syntheticDataset(nSpikes = 10_000_000, nClusters = 500, seed = 3): Dataset {
  const random = new Rng(seed);
  const rand = () => random.uniform();
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  // Log-normal sizes (σ = 1): the largest clusters hold ~1–2 % of the spikes, as in Neuropixels sorts.
  const w = Float64Array.from({ length: nClusters }, () => Math.exp(gauss()));
  const cum = new Float64Array(nClusters);
  let s = 0;
  for (let c = 0; c < nClusters; c++) cum[c] = s += w[c];
  const sampleRate = 30000;
  const duration = 600;
  const spikeTimes = new Float64Array(nSpikes);
  const spikeClusters = new Int32Array(nSpikes);
  const amplitudes = new Float32Array(nSpikes);
  for (let i = 0; i < nSpikes; i++) {
    spikeTimes[i] = Math.floor((i / nSpikes) * duration * sampleRate);
    const x = rand() * s;
    // The last cluster takes any x past the sum (rounding).
    spikeClusters[i] = lowerBound(cum, x, 0, nClusters - 1);
    amplitudes[i] = 0.8 + 0.4 * rand();
  }
  const nChannels = 384;
  const nSamples = 82;
  const nT = nClusters;
  const similarTemplates = new Float32Array(nT * nT);
  for (let i = 0; i < nT; i++) for (let j = 0; j < nT; j++) similarTemplates[i * nT + j] = i === j ? 1 : Math.max(0, 1 - Math.abs(i - j) / 20) * (0.5 + 0.5 * Math.abs(Math.sin(i * 7 + j * 13)));
  const wmi = new Float64Array(nChannels * nChannels);
  for (let i = 0; i < nChannels; i++) wmi[i * nChannels + i] = 3;
  const positions = new Float32Array(nChannels * 2);
  for (let i = 0; i < nChannels; i++) positions[i * 2 + 1] = Math.floor(i / 2) * 20;
  return {
    format: 'template',
    path: '/synthetic',
    dir: '/synthetic',
    name: 'synthetic',
    params: {},
    sampleRate,
    nSpikes,
    nChannels,
    nTemplates: nT,
    duration,
    spikeTimes,
    spikeClusters,
    spikeTemplates: Int32Array.from(spikeClusters),
    amplitudes,
    channelMap: Int32Array.from({ length: nChannels }, (_, i) => i),
    channelPositions: positions,
    channelShanks: new Int32Array(nChannels),
    channelProbes: new Int32Array(nChannels),
    templates: {
      nTemplates: nT,
      nSamples,
      nChannelsLoc: nChannels,
      getTemplate(id: number) {
        // Non-zero on 16 channels around the peak, as Kilosort templates effectively are.
        const data = new Float32Array(nSamples * nChannels);
        const peak = Math.floor((id / nT) * (nChannels - 16));
        for (let c = 0; c < 16; c++) for (let t = 0; t < nSamples; t++) data[t * nChannels + peak + c] = -Math.exp(-((t - 41) ** 2) / (2 * (2 + (id % 4)) ** 2)) * (16 - c);
        return { data, channels: Int32Array.from({ length: nChannels }, (_, i) => i) };
      },
    },
    similarTemplates,
    whiteningMatInv: wmi,
    features: null,
    templateFeatures: null,
    spikeAttributes: [],
    clusterColumns: [],
    clusterGroups: new Map(),
    raw: null,
    diagnostics: [],
    close() {},
  };
}

/**
 * Runs the benchmark on synthetic in-memory data. `_datasetDir` (the bench dataset folder
 * `bench/run.mjs` passes) is accepted for a uniform runner signature and never read or written:
 * the journal and the saved files go to a fresh temp folder, removed afterwards.
 */
export async function runSessionBench(_datasetDir?: string, log: (line: string) => void = (l) => console.log(l)): Promise<SessionBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spikedock-bench-session-'));
  const ds = syntheticDataset();
  const t0 = performance.now();
  const labels = new ClusterLabels(ds.spikeClusters);
  const build = performance.now() - t0;
  const cur = new Curation(labels, new ClusterMeta([], []));
  const ts = 'bench';
  const bySize = () => labels.clusterIds().slice().sort((x, y) => labels.nSpikes(x) - labels.nSpikes(y));

  // Warm-up (JIT): merges, undos, redos and splits on the smallest clusters, all undone.
  for (let k = 0; k < 40; k++) {
    const sm = bySize();
    cur.perform({ op: 'merge', clusters: [sm[0], sm[1]] }, undefined, ts);
    cur.undo(ts);
    cur.redo(ts);
    cur.undo(ts);
    const l = labels.spikeIds(sm[k % 10]);
    cur.perform({ op: 'split', spikes: l.subarray(0, l.length >> 1) }, undefined, ts);
    cur.undo(ts);
    cur.redo(ts);
    cur.undo(ts);
  }

  // Median merges: 21 pairs around the median size; each merge undone and redone, then undone.
  const merges: number[] = [];
  const undos: number[] = [];
  const redos: number[] = [];
  let order = bySize();
  const mid = Math.floor(order.length / 2);
  for (let k = 0; k < 21; k++) {
    const pair = [order[mid - 10 + k], order[mid + 11 - k]];
    merges.push(time(() => cur.perform({ op: 'merge', clusters: pair }, undefined, ts)));
    undos.push(time(() => cur.undo(ts)));
    redos.push(time(() => cur.redo(ts)));
    cur.undo(ts);
  }
  // Largest merge: the two largest clusters.
  order = bySize();
  const largest = [order[order.length - 1], order[order.length - 2]];
  const lm: number[] = [];
  const lu: number[] = [];
  const lr: number[] = [];
  for (let k = 0; k < 9; k++) {
    lm.push(time(() => cur.perform({ op: 'merge', clusters: largest }, undefined, ts)));
    lu.push(time(() => cur.undo(ts)));
    lr.push(time(() => cur.redo(ts)));
    cur.undo(ts);
  }
  // 50 k split out of the largest cluster (every other spike of its first 100 k).
  const big = labels.spikeIds(order[order.length - 1]);
  const chosen = new Int32Array(50_000);
  const stride = Math.max(1, Math.floor(big.length / 50_000));
  for (let i = 0; i < 50_000; i++) chosen[i] = big[Math.min(big.length - 1, i * stride)];
  const sm: number[] = [];
  const su: number[] = [];
  const sr: number[] = [];
  for (let k = 0; k < 9; k++) {
    sm.push(time(() => cur.perform({ op: 'split', spikes: chosen }, undefined, ts)));
    su.push(time(() => cur.undo(ts)));
    sr.push(time(() => cur.redo(ts)));
    cur.undo(ts);
  }
  // 100 merges of disjoint pairs, 100 undos, 100 redos.
  const ids = labels.clusterIds().slice(0, 200);
  const disjoint100Merges = time(() => {
    for (let k = 0; k < 100; k++) cur.perform({ op: 'merge', clusters: [ids[2 * k], ids[2 * k + 1]] }, undefined, ts);
  });
  const disjoint100Undos = time(() => {
    for (let k = 0; k < 100; k++) cur.undo(ts);
  });
  const disjoint100Redos = time(() => {
    for (let k = 0; k < 100; k++) cur.redo(ts);
  });
  for (let k = 0; k < 100; k++) cur.undo(ts);
  // A chain: one cluster grows by 100 merges, then 100 undos.
  const chainIds = labels.clusterIds().slice(200, 301);
  let acc = chainIds[0];
  const chain100Merges = time(() => {
    for (let k = 1; k <= 100; k++) acc = cur.perform({ op: 'merge', clusters: [acc, chainIds[k]] }, undefined, ts).update.added[0];
  });
  const chain100Undos = time(() => {
    for (let k = 0; k < 100; k++) cur.undo(ts);
  });
  if (hashInt32(labels.flatAssignment()) !== hashInt32(ds.spikeClusters)) throw new Error('bench: undo did not restore the assignment');

  // Similarity (similar_templates.npy path): cold = fresh caches, first row.
  const metrics = new ClusterMetrics(ds, labels);
  const sim = new Similarity(ds, labels, metrics);
  // The one pass over all spikes that the session runs once at open (cluster-table metrics and template sets).
  const metricsPass = time(() => metrics.precompute());
  const similarityCold = time(() => sim.similar(order[mid]));
  const warm: number[] = [];
  for (let k = 0; k < 20; k++) warm.push(time(() => sim.similar(order[(mid + 1 + k) % order.length])));
  const merged = cur.perform({ op: 'merge', clusters: [order[0], order[1]] }, undefined, ts).update.added[0];
  metrics.mergeTemplateCounts(merged, [order[0], order[1]]);
  const similarityAfterMerge = time(() => sim.similar(merged));
  cur.undo(ts);
  // Computed similarity (similar_templates absent): cosine of mean unwhitened templates.
  const dsNoSim: Dataset = { ...ds, similarTemplates: null };
  const metrics2 = new ClusterMetrics(dsNoSim, labels);
  metrics2.precompute();
  const sim2 = new Similarity(dsNoSim, labels, metrics2);
  const similarityComputedCold = time(() => sim2.similar(order[mid]));
  const warm2: number[] = [];
  for (let k = 0; k < 20; k++) warm2.push(time(() => sim2.similar(order[(mid + 1 + k) % order.length])));

  // Journal appends (fdatasync each), small records and one 50 k-spike split record.
  const jf = JournalFile.openForAppend(path.join(dir, 'journal.jsonl'), 0);
  const appends: number[] = [];
  for (let k = 0; k < 200; k++) {
    const rec: JournalRecord = { t: 'op', opId: k + 1, time: new Date().toISOString(), action: { op: 'merge', clusters: [k, k + 1] }, added: [1000 + k] };
    appends.push(time(() => jf.append(rec)));
  }
  const splitRec = cur.perform({ op: 'split', spikes: chosen }, undefined, ts).record;
  cur.undo(ts);
  const journalAppendSplit50k = time(() => jf.append(splitRec));
  jf.close();

  // Save: spike_clusters.npy (40 MB), cluster_group.tsv, cluster_info.tsv (metrics of 500 clusters), curation.json.
  const saveDs: Dataset = { ...ds, dir, path: dir };
  cur.perform({ op: 'merge', clusters: [order[0], order[1]] }, undefined, ts);
  const saveMetrics = new ClusterMetrics(saveDs, labels);
  const tSave = performance.now();
  await saveSession({ dataset: saveDs, labels, meta: cur.meta, metrics: saveMetrics, stateDir: path.join(dir, '.spikedock'), base: ds.spikeClusters, baseHash: hashInt32(ds.spikeClusters) });
  const save = performance.now() - tSave;
  fs.rmSync(dir, { recursive: true, force: true });

  const r: SessionBenchResult = {
    nSpikes: ds.nSpikes,
    nClusters: ds.spikeTemplates ? new Set(ds.spikeClusters).size : 0,
    build,
    mergeMedian: median(merges),
    undoMergeMedian: median(undos),
    redoMergeMedian: median(redos),
    mergeLargest: median(lm),
    undoMergeLargest: median(lu),
    redoMergeLargest: median(lr),
    split50k: median(sm),
    undoSplit50k: median(su),
    redoSplit50k: median(sr),
    disjoint100Merges,
    disjoint100Undos,
    disjoint100Redos,
    disjointTotal: disjoint100Merges + disjoint100Undos + disjoint100Redos,
    chain100Merges,
    chain100Undos,
    chainTotal: chain100Merges + chain100Undos,
    metricsPass,
    similarityCold,
    similarityWarm: median(warm),
    similarityAfterMerge,
    similarityComputedCold,
    similarityComputedWarm: median(warm2),
    journalAppendP50: median(appends),
    journalAppendP95: [...appends].sort((x, y) => x - y)[Math.floor(appends.length * 0.95)],
    journalAppendSplit50k,
    save,
  };
  const sizes = bySize();
  log(`session bench: ${r.nSpikes.toLocaleString('en-US')} spikes, ${r.nClusters} clusters (median ${labels.nSpikes(sizes[mid]).toLocaleString('en-US')}, largest ${labels.nSpikes(sizes[sizes.length - 1]).toLocaleString('en-US')} spikes); build ${r.build.toFixed(0)} ms`);
  const rows: Array<[string, number, string]> = [
    ['merge, two median clusters', r.mergeMedian, '≤ 0.5'],
    ['  undo / redo', Math.max(r.undoMergeMedian, r.redoMergeMedian), '≤ op'],
    ['merge, two largest clusters', r.mergeLargest, '≤ 5'],
    ['  undo / redo', Math.max(r.undoMergeLargest, r.redoMergeLargest), '≤ op'],
    ['split 50 k spikes', r.split50k, '≤ 5'],
    ['  undo / redo', Math.max(r.undoSplit50k, r.redoSplit50k), '≤ op'],
    ['100 disjoint merges + 100 undos + 100 redos', r.disjointTotal, '≤ 50'],
    ['100-merge chain + 100 undos', r.chainTotal, '≤ 50'],
    ['one pass at open: metrics + template sets, all clusters', r.metricsPass, ''],
    ['similarity row, cold (similar_templates)', r.similarityCold, '≤ 30'],
    ['similarity row, warm', r.similarityWarm, '≤ 1'],
    ['similarity row, new cluster after merge', r.similarityAfterMerge, '≤ 1'],
    ['similarity row, cold (computed cosine; unwhitens all 500 templates)', r.similarityComputedCold, '≤ 30'],
    ['similarity row, warm (computed cosine)', r.similarityComputedWarm, '≤ 1'],
    ['journal append + fdatasync, p50', r.journalAppendP50, ''],
    ['journal append + fdatasync, p95', r.journalAppendP95, ''],
    ['journal append, 50 k-spike split', r.journalAppendSplit50k, ''],
    ['save (npy + tsv + cluster_info + curation.json)', r.save, ''],
  ];
  log('| measure | ms | target |');
  log('|---|---:|---|');
  for (const [name, v, target] of rows) log(`| ${name} | ${v.toFixed(3)} | ${target} |`);
  return r;
}
