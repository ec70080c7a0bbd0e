/**
 * The review queue's commands (SuggestionsView): accept, reject, skip, next pending, and File →
 * Open curation.json…. Keys are alt+y / alt+x / alt+j / alt+q: phy binds none of them (phy's
 * alt+ keys are alt+g/m/n/u and TraceView's, see phy-features.md §2).
 *
 * Accepting is the ordinary merge (`session.merge` with the item id in the action context):
 * journaled and undoable with ctrl+z, which makes the item pending again. Reject and skip are
 * journaled decisions. Each of the four moves on to the next pending item, which becomes the
 * selection of every view.
 */
import type { ReviewItem, ReviewList } from '../../shared/ipc/contract';
import { nextPending } from '../../core/session/reviewQueue';
import type { AppState } from '../store/AppState';
import type { Command, CommandContext } from '../store/Command';
import { selectReviewItem } from '../store/actions';
import { runOp } from '../store/runOp';
import { curationJsonBeside } from './fileCommands';
import { hasDataset } from './predicates';

const hasPending = (s: AppState) => s.dataset !== null && (s.review.list?.pending ?? 0) > 0;

/** The item the review keys act on: the current one while it is pending, else the next pending one. */
export function reviewTarget(s: AppState): ReviewItem | null {
  const items = s.review.list?.items ?? [];
  const current = items.find((it) => it.id === s.review.current);
  if (current && current.state === 'pending') return current;
  return nextPending(items, s.review.current);
}

/** Selects the next pending item after `afterId` in `list`, or says the queue is done. */
function goToNext(ctx: CommandContext, list: ReviewList | null, afterId: string | null): void {
  const next = list ? nextPending(list.items, afterId) : null;
  if (next) selectReviewItem(next, ctx.store);
  else ctx.toast('info', list && list.items.length ? 'Review queue: nothing left pending' : 'The review queue is empty (File → Open curation.json…)');
}

async function decide(ctx: CommandContext, decision: 'reject' | 'skip'): Promise<void> {
  const item = reviewTarget(ctx.store.getState());
  if (!item) return goToNext(ctx, ctx.store.getState().review.list, null);
  const list = await ctx.backend.review.decide(item.id, decision);
  ctx.sync.review.commit(list);
  goToNext(ctx, list, item.id);
}

/** The review queue's commands. */
export function reviewCommands(): Command[] {
  return [
    {
      id: 'review.accept',
      title: 'Accept suggested merge',
      keys: ['alt+y'],
      menu: 'Edit',
      section: 'suggestions',
      snippets: ['accept'],
      view: 'SuggestionsView',
      predicate: hasPending,
      async perform(ctx) {
        const s = ctx.store.getState();
        const item = reviewTarget(s);
        if (!item) return goToNext(ctx, s.review.list, null);
        const selection = { clusterIds: [...s.selection.clusterIds], similarIds: [...s.selection.similarIds] };
        const info = await runOp(ctx, () => ctx.backend.session.merge([...item.clusters], { selection, reviewItem: item.id }));
        if (!info) return;
        // The states the merge moved (this item, and any it made stale) before choosing the next.
        goToNext(ctx, await ctx.sync.review.refresh(), item.id);
      },
    },
    {
      id: 'review.reject',
      title: 'Reject suggested merge',
      keys: ['alt+x'],
      menu: 'Edit',
      section: 'suggestions',
      snippets: ['reject'],
      view: 'SuggestionsView',
      predicate: hasPending,
      perform: (ctx) => decide(ctx, 'reject'),
    },
    {
      id: 'review.skip',
      title: 'Skip suggested merge (offer it again later)',
      keys: ['alt+j'],
      menu: 'Edit',
      section: 'suggestions',
      snippets: ['skip'],
      view: 'SuggestionsView',
      predicate: hasPending,
      perform: (ctx) => decide(ctx, 'skip'),
    },
    {
      id: 'review.nextPending',
      title: 'Next pending suggestion',
      keys: ['alt+q'],
      menu: 'Select',
      section: 'suggestions',
      snippets: ['next_pending'],
      view: 'SuggestionsView',
      predicate: hasDataset,
      perform(ctx) {
        const s = ctx.store.getState();
        goToNext(ctx, s.review.list, s.review.current);
      },
    },
    {
      id: 'review.reopen',
      title: 'Reopen suggestion (back to pending)',
      menu: 'Edit',
      section: 'suggestions',
      snippets: ['reopen'],
      view: 'SuggestionsView',
      predicate: (s) => s.dataset !== null && s.review.current !== null,
      async perform(ctx) {
        const id = ctx.store.getState().review.current;
        if (!id) return;
        ctx.sync.review.commit(await ctx.backend.review.decide(id, 'reset'));
      },
    },
    {
      id: 'file.openCuration',
      title: 'Open curation.json…',
      menu: 'File',
      snippets: ['open_curation'],
      snippetArgs: '[path]',
      predicate: hasDataset,
      async perform(ctx, args) {
        const s = ctx.store.getState();
        let file: string | null = args.join(' ') || null;
        if (!file) {
          file = await ctx.prompt('Open a SpikeInterface curation.json: its merges join the review queue (SuggestionsView)', { initial: curationJsonBeside(s.dataset!.path) });
          if (file === null || !file.trim()) return;
        }
        const r = await ctx.backend.review.import(file.trim());
        await ctx.sync.review.refresh();
        ctx.toast(r.messages.length ? 'warning' : 'info', `${r.proposals} merge proposal${r.proposals === 1 ? '' : 's'} read from ${r.file}${r.messages.length ? `; ${r.messages.length} skipped: ${r.messages.join(' ')}` : ''}`);
        ctx.layout?.open('SuggestionsView');
      },
    },
  ];
}
