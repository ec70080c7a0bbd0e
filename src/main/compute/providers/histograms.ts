/** ISI and firing-rate histograms of a selection: on the calling thread when small, else in a worker. */
import type { HistogramData, HistogramRequest } from '../../../shared/ipc/contract';
import { tasks } from '../../../shared/tasks/tasks';
import { clusterHistograms } from '../../../core/compute/spikeStats';
import { runTask, type ComputeContext } from '../context';
import { spikeLists } from '../spikeLists';

/** Default of ComputeServiceOptions.inlineHistogramSpikes. */
const INLINE_HISTOGRAM_SPIKES = 1_000_000;

export function histogram(ctx: ComputeContext, kind: 'isi' | 'firingRate', req: HistogramRequest, signal?: AbortSignal): Promise<HistogramData> {
  const r = { clusterIds: req.clusterIds, binSize: req.binSize ?? 0.001, max: req.max ?? 0.05, nBins: req.nBins ?? 200 };
  return ctx.results.memo(kind, r, r.clusterIds, false, signal, async (generation) => {
    const total = r.clusterIds.reduce((n, c) => n + ctx.clustering.nSpikes(c), 0);
    if (total <= (ctx.opts.inlineHistogramSpikes ?? INLINE_HISTOGRAM_SPIKES)) {
      // O(selected spikes), ≈ 10 ms for 200 k: cheaper here than a place in the worker queue
      // behind the same selection's waveforms and features (it waited 100–450 ms there).
      const ds = ctx.dataset;
      const res = clusterHistograms(kind, ds.spikeTimes, r.clusterIds.map((c) => ctx.clustering.spikeIds(c)), { sampleRate: ds.sampleRate, duration: ds.duration, ...r });
      return { generation, clusterIds: r.clusterIds, ...res };
    }
    const lists = spikeLists(ctx.clustering, r.clusterIds);
    const res = await runTask(ctx, tasks.histograms, { dataset: ctx.handle, kind, ...lists, binSize: r.binSize, max: r.max, nBins: r.nBins }, signal, [
      lists.spikeIds.buffer as ArrayBuffer,
    ]);
    return { generation, clusterIds: r.clusterIds, ...res };
  });
}

export function isi(ctx: ComputeContext, req: HistogramRequest, signal?: AbortSignal): Promise<HistogramData> {
  return histogram(ctx, 'isi', req, signal);
}

export function firingRate(ctx: ComputeContext, req: HistogramRequest, signal?: AbortSignal): Promise<HistogramData> {
  return histogram(ctx, 'firingRate', req, signal);
}
