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
import type { ComputeService } from '../compute/ComputeService';
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

/** What a proposer may use. */
export interface ProposerEnv {
  dataset: Dataset;
  /** The live clustering (real clusters only). */
  clustering: ClusteringView;
  compute: ComputeService;
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

/** Every kind's proposer. */
export const PROPOSERS: { [K in ProposalKind]?: Proposer<K> } = {
  epochs: proposeEpochs,
  amplitudeThreshold: proposeAmplitudeThreshold,
  outliers: proposeOutliers,
  duplicates: proposeDuplicates,
};
