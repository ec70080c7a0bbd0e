/**
 * CorrelogramView's data: auto- and cross-correlograms of a selection (split in two halves in
 * time across the interactive threads when large), and of all pairs in the background.
 */
import type { CorrelogramsData, CorrelogramsRequest } from '../../../shared/ipc/contract';
import { tasks } from '../../../shared/tasks/tasks';
import { correlogramBins, mergedCorrelogram, symmetrizeCorrelograms } from '../../../core/compute/ccg';
import { contaminationEstimate } from '../../../core/compute/spikeStats';
import { lowerBound } from '../../../core/search';
import { censoredSamples, DUPLICATE_DEFAULTS } from '../../../core/cleanup/duplicates';
import { runTask, type ComputeContext } from '../context';
import { StaleResultError } from '../ResultCache';
import { spikeLists } from '../spikeLists';
import type { Lane } from '../WorkerPool';

export function correlograms(ctx: ComputeContext, req: CorrelogramsRequest, signal?: AbortSignal): Promise<CorrelogramsData> {
  const r = {
    clusterIds: req.clusterIds.slice(0, 20),
    binSize: req.binSize ?? 0.001,
    windowSize: req.windowSize ?? 0.05,
    refractoryPeriod: req.refractoryPeriod ?? 0.002,
    maxSpikes: req.maxSpikes ?? 100_000,
  };
  return ctx.results.memo('correlograms', r, r.clusterIds, false, signal, async (generation) => {
    const split = correlogramSplit(ctx, r.clusterIds, r.maxSpikes, r.binSize, r.windowSize);
    if (!split) {
      const lists = spikeLists(ctx.clustering, r.clusterIds);
      const res = await runTask(ctx, tasks.correlograms, { dataset: ctx.handle, ...lists, ...r }, signal, [lists.spikeIds.buffer as ArrayBuffer]);
      return { generation, ...r, nBins: res.nBins, counts: res.counts, firingRates: res.firingRates, stats: res.stats, ...(res.merged ? { merged: res.merged } : {}) };
    }
    // Two halves in time on the two interactive threads (each gathers, merges and counts its
    // half; the first also sees the second's spikes within one window as partners).
    const { boundary, extended } = split;
    const n = r.clusterIds.length;
    const full = r.clusterIds.map((c) => ctx.clustering.spikeIds(c));
    const fullLength = Int32Array.from(full, (l) => l.length);
    const cut = (lo: number, hi: number) => {
      const parts = full.map((l) => l.subarray(lowerBound(l, lo), lowerBound(l, hi)));
      const offsets = new Int32Array(n + 1);
      parts.forEach((l, k) => (offsets[k + 1] = offsets[k] + l.length));
      const spikeIds = new Int32Array(offsets[n]);
      parts.forEach((l, k) => spikeIds.set(l, offsets[k]));
      const firstPos = Int32Array.from(full, (l) => lowerBound(l, lo));
      return { clusterIds: r.clusterIds, spikeIds, offsets, firstPos };
    };
    const a = cut(0, extended);
    const b = cut(boundary, ctx.dataset.nSpikes);
    const [ra, rb] = await Promise.all(
      [
        { ...a, refEnd: boundary },
        { ...b, refEnd: ctx.dataset.nSpikes },
      ].map(({ firstPos, refEnd, ...lists }) =>
        runTask(ctx, tasks.correlograms, { dataset: ctx.handle, ...lists, ...r, part: { firstPos, fullLength, refEnd } }, signal, [lists.spikeIds.buffer as ArrayBuffer]),
      ),
    );
    const oneSided = ra.oneSided!;
    const ob = rb.oneSided!;
    for (let i = 0; i < oneSided.length; i++) oneSided[i] += ob[i];
    const bins = correlogramBins(ctx.dataset.sampleRate, r.binSize, r.windowSize);
    const st = ctx.dataset.spikeTimes;
    const limit = r.refractoryPeriod * ctx.dataset.sampleRate;
    const censored = censoredSamples(DUPLICATE_DEFAULTS.intervalMs, ctx.dataset.sampleRate);
    const stats = r.clusterIds.map((clusterId, k) => {
      // The interval across the boundary belongs to neither part.
      const q = lowerBound(full[k], boundary);
      const isi = q > 0 && q < full[k].length ? st[full[k][q]] - st[full[k][q - 1]] : Infinity;
      const nSpikes = full[k].length;
      const nViolations = ra.stats[k].nViolations + rb.stats[k].nViolations + (isi < limit ? 1 : 0);
      return {
        clusterId,
        nSpikes,
        nViolations,
        violationRate: nSpikes > 1 ? nViolations / (nSpikes - 1) : 0,
        contamination: contaminationEstimate(nViolations, nSpikes, r.refractoryPeriod, ctx.dataset.duration),
        nDuplicates: (ra.stats[k].nDuplicates ?? 0) + (rb.stats[k].nDuplicates ?? 0) + (isi <= censored ? 1 : 0),
      };
    });
    const merged = n >= 2 ? { merged: mergedCorrelogram(oneSided, n, bins.half) } : {};
    return { generation, ...r, nBins: bins.nBins, counts: symmetrizeCorrelograms(oneSided, n, bins.half), firingRates: ra.firingRates, stats, ...merged };
  });
}

/**
 * Whether a correlogram request is split in two by time (two interactive threads and at
 * least 20,000 spikes to count), and where: `boundary` is the spike id with about half of the
 * subsampled spikes before it; `extended` the first spike id beyond one window after it (the
 * first half's partners reach that far).
 */
export function correlogramSplit(ctx: ComputeContext, clusterIds: number[], maxSpikes: number, binSize: number, windowSize: number): { boundary: number; extended: number } | null {
  if (ctx.pool.threads.interactive < 2 || !(maxSpikes >= 1)) return null;
  const lists = clusterIds.map((c) => ctx.clustering.spikeIds(c));
  const total = lists.reduce((a, l) => a + Math.min(l.length, maxSpikes), 0);
  // With the cluster-grouped times a train costs little to prepare, and a second task's
  // round trip outweighs halving a single ACG; without them, gathering dominates.
  if (total < (ctx.opts.splitMinSpikes ?? (ctx.handle.clusterTimes ? 150_000 : 20_000))) return null;
  // Spike-id median of the subsampled spikes: binary search on the id (the full lists are
  // spread like their subsamples, so counting full-list positions is close enough).
  const fullTotal = lists.reduce((a, l) => a + l.length, 0);
  let lo = 0;
  let hi = ctx.dataset.nSpikes;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    let below = 0;
    for (const l of lists) below += lowerBound(l, mid);
    if (below < fullTotal / 2) lo = mid + 1;
    else hi = mid;
  }
  const boundary = lo;
  if (boundary <= 0 || boundary >= ctx.dataset.nSpikes) return null;
  const bins = correlogramBins(ctx.dataset.sampleRate, binSize, windowSize);
  const st = ctx.dataset.spikeTimes;
  const extended = lowerBound(st, st[boundary] + (bins.half + 1) * bins.binSamples + 1);
  return { boundary, extended };
}

/**
 * Correlograms of all pairs of `clusterIds` (default: all clusters) over all spikes, the
 * reference clusters split across the lane's threads in parts of about equal spike counts
 * (each thread counts its rows against all partners; see `accumulateCorrelogramRows`).
 * Returns (n, n, nBins) int32.
 */
export async function allPairsCorrelograms(
  ctx: ComputeContext,
  opts: { clusterIds?: number[]; binSize?: number; windowSize?: number; lane?: Lane; signal?: AbortSignal } = {},
): Promise<{ generation: number; clusterIds: number[]; nBins: number; counts: Int32Array }> {
  const generation = ctx.clustering.generation;
  const clusterIds = opts.clusterIds ?? ctx.clustering.clusterIds();
  const binSize = opts.binSize ?? 0.001;
  const windowSize = opts.windowSize ?? 0.05;
  const lane = opts.lane ?? 'interactive';
  const bins = correlogramBins(ctx.dataset.sampleRate, binSize, windowSize);
  const parts = ctx.pool.threads[lane];
  const nc = clusterIds.length;
  // Row bounds with about equal spikes per part (the work is proportional to spikes).
  let total = 0;
  for (const c of clusterIds) total += ctx.clustering.nSpikes(c);
  const bounds = [0];
  let acc = 0;
  for (let k = 0; k < nc && bounds.length < parts; k++) {
    acc += ctx.clustering.nSpikes(clusterIds[k]);
    if (acc >= (bounds.length * total) / parts) bounds.push(k + 1);
  }
  bounds.push(nc);
  const results = await Promise.all(
    bounds.slice(0, -1).map((rowStart, k) =>
      runTask(ctx, tasks.allPairsCorrelograms, { dataset: ctx.handle, clusterIds, rowStart, rowEnd: bounds[k + 1], binSize, windowSize }, opts.signal, [], lane),
    ),
  );
  const sum = new Int32Array(nc * nc * (bins.half + 1));
  results.forEach((r, k) => sum.set(r.oneSided, bounds[k] * nc * (bins.half + 1)));
  if (ctx.clustering.generation !== generation) throw new StaleResultError();
  return { generation, clusterIds, nBins: bins.nBins, counts: symmetrizeCorrelograms(sum, nc, bins.half) };
}
