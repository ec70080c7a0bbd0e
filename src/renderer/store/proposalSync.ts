/**
 * Keeps `AppState.proposal` in step with the backend's ProposalService: the current proposal at
 * start, then every `onDidChangeProposal` (proposed, cancelled, accepted, or dropped because its
 * cluster changed, with the reason shown as a message). A proposal the renderer asked for is
 * committed by the same event, so there is one write path.
 */
import type { BackendClient } from '../backend/BackendClient';
import type { ProposalChange } from '../../shared/ipc/contract';
import type { AppStore } from './appStore';

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
  };
}
