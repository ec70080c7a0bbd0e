/**
 * `ProposalService`: the one split proposal of a window (implements the IPC `ProposalApi`;
 * decisions/0011). Every clean-up tool proposes through it: its proposer (`./proposers.ts`)
 * computes the parts, the service registers them as virtual clusters with the compute service (so
 * every view shows them with no per-view code), pushes `onDidChangeProposal`, and commits them as
 * ONE ordinary journaled `assign` action whose parts may carry a group, so one undo restores the
 * exact previous assignment and labels.
 *
 * One proposal at a time: a new one replaces it, and a propose still running is cancelled. A
 * session change that deletes a source cluster drops the proposal (event with the reason), since
 * its parts would no longer be parts of a cluster.
 */
import type { ActionContext, ProposalApi, ProposalChange, ProposalInfo, ProposalSpec, UpdateInfo } from '../../shared/ipc/contract';
import { proposalClusters } from '../../shared/ipc/proposal';
import type { Dataset } from '../../core/dataset/Dataset';
import type { ClusteringView } from '../../core/session/ClusteringView';
import type { CurationAction } from '../../core/session/Curation';
import { AbortError } from '../compute/WorkerPool';
import { UserError } from '../UserError';
import { PROPOSERS, type Proposed, type Proposer, type ProposalBackend } from './proposers';

/** What the service needs of the session (SessionService has it; tests may pass their own). */
export interface ProposalSession {
  readonly dataset: Dataset;
  readonly clustering: ClusteringView;
  perform(action: CurationAction, ctx?: ActionContext): UpdateInfo;
  onDidChange(listener: (u: UpdateInfo) => void): () => void;
}

interface Current {
  info: ProposalInfo;
  proposed: Proposed;
}

export class ProposalService implements ProposalApi {
  private current_: Current | null = null;
  private lastId = 0;
  private running: AbortController | null = null;
  private readonly listeners = new Set<(c: ProposalChange) => void>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly session: ProposalSession,
    private readonly compute: ProposalBackend,
  ) {
    this.unsubscribe = session.onDidChange((u) => {
      const cur = this.current_;
      if (!cur) return;
      const gone = u.deleted.filter((c) => cur.info.clusterIds.includes(c));
      if (gone.length) this.drop(`cluster ${gone.join(', ')} changed (${u.description})`);
    });
  }

  /** Subscribes to proposal changes; returns the unsubscribe function. */
  onDidChange(listener: (c: ProposalChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async propose(spec: ProposalSpec): Promise<ProposalInfo> {
    const { named, sources } = proposalClusters(spec);
    for (const c of named) {
      if (this.session.clustering.nSpikes(c) === 0) throw new UserError(`${spec.kind}: cluster ${c} does not exist`);
    }
    const proposer = PROPOSERS[spec.kind] as Proposer<typeof spec.kind> | undefined;
    if (!proposer) throw new UserError(`${spec.kind}: this kind of proposal is not available`);
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    const generation = this.session.clustering.generation;
    let proposed: Proposed;
    try {
      proposed = await proposer(spec as never, { dataset: this.session.dataset, clustering: this.session.clustering, backend: this.compute, signal: controller.signal });
    } finally {
      if (this.running === controller) this.running = null;
    }
    if (controller.signal.aborted) throw new AbortError();
    // A source deleted while the parts were computed: its spike list is no cluster's any more.
    if (this.session.clustering.generation !== generation && sources.some((c) => this.session.clustering.nSpikes(c) === 0)) {
      throw new UserError(`${spec.kind}: cluster ${sources.join(', ')} changed while the proposal was computed; propose again`);
    }
    const ids = this.compute.addVirtual(proposed.parts.map((p) => ({ sourceId: p.sourceId, spikeIds: p.spikeIds })));
    const info: ProposalInfo = {
      id: ++this.lastId,
      kind: spec.kind,
      spec,
      clusterIds: sources,
      parts: proposed.parts.map((p, k) => ({ id: ids[k], sourceId: p.sourceId, nSpikes: p.spikeIds.length, name: p.name, group: p.group ?? null })),
      summary: proposed.summary,
      committable: proposed.committable,
    };
    this.replace({ info, proposed }, undefined);
    return info;
  }

  async current(): Promise<ProposalInfo | null> {
    return this.current_?.info ?? null;
  }

  async cancel(): Promise<void> {
    this.running?.abort();
    this.running = null;
    if (this.current_) this.drop('cancelled');
  }

  async commit(id: number, ctx?: ActionContext): Promise<UpdateInfo> {
    const cur = this.current_;
    if (!cur || cur.info.id !== id) throw new UserError(`proposal ${id} is not the current proposal${cur ? ` (${cur.info.id} is)` : ' (there is none)'}`);
    if (!cur.info.committable) throw new UserError(`${cur.info.summary}: a view only, nothing to commit (escape leaves it)`);
    const { spikes, labels } = assignmentOf(cur.proposed);
    const groups = cur.proposed.parts.map((p) => p.group ?? null);
    const action: CurationAction = { op: 'assign', spikes, labels, ...(groups.some((g) => g !== null) ? { groups } : {}), source: cur.proposed.source };
    // The update deletes the sources, which drops the proposal (listener above): say why first.
    this.drop('accepted');
    return this.session.perform(action, ctx);
  }

  private replace(next: Current | null, reason: string | undefined): void {
    const prev = this.current_;
    this.current_ = next;
    if (prev) this.compute.removeVirtual(prev.info.parts.map((p) => p.id));
    this.emit({ proposal: next?.info ?? null, ...(reason ? { reason } : {}) });
  }

  private drop(reason: string): void {
    if (this.current_) this.replace(null, reason);
  }

  private emit(c: ProposalChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(c);
      } catch {
        // A failing listener (a closed window) must not stop the others.
      }
    }
  }

  dispose(): void {
    this.running?.abort();
    this.unsubscribe();
    this.listeners.clear();
    this.current_ = null;
  }
}

/**
 * The assign of a proposal: every part's spikes with its part index, sorted by spike id (the
 * order ClusterLabels.assign takes without a sort of its own). Parts are sorted subsets of their
 * sources, so one typed-array sort of (spike · 64 + part) keys orders them: O(k log k).
 */
export function assignmentOf(proposed: Proposed): { spikes: Int32Array; labels: Int32Array } {
  let n = 0;
  for (const p of proposed.parts) n += p.spikeIds.length;
  if (proposed.parts.length > 64) throw new UserError(`a proposal of ${proposed.parts.length} parts: at most 64`);
  const keys = new Float64Array(n);
  let o = 0;
  proposed.parts.forEach((p, k) => {
    for (let i = 0; i < p.spikeIds.length; i++) keys[o++] = p.spikeIds[i] * 64 + k;
  });
  keys.sort();
  const spikes = new Int32Array(n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    spikes[i] = Math.floor(keys[i] / 64);
    labels[i] = keys[i] - spikes[i] * 64;
  }
  return { spikes, labels };
}
