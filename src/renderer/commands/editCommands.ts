/** The Edit menu's commands: merge, split, labels (phy's move shortcuts), review, undo/redo. */
import type { AppState } from '../store/AppState';
import { runOp } from '../store/runOp';
import type { Command, CommandContext } from '../store/Command';
import { parseIdList } from './snippets';
import { wizardNextMove } from './wizard';
import { hasDataset, hasSelection } from './predicates';
import { select, selectMove, similarReady } from './selectCommands';
import { commitProposal } from './proposalCommands';

const GROUPS = ['good', 'mua', 'noise', 'unsorted'] as const;
type Which = 'best' | 'similar' | 'all';

function actionContext(s: AppState) {
  return { selection: { clusterIds: [...s.selection.clusterIds], similarIds: [...s.selection.similarIds] } };
}

/** Labels best / similar / all selected clusters with `group`, then moves on like phy. */
async function moveTo(ctx: CommandContext, group: string, which: Which): Promise<void> {
  const s = ctx.store.getState();
  const ids = which === 'best' ? s.selection.clusterIds : which === 'similar' ? s.selection.similarIds : [...s.selection.clusterIds, ...s.selection.similarIds];
  if (ids.length === 0) {
    ctx.toast('info', which === 'similar' ? 'No similar cluster selected' : 'No cluster selected');
    return;
  }
  const info = await runOp(ctx, () => ctx.backend.session.label([...ids], 'group', group, actionContext(s)));
  if (!info) return;
  // phy's auto-advance: best → next best; similar → next similar; all → next best.
  if (which === 'similar') await similarReady(ctx);
  const st = ctx.store.getState();
  const move = wizardNextMove(st, which === 'similar' ? 'nextSimilar' : 'nextBest');
  if (move) selectMove(ctx, move);
  else select(ctx, which === 'similar' ? { clusterIds: st.selection.clusterIds, similarIds: [] } : null);
}

function moveCommands(): Command[] {
  const out: Command[] = [];
  const prefix: Record<Which, string> = { best: 'alt', similar: 'ctrl', all: 'ctrl+alt' };
  for (const which of ['best', 'similar', 'all'] as const) {
    for (const group of GROUPS) {
      out.push({
        id: `cluster.move${which[0].toUpperCase()}${which.slice(1)}To${group[0].toUpperCase()}${group.slice(1)}`,
        title: `Move ${which === 'all' ? 'all selected' : which} to ${group}`,
        keys: [`${prefix[which]}+${group[0]}`],
        menu: 'Edit',
        section: `move-${which}`,
        snippets: [`move_${which}_to_${group}`],
        predicate: hasSelection,
        perform: (ctx) => moveTo(ctx, group, which),
      });
    }
  }
  return out;
}

/** Edit. */
export function editCommands(): Command[] {
  return [
    {
      id: 'cluster.merge',
      title: 'Merge selected clusters',
      keys: ['g'],
      menu: 'Edit',
      section: 'clustering',
      snippets: ['g', 'merge'],
      snippetArgs: '[id…]',
      predicate: hasDataset,
      async perform(ctx, args) {
        const s = ctx.store.getState();
        const ids = args.length ? parseIdList(args) : [...s.selection.clusterIds, ...s.selection.similarIds];
        if (ids.length < 2) {
          ctx.toast('info', 'Select at least two clusters to merge');
          return;
        }
        await runOp(ctx, () => ctx.backend.session.merge(ids, actionContext(s)));
      },
    },
    {
      id: 'cluster.split',
      title: 'Split by lasso, or accept the proposal',
      keys: ['k'],
      menu: 'Edit',
      section: 'clustering',
      snippets: ['k', 'split'],
      predicate: hasDataset,
      async perform(ctx) {
        // A split proposal shown (re-cluster, outliers, …): k accepts it, as one action.
        if (await commitProposal(ctx)) return;
        const s = ctx.store.getState();
        const lasso = s.lasso;
        if (!lasso || lasso.polygon.length < 6) {
          ctx.toast('info', 'Draw a lasso first: ctrl+click around spikes in FeatureView or AmplitudeView, then press k');
          return;
        }
        const info = await runOp(ctx, () =>
          ctx.backend.session.split({ kind: 'lasso', clusterIds: [...lasso.clusterIds], x: lasso.x, y: lasso.y, polygon: lasso.polygon }, actionContext(s)),
        );
        if (info) {
          ctx.store.update((d) => {
            d.lasso = null;
          }, { capture: 'none' });
        }
      },
    },
    {
      id: 'cluster.label',
      title: 'Label selected clusters…',
      keys: ['l'],
      menu: 'Edit',
      section: 'clustering',
      snippets: ['l', 'label'],
      snippetArgs: '<name> <value>',
      predicate: hasSelection,
      async perform(ctx, args) {
        let parts = args;
        if (parts.length === 0) {
          const text = await ctx.prompt('Label selected clusters: name value', { placeholder: 'e.g. quality 3   or   cell_type pyramidal' });
          if (text === null) return;
          parts = text.trim().split(/\s+/);
        }
        const [name, ...rest] = parts;
        if (!name || rest.length === 0) {
          ctx.toast('warning', 'A label needs a name and a value, e.g. "quality 3"');
          return;
        }
        const raw = rest.join(' ');
        const value = raw === 'null' ? null : Number.isFinite(Number(raw)) ? Number(raw) : raw;
        const s = ctx.store.getState();
        const ids = [...s.selection.clusterIds, ...s.selection.similarIds];
        await runOp(ctx, () => ctx.backend.session.label(ids, name, value, actionContext(s)));
      },
    },
    {
      id: 'cluster.move',
      title: 'Move clusters to a group',
      snippets: ['move'],
      snippetArgs: '<group> [best|similar|all]',
      hidden: true,
      async perform(ctx, args) {
        const [group, which = 'all'] = args;
        if (!group) throw new Error(':move needs a group, e.g. `:move good all`');
        if (which !== 'best' && which !== 'similar' && which !== 'all') throw new Error(`:move: '${which}' must be best, similar or all`);
        await moveTo(ctx, group, which);
      },
    },
    {
      id: 'cluster.markReviewed',
      title: 'Mark selected as reviewed',
      menu: 'Edit',
      section: 'review',
      snippets: ['reviewed'],
      predicate: hasSelection,
      async perform(ctx) {
        const s = ctx.store.getState();
        await runOp(ctx, () => ctx.backend.session.markReviewed([...s.selection.clusterIds, ...s.selection.similarIds], true));
      },
    },
    {
      id: 'edit.undo',
      title: 'Undo',
      keys: ['ctrl+z'],
      menu: 'Edit',
      section: 'history',
      snippets: ['undo'],
      predicate: hasDataset,
      async perform(ctx) {
        const info = await runOp(ctx, () => ctx.backend.session.undo());
        if (!info) ctx.toast('info', 'Nothing to undo');
      },
    },
    {
      id: 'edit.redo',
      title: 'Redo',
      keys: ['ctrl+shift+z', 'ctrl+y'],
      menu: 'Edit',
      section: 'history',
      snippets: ['redo'],
      predicate: hasDataset,
      async perform(ctx) {
        const info = await runOp(ctx, () => ctx.backend.session.redo());
        if (!info) ctx.toast('info', 'Nothing to redo');
      },
    },
    ...moveCommands(),
  ];
}
