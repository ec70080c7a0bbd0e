/**
 * Compute benchmark (`runComputeBench(datasetDir)`, called by `bench/run.mjs`): the figures of
 * issue 4 on one dataset, through the ComputeService and the worker pool, with the result cache
 * off so every call computes. Warm page cache: each measurement runs once before it is timed;
 * the median of 5 timed runs is reported (the bench machine is shared).
 */
import { performance } from 'node:perf_hooks';
import { openDataset } from '../openDataset';
import { ClusterMetrics } from '../../core/session/ClusterMetrics';
import { ClusterLabels } from '../../core/session/ClusterLabels';
import { WorkerPool } from './WorkerPool';
import { ComputeService } from './ComputeService';

export interface ComputeBenchFigures {
  dataset: string;
  nSpikes: number;
  nClusters: number;
  nChannels: number;
  hasRaw: boolean;
  /** Milliseconds (median of the timed runs) by measurement name. */
  ms: Record<string, number>;
  /** Cluster switch over 100 selections, ms. */
  clusterSwitch: { p50: number; p95: number; n: number };
  /** Peak resident set size of the process, MB. */
  peakRssMb: number;
  notes: string[];
}

async function time(fn: () => Promise<unknown>, reps = 5): Promise<number> {
  await fn();
  const t: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export async function runComputeBench(datasetDir: string, log: (line: string) => void = (l) => console.log(l)): Promise<ComputeBenchFigures> {
  const ds = await openDataset(datasetDir);
  const pool = new WorkerPool();
  const labels = new ClusterLabels(ds.spikeClusters);
  // The cluster table's metrics own each cluster's best channel and template, as in the app.
  const metrics = new ClusterMetrics(ds, labels);
  const svc = new ComputeService(ds, labels, pool, { cacheBytes: 0, clusterFacts: (id) => metrics.facts(id) });
  const notes: string[] = [];
  const ms: Record<string, number> = {};
  try {
    const bySize = labels.clusterIds().slice().sort((a, b) => labels.nSpikes(b) - labels.nSpikes(a));
    const top10 = bySize.slice(0, 10);
    const biggest = bySize[0];
    // What the app has done by the time a curator selects: the cluster table's metrics at open
    // (best channels for overlays and backgrounds) and the spike times grouped by cluster.
    let t0 = performance.now();
    metrics.precompute();
    ms['cluster table metrics (all clusters, at open)'] = performance.now() - t0;
    t0 = performance.now();
    await svc.clusterTimesReady;
    ms['spike times grouped by cluster (background, at open)'] = performance.now() - t0;

    // DriftView's first draw: every spike's depth built in a worker (once per dataset), then the
    // density of all spikes at a plot's size. Timed once: later draws reuse the depths.
    const driftSize = { nTimeBins: 1000, nDepthBins: 400 };
    t0 = performance.now();
    const firstDrift = await svc.drift(driftSize);
    ms[`DriftView first draw (${ds.nSpikes} spikes, depths from ${firstDrift.source}, ${driftSize.nTimeBins}×${driftSize.nDepthBins} bins)`] = performance.now() - t0;
    const { t1 } = firstDrift.home;
    ms['DriftView re-bin after a zoom (a quarter of the recording)'] = await time(() => svc.drift({ ...driftSize, timeRange: [t1 / 4, t1 / 2] }));

    ms['CCG of the 10 largest clusters (≤100k spikes each)'] = await time(() => svc.correlograms({ clusterIds: top10 }));
    const nAcg = Math.min(100_000, labels.nSpikes(biggest));
    ms[`ACG of one cluster (${nAcg} spikes)`] = await time(() => svc.correlograms({ clusterIds: [biggest] }));
    ms[`all-pairs CCG (${bySize.length} clusters, ${ds.nSpikes} spikes)`] = await time(() => svc.allPairsCorrelograms(), 1);
    if (ds.raw) {
      ms['waveforms of 1 cluster (100 spikes × 12 ch)'] = await time(() => svc.waveforms({ clusterIds: [biggest], kind: 'waveforms' }));
      ms['waveforms of 8 clusters'] = await time(() => svc.waveforms({ clusterIds: bySize.slice(0, 8), kind: 'waveforms' }));
      const nc = ds.nChannels;
      ms[`trace window 0.25 s × ${nc} ch (filtered)`] = await time(() => svc.traces({ t0: 10, t1: 10.25, width: 1600 }));
      ms[`trace window 2 s × ${nc} ch (filtered, envelope)`] = await time(() => svc.traces({ t0: 10, t1: 12, width: 1600 }));
    } else notes.push('no raw data: waveform and trace figures skipped');
    if (ds.features) ms['features of 2 clusters (2,500 spikes each + background)'] = await time(() => svc.features({ clusterIds: bySize.slice(0, 2) }));

    // Cluster switch: everything the default views need for one new selection — correlograms,
    // amplitudes, waveforms, features — requested together as the GUI does. Not traces: the
    // TraceView keeps its time window when the selection changes (the window's spikes are
    // recoloured from data it has) and refetches only when the user moves in time; trace
    // windows are measured above on their own. The selections are clusters not computed before
    // (spread over the id range), and the result cache is off.
    const ids = labels.clusterIds();
    const lat: number[] = [];
    const n = Math.min(100, ids.length);
    for (let k = 0; k < n; k++) {
      const c = ids[Math.floor((k * ids.length) / n)];
      t0 = performance.now();
      const jobs: Array<Promise<unknown>> = [
        svc.correlograms({ clusterIds: [c] }),
        svc.amplitudes({ clusterIds: [c], kind: ds.amplitudes ? 'template' : 'feature' }),
        svc.waveforms({ clusterIds: [c], kind: ds.raw ? 'waveforms' : 'templates' }),
      ];
      if (ds.features) jobs.push(svc.features({ clusterIds: [c] }));
      await Promise.all(jobs);
      lat.push(performance.now() - t0);
    }
    lat.sort((a, b) => a - b);
    const clusterSwitch = { p50: percentile(lat, 0.5), p95: percentile(lat, 0.95), n };
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const figures: ComputeBenchFigures = {
      dataset: ds.path,
      nSpikes: ds.nSpikes,
      nClusters: ids.length,
      nChannels: ds.nChannels,
      hasRaw: !!ds.raw,
      ms,
      clusterSwitch,
      peakRssMb,
      notes,
    };
    const w = Math.max(...Object.keys(ms).map((k) => k.length), 30);
    log(`compute bench: ${ds.path} (${ds.nSpikes} spikes, ${ids.length} clusters, ${ds.nChannels} channels, raw: ${ds.raw ? 'yes' : 'no'})`);
    for (const [k, v] of Object.entries(ms)) log(`  ${k.padEnd(w)}  ${v.toFixed(1).padStart(9)} ms`);
    log(`  ${'cluster switch p50 / p95 (' + n + ' selections)'.padEnd(w)}  ${clusterSwitch.p50.toFixed(1).padStart(9)} / ${clusterSwitch.p95.toFixed(1)} ms`);
    log(`  ${'peak RSS'.padEnd(w)}  ${peakRssMb.toFixed(0).padStart(9)} MB`);
    for (const note of notes) log(`  note: ${note}`);
    return figures;
  } finally {
    svc.close();
    await pool.close();
    ds.close();
  }
}
