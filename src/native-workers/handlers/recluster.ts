/**
 * Re-cluster handler (background lane): reads every spike's PC features on the cluster's best
 * channels (streamed through the lazy `pc_features.npy` rows) plus its amplitude, and fits the
 * mixture chosen by BIC (`core/cleanup/recluster.ts`, the same code `spikedock curate` runs).
 */
import type { ReclusterArgs, ReclusterTaskResult } from '../../shared/tasks/tasks';
import { recluster, reclusterFeatures } from '../../core/cleanup/recluster';
import type { HandlerContext } from './context';

export function reclusterTask(args: ReclusterArgs, ctx: HandlerContext): ReclusterTaskResult {
  const reader = ctx.ds.features;
  if (!reader) throw new Error('no PC features for this dataset');
  const check = () => ctx.cancel.check();
  const { x, d } = reclusterFeatures(reader, args.dataset.amplitudes, args.spikeIds, args.channelIds, check);
  const r = recluster(x, args.spikeIds.length, d, { ...(args.n !== undefined ? { n: args.n } : {}), seed: args.seed ?? 0 }, check);
  return { labels: r.labels, k: r.k, bics: r.bics, d: r.d, nFit: r.nFit };
}
