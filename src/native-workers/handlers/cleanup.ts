/** Clean-up tools' whole-cluster passes (issue #14): outlier removal over every spike's PC features. */
import type { OutliersArgs, OutliersResult } from '../../shared/tasks/tasks';
import { clusterFeatureMatrix, findOutliers } from '../../core/cleanup/outliers';
import type { HandlerContext } from './context';

export function outliers(args: OutliersArgs, ctx: HandlerContext): OutliersResult {
  const reader = ctx.ds.features;
  if (!reader) throw new Error('no PC features for this dataset');
  const m = clusterFeatureMatrix((ids) => reader.read(ids), args.spikeIds, reader.nLoc, reader.nPcs, args.channelIds, () => ctx.cancel.check());
  ctx.cancel.check();
  const r = findOutliers(m.x, m.n, m.d, { quantile: args.quantile });
  return { outliers: Int32Array.from(r.rows, (row) => m.spikeIds[row]), nMeasured: m.n, nDims: m.d, threshold: r.threshold };
}
