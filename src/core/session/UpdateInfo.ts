/**
 * `UpdateInfo` is the one change contract (phy's idea, `phy/cluster/_utils.py`): every
 * clustering or metadata change, and every undo/redo, returns one, and every cache and view
 * updates from it — nothing else signals a change.
 */

/** The kinds of change. `undo`/`redo` carry the kind of the op they revert/reapply in `undoneKind`. */
export type UpdateKind = 'merge' | 'split' | 'assign' | 'metadata' | 'reviewed' | 'undo' | 'redo';

export interface UpdateInfo {
  /** Journal id of the op this change performs, undoes or redoes. */
  opId: number;
  /** Session generation after this change (strictly increasing, undo/redo included). */
  generation: number;
  kind: UpdateKind;
  /** For undo/redo: the kind of the op undone or redone. */
  undoneKind?: Exclude<UpdateKind, 'undo' | 'redo'>;
  /** One line for the status bar and the history list, e.g. `Merge 12, 14 → 503`. */
  description: string;
  /** Cluster ids that appear with this change. */
  added: number[];
  /** Cluster ids that disappear with this change. */
  deleted: number[];
  /** (parent, child) pairs: which deleted cluster's spikes went to which added cluster. */
  descendants: Array<[number, number]>;
  /** Number of spikes whose cluster changed. */
  changedSpikes: number;
  /**
   * Metadata: the field changed (`group` or a custom label), the clusters it changed on and their
   * value; when the values differ (rule labels, or the undo of a label over clusters that had
   * different values), `value` is null and `values[i]` is the value of `clusterIds[i]`.
   */
  metadata?: { field: string; clusterIds: number[]; value: string | number | null; values?: Array<string | number | null> };
  /**
   * The selection the UI should show after this change (phy's rules: after a merge the new
   * cluster; after a split the new clusters; after undo/redo the selection of that moment).
   * Absent when the change says nothing about selection (labels: the wizard moves on).
   */
  selection?: { clusterIds: number[]; similarIds?: number[] };
}
