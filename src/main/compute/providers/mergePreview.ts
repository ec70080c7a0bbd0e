/**
 * The merge preview (CorrelogramView's "merged" row, the status line): the union train's key
 * metrics beside each cluster's and the verdict, computed in an interactive worker from every
 * spike of the selection — the same spike lists a correlogram request gathers, so it costs what a
 * selection change costs (O(spikes of the selection)). Cached by the selection like the
 * correlograms: a cluster id names a fixed spike set, so the result stays valid until one of the
 * clusters is deleted.
 */
import type { MergePreviewData, MergePreviewRequest } from '../../../shared/ipc/contract';
import { tasks } from '../../../shared/tasks/tasks';
import { CallError } from '../../CallError';
import { runTask, type ComputeContext } from '../context';
import { spikeLists } from '../spikeLists';

export async function mergePreview(ctx: ComputeContext, req: MergePreviewRequest, signal?: AbortSignal): Promise<MergePreviewData> {
  const r = { clusterIds: req.clusterIds, refractoryPeriod: req.refractoryPeriod ?? 0.002 };
  if (r.clusterIds.length < 2) throw new CallError(`viewData.mergePreview: a merge needs 2 clusters or more (got ${r.clusterIds.length})`, 'invalid-call');
  if (new Set(r.clusterIds).size !== r.clusterIds.length) throw new CallError(`viewData.mergePreview: cluster ids repeat (${r.clusterIds.join(', ')})`, 'invalid-call');
  const missing = r.clusterIds.filter((c) => ctx.clustering.nSpikes(c) === 0);
  if (missing.length) throw new CallError(`viewData.mergePreview: cluster ${missing.join(', ')} does not exist (or has no spikes)`, 'invalid-call');
  return ctx.results.memo('mergePreview', r, r.clusterIds, false, signal, async (generation) => {
    const lists = spikeLists(ctx.clustering, r.clusterIds);
    const res = await runTask(ctx, tasks.mergePreview, { dataset: ctx.handle, ...lists, refractoryPeriod: r.refractoryPeriod }, signal, [lists.spikeIds.buffer as ArrayBuffer]);
    return { generation, ...r, merged: res.merged, parts: res.parts, mergedStats: { clusterId: -1, ...res.mergedStats }, verdict: res.verdict };
  });
}
