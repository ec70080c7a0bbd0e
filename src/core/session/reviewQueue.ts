/**
 * The review queue (issue #13 item 4): merge proposals the curator walks one by one — imported
 * from SpikeInterface's `curation.json` or computed by `core/suggest` — each with a state.
 *
 * States are *derived* where the history can say them, so they never disagree with it:
 * - `accepted`: a cluster that exists now was made by merges of exactly the proposed clusters
 *   (the merge is in the history and not undone; undoing it makes the item pending again);
 * - `accepted-modified`: a cluster that exists now was merged from at least two of the proposed
 *   clusters, but not exactly them (a subset, or the proposal plus others);
 * - `stale`: one of its clusters no longer exists and no merge accepted it (split, or merged
 *   into something unrelated);
 * - `rejected` / `pending`: all its clusters exist; `rejected` when the curator said so (a
 *   journaled decision, {@link ReviewDecisionRecord}); a pending item may be `skipped` (walked
 *   past, offered again after the others).
 *
 * Pure: no I/O. `src/core/session/Curation.ts` keeps the decisions and the imported proposals in
 * the journal; `src/main/session/ReviewService.ts` builds the queue for the IPC `review` service.
 */
import type { Diagnostic } from '../diagnostics';
import type { ClusterChange } from './ClusterLabels';

/** Where a proposal comes from: a SpikeInterface curation file, or the computed merge suggestions. */
export type ReviewSource = 'curation.json' | 'suggested';

/** The state of a review item (see the module comment). */
export type ReviewState = 'pending' | 'accepted' | 'accepted-modified' | 'rejected' | 'stale';

/** What the curator can decide besides accepting (which is the merge itself): reject, skip (not now), or reset to pending. */
export type ReviewDecision = 'reject' | 'skip' | 'reset';

/** A proposed merge, before the queue gives it a state. */
export interface ReviewProposal {
  /** Cluster ids to merge (at least 2). */
  clusters: number[];
  source: ReviewSource;
  /** The file it was imported from (source `curation.json`). */
  file?: string;
  /** Suggestion score, higher is better (source `suggested`); null for imported proposals. */
  score?: number | null;
  /** Evidence terms of the suggestion, by name (`core/suggest`'s `MergeSuggestion.evidence`). */
  evidence?: Record<string, number | null>;
}

/** One row of the queue. */
export interface ReviewItem {
  /** Stable id: the sorted cluster ids joined by `+` ({@link reviewItemId}); the same pair from two sources is one item. */
  id: string;
  /** Proposed clusters, ascending. */
  clusters: number[];
  sources: ReviewSource[];
  /** Files the proposal was imported from. */
  files: string[];
  score: number | null;
  evidence: Record<string, number | null>;
  state: ReviewState;
  /** Pending but walked past with "skip": next pending offers it after the others. */
  skipped: boolean;
  /** For accepted items: the cluster that holds the merge now. */
  mergedInto: number | null;
}

/** A journaled decision on an item (the journal's `decide` record without its envelope). */
export interface ReviewDecisionRecord {
  item: string;
  decision: ReviewDecision;
}

/** Imported proposals as journaled (the journal's `proposals` record without its envelope). */
export interface ImportedProposals {
  /** The file, as opened. */
  file: string;
  /** Merge groups, cluster ids ascending. */
  groups: number[][];
}

/** A merge of the history with the review item it accepted, if any (`ActionContext.reviewItem`). */
export interface AppliedMerge {
  change: Pick<ClusterChange, 'kind' | 'added' | 'deleted'>;
  reviewItem?: string;
}

/** The id of an item: `3+7+12` (sorted ascending, duplicates removed). */
export function reviewItemId(clusters: readonly number[]): string {
  return normalizeGroup(clusters).join('+');
}

/** Parses an item id back into its clusters; null when it is not one. */
export function parseReviewItemId(id: string): number[] | null {
  if (!/^\d+(\+\d+)+$/.test(id)) return null;
  const ids = id.split('+').map(Number);
  return ids.every((x) => Number.isSafeInteger(x)) && reviewItemId(ids) === id ? ids : null;
}

function normalizeGroup(clusters: readonly number[]): number[] {
  return [...new Set(clusters)].sort((a, b) => a - b);
}

/**
 * The decisions in force after a sequence of decision records: the last one per item wins, and
 * `reset` removes it.
 */
export function decisionsOf(records: readonly ReviewDecisionRecord[]): Map<string, 'reject' | 'skip'> {
  const out = new Map<string, 'reject' | 'skip'>();
  for (const r of records) {
    if (r.decision === 'reset') out.delete(r.item);
    else out.set(r.item, r.decision);
  }
  return out;
}

/**
 * The queue: one item per distinct cluster set of `proposals` (sources merged), each with its
 * state. Suggested items come best score first, then imported ones in file order; accepted,
 * rejected and stale items keep their place (a curator sees what they decided).
 *
 * @param merges the history's applied merges, oldest first (undone ones are not applied)
 * @param exists whether a cluster exists now
 */
export function buildReviewQueue(
  proposals: readonly ReviewProposal[],
  decisions: ReadonlyMap<string, 'reject' | 'skip'>,
  merges: readonly AppliedMerge[],
  exists: (clusterId: number) => boolean,
): ReviewItem[] {
  // Original clusters held by each merged cluster (merges of merges flattened): cost O(history).
  const leaves = new Map<number, number[]>();
  for (const { change } of merges) {
    if (change.kind !== 'merge' || change.added.length !== 1) continue;
    leaves.set(change.added[0], change.deleted.flatMap((d) => leaves.get(d) ?? [d]));
  }
  // Which existing merged cluster holds an original cluster now.
  const owner = new Map<number, number>();
  for (const [c, l] of leaves) if (exists(c)) for (const leaf of l) owner.set(leaf, c);

  const byId = new Map<string, ReviewItem>();
  for (const p of proposals) {
    const clusters = normalizeGroup(p.clusters);
    if (clusters.length < 2) continue;
    const id = clusters.join('+');
    let item = byId.get(id);
    if (!item) {
      item = { id, clusters, sources: [], files: [], score: null, evidence: {}, state: 'pending', skipped: false, mergedInto: null };
      byId.set(id, item);
    }
    if (!item.sources.includes(p.source)) item.sources.push(p.source);
    if (p.file && !item.files.includes(p.file)) item.files.push(p.file);
    if (p.score !== undefined && p.score !== null && (item.score === null || p.score > item.score)) item.score = p.score;
    if (p.evidence) item.evidence = { ...item.evidence, ...p.evidence };
  }
  for (const item of byId.values()) {
    const { state, mergedInto } = stateOf(item.clusters, exists, owner, leaves);
    const decision = decisions.get(item.id);
    item.mergedInto = mergedInto;
    item.state = state === 'pending' && decision === 'reject' ? 'rejected' : state;
    item.skipped = item.state === 'pending' && decision === 'skip';
  }
  const items = [...byId.values()];
  const order = new Map(items.map((it, i) => [it, i]));
  // Best score first; items without a score (imported) after, in their file order.
  return items.sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity) || order.get(a)! - order.get(b)!);
}

function stateOf(clusters: readonly number[], exists: (id: number) => boolean, owner: ReadonlyMap<number, number>, leaves: ReadonlyMap<number, number[]>): { state: ReviewState; mergedInto: number | null } {
  if (clusters.every(exists)) return { state: 'pending', mergedInto: null };
  // Holders now of the proposed clusters; an accept needs one holding at least two of them.
  const held = new Map<number, number>();
  for (const c of clusters) {
    const h = owner.get(c);
    if (h !== undefined) held.set(h, (held.get(h) ?? 0) + 1);
  }
  let best: number | null = null;
  for (const [h, n] of held) if (n >= 2 && (best === null || n > held.get(best)!)) best = h;
  if (best === null) return { state: 'stale', mergedInto: null };
  const l = leaves.get(best)!;
  const exact = l.length === clusters.length && held.get(best) === clusters.length;
  return { state: exact ? 'accepted' : 'accepted-modified', mergedInto: best };
}

/**
 * The next pending item after `afterId` in queue order (wrapping round), not skipped ones first;
 * then skipped ones; null when nothing is pending.
 */
export function nextPending(items: readonly ReviewItem[], afterId?: string | null): ReviewItem | null {
  const start = afterId ? items.findIndex((it) => it.id === afterId) + 1 : 0;
  const rotated = [...items.slice(start), ...items.slice(0, start)].filter((it) => it.state === 'pending' && it.id !== afterId);
  return rotated.find((it) => !it.skipped) ?? rotated[0] ?? null;
}

/** How many items are pending (skipped ones included): what the status bar shows. */
export function pendingCount(items: readonly ReviewItem[]): number {
  let n = 0;
  for (const it of items) if (it.state === 'pending') n++;
  return n;
}

/** What {@link parseCurationProposals} found. */
export interface ParsedProposals {
  /** Merge groups that name clusters of this dataset, ascending ids, in file order. */
  groups: number[][];
  /** One per problem, each naming the file and the merge group. */
  diagnostics: Diagnostic[];
}

/**
 * Reads the merge proposals of a SpikeInterface curation file (`curation.json`). Follows
 * SpikeInterface's model (`spikeinterface/curation/curation_model.py`, `CurationModel`):
 * - format `"2"`: `merges` as a list of `{unit_ids, new_unit_id?}`, a list of unit-id lists, or a
 *   dict `{new_unit_id: unit_ids}` (`check_merges` accepts all three);
 * - format `"1"`: `merge_unit_groups`, a list of unit-id lists (`convert_old_format`);
 * - format `"0"` (sortingview, no `format_version`): `mergeGroups`.
 * Unit ids are ints or strings (`int | str`): an integer, or a string of decimal digits, names
 * our cluster of that id; any other string, or an id `known` rejects, is reported and its group
 * dropped (the other groups are kept). Labels, removals and splits are not proposals for this
 * queue and are ignored.
 *
 * @param known whether a cluster id names a cluster of this dataset (the sorter's, or one made since)
 * @param unitCluster the cluster of a unit id when the dataset's unit ids are not its cluster ids
 *   (an analyzer's string ids: `unitIdResolver` of `curationImport.ts`); replaces the rule above
 */
export function parseCurationProposals(text: string, file: string, known: (clusterId: number) => boolean, unitCluster?: (unitId: string | number) => number | undefined): ParsedProposals {
  const diagnostics: Diagnostic[] = [];
  const bad = (message: string): ParsedProposals => ({ groups: [], diagnostics: [{ severity: 'error', code: 'review.badFile', file, message: `${file}: ${message}` }] });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return bad(`not valid JSON (${(e as Error).message}); no merge proposals were read`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return bad('not a SpikeInterface curation (expected one JSON object); no merge proposals were read');
  const o = json as Record<string, unknown>;
  if ('curation_steps' in o) return bad('a sequence of curations (curation_steps) is not supported; open one curation object');
  const version = o.format_version === undefined ? '0' : String(o.format_version);
  let raw: unknown;
  let key: string;
  if (version === '2') [raw, key] = [o.merges, 'merges'];
  else if (version === '1') [raw, key] = [o.merge_unit_groups, 'merge_unit_groups'];
  else if (version === '0') [raw, key] = [o.mergeGroups, 'mergeGroups'];
  else return bad(`format_version ${JSON.stringify(o.format_version)} is not supported (SpikeInterface's curation formats are "1" and "2")`);
  if (raw === undefined || raw === null) return { groups: [], diagnostics };
  let entries: Array<{ label: string; ids: unknown }>;
  if (Array.isArray(raw)) {
    entries = raw.map((m, i) => {
      const ids = m && typeof m === 'object' && !Array.isArray(m) ? (m as { unit_ids?: unknown }).unit_ids : m;
      return { label: `${key}[${i}]`, ids };
    });
  } else if (typeof raw === 'object' && version === '2') {
    entries = Object.entries(raw as Record<string, unknown>).map(([newId, ids]) => ({ label: `${key}["${newId}"]`, ids }));
  } else return bad(`${key} must be a list of merge groups (got ${typeof raw})`);

  const groups: number[][] = [];
  const warn = (code: string, message: string) => diagnostics.push({ severity: 'warning', code, file, message: `${file}: ${message}` });
  for (const { label, ids } of entries) {
    if (!Array.isArray(ids)) {
      warn('review.badGroup', `${label} is not a list of unit ids; skipped`);
      continue;
    }
    const mapped: number[] = [];
    const unknown: string[] = [];
    for (const u of ids) {
      const id = unitCluster ? (typeof u === 'number' || typeof u === 'string' ? unitCluster(u) ?? NaN : NaN) : typeof u === 'number' ? u : typeof u === 'string' && /^\d+$/.test(u.trim()) ? Number(u.trim()) : NaN;
      if (Number.isSafeInteger(id) && id >= 0 && known(id)) mapped.push(id);
      else unknown.push(JSON.stringify(u));
    }
    if (unknown.length) {
      warn('review.unknownUnit', `${label} names unit${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}, not ${unknown.length > 1 ? 'clusters' : 'a cluster'} of this dataset (unit ids must be the sorter's ${unitCluster ? 'unit ids' : 'cluster ids'}); that merge proposal is skipped`);
      continue;
    }
    const group = normalizeGroup(mapped);
    if (group.length < 2) {
      warn('review.badGroup', `${label} has fewer than 2 distinct units (a merge needs at least 2); skipped`);
      continue;
    }
    groups.push(group);
  }
  return { groups, diagnostics };
}
