/**
 * The clean-up tools' whole-cluster passes (issue #14; the split proposals of
 * `src/main/cleanup`): every spike of a cluster, not the views' subsets, in the workers'
 * background lane so that a large cluster never delays a click.
 */
import type { AmplitudeKind, ChannelFeature } from '../../../shared/ipc/contract';
import { tasks, type ReclusterTaskResult } from '../../../shared/tasks/tasks';
import { recluster, reclusterFeatures } from '../../../core/cleanup/recluster';
import { clusterFeatureMatrix, findOutliers, OUTLIER_DEFAULTS } from '../../../core/cleanup/outliers';
import { pickChannelFeatures } from '../../../core/compute/features';
import type { Dataset } from '../../../core/dataset/Dataset';
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

/** findOutliers' input errors (too few spikes, a bad quantile) as CleanupInputErrors; they come from a worker as Errors with the same message. */
function inputErrors<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError || (e instanceof Error && /too few|quantile|singular|no features/.test(e.message))) throw new CleanupInputError(e.message);
    throw e;
  }
}

/**
 * {@link outlierSpikes} in this thread (Kwik files, whose features h5wasm reads in main, and
 * `spikedock curate`'s headless proposals): `spikeIds` is the cluster's, `channelIds` its best.
 */
export function outlierSpikesInProcess(dataset: Dataset, spikeIds: Int32Array, channelIds: number[], quantile = OUTLIER_DEFAULTS.quantile): OutlierSpikes {
  const src = dataset.features;
  if (!src) throw new CleanupInputError('this dataset has no PC features');
  const m = clusterFeatureMatrix((ids) => src.read(ids), withFeatures(dataset, spikeIds).slice(), src.nChannelsLoc, src.nPcs, channelIds);
  const r = inputErrors(() => findOutliers(m.x, m.n, m.d, { quantile }));
  return { outliers: Int32Array.from(r.rows, (row) => m.spikeIds[row]), nMeasured: m.n, nDims: m.d, threshold: r.threshold, channelIds };
}

/**
 * Outliers of one cluster (`core/cleanup/outliers.ts`) on the PCs of its best channels, over
 * every spike with PC features: a worker task in the background lane for PC feature files; for a
 * Kwik file (features read through h5wasm in main) {@link outlierSpikesInProcess}.
 */
export async function outlierSpikes(ctx: ComputeContext, clusterId: number, quantile = OUTLIER_DEFAULTS.quantile, signal?: AbortSignal): Promise<OutlierSpikes> {
  if (!ctx.dataset.features) throw new CleanupInputError('this dataset has no PC features');
  const channelIds = Array.from(ctx.facts.bestChannels(clusterId, OUTLIER_CHANNELS));
  if (!ctx.handle.features) return outlierSpikesInProcess(ctx.dataset, ctx.clustering.spikeIds(clusterId), channelIds, quantile);
  const spikeIds = withFeatures(ctx.dataset, ctx.clustering.spikeIds(clusterId)).slice();
  try {
    const r = await runTask(ctx, tasks.outliers, { dataset: ctx.handle, spikeIds, channelIds, quantile }, signal, [], 'background');
    return { ...r, channelIds };
  } catch (e) {
    return inputErrors(() => {
      throw e;
    });
  }
}

/**
 * A re-cluster in this thread, through the same core code as the workers' `recluster` task:
 * `spikedock curate`'s headless proposals, and the app on a Kwik file (its features are read
 * through h5wasm in main, not by the workers; Kwik files are small, so main is blocked briefly).
 */
export function reclusterInProcess(dataset: Dataset, args: { spikeIds: Int32Array; channelIds: number[]; n?: number; seed?: number }): ReclusterTaskResult {
  if (!dataset.features) throw new CleanupInputError('this dataset has no PC features');
  const { x, d } = reclusterFeatures(dataset.features, dataset.amplitudes, args.spikeIds, args.channelIds);
  const r = recluster(x, args.spikeIds.length, d, { ...(args.n !== undefined ? { n: args.n } : {}), seed: args.seed ?? 0 });
  return { labels: r.labels, k: r.k, bics: r.bics, d: r.d, nFit: r.nFit };
}

/** The feature of a threshold on `kind` amplitudes, after refusing what cannot be thresholded (raw, a missing kind, a PC the file lacks). */
function amplitudeFeature(dataset: Dataset, kind: AmplitudeKind, feature: ChannelFeature | undefined, peakChannel: number): ChannelFeature | null {
  if (!availableAmplitudeKinds(dataset).includes(kind)) throw new CleanupInputError(`${kind} amplitudes are not available for this dataset`);
  if (kind === 'raw') throw new CleanupInputError('a threshold on raw amplitudes is not offered (they are read for at most 1,000 spikes per cluster); use template or feature amplitudes');
  if (kind === 'template') return null;
  const f = feature ?? { channelId: Math.max(0, peakChannel), pc: 0 };
  checkChannel(dataset, 'amplitude threshold', f.channelId);
  const nPcs = dataset.features!.nPcs;
  if (f.pc >= nPcs) throw new CleanupInputError(`no feature PC ${f.pc} (${nPcs} PCs)`);
  return f;
}

/** The PC `f` of the spikes of `ids` that have one on its channel (the others are left out). */
function collectFeature(ids: Int32Array, set: { features: Float32Array; present: Uint8Array }, nPcs: number, pc: number, keptIds: number[], values: number[]): void {
  for (let k = 0; k < ids.length; k++) {
    if (!set.present[k]) continue;
    keptIds.push(ids[k]);
    values.push(set.features[k * nPcs + pc]);
  }
}

/** {@link clusterAmplitudeValues} in this thread (`spikedock curate`'s headless proposals): `all` is the cluster's spikes. */
export function clusterAmplitudeValuesInProcess(dataset: Dataset, all: Int32Array, kind: AmplitudeKind, feature: ChannelFeature | undefined, peakChannel: number): { spikeIds: Int32Array; values: Float32Array } {
  const f = amplitudeFeature(dataset, kind, feature, peakChannel);
  if (!f) return { spikeIds: all.slice(), values: Float32Array.from(all, (i) => dataset.amplitudes![i]) };
  const src = dataset.features!;
  const ids = withFeatures(dataset, all);
  const keptIds: number[] = [];
  const values: number[] = [];
  for (let s = 0; s < ids.length; s += FEATURE_CHUNK) {
    const chunk = ids.slice(s, Math.min(ids.length, s + FEATURE_CHUNK));
    const { data, channels } = src.read(chunk);
    collectFeature(chunk, pickChannelFeatures(data, channels, chunk.length, src.nChannelsLoc, src.nPcs, [f.channelId]), src.nPcs, f.pc, keptIds, values);
  }
  return { spikeIds: Int32Array.from(keptIds), values: Float32Array.from(values) };
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
  const all = ctx.clustering.spikeIds(clusterId);
  const f = amplitudeFeature(ctx.dataset, kind, feature, ctx.facts.peakChannel(clusterId));
  if (!f) return clusterAmplitudeValuesInProcess(ctx.dataset, all, kind, undefined, -1);
  const ids = withFeatures(ctx.dataset, all);
  const keptIds: number[] = [];
  const values: number[] = [];
  for (let s = 0; s < ids.length; s += FEATURE_CHUNK) {
    const chunk = ids.slice(s, Math.min(ids.length, s + FEATURE_CHUNK));
    const res = await readFeatures(ctx, [{ clusterId, spikeIds: chunk }], [f.channelId], signal, 'background');
    collectFeature(chunk, res.sets[0], res.nPcs, f.pc, keptIds, values);
    signal?.throwIfAborted();
  }
  return { spikeIds: Int32Array.from(keptIds), values: Float32Array.from(values) };
}
