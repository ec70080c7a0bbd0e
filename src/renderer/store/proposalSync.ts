/**
 * Keeps `AppState.proposal` in step with the backend's ProposalService: the current proposal at
 * start, then every `onDidChangeProposal` (proposed, cancelled, accepted, or dropped because its
 * cluster changed, with the reason shown as a message). A proposal the renderer asked for is
 * committed by the same event, so there is one write path. A proposal whose clusters are no
 * longer all selected is cancelled: the views no longer show it.
 */
import type { BackendClient } from '../backend/BackendClient';
import type { ProposalChange } from '../../shared/ipc/contract';
import type { AppStore } from './appStore';
import type { AppState } from './AppState';

/** Whether the views show the current proposal: every cluster it splits is selected. */
export function proposalShown(s: AppState): boolean {
  const p = s.proposal.current;
  if (!p) return false;
  const selected = [...s.selection.clusterIds, ...s.selection.similarIds];
  return p.clusterIds.every((c) => selected.includes(c));
}

/** Subscribes to proposal changes and reads the current one; returns the unsubscribe function. */
export function startProposalSync(backend: BackendClient, store: AppStore, toast: (level: 'info' | 'warning', text: string) => void): () => void {
  let disposed = false;
  let seen = false;
  const apply = (c: ProposalChange) => {
    if (disposed) return;
    seen = true;
    store.update((d) => {
      d.proposal.current = c.proposal;
    }, { capture: 'none' });
    // Cancelled and accepted are the curator's own doing; anything else is news.
    if (!c.proposal && c.reason && c.reason !== 'cancelled' && c.reason !== 'accepted') toast('info', `Proposal dropped: ${c.reason}`);
  };
  const off = backend.on('onDidChangeProposal', apply);
  // A proposal previews a split of what the curator looks at: once the selection no longer holds
  // its clusters it is left (so `k` never commits a split of clusters no view shows).
  let cancelling: number | null = null;
  const offSelection = store.subscribe(() => {
    const s = store.getState();
    const p = s.proposal.current;
    if (!p || cancelling === p.id || proposalShown(s)) return;
    cancelling = p.id;
    backend.proposal.cancel().catch(() => undefined);
  });
  backend.proposal.current().then(
    (p) => {
      // An event that came first is newer than this answer.
      if (!disposed && !seen) store.update((d) => void (d.proposal.current = p), { capture: 'none' });
    },
    () => undefined,
  );
  return () => {
    disposed = true;
    off();
    offSelection();
  };
}
