/**
 * The clean-up tools' whole-cluster passes (issue #14; the split proposals of
 * `src/main/cleanup`): every spike of a cluster, not the views' subsets, in the workers'
 * background lane so that a large cluster never delays a click.
 */
import type { AmplitudeKind, ChannelFeature } from '../../../shared/ipc/contract';
import { tasks } from '../../../shared/tasks/tasks';
import { clusterFeatureMatrix, findOutliers, OUTLIER_DEFAULTS } from '../../../core/cleanup/outliers';
import { checkChannel, runTask, type ComputeContext } from '../context';
import { withFeatures } from '../spikeLists';
import { availableAmplitudeKinds } from './amplitudes';
import { readFeatures } from './features';

/** Best channels whose PCs make the outlier feature vector: 4 × 3 PCs = 12 dimensions (Kilosort). */
export const OUTLIER_CHANNELS = 4;

/** Spikes per features task of {@link clusterAmplitudeValues} (a cancellation point each). */
const FEATURE_CHUNK = 50_000;

export interface OutlierSpikes {
  /** Spike ids of the outliers, ascending. */
  outliers: Int32Array;
  /** Spikes measured (with features on every channel); the others are never outliers. */
  nMeasured: number;
  nDims: number;
  threshold: number;
  channelIds: number[];
}

/** Thrown with a message for the user (a cluster the tool cannot measure): callers wrap it. */
export class CleanupInputError extends Error {}

/**
 * Outliers of one cluster (`core/cleanup/outliers.ts`) on the PCs of its best channels, over
 * every spike with PC features: a worker task in the background lane for PC feature files; for a
 * Kwik file (features read through h5wasm in main) the same code in main, in chunks.
 */
export async function outlierSpikes(ctx: ComputeContext, clusterId: number, quantile = OUTLIER_DEFAULTS.quantile, signal?: AbortSignal): Promise<OutlierSpikes> {
  const src = ctx.dataset.features;
  if (!src) throw new CleanupInputError('this dataset has no PC features');
  const channelIds = Array.from(ctx.facts.bestChannels(clusterId, OUTLIER_CHANNELS));
  const spikeIds = withFeatures(ctx.dataset, ctx.clustering.spikeIds(clusterId)).slice();
  try {
    if (ctx.handle.features) {
      const r = await runTask(ctx, tasks.outliers, { dataset: ctx.handle, spikeIds, channelIds, quantile }, signal, [], 'background');
      return { ...r, channelIds };
    }
    const m = clusterFeatureMatrix((ids) => src.read(ids), spikeIds, src.nChannelsLoc, src.nPcs, channelIds);
    const r = findOutliers(m.x, m.n, m.d, { quantile });
    return { outliers: Int32Array.from(r.rows, (row) => m.spikeIds[row]), nMeasured: m.n, nDims: m.d, threshold: r.threshold, channelIds };
  } catch (e) {
    // findOutliers' RangeErrors (too few spikes, bad quantile) arrive from the worker as Errors
    // carrying the same message.
    if (e instanceof RangeError || (e instanceof Error && /too few|quantile|singular|no features/.test(e.message))) throw new CleanupInputError(e.message);
    throw e;
  }
}

/**
 * Every spike of a cluster with its amplitude of `kind`, as AmplitudeView shows it: `template`
 * (amplitudes.npy, in memory) or `feature` (one PC on one channel, read in background-lane
 * tasks of FEATURE_CHUNK spikes; spikes without a feature there are left out, as the view leaves
 * them out). `raw` needs one raw window per spike and is refused.
 */
export async function clusterAmplitudeValues(
  ctx: ComputeContext,
  clusterId: number,
  kind: AmplitudeKind,
  feature: ChannelFeature | undefined,
  signal?: AbortSignal,
): Promise<{ spikeIds: Int32Array; values: Float32Array }> {
  if (!availableAmplitudeKinds(ctx.dataset).includes(kind)) throw new CleanupInputError(`${kind} amplitudes are not available for this dataset`);
  const all = ctx.clustering.spikeIds(clusterId);
  if (kind === 'template') {
    const a = ctx.dataset.amplitudes!;
    return { spikeIds: all.slice(), values: Float32Array.from(all, (i) => a[i]) };
  }
  if (kind === 'raw') throw new CleanupInputError('a threshold on raw amplitudes is not offered (they are read for at most 1,000 spikes per cluster); use template or feature amplitudes');
  const f = feature ?? { channelId: Math.max(0, ctx.facts.peakChannel(clusterId)), pc: 0 };
  checkChannel(ctx.dataset, 'amplitude threshold', f.channelId);
  const nPcs = ctx.dataset.features!.nPcs;
  if (f.pc >= nPcs) throw new CleanupInputError(`no feature PC ${f.pc} (${nPcs} PCs)`);
  const ids = withFeatures(ctx.dataset, all);
  const keptIds: number[] = [];
  const values: number[] = [];
  for (let s = 0; s < ids.length; s += FEATURE_CHUNK) {
    const chunk = ids.slice(s, Math.min(ids.length, s + FEATURE_CHUNK));
    const res = await readFeatures(ctx, [{ clusterId, spikeIds: chunk }], [f.channelId], signal, 'background');
    const set = res.sets[0];
    for (let k = 0; k < chunk.length; k++) {
      if (!set.present[k]) continue;
      keptIds.push(chunk[k]);
      values.push(set.features[k * res.nPcs + f.pc]);
    }
    signal?.throwIfAborted();
  }
  return { spikeIds: Int32Array.from(keptIds), values: Float32Array.from(values) };
}
