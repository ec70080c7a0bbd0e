/**
 * DriftView's data: every spike's depth against time as a density image (binned in a worker),
 * the selected clusters' spikes over it, and the spike a click lands on. The per-spike depth
 * column is built once per dataset, lazily, by the `spikeDepths` task (`buildSpikeDepths`).
 */
import { driftDepthSource, sumDensities, type DriftGrid } from '../../../core/compute/drift';
import { regularSubset } from '../../../core/compute/ccg';
import type { DriftData, DriftExtent, DriftPickData, DriftPickRequest, DriftRequest, DriftSpikesData, DriftSpikesRequest } from '../../../shared/ipc/driftContract';
import { tasks, type SpikeDepths } from '../../../shared/tasks/tasks';
import { runTask, type ComputeContext } from '../context';
import { pick, plotSeconds, spikeTimesOf } from '../spikeLists';

/** What the view says when a dataset has no depth at all. */
export const NO_DEPTH_MESSAGE = 'No spike depths: this dataset has neither spike_positions.npy nor templates.';

/**
 * Builds every spike's depth in a worker (interactive lane: the curator is waiting for the view)
 * and puts it on the dataset handle, so later tasks read it shared. Source: `spike_positions.npy`
 * when the dataset has it, else the templates, else none.
 */
export async function buildSpikeDepths(ctx: ComputeContext): Promise<SpikeDepths> {
  const d = ctx.dataset;
  const h = ctx.handle;
  const source = driftDepthSource(d.spikeAttributes, !!(d.spikeTemplates && h.templates));
  const count = ctx.pool.threads.interactive;
  let depths: SpikeDepths;
  if (source === 'spike_positions' && count > 1 && h.nSpikes >= (ctx.opts.driftSplitSpikes ?? SPLIT_DEPTH_SPIKES)) {
    // Rows of spike_positions.npy split across the threads, each filling its part of one shared array.
    const into = new Float32Array(new SharedArrayBuffer(h.nSpikes * 4));
    const bounds = (k: number) => Math.floor((h.nSpikes * k) / count);
    const parts = await Promise.all(
      Array.from({ length: count }, (_, k) => runTask(ctx, tasks.spikeDepths, { dataset: h, source, into: { depths: into, from: bounds(k), to: bounds(k + 1) } })),
    );
    const finite = parts.filter((p) => Number.isFinite(p.min));
    depths = { source, depths: into, min: Math.min(...finite.map((p) => p.min)), max: Math.max(...finite.map((p) => p.max)) };
    if (!finite.length) depths = { ...depths, min: NaN, max: NaN };
  } else depths = await runTask(ctx, tasks.spikeDepths, { dataset: h, source });
  h.spikeDepths = depths;
  return depths;
}

/** Spikes from which the depth column is read by all interactive threads (below, one thread takes < 50 ms). */
const SPLIT_DEPTH_SPIKES = 1_000_000;

/** The whole recording × every spike's depth (a flat depth range widened to 20 µm). */
export function driftHome(ctx: ComputeContext, depths: SpikeDepths): DriftExtent {
  let d0 = Number.isFinite(depths.min) ? depths.min : 0;
  let d1 = Number.isFinite(depths.max) ? depths.max : 1;
  if (d1 - d0 < 20) {
    const mid = (d0 + d1) / 2;
    d0 = mid - 10;
    d1 = mid + 10;
  }
  return { t0: 0, t1: plotSeconds(ctx.dataset), d0, d1 };
}

/**
 * The density image of every spike in the request's rectangle (default: the home). Cached by
 * rectangle and size; a spike's depth and time never change with the curation, so no update
 * invalidates it.
 */
export function drift(ctx: ComputeContext, depths: SpikeDepths, req: DriftRequest, signal?: AbortSignal): Promise<DriftData> {
  const home = driftHome(ctx, depths);
  const [t0, t1] = req.timeRange ?? [home.t0, home.t1];
  const [d0, d1] = req.depthRange ?? [home.d0, home.d1];
  const grid: DriftGrid = { t0, t1, d0, d1, nTimeBins: req.nTimeBins, nDepthBins: req.nDepthBins };
  return ctx.results.memo('drift', grid, [], false, signal, async (generation) => {
    const base = { generation, source: depths.source, ...grid, home };
    if (depths.source === 'none') return { ...base, counts: new Uint32Array(0), nSpikes: 0, maxCount: 0, message: NO_DEPTH_MESSAGE };
    // Split across the interactive threads: at 10 M spikes one thread bins for ~0.3 s.
    const count = Math.max(1, ctx.pool.threads.interactive);
    const parts = await Promise.all(Array.from({ length: count }, (_, index) => runTask(ctx, tasks.driftDensity, { dataset: ctx.handle, grid, part: { index, count } }, signal)));
    const r = sumDensities(parts);
    return { ...base, counts: r.counts, nSpikes: r.nSpikes, maxCount: r.maxCount };
  });
}

/** A regular subset (default 20,000) of each cluster's spikes with their times and depths. O(spikes returned). */
export function driftSpikes(ctx: ComputeContext, depths: SpikeDepths, req: DriftSpikesRequest, signal?: AbortSignal): Promise<DriftSpikesData> {
  const r = { clusterIds: req.clusterIds, nSpikes: req.nSpikes ?? 20_000 };
  return ctx.results.memo('driftSpikes', r, r.clusterIds, false, signal, async (generation) => {
    if (depths.source === 'none') return { generation, source: depths.source, clusters: [] };
    const clusters = r.clusterIds.map((c) => {
      const ids = regularSubset(ctx.clustering.spikeIds(c), r.nSpikes).slice();
      return { clusterId: c, spikeIds: ids, times: spikeTimesOf(ctx.dataset, ids), depths: pick(depths.depths, ids) };
    });
    return { generation, source: depths.source, clusters };
  });
}

/**
 * What a click on the density means (`spikeOfDensestCluster`): of the spikes within the radius
 * (pixels as drawn), the cluster with the most of them, and its spike nearest to the click;
 * nulls when no spike is that near. Searched in a worker over the spikes of the click's time
 * window, with the live clustering.
 */
export async function driftPick(ctx: ComputeContext, depths: SpikeDepths, req: DriftPickRequest, signal?: AbortSignal): Promise<DriftPickData> {
  const none = { generation: ctx.clustering.generation, spikeId: null, clusterId: null };
  if (depths.source === 'none') return none;
  const { spikeId } = await runTask(ctx, tasks.driftPick, { dataset: ctx.handle, click: { ...req } }, signal);
  if (spikeId < 0) return none;
  return { generation: ctx.clustering.generation, spikeId, clusterId: ctx.clustering.clusterOf(spikeId) };
}
