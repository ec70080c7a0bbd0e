#!/usr/bin/env node
// `npm run bench`: measures what users feel on a Neuropixels-scale dataset and writes
// bench/results.json. Usage: node bench/run.mjs [--only open,session,compute,cli,gui,previews,quality,cleanup] [--preset neuropixels]
// The dataset is generated once into bench/data/<preset> (git-ignored) and reused.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const only = new Set((opt('only', 'open,session,compute,cli,gui,previews,quality,cleanup') ?? '').split(',').filter(Boolean));
const preset = opt('preset', 'neuropixels');
const rawSeconds = Number(opt('raw-seconds', '300'));

const benchBundle = join(root, 'dist/main/bench.mjs');
if (!existsSync(benchBundle)) {
  console.error('bench: dist/main/bench.mjs missing — run `npm run build` first (npm run bench does)');
  process.exit(1);
}
const bench = await import(pathToFileURL(benchBundle).href);

const rows = [];
const add = (area, metric, value, unit, target = '') => rows.push({ area, metric, value, unit, target });

// 1. The dataset (generated once, reused).
const dataDir = join(root, 'bench', 'data', preset);
const stamp = join(dataDir, 'ground_truth.json');
// The cleanup area reads the preset's dataset only when it is already there (it has its own).
const needsData = ['open', 'session', 'compute', 'cli', 'gui', 'quality'].some((a) => only.has(a));
if (needsData && !existsSync(stamp)) {
  mkdirSync(dataDir, { recursive: true });
  console.log(`bench: generating the ${preset} preset into ${dataDir} (once) …`);
  const t0 = performance.now();
  await bench.generateDataset(dataDir, { preset, seed: 1, raw: true, rawSeconds, onProgress: (m) => process.stdout.write(`  ${m}\n`) });
  add('generate', `generate ${preset} preset`, (performance.now() - t0) / 1000, 's');
}
const truth = existsSync(stamp) ? JSON.parse(readFileSync(stamp, 'utf8')) : {};

// 2. Open: fresh child processes; the first warms the page cache, the others are reported.
if (only.has('open')) {
  const runs = [];
  for (let i = 0; i < 4; i++) {
    const state = mkdtempSync(join(tmpdir(), 'spikedock-bench-state-'));
    const r = spawnSync(process.execPath, [benchBundle, 'open', dataDir, state], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.error(r.stderr);
      process.exit(1);
    }
    runs.push(JSON.parse(r.stdout.trim().split('\n').pop()));
  }
  const warm = runs.slice(1);
  const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  add('open', `open ${(runs[0].nSpikes / 1e6).toFixed(1)} M spikes: dataset loaded (warm, median of 3)`, med(warm.map((r) => r.datasetMs)), 'ms');
  add('open', 'open: cluster table ready (warm, median of 3)', med(warm.map((r) => r.clusterTableMs)), 'ms', '≤ 500 ms');
  add('open', 'open: peak RSS', Math.max(...warm.map((r) => r.peakRssMb)), 'MB', '≤ 1024 MB');
}

// 3. Session (synthetic 10 M spikes / 500 clusters, in memory) — phy's figures for scale.
if (only.has('session')) {
  const r = await bench.runSessionBench(dataDir, () => {});
  const S = [
    ['mergeMedian', 'merge of two median clusters', '≤ 0.5 ms'],
    ['undoMergeMedian', '  undo of it', '≤ op'],
    ['redoMergeMedian', '  redo of it', '≤ op'],
    ['mergeLargest', 'merge of the two largest clusters', '≤ 5 ms'],
    ['undoMergeLargest', '  undo of it', '≤ op'],
    ['redoMergeLargest', '  redo of it', '≤ op'],
    ['split50k', 'split of 50 k spikes', '≤ 5 ms'],
    ['undoSplit50k', '  undo of it', '≤ op'],
    ['redoSplit50k', '  redo of it', '≤ op'],
    ['disjointTotal', '100 disjoint merges + 100 undos + 100 redos', '≤ 50 ms (phy 0.81 s + 4.2 s)'],
    ['chainTotal', '100-merge chain + 100 undos', '≤ 50 ms (phy 23.6 s + 80 s)'],
    ['metricsPass', 'one-time pass at open (metrics, template sets)', ''],
    ['similarityCold', 'similarity row, cold (similar_templates)', '≤ 30 ms (phy 154 ms)'],
    ['similarityWarm', 'similarity row, warm', '≤ 1 ms (phy 3 ms)'],
    ['similarityComputedCold', 'similarity row, cold (computed, no similar_templates)', '≤ 30 ms'],
    ['similarityComputedWarm', 'similarity row, warm (computed)', '≤ 1 ms'],
    ['journalAppendP50', 'journal append + fsync p50', ''],
    ['journalAppendP95', 'journal append + fsync p95', ''],
    ['save', 'save (spike_clusters.npy, tsv, cluster_info, curation.json)', ''],
  ];
  for (const [key, metric, target] of S) if (typeof r[key] === 'number') add('session', metric, r[key], 'ms', target);
}

// 4. Compute (the preset's own files, raw data included) through ComputeService + workers.
if (only.has('compute')) {
  const r = await bench.runComputeBench(dataDir, () => {});
  const targets = [
    [/^CCG of the 10 largest/, '≤ 30 ms (phylib 156 + 123 ms)'],
    [/^ACG of one cluster/, '≤ 1 ms at 100 k (phylib 5 ms)'],
    [/^all-pairs CCG/, '≤ 2000 ms (phylib 12.6 s for 300)'],
    [/^DriftView first draw/, '≤ 1000 ms at 10 M spikes'],
  ];
  for (const [metric, value] of Object.entries(r.ms)) add('compute', metric, value, 'ms', targets.find(([re]) => re.test(metric))?.[1] ?? '');
  add('compute', `cluster switch p50 (${r.clusterSwitch.n} selections, all default views' data)`, r.clusterSwitch.p50, 'ms');
  add('compute', `cluster switch p95`, r.clusterSwitch.p95, 'ms', '≤ 30 ms');
  add('compute', 'peak RSS (compute bench process)', r.peakRssMb, 'MB', '≤ 1536 MB');
}

// 5. GUI: driven in Chromium through `spikedock serve`.
if (only.has('gui')) {
  const { runGuiBench, runColdOpenBench } = await import(pathToFileURL(join(root, 'bench', 'gui.mjs')).href);
  for (const r of await runGuiBench(dataDir)) add('gui', r.metric, r.value, r.unit, r.target ?? '');
  for (const r of await runColdOpenBench(dataDir)) add('gui', r.metric, r.value, r.unit, r.target ?? '');
}

// 5a. The command line as a whole process, beside phylib (bench/cli.mjs).
if (only.has('cli')) {
  const { runCliBench } = await import(pathToFileURL(join(root, 'bench', 'cli.mjs')).href);
  for (const r of await runCliBench(bench, dataDir)) add('cli', r.metric, r.value, r.unit, r.target ?? '');
}

// 5b. Proposal previews (issue #14) in Chromium through `spikedock serve` (bench/gui.mjs).
if (only.has('previews')) {
  const { runPreviewBench } = await import(pathToFileURL(join(root, 'bench', 'gui.mjs')).href);
  for (const r of await runPreviewBench(dataDir)) add('previews', r.metric, r.value, r.unit, r.target ?? '');
}

// 6. Quality of the curation assistant: generated `small` seeds (bench/data/quality/, once) and
// the preset's dataset above, judged by their ground truth (src/main/bench/qualityBench.ts).
if (only.has('quality')) {
  const workDir = join(root, 'bench', 'data', 'quality');
  mkdirSync(workDir, { recursive: true });
  const qualityRows = await bench.runQualityBench({ workDir, neuropixelsDir: preset === 'neuropixels' ? dataDir : null, onProgress: (m) => process.stdout.write(`  quality: ${m}\n`) });
  for (const r of qualityRows) add('quality', r.metric, r.value, r.unit, r.target ?? '');
}

// 7. Clean-up tools (issue #14): re-cluster judged by each spike's true unit on the `small` seeds
// (bench/data/quality/, shared with the quality area), the preset's dataset when present, and a
// 100 k-spike re-cluster timed in the background lane (src/main/bench/cleanupBench.ts).
if (only.has('cleanup')) {
  const workDir = join(root, 'bench', 'data', 'quality');
  mkdirSync(workDir, { recursive: true });
  const cleanupRows = await bench.runCleanupBench({ workDir, neuropixelsDir: preset === 'neuropixels' ? dataDir : null, onProgress: (m) => process.stdout.write(`  cleanup: ${m}\n`) });
  for (const r of cleanupRows) add('cleanup', r.metric, r.value, r.unit, r.target ?? '');
}

const fmt = (v) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3));
const w = Math.max(...rows.map((r) => `${r.area}  ${r.metric}`.length));
console.log(`\nspikedock bench — ${preset} preset (${truth.nSpikes ?? '?'} spikes), ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GB, node ${process.version}`);
console.log(`${'area  metric'.padEnd(w)}  ${'value'.padStart(10)}  unit  target`);
for (const r of rows) console.log(`${`${r.area}  ${r.metric}`.padEnd(w)}  ${fmt(r.value).padStart(10)}  ${r.unit.padEnd(4)}  ${r.target}`);
// Areas not run this time keep their previous rows (each row carries the date it was measured).
const now = new Date().toISOString();
for (const r of rows) r.date = now;
const previous = existsSync(join(root, 'bench', 'results.json')) ? JSON.parse(readFileSync(join(root, 'bench', 'results.json'), 'utf8')) : null;
const kept = (previous?.rows ?? []).filter((r) => !rows.some((n) => n.area === r.area)).map((r) => ({ ...r, date: r.date ?? previous.date }));
const order = ['generate', 'open', 'session', 'compute', 'gui', 'quality', 'cleanup'];
const allRows = [...kept, ...rows].sort((a, b) => order.indexOf(a.area) - order.indexOf(b.area));
const out = {
  date: now,
  machine: { cores: cpus().length, memGB: Math.round(totalmem() / 2 ** 30), node: process.version },
  preset,
  dataset: { nSpikes: truth.nSpikes, nClusters: truth.nClusters, rawSeconds },
  rows: allRows,
};
writeFileSync(join(root, 'bench', 'results.json'), JSON.stringify(out, null, 2) + '\n');
console.log('\nwrote bench/results.json');
