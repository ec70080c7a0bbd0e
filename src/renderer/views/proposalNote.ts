/**
 * The status-line note of a selection-following view while it shows a split proposal's parts
 * (virtual clusters, negative ids: `viewClusterIds`): which parts, by name, so the curator (and
 * the e2e tests) can tell a preview from the clusters themselves.
 */
import { clusterName, useAppStore } from '../store';

/** `proposal: 13 part 1, 13 part 2` when `ids` holds parts, else ''. */
export function useProposalNote(ids: readonly number[]): string {
  const proposal = useAppStore((s) => s.proposal.current);
  const parts = ids.filter((id) => id < 0);
  return parts.length ? `proposal: ${parts.map((id) => clusterName(proposal, id)).join(', ')}` : '';
}
