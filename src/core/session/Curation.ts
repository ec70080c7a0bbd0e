/**
 * `Curation`: clustering ({@link ClusterLabels}) + metadata ({@link ClusterMeta}) + one undo
 * history, producing an {@link UpdateInfo} for every change and a {@link JournalRecord} that
 * replays it exactly. Pure: no I/O (the journal file, the lock and saving live in
 * `src/main/session`).
 *
 * Undo pops the last entry and reverts its stored change (O(changed spikes)); it never replays
 * history. Selection, sort and filter are not actions: they never enter the stack and never
 * clear redo (GUIDE §3). Review marks are progress, not curation: journaled, not undoable.
 */
import { isUnlabelledGroup } from '../dataset/datasetInfo';
import { ClusterLabels, ClusteringError, type ClusterChange } from './ClusterLabels';
import { ClusterMeta, labelProblem, type MetaChange, type MetaValue } from './ClusterMeta';
import { decodeSpikes, encodeSpikes, type EncodedSpikes } from './spikeCodec';
import { checkPartGroups, partGroupsChange, type AssignAction } from './assignGroups';

export type { AssignAction };
import type { UpdateInfo } from './UpdateInfo';
import { parseReviewItemId, type AppliedMerge, type ImportedProposals, type ReviewDecision, type ReviewDecisionRecord } from './reviewQueue';

/** What the UI showed when an action was taken (same shape as the IPC `ActionContext`). */
export interface Selection {
  clusterIds: number[];
  similarIds?: number[];
}

/** An action as given by a caller. */
export type CurationAction =
  | { op: 'merge'; clusters: number[] }
  | { op: 'split'; spikes: ArrayLike<number> }
  | AssignAction
  | { op: 'label'; clusters: number[]; field: string; value: MetaValue }
  | LabelEachAction;

/**
 * Many clusters labelled with different values in one action (label rules): `values[i]` is the
 * value of `clusters[i]`. `source` names where the labels come from (`Bombcell's defaults`), for
 * the history. Applying it does not count as reviewing the clusters (the curator has not looked
 * at them; the wizard still visits them).
 */
export interface LabelEachAction {
  op: 'labelEach';
  field: string;
  clusters: number[];
  values: MetaValue[];
  source?: string;
}

/** An action as stored in the journal (spike lists encoded). */
export type StoredAction =
  | { op: 'merge'; clusters: number[] }
  | { op: 'split'; spikes: EncodedSpikes }
  | { op: 'assign'; spikes: EncodedSpikes; labels: number[]; groups?: Array<string | null>; source?: string }
  | { op: 'label'; clusters: number[]; field: string; value: MetaValue }
  | LabelEachAction;

/** The journal header: enough to recognise the base state the records apply to. */
export interface JournalHeader {
  t: 'header';
  version: 1;
  /** ISO time the journal was started. */
  created: string;
  nSpikes: number;
  /** {@link hashInt32} of the base assignment. */
  baseHash: string;
  /** First id for new clusters at the start. */
  firstNewId: number;
  /** Base groups and sorter columns as [clusterId, value] lists (metadata is small). */
  groups: Array<[number, string]>;
  columns: Record<string, Array<[number, string | number]>>;
  /** Fields that were the curator's labels at the start (inherited, written back). */
  userFields: string[];
}

/** One line of the journal (`.spikedock/journal.jsonl`). */
export type JournalRecord =
  | JournalHeader
  | { t: 'op'; opId: number; time: string; action: StoredAction; added: number[]; ctx?: Selection; review?: string }
  | { t: 'undo'; opId: number; time: string }
  | { t: 'redo'; opId: number; time: string }
  | { t: 'review'; opId: number; time: string; clusters: number[]; reviewed: boolean }
  /** A review-queue decision (reviewQueue.ts): progress, not curation, like `review`. */
  | { t: 'decide'; opId: number; time: string; item: string; decision: ReviewDecision }
  /** Merge proposals imported from a SpikeInterface `curation.json` (kept here: the file may change or go). */
  | { t: 'proposals'; opId: number; time: string; file: string; groups: number[][] }
  | { t: 'save'; time: string; hash: string; files: string[] };

/** One entry of the history, as listed to the user. */
export interface HistoryItem {
  opId: number;
  kind: string;
  description: string;
  time: string;
  undone: boolean;
}

interface Entry {
  opId: number;
  time: string;
  action: StoredAction;
  kind: 'merge' | 'split' | 'assign' | 'metadata';
  description: string;
  change?: ClusterChange;
  meta?: MetaChange;
  inherited: MetaChange[];
  /** The groups an assign set on its parts ({@link AssignAction.groups}), applied after `inherited`. */
  partGroups?: MetaChange;
  ctx?: Selection;
  selectionAfter?: Selection;
  /** The review item this action accepted (`ActionContext.reviewItem`). */
  reviewItem?: string;
}

function listText(ids: readonly number[], max = 6): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} … (${ids.length})`;
}

/** `Label 40 clusters (Bombcell's defaults): noise 3, mua 12, good 25` — counts in first-seen order. */
function labelEachDescription(action: LabelEachAction, meta: MetaChange): string {
  const counts = new Map<string, number>();
  for (const v of action.values) counts.set(String(v ?? 'none'), (counts.get(String(v ?? 'none')) ?? 0) + 1);
  const n = meta.clusterIds.length;
  const what = [...counts].map(([v, k]) => `${v} ${k}`).join(', ');
  return `Label ${n} cluster${n === 1 ? '' : 's'}${action.source ? ` (${action.source})` : ''}: ${action.field === 'group' ? '' : `${action.field} = `}${what}`;
}

/** Stores an action for the journal. */
export function storeAction(a: CurationAction): StoredAction {
  switch (a.op) {
    case 'merge':
      return { op: 'merge', clusters: [...a.clusters] };
    case 'split':
      return { op: 'split', spikes: encodeSpikes(a.spikes) };
    case 'assign':
      return {
        op: 'assign',
        spikes: encodeSpikes(a.spikes),
        labels: Array.from(a.labels),
        ...(a.groups ? { groups: [...a.groups] } : {}),
        ...(a.source ? { source: a.source } : {}),
      };
    case 'label':
      return { op: 'label', clusters: [...a.clusters], field: a.field, value: a.value };
    case 'labelEach':
      return { op: 'labelEach', field: a.field, clusters: [...a.clusters], values: [...a.values], ...(a.source ? { source: a.source } : {}) };
  }
}

/** The action a stored action describes. */
export function loadAction(s: StoredAction): CurationAction {
  switch (s.op) {
    case 'merge':
      return s;
    case 'split':
      return { op: 'split', spikes: decodeSpikes(s.spikes) };
    case 'assign':
      return { op: 'assign', spikes: decodeSpikes(s.spikes), labels: s.labels, ...(s.groups ? { groups: s.groups } : {}), ...(s.source ? { source: s.source } : {}) };
    case 'label':
    case 'labelEach':
      return s;
  }
}

export class Curation {
  private readonly undoStack: Entry[] = [];
  private redoStack: Entry[] = [];
  private lastOpId = 0;
  /** Redo stack cleared by the last perform, kept so {@link rollback} can restore it. */
  private clearedRedo: Entry[] | null = null;
  /** Explicit review marks (true/false); absent = derived from labels. */
  private readonly reviewMarks = new Map<number, boolean>();
  /** Review-queue decisions and imported proposals, in journal order. */
  private readonly decisions: ReviewDecisionRecord[] = [];
  private readonly imported: ImportedProposals[] = [];

  constructor(
    readonly labels: ClusterLabels,
    readonly meta: ClusterMeta,
  ) {}

  get generation(): number {
    return this.labels.generation;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Id of the last op, undo, redo or review (journal ids strictly increase). */
  get lastId(): number {
    return this.lastOpId;
  }

  /**
   * The definition of "reviewed" (the only one; everything else counts with it): explicitly
   * marked (`cluster.markReviewed`), else labelled by the curator in this history (a group or
   * custom label set here, not inherited and not read from cluster_group.tsv).
   */
  isReviewed(clusterId: number): boolean {
    return this.reviewMarks.get(clusterId) ?? this.meta.isLabelled(clusterId);
  }

  /**
   * Performs an action. Returns the change and the journal record to append; call
   * {@link rollback} if the record could not be made durable. Throws {@link ClusteringError}
   * (or a RangeError) for an invalid action, leaving the state unchanged.
   */
  perform(action: CurationAction, ctx: Selection | undefined, time: string, reviewItem?: string): { update: UpdateInfo; record: JournalRecord } {
    if (reviewItem !== undefined && (action.op !== 'merge' || !parseReviewItemId(reviewItem))) throw new ClusteringError(`review item ${JSON.stringify(reviewItem)}: only a merge accepts a review item, named by its cluster ids joined by +`);
    const stored = storeAction(action);
    const opId = this.lastOpId + 1;
    let entry: Entry;
    if (action.op === 'label') {
      if (!action.field || typeof action.field !== 'string') throw new ClusteringError('label: missing field name');
      const problem = labelProblem(action.field, action.value);
      if (problem) throw new ClusteringError(`label of cluster(s) ${listText(action.clusters)} refused: ${problem}`);
      if (action.clusters.length === 0) throw new ClusteringError('label: no clusters given');
      for (const c of action.clusters) if (!this.labels.hasCluster(c)) throw new ClusteringError(`cluster ${c} does not exist`);
      const meta = this.meta.makeChange(action.field, action.clusters, action.value);
      this.meta.apply(meta, true);
      this.labels.bumpGeneration();
      const what = action.field === 'group' ? `group = ${action.value ?? 'none'}` : `${action.field} = ${action.value ?? 'none'}`;
      entry = { opId, time, action: stored, kind: 'metadata', description: `Label ${listText(meta.clusterIds)}: ${what}`, meta, inherited: [], ctx, selectionAfter: ctx };
    } else if (action.op === 'labelEach') {
      const meta = this.labelEachChange(action);
      this.meta.apply(meta, false);
      this.labels.bumpGeneration();
      entry = { opId, time, action: stored, kind: 'metadata', description: labelEachDescription(action, meta), meta, inherited: [], ctx, selectionAfter: ctx };
    } else {
      if (action.op === 'assign' && action.groups !== undefined) checkPartGroups(action.groups);
      if (action.op === 'assign' && action.source !== undefined && labelProblem('source', action.source)) throw new ClusteringError(`assign: source: ${labelProblem('source', action.source)}`);
      const change =
        action.op === 'merge' ? this.labels.merge(action.clusters) : action.op === 'split' ? this.labels.split(action.spikes) : this.labels.assign(action.spikes, action.labels);
      const inherited = this.meta.inheritance(change, (c) => this.sizeOfDeleted(change, c));
      for (const m of inherited) this.meta.apply(m, false);
      const partGroups = action.op === 'assign' && action.groups ? partGroupsChange(this.meta, action, change) : null;
      if (partGroups) this.meta.apply(partGroups, true);
      let description =
        change.kind === 'merge'
          ? `Merge ${listText(change.deleted)} → ${change.added[0]}`
          : change.kind === 'assign'
            ? `Split ${listText(change.deleted)} into ${change.added.length}${action.op === 'assign' && action.source ? ` (${action.source})` : ''} → ${listText(change.added)}`
            : `Split ${change.addedSizes[0].toLocaleString('en-US')} spikes of ${listText(change.deleted)} → ${listText(change.added)}`;
      if (partGroups) description += `; ${partGroups.clusterIds.map((c, i) => `${c} ${partGroups!.after[i]}`).join(', ')}`;
      entry = {
        opId,
        time,
        action: stored,
        kind: change.kind,
        description,
        change,
        inherited,
        ...(partGroups ? { partGroups } : {}),
        ctx,
        selectionAfter: { clusterIds: [...change.added], similarIds: [] },
        ...(reviewItem ? { reviewItem } : {}),
      };
    }
    this.lastOpId = opId;
    this.undoStack.push(entry);
    this.dropCleared();
    this.clearedRedo = this.redoStack;
    this.redoStack = [];
    const update = this.updateFor(entry, entry.kind, false);
    update.selection = entry.change ? entry.selectionAfter : undefined;
    const record: JournalRecord = { t: 'op', opId, time, action: stored, added: entry.change ? [...entry.change.added] : [], ...(ctx ? { ctx } : {}), ...(entry.reviewItem ? { review: entry.reviewItem } : {}) };
    return { update, record };
  }

  /** Drops the redo entries the last perform cleared (no rollback can restore them now): their clusters' lists are freed. */
  private dropCleared(): void {
    if (this.clearedRedo) for (const e of this.clearedRedo) if (e.change) this.labels.forget(e.change);
    this.clearedRedo = null;
  }

  /** Reverts the last {@link perform} as if it never happened (restores the redo stack). */
  rollback(): void {
    const e = this.undoStack.pop();
    if (!e) return;
    this.revertEntry(e);
    this.redoStack = this.clearedRedo ?? [];
    this.clearedRedo = null; // restored, not dropped
    this.lastOpId = e.opId - 1;
  }

  /** Undoes the last action, or returns null when there is nothing to undo. */
  undo(time: string): { update: UpdateInfo; record: JournalRecord } | null {
    const e = this.undoStack.pop();
    if (!e) return null;
    this.revertEntry(e);
    this.redoStack.push(e);
    this.dropCleared();
    const update = this.updateFor(e, 'undo', true);
    update.selection = e.ctx ?? { clusterIds: [], similarIds: [] };
    return { update, record: { t: 'undo', opId: e.opId, time } };
  }

  /** Redoes the last undone action, or returns null when there is nothing to redo. */
  redo(time: string): { update: UpdateInfo; record: JournalRecord } | null {
    const e = this.redoStack.pop();
    if (!e) return null;
    if (e.change) {
      this.labels.redo(e.change);
      for (const m of e.inherited) this.meta.apply(m, false);
      if (e.partGroups) this.meta.apply(e.partGroups, true);
    } else if (e.meta) {
      this.meta.apply(e.meta, e.action.op === 'label');
      this.labels.bumpGeneration();
    }
    this.undoStack.push(e);
    this.dropCleared();
    const update = this.updateFor(e, 'redo', false);
    update.selection = e.selectionAfter ?? e.ctx;
    return { update, record: { t: 'redo', opId: e.opId, time } };
  }

  /**
   * The part of a set of rule labels that would change something: clusters without a group
   * (none or `unsorted`, {@link isUnlabelledGroup}) unless `overwrite`, and never a cluster that
   * already has its value. Unknown ids are kept (perform refuses them, naming the id). Order kept.
   */
  labelsToApply(clusterIds: readonly number[], values: readonly string[], overwrite: boolean): { clusters: number[]; values: string[] } {
    const out = { clusters: [] as number[], values: [] as string[] };
    clusterIds.forEach((c, i) => {
      const group = this.labels.hasCluster(c) ? this.meta.group(c) : null;
      if (!overwrite && !isUnlabelledGroup(group)) return;
      if (group === values[i]) return;
      out.clusters.push(c);
      out.values.push(values[i]);
    });
    return out;
  }

  /** Marks clusters reviewed (or not). Progress, not curation: not on the undo stack. */
  markReviewed(clusterIds: readonly number[], reviewed: boolean, time: string): { update: UpdateInfo; record: JournalRecord } {
    const ids = [...new Set(clusterIds)].sort((a, b) => a - b);
    for (const c of ids) this.reviewMarks.set(c, reviewed);
    const opId = ++this.lastOpId;
    const generation = this.labels.bumpGeneration();
    const update: UpdateInfo = {
      opId,
      generation,
      kind: 'reviewed',
      description: `${reviewed ? 'Mark' : 'Unmark'} reviewed: ${listText(ids)}`,
      added: [],
      deleted: [],
      descendants: [],
      changedSpikes: 0,
      metadata: { field: 'reviewed', clusterIds: ids, value: reviewed ? 1 : 0 },
    };
    return { update, record: { t: 'review', opId, time, clusters: ids, reviewed } };
  }

  /**
   * Replays one journal record (not the header): the result must match what was recorded, else
   * a RangeError says where the journal and the data disagree.
   */
  replay(rec: JournalRecord): UpdateInfo | null {
    switch (rec.t) {
      case 'op': {
        if (rec.opId !== this.lastOpId + 1) throw new RangeError(`journal op ${rec.opId} out of sequence (expected ${this.lastOpId + 1})`);
        const { update } = this.perform(loadAction(rec.action), rec.ctx, rec.time, rec.review);
        this.dropCleared();
        const got = update.added.join(',');
        if (got !== rec.added.join(',')) throw new RangeError(`journal op ${rec.opId}: replay created clusters [${got}] but the journal says [${rec.added.join(',')}]`);
        return update;
      }
      case 'undo': {
        const top = this.undoStack[this.undoStack.length - 1];
        if (!top || top.opId !== rec.opId) throw new RangeError(`journal undo of op ${rec.opId} does not match the history`);
        return this.undo(rec.time)!.update;
      }
      case 'redo': {
        const top = this.redoStack[this.redoStack.length - 1];
        if (!top || top.opId !== rec.opId) throw new RangeError(`journal redo of op ${rec.opId} does not match the history`);
        return this.redo(rec.time)!.update;
      }
      case 'review': {
        const out = this.markReviewed(rec.clusters, rec.reviewed, rec.time);
        this.lastOpId = Math.max(this.lastOpId, rec.opId);
        return out.update;
      }
      case 'decide':
        this.decideReview(rec.item, rec.decision, rec.time);
        this.lastOpId = Math.max(this.lastOpId, rec.opId);
        return null;
      case 'proposals':
        this.importProposals(rec.file, rec.groups, rec.time);
        this.lastOpId = Math.max(this.lastOpId, rec.opId);
        return null;
      default:
        return null;
    }
  }

  /** The history, oldest first: applied entries, then undone ones (most recently undone last). */
  history(): HistoryItem[] {
    const item = (e: Entry, undone: boolean): HistoryItem => ({ opId: e.opId, kind: e.kind, description: e.description, time: e.time, undone });
    return [...this.undoStack.map((e) => item(e, false)), ...[...this.redoStack].reverse().map((e) => item(e, true))];
  }

  /**
   * Records a review-queue decision (reject, skip, reset). Progress, not curation: journaled, not
   * on the undo stack (like {@link markReviewed}); accepting is the merge itself.
   */
  decideReview(item: string, decision: ReviewDecision, time: string): JournalRecord {
    this.decisions.push({ item, decision });
    return { t: 'decide', opId: ++this.lastOpId, time, item, decision };
  }

  /** Keeps merge proposals read from a curation file (journaled: the file may change or go). */
  importProposals(file: string, groups: number[][], time: string): JournalRecord {
    this.imported.push({ file, groups: groups.map((g) => [...g]) });
    return { t: 'proposals', opId: ++this.lastOpId, time, file, groups };
  }

  /** Reverts the last {@link decideReview} or {@link importProposals} whose record could not be made durable. */
  rollbackReview(rec: JournalRecord): void {
    if (rec.t === 'decide') this.decisions.pop();
    else if (rec.t === 'proposals') this.imported.pop();
    else return;
    this.lastOpId = rec.opId - 1;
  }

  /** Review decisions in journal order. */
  reviewDecisions(): readonly ReviewDecisionRecord[] {
    return this.decisions;
  }

  /** Imported proposals in journal order. */
  importedProposals(): readonly ImportedProposals[] {
    return this.imported;
  }

  /** Applied merges, oldest first, with the review item each accepted (the review queue derives its states from them). */
  appliedMerges(): AppliedMerge[] {
    return this.undoStack.filter((e) => e.change?.kind === 'merge').map((e) => ({ change: e.change!, ...(e.reviewItem ? { reviewItem: e.reviewItem } : {}) }));
  }

  /** Review items named by any action of the history (applied or undone): accepted suggestions stay in the queue. */
  reviewItemsOfHistory(): string[] {
    const ids = new Set<string>();
    for (const e of [...this.undoStack, ...this.redoStack]) if (e.reviewItem) ids.add(e.reviewItem);
    return [...ids];
  }

  /** Applied clustering changes, oldest first (for exports such as SpikeInterface's curation format). */
  appliedChanges(): ClusterChange[] {
    return this.undoStack.filter((e) => e.change).map((e) => e.change!);
  }

  private sizeOfDeleted(change: ClusterChange, clusterId: number): number {
    const i = change.deleted.indexOf(clusterId);
    return i >= 0 ? change.deletedSizes[i] : 0;
  }

  private revertEntry(e: Entry): void {
    if (e.change) {
      if (e.partGroups) this.meta.revert(e.partGroups, true);
      for (const m of [...e.inherited].reverse()) this.meta.revert(m, false);
      this.labels.undo(e.change);
    } else if (e.meta) {
      this.meta.revert(e.meta, e.action.op === 'label');
      this.labels.bumpGeneration();
    }
  }

  /** Checks a {@link LabelEachAction} and describes its change (not applied). */
  private labelEachChange(action: LabelEachAction): MetaChange {
    const { field, clusters, values } = action;
    if (!Array.isArray(clusters) || !Array.isArray(values) || clusters.length !== values.length) {
      throw new ClusteringError(`labelEach: expected as many values as clusters (got ${Array.isArray(clusters) ? clusters.length : 'no'} clusters and ${Array.isArray(values) ? values.length : 'no'} values)`);
    }
    if (clusters.length === 0) throw new ClusteringError('labelEach: no clusters given');
    if (action.source !== undefined && labelProblem('source', action.source)) throw new ClusteringError(`labelEach: source: ${labelProblem('source', action.source)}`);
    const seen = new Set<number>();
    const pairs: Array<[number, MetaValue]> = [];
    for (let i = 0; i < clusters.length; i++) {
      const c = clusters[i];
      const problem = labelProblem(field, values[i]);
      if (problem) throw new ClusteringError(`label of cluster ${c} refused: ${problem}`);
      if (!this.labels.hasCluster(c)) throw new ClusteringError(`cluster ${c} does not exist`);
      if (seen.has(c)) throw new ClusteringError(`labelEach: cluster ${c} is given twice`);
      seen.add(c);
      pairs.push([c, values[i]]);
    }
    return this.meta.makeChanges(field, pairs);
  }

  private updateFor(e: Entry, kind: UpdateInfo['kind'], reverse: boolean): UpdateInfo {
    const c = e.change;
    const update: UpdateInfo = {
      opId: e.opId,
      generation: this.labels.generation,
      kind,
      description: kind === 'undo' ? `Undo ${e.description}` : kind === 'redo' ? `Redo ${e.description}` : e.description,
      added: c ? [...(reverse ? c.deleted : c.added)] : [],
      deleted: c ? [...(reverse ? c.added : c.deleted)] : [],
      descendants: c ? c.descendants.map(([p, ch]) => (reverse ? [ch, p] : [p, ch]) as [number, number]) : [],
      changedSpikes: c ? c.changedSpikes : 0,
    };
    if (kind === 'undo' || kind === 'redo') update.undoneKind = e.kind;
    if (e.meta) {
      const vals = reverse ? e.meta.before : e.meta.after;
      const same = vals.every((v) => v === vals[0]);
      update.metadata = { field: e.meta.field, clusterIds: [...e.meta.clusterIds], value: same ? vals[0] : null, ...(same ? {} : { values: [...vals] }) };
    }
    return update;
  }
}
