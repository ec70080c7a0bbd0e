/**
 * What every view-data provider of the compute service shares: the dataset, the live
 * clustering, the worker pool (lanes) and the dataset handle its tasks read, the result cache,
 * the per-cluster facts, the options, and the checks of a request's size before any work.
 */
import type { Dataset } from '../../core/dataset/Dataset';
import type { ClusteringView } from '../../core/session/ClusteringView';
import type { DatasetHandle } from '../../shared/tasks/tasks';
import { overLimitMessage, REQUEST_LIMITS, type RequestLimit } from '../../shared/ipc/limits';
import { CallError } from '../CallError';
import type { ClusterFacts, ClusterFactsSource } from './ClusterFacts';
import type { ResultCache } from './ResultCache';
import type { Lane, WorkerPool } from './WorkerPool';
import type { VirtualClusters } from './VirtualClusters';

export interface ComputeServiceOptions {
  /** Result cache capacity in bytes (default `cacheBudget().resultCacheBytes`, `src/main/memoryBudget.ts`). */
  cacheBytes?: number;
  /**
   * The session's facts of a cluster (best channel = the ClusterView's `ch`, dominant template):
   * one owner for them (ClusterMetrics). Without it, both are derived from the templates here.
   */
  clusterFacts?: ClusterFactsSource;
  /** Selections up to this many spikes get their ISI / firing-rate histograms on the calling thread (default 1 M). */
  inlineHistogramSpikes?: number;
  /** Seconds, for the ISI-violation column (default 0.0015). */
  refractoryPeriod?: number;
  /** Subsampled spikes from which a correlogram request is split across two threads (default 150,000 once spike times are grouped by cluster, 20,000 before). */
  splitMinSpikes?: number;
  /**
   * Group the spike times by cluster in the background right after construction, so that later
   * correlograms read them contiguously (default true). A one-shot command-line call, which asks
   * for one result, sets false: the grouping would cost more than its request.
   */
  groupClusterTimes?: boolean;
  /** Spikes from which DriftView's depth column is read by every interactive thread, each a part (default 1,000,000). */
  driftSplitSpikes?: number;
}

export interface ComputeContext {
  readonly dataset: Dataset;
  /** The live clustering with the proposal's virtual parts (negative ids) resolved like clusters. */
  readonly clustering: ClusteringView;
  /** The same, for `sourceOf`: a part's real source cluster (backgrounds leave the source out). */
  readonly virtual: VirtualClusters;
  readonly pool: WorkerPool;
  readonly handle: DatasetHandle;
  readonly results: ResultCache;
  readonly facts: ClusterFacts;
  readonly opts: ComputeServiceOptions;
}

/** A task on the pool (interactive lane unless told). */
export function runTask<A, R>(
  ctx: ComputeContext,
  spec: { name: string; _args?: A; _result?: R },
  args: A,
  signal?: AbortSignal,
  transfer: ArrayBuffer[] = [],
  lane: Lane = 'interactive',
) {
  return ctx.pool.run(spec, args, { signal, transfer, lane });
}

/** Refuses a request whose size, known before any work, is over one of the {@link REQUEST_LIMITS}. */
export function within(request: string, what: string, n: number, limit: RequestLimit): void {
  if (n > REQUEST_LIMITS[limit]) throw new CallError(overLimitMessage(request, what, n, limit), 'invalid-call');
}

/** Refuses a channel index the dataset does not have (it would read another channel's data or nothing). */
export function checkChannel(dataset: Dataset, request: string, channelId: number): void {
  const n = dataset.nChannels;
  if (!Number.isInteger(channelId) || channelId < 0 || channelId >= n) {
    throw new CallError(`${request}: channel ${channelId} does not exist (this dataset has ${n} channels, 0–${n - 1})`, 'invalid-call');
  }
}
