/** Selection and the wizard (phy's shortcuts): best/similar navigation, selection by id, sort. */
import type { Selection } from '../store/AppState';
import { clusterColumns } from '../store/clusterColumns';
import type { Command, CommandContext } from '../store/Command';
import { parseIdList } from './snippets';
import type { WizardAction } from '../../core/session/wizard';
import { nextUnreviewed, wizardDirectionOf, wizardNextMove } from './wizard';
import { hasDataset } from './predicates';

/** Resolves once the similar list matches the last selected best cluster (or after 5 s). */
export function similarReady(ctx: CommandContext): Promise<void> {
  const ready = () => {
    const s = ctx.store.getState();
    const best = s.selection.clusterIds[s.selection.clusterIds.length - 1];
    return best === undefined || (s.similar.clusterId === best && !s.similar.loading);
  };
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, 5000);
    const unsubscribe = ctx.store.subscribe(() => {
      if (ready()) done();
    });
    function done() {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
}

/** Selects `sel` (a `select.*` write, through SessionSync), or says `endMessage` when there is nothing to select. */
export function select(ctx: CommandContext, sel: Selection | null, endMessage?: string, wizardNote: string | null = null): void {
  if (sel) ctx.sync.select(sel, wizardNote);
  else if (endMessage) ctx.toast('info', endMessage);
}

/** Selects a wizard move's selection, with its note on what it skipped. */
export function selectMove(ctx: CommandContext, move: { selection: Selection; note: string | null } | null, endMessage?: string): void {
  select(ctx, move?.selection ?? null, endMessage, move?.note ?? null);
}

async function wizardMove(ctx: CommandContext, action: WizardAction, endMessage?: string): Promise<void> {
  const direction = wizardDirectionOf(action);
  if (direction && direction !== ctx.store.getState().wizardDirection) ctx.store.update((d) => void (d.wizardDirection = direction), { capture: 'none' });
  if (action === 'nextSimilar' || action === 'previousSimilar' || action === 'selectFirstNSimilar') await similarReady(ctx);
  selectMove(ctx, wizardNextMove(ctx.store.getState(), action), endMessage);
}

/** Select (wizard). */
export function selectCommands(): Command[] {
  return [
    {
      id: 'wizard.next',
      title: 'Next similar cluster',
      keys: ['space'],
      menu: 'Select',
      section: 'similar',
      snippets: ['next'],
      predicate: hasDataset,
      perform: (ctx) => wizardMove(ctx, 'nextSimilar', 'No more similar clusters'),
    },
    {
      id: 'wizard.previous',
      title: 'Previous similar cluster',
      keys: ['shift+space'],
      menu: 'Select',
      section: 'similar',
      snippets: ['previous'],
      predicate: hasDataset,
      perform: (ctx) => wizardMove(ctx, 'previousSimilar'),
    },
    {
      id: 'wizard.nextBest',
      title: 'Next best cluster',
      keys: ['down'],
      menu: 'Select',
      section: 'best',
      snippets: ['next_best'],
      predicate: hasDataset,
      perform: (ctx) => wizardMove(ctx, 'nextBest', 'Last cluster reached'),
    },
    {
      id: 'wizard.previousBest',
      title: 'Previous best cluster',
      keys: ['up'],
      menu: 'Select',
      section: 'best',
      snippets: ['previous_best'],
      predicate: hasDataset,
      perform: (ctx) => wizardMove(ctx, 'previousBest', 'First cluster reached'),
    },
    {
      id: 'wizard.first',
      title: 'First cluster',
      keys: ['home'],
      menu: 'Select',
      section: 'best',
      snippets: ['first'],
      predicate: hasDataset,
      perform: (ctx) => wizardMove(ctx, 'first'),
    },
    {
      id: 'wizard.last',
      title: 'Last cluster',
      keys: ['end'],
      menu: 'Select',
      section: 'best',
      snippets: ['last'],
      predicate: hasDataset,
      perform: (ctx) => wizardMove(ctx, 'last'),
    },
    {
      id: 'wizard.selectFirstSimilar',
      title: 'Select the first N similar clusters',
      keys: ['ctrl+space'],
      menu: 'Select',
      section: 'similar',
      snippets: ['select_first_similar'],
      predicate: (s) => s.selection.clusterIds.length > 0,
      perform: (ctx) => wizardMove(ctx, 'selectFirstNSimilar'),
    },
    {
      id: 'wizard.unselectSimilar',
      title: 'Unselect similar clusters',
      keys: ['backspace'],
      menu: 'Select',
      section: 'similar',
      snippets: ['unselect_similar'],
      predicate: (s) => s.selection.similarIds.length > 0,
      perform: (ctx) => wizardMove(ctx, 'unselectSimilar'),
    },
    {
      id: 'wizard.reset',
      title: 'Reset wizard',
      keys: ['ctrl+alt+space'],
      menu: 'Select',
      section: 'best',
      snippets: ['reset_wizard', 'reset'],
      predicate: hasDataset,
      perform: (ctx) => wizardMove(ctx, 'reset'),
    },
    {
      id: 'wizard.nextUnreviewed',
      title: "Next cluster left to review",
      menu: 'Select',
      section: 'review',
      snippets: ['next_unreviewed', 'left'],
      predicate: hasDataset,
      perform: (ctx) => select(ctx, nextUnreviewed(ctx.store.getState()), 'Every cluster has been reviewed'),
    },
    {
      id: 'select.clusters',
      title: 'Select clusters by id',
      snippets: ['c', 'select'],
      snippetArgs: '<id> [id…]   (3-6 = range, 1,2,3 = list)',
      hidden: true,
      perform(ctx, args) {
        const ids = parseIdList(args);
        const known = new Set(ctx.store.getState().clusters.map((c) => c.id));
        const missing = ids.filter((id) => !known.has(id));
        if (missing.length) ctx.toast('warning', `No cluster ${missing.join(', ')}`);
        ctx.sync.select({ clusterIds: ids.filter((id) => known.has(id)), similarIds: [] });
      },
    },
    {
      id: 'select.skipNoiseMua',
      title: 'Skip noise and MUA while navigating',
      menu: 'Select',
      section: 'options',
      snippets: ['skip_noise_and_mua'],
      checked: (s) => s.ui.skipNoiseMua,
      perform(ctx) {
        ctx.store.update((d) => {
          d.ui.skipNoiseMua = !d.ui.skipNoiseMua;
        }, { capture: 'none' });
      },
    },
    {
      id: 'select.similarTemplatesOrder',
      title: "Order similar clusters by phy's similar_templates (not by suggestion score)",
      menu: 'Select',
      section: 'options',
      snippets: ['similar_templates_order'],
      checked: (s) => s.ui.similarOrder === 'similarity',
      perform(ctx) {
        ctx.store.update((d) => {
          d.ui.similarOrder = d.ui.similarOrder === 'similarity' ? 'suggestion' : 'similarity';
        }, { capture: 'none' });
      },
    },
    {
      id: 'select.nSimilar',
      title: 'Number of similar clusters for ctrl+space…',
      menu: 'Select',
      section: 'options',
      snippets: ['select_n_similar'],
      snippetArgs: '<n>',
      async perform(ctx, args) {
        const text = args[0] ?? (await ctx.prompt('Select first N similar: N', { initial: String(ctx.store.getState().ui.nSimilar) }));
        if (text === null) return;
        const n = Math.round(Number(text));
        if (!Number.isFinite(n) || n < 1) throw new Error(`'${text}' is not a positive number`);
        ctx.store.update((d) => {
          d.ui.nSimilar = n;
        }, { capture: 'none' });
      },
    },
    {
      id: 'filter.set',
      title: 'Filter clusters…',
      menu: 'Select',
      section: 'table',
      snippets: ['f', 'filter'],
      snippetArgs: '<expression>',
      async perform(ctx, args) {
        const text = args.length ? args.join(' ') : await ctx.prompt('Filter clusters', { placeholder: "n_spikes > 1000 && group != 'noise'", initial: ctx.store.getState().filter.text });
        if (text === null) return;
        ctx.store.update((d) => {
          d.filter.text = text;
        }, { capture: 'none' });
      },
    },
    {
      id: 'filter.clear',
      title: 'Clear filter',
      keys: ['esc'],
      menu: 'Select',
      section: 'table',
      snippets: ['clear_filter'],
      predicate: (s) => s.filter.text !== '' || s.lasso !== null,
      perform(ctx) {
        ctx.store.update((d) => {
          if (d.filter.text !== '') d.filter.text = '';
          else d.lasso = null;
        }, { capture: 'none' });
      },
    },
    {
      id: 'sort.by',
      title: 'Sort clusters by a column',
      snippets: ['s', 'sort'],
      snippetArgs: '<column> [asc|desc]',
      hidden: true,
      perform(ctx, args) {
        const [column, dir] = args;
        const s = ctx.store.getState();
        const names = clusterColumns(s.session.labelColumns).map((c) => c.name);
        const found = names.find((n) => n === column) ?? names.find((n) => n.toLowerCase() === column?.toLowerCase());
        if (!found) throw new Error(`:s needs a column: ${names.join(', ')}`);
        ctx.store.update((d) => {
          d.sort = { column: found, direction: dir === 'asc' || dir === 'desc' ? dir : found === 'id' ? 'asc' : 'desc' };
        }, { capture: 'none' });
      },
    },
  ];
}
