/**
 * DriftView's data: every spike's depth against time as a density image (binned in a worker),
 * the selected clusters' spikes over it, and the spike a click lands on. The per-spike depth
 * column is built once per dataset, lazily, by the `spikeDepths` task (`buildSpikeDepths`).
 */
import { driftDepthSource, type DriftGrid } from '../../../core/compute/drift';
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
  const source = driftDepthSource(d.spikeAttributes, !!(d.spikeTemplates && ctx.handle.templates));
  const depths = await runTask(ctx, tasks.spikeDepths, { dataset: ctx.handle, source });
  ctx.handle.spikeDepths = depths;
  return depths;
}

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
    const r = await runTask(ctx, tasks.driftDensity, { dataset: ctx.handle, grid }, signal);
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
 * The spike nearest to a click (in pixels on the plot as drawn, within the radius) and the
 * cluster it belongs to now; nulls when no spike is that near. Searched in a worker over the
 * spikes of the click's time window.
 */
export async function driftPick(ctx: ComputeContext, depths: SpikeDepths, req: DriftPickRequest, signal?: AbortSignal): Promise<DriftPickData> {
  const none = { generation: ctx.clustering.generation, spikeId: null, clusterId: null };
  if (depths.source === 'none') return none;
  const { spikeId } = await runTask(ctx, tasks.driftPick, { dataset: ctx.handle, click: { ...req } }, signal);
  if (spikeId < 0) return none;
  return { generation: ctx.clustering.generation, spikeId, clusterId: ctx.clustering.spikeClusters[spikeId] };
}
