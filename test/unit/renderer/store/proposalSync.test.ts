/**
 * The proposal slice: `onDidChangeProposal` fills `AppState.proposal`; the selection-following
 * views ask for the parts in place of their cluster (`viewClusterIds`); a proposal whose cluster
 * is no longer selected is cancelled (so `k` never commits a split no view shows).
 */
import { describe, expect, it } from 'vitest';
import type { BackendClient } from '../../../../src/renderer/backend/BackendClient';
import { createAppStore, viewClusterIds } from '../../../../src/renderer/store/appStore';
import { startProposalSync } from '../../../../src/renderer/store/proposalSync';
import type { ProposalChange, ProposalInfo } from '../../../../src/shared/ipc/contract';

const proposal: ProposalInfo = {
  id: 4,
  kind: 'recluster',
  spec: { kind: 'recluster', clusterId: 13 },
  clusterIds: [13],
  parts: [
    { id: -7, sourceId: 13, nSpikes: 30, name: '13 part 1', group: null },
    { id: -8, sourceId: 13, nSpikes: 10, name: '13 part 2', group: null },
  ],
  summary: 're-cluster of 13: 2 parts by BIC (30 · 10 spikes)',
  committable: true,
};

describe('startProposalSync and viewClusterIds', () => {
  it('shows the parts in place of their cluster, keeps the other selected clusters, and cancels the proposal when its cluster is unselected', async () => {
    let listener: ((c: ProposalChange) => void) | null = null;
    let cancels = 0;
    const toasts: string[] = [];
    const backend = {
      proposal: { current: async () => null, cancel: async () => void cancels++ },
      on: (_e: string, l: (c: ProposalChange) => void) => {
        listener = l;
        return () => (listener = null);
      },
    } as unknown as BackendClient;
    const store = createAppStore();
    store.update((d) => void (d.selection = { clusterIds: [5, 13], similarIds: [21] }), { capture: 'none' });
    const stop = startProposalSync(backend, store, (_l, t) => toasts.push(t));
    await Promise.resolve();

    expect(viewClusterIds(store.getState())).toEqual([5, 13, 21]);
    listener!({ proposal });
    expect(store.getState().proposal.current).toEqual(proposal);
    expect(viewClusterIds(store.getState())).toEqual([5, -7, -8, 21]);
    expect(cancels).toBe(0);

    // Another selection without 13: the views show it as is, and the proposal is left.
    store.update((d) => void (d.selection = { clusterIds: [5], similarIds: [] }), { capture: 'none' });
    expect(viewClusterIds(store.getState())).toEqual([5]);
    expect(cancels).toBe(1);
    listener!({ proposal: null, reason: 'cancelled' });
    expect(store.getState().proposal.current).toBeNull();
    expect(toasts).toEqual([]);

    // Dropped by a change of its cluster: said in a message.
    listener!({ proposal: null, reason: 'cluster 13 changed (Merge 13, 14 → 40)' });
    expect(toasts).toEqual(['Proposal dropped: cluster 13 changed (Merge 13, 14 → 40)']);
    stop();
    expect(listener).toBeNull();
  });
});
