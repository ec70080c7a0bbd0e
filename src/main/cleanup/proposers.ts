/**
 * One proposer per kind of split proposal (`ProposalSpec.kind`): it computes the parts from the
 * live clustering (pure algorithms in `src/core/cleanup`, whole-cluster passes in the workers'
 * background lane) and says whether they can be committed. The ProposalService owns everything
 * else (virtual clusters, the one proposal, commit, events), so a new tool is one entry here.
 */
import type { Dataset } from '../../core/dataset/Dataset';
import type { ClusteringView } from '../../core/session/ClusteringView';
import { epochName, epochParts } from '../../core/cleanup/epochs';
import type { ProposalKind, ProposalSpec } from '../../shared/ipc/contract';
import type { ReclusterTaskResult } from '../../shared/tasks/tasks';
import type { AmplitudeKind, ChannelFeature } from '../../shared/ipc/contract';
import type { OutlierSpikes } from '../compute/providers/cleanup';
import type { VirtualPart } from '../compute/VirtualClusters';
import { proposeAmplitudeThreshold, proposeDuplicates, proposeOutliers } from './splitTools';

/** A part as a proposer makes it (the service gives it its virtual id). */
export interface ProposedPart {
  sourceId: number;
  /** Sorted spike ids, a subset of the source's. */
  spikeIds: Int32Array;
  name: string;
  /** Group of the part's new cluster on commit (null: inherited). */
  group?: string | null;
}

export interface Proposed {
  parts: ProposedPart[];
  summary: string;
  committable: boolean;
  /** Shown in the history (`re-cluster`): the assign action's source. */
  source: string;
}

/**
 * What the proposals need of the compute side: the app's ComputeService (virtual clusters every
 * view resolves, work in the workers' background lane) or `spikedock curate`'s headless one
 * (`./headless.ts`, in-process), so both run the same proposers.
 */
export interface ProposalBackend {
  /** Registers parts as virtual clusters; returns their (negative) ids. */
  addVirtual(parts: readonly VirtualPart[]): number[];
  removeVirtual(ids: readonly number[]): void;
  /** The `n` best channels of a cluster (indices), peak first. */
  bestChannels(clusterId: number, n?: number): Int32Array;
  /** Re-clusters one cluster's spikes (see `ComputeService.recluster`). */
  recluster(args: { spikeIds: Int32Array; channelIds: number[]; n?: number; seed?: number }, signal?: AbortSignal): Promise<ReclusterTaskResult>;
  /** Outliers of a cluster over every spike's PC features (`compute/providers/cleanup.ts`). */
  outlierSpikes(clusterId: number, quantile?: number, signal?: AbortSignal): Promise<OutlierSpikes>;
  /** Every spike of a cluster with its template or feature amplitude (`compute/providers/cleanup.ts`). */
  clusterAmplitudeValues(clusterId: number, kind: AmplitudeKind, feature?: ChannelFeature, signal?: AbortSignal): Promise<{ spikeIds: Int32Array; values: Float32Array }>;
}

/** What a proposer may use. */
export interface ProposerEnv {
  dataset: Dataset;
  /** The live clustering (real clusters only). */
  clustering: ClusteringView;
  backend: ProposalBackend;
  /** Fires when the proposal is replaced or cancelled before it is ready. */
  signal: AbortSignal;
}

export type Proposer<K extends ProposalKind> = (spec: Extract<ProposalSpec, { kind: K }>, env: ProposerEnv) => Promise<Proposed>;

const fmt = (n: number) => n.toLocaleString('en-US');

/** Early vs late: each cluster's spikes in `n` consecutive epochs of equal counts (view only). */
export const proposeEpochs: Proposer<'epochs'> = async (spec, env) => {
  const n = spec.n ?? 2;
  const parts: ProposedPart[] = [];
  for (const c of spec.clusterIds) {
    const runs = epochParts(env.clustering.spikeIds(c), n);
    runs.forEach((spikeIds, i) => parts.push({ sourceId: c, spikeIds, name: `${c} ${epochName(i, runs.length)}` }));
  }
  const counts = parts.map((p) => fmt(p.spikeIds.length)).join(' · ');
  const summary = `${n === 2 ? 'early vs late' : `${n} epochs`} of ${spec.clusterIds.join(', ')}: ${counts} spikes`;
  return { parts, summary, committable: false, source: 'epochs' };
};

/** Best channels whose PCs a re-cluster reads (the peak channel and its 3 nearest). */
export const RECLUSTER_CHANNELS = 4;

/**
 * Re-cluster: a Gaussian mixture on every spike's PC features on the cluster's best channels plus
 * amplitude, parts chosen by BIC (1–6) unless `n` forces them; in the background lane.
 * Committable when it finds 2 parts or more.
 */
export const proposeRecluster: Proposer<'recluster'> = async (spec, env) => {
  const c = spec.clusterId;
  const spikeIds = env.clustering.spikeIds(c);
  const channelIds = Array.from(env.backend.bestChannels(c, RECLUSTER_CHANNELS));
  const r = await env.backend.recluster({ spikeIds, channelIds, ...(spec.n !== undefined ? { n: spec.n } : {}), seed: spec.seed ?? 0 }, env.signal);
  const parts = partsOfLabels(c, spikeIds, r.labels, r.k);
  const how = spec.n !== undefined ? `${spec.n} forced` : 'by BIC';
  const summary =
    r.k < 2
      ? `re-cluster of ${c}: one part ${how} — it looks like one unit, nothing to split`
      : `re-cluster of ${c}: ${r.k} parts ${how} (${parts.map((p) => fmt(p.spikeIds.length)).join(' · ')} spikes)`;
  return { parts, summary, committable: r.k >= 2, source: 're-cluster' };
};

/** The parts of labelled spikes: part `r` = the spikes of label `r` (ascending, as `spikeIds`). */
export function partsOfLabels(sourceId: number, spikeIds: Int32Array, labels: Int32Array, k: number): ProposedPart[] {
  const counts = new Int32Array(k);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  const lists = Array.from(counts, (n) => new Int32Array(n));
  const fill = new Int32Array(k);
  for (let i = 0; i < labels.length; i++) lists[labels[i]][fill[labels[i]]++] = spikeIds[i];
  return lists.map((ids, r) => ({ sourceId, spikeIds: ids, name: `${sourceId} part ${r + 1}` }));
}

/** Every kind's proposer. */
export const PROPOSERS: { [K in ProposalKind]?: Proposer<K> } = {
  epochs: proposeEpochs,
  recluster: proposeRecluster,
  amplitudeThreshold: proposeAmplitudeThreshold,
  outliers: proposeOutliers,
  duplicates: proposeDuplicates,
};
