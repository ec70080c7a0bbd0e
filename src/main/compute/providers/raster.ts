/** RasterView's data: per-cluster spike counts in bins over the recording. */
import type { RasterData, RasterRequest } from '../../../shared/ipc/contract';
import type { ComputeContext } from '../context';
import { plotSeconds } from '../spikeLists';

/**
 * RasterView: each cluster's spikes counted in `nBins` bins over the recording. O(spikes of
 * the clusters) once per list of clusters (cached until one of them changes); what crosses
 * the transport is clusters × bins bytes, never a spike list.
 */
export function raster(ctx: ComputeContext, req: RasterRequest, signal?: AbortSignal): Promise<RasterData> {
  const r = { clusterIds: req.clusterIds, nBins: req.nBins };
  return ctx.results.memo('raster', r, r.clusterIds, false, signal, async (generation) => {
    const st = ctx.dataset.spikeTimes;
    const sr = ctx.dataset.sampleRate;
    const duration = plotSeconds(ctx.dataset);
    const perSample = r.nBins / (duration * sr);
    const counts = new Uint8Array(r.clusterIds.length * r.nBins);
    r.clusterIds.forEach((c, row) => {
      const ids = ctx.clustering.spikeIds(c);
      const o = row * r.nBins;
      for (let k = 0; k < ids.length; k++) {
        const b = Math.min(r.nBins - 1, Math.max(0, Math.floor(st[ids[k]] * perSample)));
        if (counts[o + b] < 255) counts[o + b]++;
      }
    });
    return { generation, nBins: r.nBins, duration, counts };
  });
}
