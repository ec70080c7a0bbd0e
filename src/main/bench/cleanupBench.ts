/**
 * The `cleanup` bench area (issue #14, decisions/0011): how well re-clustering (`recluster`, the
 * code `spikedock curate` and the app's background lane run) separates what the generator
 * mixed, judged by each spike's true unit (`ground_truth_units.npy`), on the `small` preset over
 * 5 seeds and the bench's `neuropixels` dataset when it exists (never generated here):
 *
 * - contaminated clusters (ground-truth kinds `merged` and `contaminated`: two true units in one
 *   cluster), re-clustered with no forced count: the purity of each part (share of its spikes
 *   from its majority unit), the completeness of each true unit (share of its spikes in the
 *   cluster that land in one part), and how often the number of parts is right (the number of
 *   true units the cluster holds, noise spikes aside);
 * - pure clusters (one true unit, no noise spike): how often they come back as one part;
 * - the time of a re-cluster of a ~100 k-spike cluster in the workers' background lane (clusters
 *   of the `medium` preset merged until 100 k spikes; generated once into the work folder).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GroundTruth } from '../../core/generate/groundTruth';
import { NpyFile } from '../../core/formats/npy';
import { MemoryByteSource } from '../../core/formats/ByteSource';
import { ClusterLabels } from '../../core/session/ClusterLabels';
import { headlessProposalBackend } from '../cleanup/headless';
import { RECLUSTER_CHANNELS } from '../cleanup/proposers';
import { ComputeService } from '../compute/ComputeService';
import { WorkerPool } from '../compute/WorkerPool';
import { generateDataset } from '../generate/generateDataset';
import { openDataset } from '../openDataset';
import { QUALITY_SEEDS, type QualityRow } from './qualityBench';
import { loadGroundTruth } from './groundTruth';

/** Spikes of the cluster whose re-cluster is timed. */
const TIMED_SPIKES = 100_000;

/** What one dataset's re-clusters gave. */
interface CaseFigures {
  /** Per part of a contaminated cluster: spikes and spikes of its majority unit. */
  parts: Array<{ n: number; majority: number }>;
  /** Per true unit of a contaminated cluster: its spikes there, and those in its largest part. */
  units: Array<{ n: number; inOnePart: number }>;
  contaminated: number;
  rightCount: number;
  pure: number;
  pureWhole: number;
  /** ms per re-cluster (in-process). */
  times: number[];
  /** `cluster: k parts (expected e)` per contaminated cluster, for the log. */
  notes: string[];
}

function readUnits(dir: string, gt: GroundTruth): Int32Array {
  const file = join(dir, gt.spikeUnitsFile ?? 'ground_truth_units.npy');
  return NpyFile.open(new MemoryByteSource(new Uint8Array(readFileSync(file)), file)).read({ as: 'int32' }) as Int32Array;
}

/** Re-clusters every contaminated and pure cluster of one generated dataset. */
async function measureDataset(dir: string, log: (m: string) => void): Promise<CaseFigures> {
  const gt = loadGroundTruth(dir);
  const truth = readUnits(dir, gt);
  const dataset = await openDataset(dir, { shared: false });
  const out: CaseFigures = { parts: [], units: [], contaminated: 0, rightCount: 0, pure: 0, pureWhole: 0, times: [], notes: [] };
  try {
    const labels = new ClusterLabels(dataset.spikeClusters);
    const backend = headlessProposalBackend(dataset, labels);
    const run = async (c: number) => {
      const spikeIds = labels.spikeIds(c);
      const t0 = performance.now();
      const r = await backend.recluster({ spikeIds, channelIds: Array.from(backend.bestChannels(c, RECLUSTER_CHANNELS)) });
      out.times.push(performance.now() - t0);
      return { spikeIds, r };
    };
    for (const cl of gt.clusters) {
      if (cl.kind === 'merged' || cl.kind === 'contaminated') {
        const { spikeIds, r } = await run(cl.id);
        const expected = cl.units.filter((u) => u.unit >= 0).map((u) => u.unit);
        out.contaminated++;
        if (r.k === expected.length) out.rightCount++;
        out.notes.push(`${cl.id} (${cl.kind}): ${r.k} parts, expected ${expected.length}`);
        // counts[part][unit] over the cluster's spikes (noise spikes are unit −1).
        const counts = Array.from({ length: r.k }, () => new Map<number, number>());
        for (let i = 0; i < spikeIds.length; i++) {
          const u = truth[spikeIds[i]];
          const m = counts[r.labels[i]];
          m.set(u, (m.get(u) ?? 0) + 1);
        }
        for (const m of counts) {
          let n = 0;
          let majority = 0;
          for (const v of m.values()) {
            n += v;
            majority = Math.max(majority, v);
          }
          out.parts.push({ n, majority });
        }
        for (const u of expected) {
          const inParts = counts.map((m) => m.get(u) ?? 0);
          out.units.push({ n: inParts.reduce((a, b) => a + b, 0), inOnePart: Math.max(...inParts) });
        }
      } else if (cl.kind === 'single' && cl.units.length === 1 && cl.noiseSpikes === 0) {
        const { r } = await run(cl.id);
        out.pure++;
        if (r.k === 1) out.pureWhole++;
      }
    }
    log(`${dir}: ${out.notes.join('; ')}; pure clusters whole ${out.pureWhole}/${out.pure}`);
  } finally {
    dataset.close();
  }
  return out;
}

const pct = (a: number, b: number) => (b ? (100 * a) / b : NaN);
const median = (xs: number[]) => (xs.length ? xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN);

function figureRows(label: string, figs: CaseFigures[]): QualityRow[] {
  const parts = figs.flatMap((f) => f.parts);
  const units = figs.flatMap((f) => f.units);
  const sum = (k: 'contaminated' | 'rightCount' | 'pure' | 'pureWhole') => figs.reduce((s, f) => s + f[k], 0);
  const nParts = parts.reduce((s, p) => s + p.n, 0);
  return [
    { metric: `${label}: contaminated clusters re-clustered`, value: sum('contaminated'), unit: '' },
    { metric: `${label}: purity of the parts (spike-weighted mean)`, value: pct(parts.reduce((s, p) => s + p.majority, 0), nParts), unit: '%', target: '≥ 95 %' },
    { metric: `${label}: parts ≥ 95 % pure`, value: pct(parts.filter((p) => p.majority >= 0.95 * p.n).length, parts.length), unit: '%' },
    { metric: `${label}: completeness of the true units (mean share in one part)`, value: units.length ? (100 * units.reduce((s, u) => s + u.inOnePart / u.n, 0)) / units.length : NaN, unit: '%', target: '≥ 90 %' },
    { metric: `${label}: right number of parts`, value: pct(sum('rightCount'), sum('contaminated')), unit: '%', target: '≥ 80 %' },
    { metric: `${label}: pure clusters returned whole (${sum('pure')} clusters)`, value: pct(sum('pureWhole'), sum('pure')), unit: '%', target: '≥ 80 %' },
    { metric: `${label}: re-cluster time per cluster (median, in-process)`, value: median(figs.flatMap((f) => f.times)), unit: 'ms' },
  ];
}

/**
 * Times one re-cluster of a ~100 k-spike cluster through the worker pool's background lane (as
 * the app runs it): the largest clusters of the `medium` preset merged until 100 k spikes.
 */
async function timeLargeRecluster(workDir: string, log: (m: string) => void): Promise<QualityRow[]> {
  const dir = join(workDir, 'medium');
  if (!existsSync(join(dir, 'ground_truth.json'))) {
    mkdirSync(dir, { recursive: true });
    log('generating the medium preset (once, no raw data)');
    await generateDataset(dir, { preset: 'medium', seed: 1, raw: false });
  }
  const dataset = await openDataset(dir, { shared: false });
  const pool = new WorkerPool({ interactiveThreads: 1, backgroundThreads: 1 });
  const labels = new ClusterLabels(dataset.spikeClusters);
  const compute = new ComputeService(dataset, labels, pool);
  try {
    const ids = labels.clusterIds().sort((a, b) => labels.nSpikes(b) - labels.nSpikes(a));
    // Neighbours of the largest cluster (same best channel region), so the merge is one place on the probe.
    const peak = compute.peakChannel(ids[0]);
    const byDistance = ids.slice().sort((a, b) => Math.abs(compute.peakChannel(a) - peak) - Math.abs(compute.peakChannel(b) - peak));
    const chosen: number[] = [];
    let n = 0;
    for (const c of byDistance) {
      if (n >= TIMED_SPIKES) break;
      chosen.push(c);
      n += labels.nSpikes(c);
    }
    const merged = chosen.length > 1 ? labels.merge(chosen).added[0] : chosen[0];
    const spikeIds = labels.spikeIds(merged);
    const channelIds = Array.from(compute.bestChannels(merged, RECLUSTER_CHANNELS));
    await compute.recluster({ spikeIds: spikeIds.subarray(0, 1000), channelIds }); // warm the worker (file handles, JIT)
    const t0 = performance.now();
    const r = await compute.recluster({ spikeIds, channelIds });
    const ms = performance.now() - t0;
    log(`re-cluster of ${spikeIds.length} spikes (${chosen.length} medium clusters merged): ${r.k} parts, ${ms.toFixed(0)} ms`);
    return [{ metric: `re-cluster of a ${(spikeIds.length / 1000).toFixed(0)} k-spike cluster, background lane (${chosen.length} medium clusters merged; ${r.k} parts)`, value: ms, unit: 'ms', target: '≤ 2000 ms' }];
  } finally {
    compute.close();
    await pool.close();
    dataset.close();
  }
}

/**
 * Runs the area: the `small` seeds generated into `workDir` (once, no raw data), the bench's
 * `neuropixels` folder when given and present, and the 100 k-spike timing.
 */
export async function runCleanupBench(opts: { workDir: string; neuropixelsDir: string | null; seeds?: number[]; onProgress?: (msg: string) => void }): Promise<QualityRow[]> {
  const log = opts.onProgress ?? (() => undefined);
  const small: CaseFigures[] = [];
  for (const seed of opts.seeds ?? QUALITY_SEEDS) {
    const dir = join(opts.workDir, `small-${seed}`);
    if (!existsSync(join(dir, 'ground_truth.json'))) {
      mkdirSync(dir, { recursive: true });
      log(`generating small seed ${seed}`);
      await generateDataset(dir, { preset: 'small', seed, raw: false });
    }
    small.push(await measureDataset(dir, log));
  }
  const rows = figureRows(`small ×${small.length} seeds`, small);
  if (opts.neuropixelsDir && existsSync(join(opts.neuropixelsDir, 'ground_truth.json'))) rows.push(...figureRows('neuropixels', [await measureDataset(opts.neuropixelsDir, log)]));
  rows.push(...(await timeLargeRecluster(opts.workDir, log)));
  return rows;
}
