/**
 * The split proposal's part of the contract (`contract.ts` re-exports it): the clean-up tools of
 * issue #14 (decisions/0011) propose a split, the views show its parts as virtual clusters, and
 * the curator commits it as one action or leaves it.
 */
import type { UpdateInfo } from '../../core/session/UpdateInfo';
import type { ActionContext, AmplitudeKind, ChannelFeature } from './contract';

/**
 * What to propose. One kind per tool; each part of the proposal is shown as a virtual cluster.
 * - `epochs` (early vs late): each cluster's spikes in `n` consecutive time epochs of equal
 *   spike counts (2–4, default 2); a view, never committed.
 * - `recluster`: a Gaussian mixture on the cluster's PC features and amplitude, components
 *   chosen by BIC (1–6) unless `n` forces them; deterministic for a `seed` (default 0).
 * - `amplitudeThreshold`: the cluster's spikes whose amplitude of `amplitudeKind` (`template`
 *   or `feature`, that channel and PC; raw is refused) is strictly below `threshold`, and the rest.
 * - `outliers`: the cluster's spikes whose squared Mahalanobis distance from its centre, on the
 *   PCs of its 4 best channels, exceeds the χ² `quantile` (default 0.999); labelled noise.
 * - `duplicates`: in one cluster, the spikes at most `intervalMs` (default 0.2, rounded to
 *   samples) after the previous one; in two `[a, b]`, b's spikes within `intervalMs` of one of a's
 *   (SpikeInterface's `remove_duplicated_spikes`, keep_first). The source is the last cluster.
 */
export type ProposalSpec =
  | { kind: 'epochs'; clusterIds: number[]; n?: number }
  | { kind: 'recluster'; clusterId: number; n?: number; seed?: number }
  | { kind: 'amplitudeThreshold'; clusterId: number; amplitudeKind: AmplitudeKind; threshold: number; feature?: ChannelFeature }
  | { kind: 'outliers'; clusterId: number; quantile?: number }
  | { kind: 'duplicates'; clusterIds: number[]; intervalMs?: number };

/**
 * The real clusters a spec names (each must exist) and its sources: those whose spikes a commit
 * reassigns (duplicates across two clusters take spikes from the second only).
 */
export function proposalClusters(spec: ProposalSpec): { named: number[]; sources: number[] } {
  switch (spec.kind) {
    case 'recluster':
    case 'amplitudeThreshold':
    case 'outliers':
      return { named: [spec.clusterId], sources: [spec.clusterId] };
    case 'duplicates':
      return { named: [...spec.clusterIds], sources: spec.clusterIds.slice(-1) };
    case 'epochs':
      return { named: [...new Set(spec.clusterIds)], sources: [...new Set(spec.clusterIds)] };
  }
}

/** The kinds of proposal ({@link ProposalSpec}). */
export type ProposalKind = ProposalSpec['kind'];

/** One part of a proposal, shown by the views as the virtual cluster `id`. */
export interface ProposalPart {
  /** Virtual cluster id: negative, never reused in a session; view-data requests accept it. */
  id: number;
  /** The real cluster the part's spikes come from. */
  sourceId: number;
  nSpikes: number;
  /** What the views call it (`early`, `epoch 3`, `part 2`). */
  name: string;
  /** The group the part's new cluster gets on commit (e.g. `noise` for outliers); null: inherited. */
  group: string | null;
}

/** The proposal shown now (one at a time: a new one replaces it). */
export interface ProposalInfo {
  /** Increases with every proposal of the session; `commit` names it. */
  id: number;
  kind: ProposalKind;
  spec: ProposalSpec;
  /** The real clusters it splits. */
  clusterIds: number[];
  /** Parts in colour order. Spikes of a source that no part lists stay together as one new cluster on commit. */
  parts: ProposalPart[];
  /** One line for the status bar (`13 → 2 parts by BIC: 3,120 · 1,877 spikes`). */
  summary: string;
  /** False for a view-only proposal (early vs late). */
  committable: boolean;
}

/** `onDidChangeProposal`: the proposal shown now, or null with why it went (cancelled, accepted, its cluster changed). */
export interface ProposalChange {
  proposal: ProposalInfo | null;
  reason?: string;
}

/** The split proposal of the window (`src/main/cleanup/ProposalService.ts`). */
export interface ProposalApi {
  /** Computes a proposal (replacing the current one; an older propose still running is cancelled). */
  propose(spec: ProposalSpec): Promise<ProposalInfo>;
  current(): Promise<ProposalInfo | null>;
  /** Drops the proposal (nothing changes in the curation). */
  cancel(): Promise<void>;
  /** Commits proposal `id` as ONE journaled, undoable `assign` action (parts' groups in the same record). */
  commit(id: number, ctx?: ActionContext): Promise<UpdateInfo>;
}
