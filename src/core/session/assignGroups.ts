/**
 * The groups an `assign` action sets on its parts in the same journal record (a split proposal
 * whose outliers go to `noise`; decisions/0011): checked before anything changes, then described
 * as one {@link MetaChange} that `Curation` applies after inheritance and reverts before it.
 */
import type { ClusterChange } from './ClusterLabels';
import { ClusteringError } from './ClusterLabels';
import { labelProblem, type ClusterMeta, type MetaChange, type MetaValue } from './ClusterMeta';

/**
 * phy's general assignment: spike `spikes[i]` goes to the new cluster of part `labels[i]` (the
 * rest of every touched cluster gets one new cluster each). `groups`, when given, labels the
 * parts in the same action: `groups[v]` is the `group` of the part whose spikes have label `v`
 * (null: inherited as usual), so one undo restores the assignment and the labels together (a
 * split proposal whose outliers go to `noise`). `source` names the tool, for the history.
 */
export interface AssignAction {
  op: 'assign';
  spikes: ArrayLike<number>;
  labels: ArrayLike<number>;
  groups?: Array<string | null>;
  source?: string;
}

/** Refuses an assign's part groups that are not a list of valid groups or nulls (before anything changes). */
export function checkPartGroups(groups: unknown): void {
  if (!Array.isArray(groups)) throw new ClusteringError('assign: groups must be a list (one group or null per part)');
  groups.forEach((g, v) => {
    if (g === null) return;
    const problem = labelProblem('group', g as MetaValue);
    if (problem) throw new ClusteringError(`assign: the group of part ${v} refused: ${problem}`);
  });
}

/**
 * The `group` change of an assign's labelled parts (not applied): part `v` (the spikes of label
 * `v`) is the `k`-th new cluster of `change`, `k` the rank of `v` among the distinct labels
 * (ClusterLabels numbers the parts in ascending label order). `before` is what inheritance gave
 * the part, so undo restores exactly that. Null when no part is labelled.
 */
export function partGroupsChange(meta: ClusterMeta, action: AssignAction, change: ClusterChange): MetaChange | null {
  const groups = action.groups ?? [];
  const distinct = [...new Set(Array.from(action.labels))].sort((a, b) => a - b);
  const pairs: Array<[number, MetaValue]> = [];
  distinct.forEach((v, k) => {
    const g = Number.isInteger(v) && v >= 0 && v < groups.length ? groups[v] : null;
    if (g !== null && g !== undefined) pairs.push([change.added[k], g]);
  });
  return pairs.length ? meta.makeChanges('group', pairs) : null;
}
