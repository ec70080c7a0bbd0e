#!/usr/bin/env node
// `npm run bench`: measures what users feel on a Neuropixels-scale dataset and writes
// bench/results.json. Usage: node bench/run.mjs [--only open,inputs,session,compute,cli,gui,previews,quality,cleanup] [--preset neuropixels]
// The `scale` area (not in the default list) opens the longest recordings: node bench/run.mjs --only scale --preset chronic
// The dataset is generated once into bench/data/<preset> (git-ignored) and reused.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
const only = new Set((opt('only', 'open,inputs,session,compute,cli,gui,previews,quality,cleanup') ?? '').split(',').filter(Boolean));
const preset = opt('preset', 'neuropixels');
// Seconds of raw data when the bench generates the preset (default: the preset's own, 300 s for neuropixels).
const rawSeconds = opt('raw-seconds') === undefined ? undefined : Number(opt('raw-seconds'));

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
const needsData = ['open', 'inputs', 'session', 'compute', 'cli', 'gui', 'quality', 'scale'].some((a) => only.has(a));
if (needsData && !existsSync(stamp)) {
  mkdirSync(dataDir, { recursive: true });
  console.log(`bench: generating the ${preset} preset into ${dataDir} (once) …`);
  const t0 = performance.now();
  await bench.generateDataset(dataDir, { preset, seed: 1, raw: true, rawSeconds, onProgress: (m) => process.stdout.write(`  ${m}\n`) });
  add('generate', `generate ${preset} preset`, (performance.now() - t0) / 1000, 's');
}
const truth = existsSync(stamp) ? JSON.parse(readFileSync(stamp, 'utf8')) : {};
// Seconds of raw data in the folder (recording.dat is int16 × n_channels_dat).
const rawFile = join(dataDir, 'recording.dat');
const rawSecondsPresent = existsSync(rawFile) && truth.nChannelsDat ? statSync(rawFile).size / (2 * truth.nChannelsDat * truth.sampleRate) : 0;

// 2. Open: fresh child processes (src/main/bench/openBench.ts, any input openDataset takes); the
// first warms the page cache, the other three are reported (median; peak RSS: the largest).
const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/**
 * Opens `input` in `n` fresh child processes (`bench.mjs open`, one open each, so the RSS is the
 * open's own); returns their figures, or the first failure (exit status, signal, stderr).
 */
function openRuns(input, n) {
  const runs = [];
  for (let i = 0; i < n; i++) {
    const state = mkdtempSync(join(tmpdir(), 'spikedock-bench-state-'));
    const r = spawnSync(process.execPath, [benchBundle, 'open', input, state], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    rmSync(state, { recursive: true, force: true });
    if (r.status !== 0) return { runs, failure: { run: i, status: r.status, signal: r.signal, stderr: (r.stderr ?? '').slice(-4000), error: r.error?.message } };
    runs.push(JSON.parse(r.stdout.trim().split('\n').pop()));
  }
  return { runs, failure: null };
}
/** Four opens of `input`: the first warms the page cache, the other three are reported; exits on a failure. */
function measureOpens(input) {
  const { runs, failure } = openRuns(input, 4);
  if (failure) {
    console.error(failure.stderr);
    process.exit(1);
  }
  const warm = runs.slice(1);
  return { nSpikes: runs[0].nSpikes, nClusters: runs[0].nClusters, datasetMs: med(warm.map((r) => r.datasetMs)), clusterTableMs: med(warm.map((r) => r.clusterTableMs)), peakRssMb: Math.max(...warm.map((r) => r.peakRssMb)) };
}
if (only.has('open')) {
  const r = measureOpens(dataDir);
  add('open', `open ${(r.nSpikes / 1e6).toFixed(1)} M spikes: dataset loaded (warm, median of 3)`, r.datasetMs, 'ms');
  add('open', 'open: cluster table ready (warm, median of 3)', r.clusterTableMs, 'ms', '≤ 500 ms');
  add('open', 'open: peak RSS', r.peakRssMb, 'MB', '≤ 1024 MB');
}

// 2b. Inputs (issue #15): the same sorting (preset and seed) as a SpikeInterface analyzer
// (binary_folder) and as an NWB file, generated once beside the phy folder without raw data (the
// open reads no raw samples), each opened as the open area opens the phy folder, side by side.
if (only.has('inputs')) {
  const inputs = [
    { name: 'phy folder', path: dataDir },
    { name: 'analyzer (binary_folder)', format: 'analyzer', dir: `${dataDir}-analyzer`, path: `${dataDir}-analyzer` },
    { name: 'NWB file', format: 'nwb', dir: `${dataDir}-nwb`, path: join(`${dataDir}-nwb`, 'sorting.nwb') },
    // Zarr analyzer (decision 0012, slice 2): its row goes here, generated and opened the same way.
  ];
  for (const input of inputs) {
    if (input.format && !existsSync(join(input.dir, 'ground_truth.json'))) {
      console.log(`bench: generating the ${preset} preset as ${input.name} into ${input.dir} (once) …`);
      const t0 = performance.now();
      await bench.generateDataset(input.dir, { preset, seed: 1, raw: false, format: input.format, onProgress: (m) => process.stdout.write(`  ${m}\n`) });
      add('inputs', `generate ${preset} preset as ${input.name} (once, no raw data)`, (performance.now() - t0) / 1000, 's');
    }
    const r = measureOpens(input.path);
    add('inputs', `${input.name}: ${(r.nSpikes / 1e6).toFixed(1)} M spikes, ${r.nClusters} clusters: dataset loaded (warm, median of 3)`, r.datasetMs, 'ms');
    add('inputs', `${input.name}: cluster table ready (warm, median of 3)`, r.clusterTableMs, 'ms', '≤ 500 ms');
    add('inputs', `${input.name}: peak RSS`, r.peakRssMb, 'MB', '≤ 1024 MB');
  }
  // The NWB file above opened by URL from a local range server (src/main/bench/remoteBench.ts):
  // bytes the server sent to the cluster table and to the first selection's data, of the file.
  const remote = await bench.runRemoteBench(join(`${dataDir}-nwb`, 'sorting.nwb'));
  const pctOf = (b) => (100 * b) / remote.fileBytes;
  // This file has no ElectricalSeries (generated without raw data): the spike times and the
  // waveform means, which the open reads whole, are most of it — so no ≤ 5 % target here; the
  // target is for files with their recording (measured on `medium` with raw, decision 0012).
  add('inputs', `remote NWB without raw data (local range server): bytes to the cluster table, % of the ${(remote.fileBytes / 2 ** 20).toFixed(0)} MB file`, pctOf(remote.bytesFetchedToOpen), '%');
  add('inputs', 'remote NWB without raw data: bytes to the first selection’s data (open included), % of the file', pctOf(remote.bytesFetchedToFirstSelection), '%');
  add('inputs', 'remote NWB: open → cluster table over loopback', remote.openMs, 'ms');
}

// 2c. Scale (issue #16): the open and `spikedock info` of the longest recordings (the chronic
// preset: 15 h, ≈ 300 M spikes), each in a fresh process, warm page cache. A failed open is
// reported with its exit status / signal and the child's last stderr lines, not retried.
const failures = [];
if (only.has('scale')) {
  const { runs, failure } = openRuns(dataDir, 3);
  if (failure) {
    failures.push({ area: 'scale', what: `open (run ${failure.run + 1})`, ...failure });
    console.error(`bench: scale: open failed (run ${failure.run + 1}): status ${failure.status}, signal ${failure.signal}\n${failure.stderr}`);
  } else {
    const warm = runs.slice(1);
    const mb = (f) => Math.round(f);
    add('scale', `open ${(runs[0].nSpikes / 1e6).toFixed(1)} M spikes: dataset loaded (warm, median of 2)`, med(warm.map((r) => r.datasetMs)), 'ms');
    add('scale', 'open: cluster table ready (warm, median of 2)', med(warm.map((r) => r.clusterTableMs)), 'ms', '≤ 3000 ms');
    add('scale', 'open: peak RSS', Math.max(...warm.map((r) => r.peakRssMb)), 'MB', '≤ 4096 MB');
    const m = warm[warm.length - 1].memory;
    if (m) {
      add('scale', '  after the dataset loaded: RSS', mb(m.afterDataset.rssMb), 'MB');
      add('scale', '  after the dataset loaded: array buffers', mb(m.afterDataset.arrayBuffersMb), 'MB');
      add('scale', '  after the dataset loaded: JS heap used', mb(m.afterDataset.heapUsedMb), 'MB');
      add('scale', '  after the cluster table: RSS', mb(m.afterSession.rssMb), 'MB');
      add('scale', '  after the cluster table: array buffers', mb(m.afterSession.arrayBuffersMb), 'MB');
    }
    for (const [name, size] of Object.entries(warm[warm.length - 1].columnsMb ?? {})) if (size >= 1) add('scale', `  dataset column ${name}`, mb(size), 'MB');
  }
  // `spikedock info`: the whole CLI process (start-up included), twice (the first warms the cache).
  const timeBin = '/usr/bin/time';
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    const cmd = existsSync(timeBin) ? [timeBin, ['-f', 'spikedock-bench-maxrss-kb=%M', process.execPath, join(root, 'bin', 'spikedock.mjs'), 'info', dataDir, '--json']] : [process.execPath, [join(root, 'bin', 'spikedock.mjs'), 'info', dataDir, '--json']];
    const r = spawnSync(cmd[0], cmd[1], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    const ms = performance.now() - t0;
    if (r.status !== 0) {
      failures.push({ area: 'scale', what: 'spikedock info', status: r.status, signal: r.signal, stderr: (r.stderr ?? '').slice(-4000) });
      console.error(`bench: scale: spikedock info failed: status ${r.status}, signal ${r.signal}\n${r.stderr}`);
      break;
    }
    if (i === 0) continue;
    add('scale', 'spikedock info: whole process (warm)', ms, 'ms');
    const rss = /spikedock-bench-maxrss-kb=(\d+)/.exec(r.stderr ?? '');
    if (rss) add('scale', 'spikedock info: peak RSS', Number(rss[1]) / 1024, 'MB');
  }
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

const fmt = (v) => (v === null || Number.isNaN(v) ? "—" : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3));
const w = Math.max(...rows.map((r) => `${r.area}  ${r.metric}`.length));
console.log(`\nspikedock bench — ${preset} preset (${truth.nSpikes ?? '?'} spikes), ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GB, node ${process.version}`);
console.log(`${'area  metric'.padEnd(w)}  ${'value'.padStart(10)}  unit  target`);
for (const r of rows) console.log(`${`${r.area}  ${r.metric}`.padEnd(w)}  ${fmt(r.value).padStart(10)}  ${r.unit.padEnd(4)}  ${r.target}`);
// Areas not run this time keep their previous rows (each row carries the date it was measured).
const now = new Date().toISOString();
for (const r of rows) r.date = now;
const previous = existsSync(join(root, 'bench', 'results.json')) ? JSON.parse(readFileSync(join(root, 'bench', 'results.json'), 'utf8')) : null;
const kept = (previous?.rows ?? []).filter((r) => !rows.some((n) => n.area === r.area)).map((r) => ({ ...r, date: r.date ?? previous.date }));
const order = ['generate', 'open', 'inputs', 'scale', 'session', 'compute', 'cli', 'gui', 'previews', 'quality', 'cleanup'];
const allRows = [...kept, ...rows].sort((a, b) => order.indexOf(a.area) - order.indexOf(b.area));
const out = {
  date: now,
  machine: { cores: cpus().length, memGB: Math.round(totalmem() / 2 ** 30), node: process.version },
  preset,
  dataset: { nSpikes: truth.nSpikes, nClusters: truth.nClusters, rawSeconds: rawSecondsPresent },
  rows: allRows,
  ...(failures.length > 0 ? { failures } : {}),
};
writeFileSync(join(root, 'bench', 'results.json'), JSON.stringify(out, null, 2) + '\n');
for (const f of failures) console.log(`FAILED  ${f.area}  ${f.what}: status ${f.status}, signal ${f.signal}`);
console.log('\nwrote bench/results.json');
