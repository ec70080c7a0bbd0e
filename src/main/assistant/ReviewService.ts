/**
 * `ReviewService`: the review queue of one session (implements the IPC `ReviewApi`). It joins
 * the proposals — imported from SpikeInterface `curation.json` files (journaled by the session)
 * and the computed merge suggestions (pushed by the `SuggestionService`) — with the history and
 * the journaled decisions, through the pure `buildReviewQueue` (`core/session/reviewQueue.ts`),
 * which owns every state rule.
 *
 * The `curation.json` beside the dataset is imported once when the session opens, unless this
 * session's own save wrote it (it then holds merges already done, not proposals).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../../core/diagnostics';
import {
  buildReviewQueue,
  decisionsOf,
  parseCurationProposals,
  parseReviewItemId,
  pendingCount,
  type ReviewDecision,
  type ReviewItem,
  type ReviewProposal,
} from '../../core/session/reviewQueue';
import { unitIdResolver } from '../../core/session/curationImport';
import type { ReviewApi, ReviewImportResult, ReviewList, ReviewSummary, SuggestionStatus } from '../../shared/ipc/contract';
import { UserError } from '../UserError';
import { readCurationFile } from '../session/siCurationImport';
import { CURATION_JSON } from '../session/saveSession';
import type { SessionService } from '../session/SessionService';

export class ReviewService implements ReviewApi {
  private suggestions: ReviewProposal[] = [];
  private status: SuggestionStatus = { state: 'unavailable', message: 'not computed for this session' };
  private readonly listeners = new Set<(s: ReviewSummary) => void>();
  private cache: { generation: number; version: number; list: ReviewList } | null = null;
  /** Bumped by every change that is not a session generation (decisions, imports, suggestions). */
  private version = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly session: SessionService) {
    // Session changes can move states (a merge accepts, an undo reopens, a split makes stale).
    this.unsubscribe = session.onDidChange(() => this.changed(false));
  }

  /**
   * Imports the `curation.json` beside the dataset, if there is one and this session has not
   * imported it or written it itself. Returns what to tell the user (nothing when there is no file).
   */
  importBesideDataset(): Diagnostic[] {
    const file = path.join(this.session.dataset.dir, CURATION_JSON);
    if (!fs.existsSync(file) || this.session.savedCurationJson) return [];
    if (this.session.curation.importedProposals().some((p) => p.file === file)) return [];
    try {
      const r = this.importFile(file);
      return [{ severity: 'info', code: 'review.imported', file, message: `${r.proposals} merge proposal${r.proposals === 1 ? '' : 's'} read from ${file} into the review queue (SuggestionsView)` }, ...r.diagnostics];
    } catch (e) {
      return [{ severity: 'warning', code: 'review.badFile', file, message: (e as Error).message }];
    }
  }

  /** Replaces the computed suggestions (the SuggestionService calls this as it scores). */
  setSuggestions(proposals: ReviewProposal[], status: SuggestionStatus): void {
    this.suggestions = proposals;
    this.status = status;
    this.changed(true);
  }

  /** Subscribes to queue changes; returns the unsubscribe function. */
  onDidChange(listener: (s: ReviewSummary) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async list(): Promise<ReviewList> {
    return this.build();
  }

  async decide(itemId: string, decision: ReviewDecision): Promise<ReviewList> {
    const item = this.build().items.find((it) => it.id === itemId);
    if (!item) throw new UserError(`review.decide: ${itemId} is not an item of the review queue`);
    if (decision !== 'reset' && item.state !== 'pending') {
      throw new UserError(`review.decide: ${itemId} is ${item.state}, not pending${item.state === 'accepted' || item.state === 'accepted-modified' ? ' (undo its merge to reopen it)' : ''}`);
    }
    this.session.recordReview(this.session.curation.decideReview(itemId, decision, new Date().toISOString()));
    this.changed(true);
    return this.build();
  }

  async import(file: string): Promise<ReviewImportResult> {
    const r = this.importFile(path.resolve(file));
    return { file: r.file, proposals: r.proposals, messages: r.diagnostics.map((d) => d.message) };
  }

  /** Reads, parses and journals one file; throws a {@link UserError} naming the file when nothing usable is in it. */
  private importFile(file: string): { file: string; proposals: number; diagnostics: Diagnostic[] } {
    const text = readCurationFile(file);
    const known = this.knownClusters();
    // An analyzer's or NWB file's own unit ids (strings, negative ids) name its units in the file.
    const ds = this.session.dataset;
    const mapped = ds.analyzer?.idsMapped ? ds.analyzer : ds.nwb?.idsMapped ? ds.nwb : null;
    const parsed = parseCurationProposals(text, file, known, mapped ? unitIdResolver(mapped, known) : undefined);
    const fatal = parsed.diagnostics.find((d) => d.severity === 'error');
    if (fatal) throw new UserError(fatal.message);
    if (parsed.groups.length) {
      this.session.recordReview(this.session.curation.importProposals(file, parsed.groups, new Date().toISOString()));
      this.changed(true);
    }
    return { file, proposals: parsed.groups.length, diagnostics: parsed.diagnostics };
  }

  /** Clusters that exist now or existed before a merge or split of the history: ids a curation file may name. */
  private knownClusters(): (id: number) => boolean {
    const labels = this.session.curation.labels;
    const gone = new Set<number>();
    for (const c of this.session.curation.appliedChanges()) for (const d of c.deleted) gone.add(d);
    return (id) => labels.hasCluster(id) || gone.has(id);
  }

  private build(): ReviewList {
    const curation = this.session.curation;
    const generation = curation.generation;
    if (this.cache && this.cache.generation === generation && this.cache.version === this.version) return this.cache.list;
    const proposals: ReviewProposal[] = [...this.suggestions];
    for (const imp of curation.importedProposals()) for (const g of imp.groups) proposals.push({ clusters: g, source: 'curation.json', file: imp.file });
    // Items that an action or a decision named stay in the queue when the suggestions no longer list them.
    const listed = new Set(proposals.map((p) => [...p.clusters].sort((a, b) => a - b).join('+')));
    const remembered = [...curation.reviewItemsOfHistory(), ...curation.reviewDecisions().map((d) => d.item)];
    for (const id of remembered) {
      const clusters = parseReviewItemId(id);
      if (clusters && !listed.has(id)) {
        listed.add(id);
        proposals.push({ clusters, source: 'suggested', score: null });
      }
    }
    const items: ReviewItem[] = buildReviewQueue(proposals, decisionsOf(curation.reviewDecisions()), curation.appliedMerges(), (id) => curation.labels.hasCluster(id));
    const list: ReviewList = {
      generation,
      items,
      pending: pendingCount(items),
      suggestions: this.status,
      files: [...new Set(curation.importedProposals().map((p) => p.file))],
    };
    this.cache = { generation, version: this.version, list };
    return list;
  }

  private changed(bump: boolean): void {
    if (bump) this.version++;
    if (this.listeners.size === 0) return;
    const list = this.build();
    const summary: ReviewSummary = { generation: list.generation, pending: list.pending, total: list.items.length };
    for (const l of [...this.listeners]) {
      try {
        l(summary);
      } catch {
        // A failing listener (a closed window) must not stop the others.
      }
    }
  }

  dispose(): void {
    this.unsubscribe();
    this.listeners.clear();
  }
}
