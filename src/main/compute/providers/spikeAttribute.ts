/** A spike attribute (e.g. spike depths) of a selection's spikes. */
import type { SpikeAttributeData, SpikeAttributeRequest } from '../../../shared/ipc/contract';
import { regularSubset } from '../../../core/compute/ccg';
import type { ComputeContext } from '../context';
import { spikeTimesOf } from '../spikeLists';

export function spikeAttribute(ctx: ComputeContext, req: SpikeAttributeRequest, signal?: AbortSignal): Promise<SpikeAttributeData> {
  const r = { name: req.name, clusterIds: req.clusterIds, nSpikes: req.nSpikes ?? 10_000 };
  return ctx.results.memo('spikeAttribute', r, r.clusterIds, false, signal, async (generation) => {
    const attr = ctx.dataset.spikeAttributes.find((a) => a.name === r.name);
    if (!attr) throw new Error(`no spike attribute '${r.name}' in this dataset`);
    const clusters = r.clusterIds.map((c) => {
      const ids = regularSubset(ctx.clustering.spikeIds(c), r.nSpikes).slice();
      return { clusterId: c, spikeIds: ids, times: spikeTimesOf(ctx.dataset, ids), values: attr.read(ids) };
    });
    return { generation, name: attr.name, nColumns: attr.nColumns, clusters };
  });
}
