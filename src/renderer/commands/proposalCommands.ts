/**
 * The split proposal's commands (clean-up tools, #14; decisions/0011): early vs late (`e`, a
 * key phy does not bind), re-cluster (`r`, as the issue asks: phy's `r` resets a focused plot,
 * here `shift+r` does) and escape to leave a proposal. `k` accepts a committable proposal —
 * that is `cluster.split` (editCommands.ts), which commits the proposal when one is shown and
 * falls back to the lasso split otherwise.
 *
 * A proposal is computed by the backend (`proposal.propose`) and comes back to the store as the
 * `onDidChangeProposal` event (store/proposalSync.ts); the views then show its parts in place of
 * their cluster (`viewClusterIds`). Committing is one journaled action, undone by ctrl+z.
 */
import type { ActionContext, ProposalKind, ProposalSpec } from '../../shared/ipc/contract';
import type { AppState } from '../store/AppState';
import type { Command, CommandContext } from '../store/Command';
import { runOp } from '../store/runOp';
import { proposalShown } from '../store/proposalSync';
import { hasSelection } from './predicates';

const hasProposal = (s: AppState) => s.proposal.current !== null;

function actionContext(s: AppState): ActionContext {
  return { selection: { clusterIds: [...s.selection.clusterIds], similarIds: [...s.selection.similarIds] } };
}

/**
 * Asks the backend for a proposal, marking the store busy with its kind meanwhile; the proposal
 * itself arrives through `onDidChangeProposal`. Errors become a toast naming the proposal.
 */
export async function propose(ctx: CommandContext, spec: ProposalSpec): Promise<void> {
  const kind: ProposalKind = spec.kind;
  ctx.store.update((d) => void (d.proposal.computing = kind), { capture: 'none' });
  try {
    await ctx.backend.proposal.propose(spec);
  } catch (e) {
    if (e instanceof Error && e.name === 'AbortError') return;
    ctx.toast('warning', e instanceof Error ? e.message : String(e));
  } finally {
    ctx.store.update((d) => {
      if (d.proposal.computing === kind) d.proposal.computing = null;
    }, { capture: 'none' });
  }
}

/**
 * Commits the shown proposal as one action (`k`); false when there is none to commit (then `k`
 * is the lasso split). A view-only proposal (early vs late) is not committed: says so.
 */
export async function commitProposal(ctx: CommandContext): Promise<boolean> {
  const s = ctx.store.getState();
  const p = s.proposal.current;
  // Only what the views show (proposalSync leaves a proposal whose clusters are unselected).
  if (!p || !proposalShown(s)) return false;
  if (!p.committable) {
    if (s.lasso) return false;
    ctx.toast('info', `${p.summary}: a view only, nothing to accept (escape leaves it)`);
    return true;
  }
  await runOp(ctx, () => ctx.backend.proposal.commit(p.id, actionContext(s)));
  return true;
}

/** The selection's real clusters an epochs proposal shows (the first 4: 16 parts at most). */
function epochClusters(s: AppState): number[] {
  return [...s.selection.clusterIds, ...s.selection.similarIds].slice(0, 4);
}

export function proposalCommands(): Command[] {
  return [
    {
      id: 'proposal.epochs',
      title: 'Early vs late (toggle)',
      keys: ['e'],
      menu: 'Edit',
      section: 'proposal',
      snippets: ['epochs'],
      snippetArgs: '[2–4 epochs]',
      predicate: (s) => hasSelection(s) || s.proposal.current?.kind === 'epochs',
      checked: (s) => s.proposal.current?.kind === 'epochs',
      async perform(ctx, args) {
        const s = ctx.store.getState();
        const n = args.length ? Number(args[0]) : undefined;
        if (n !== undefined && !(Number.isInteger(n) && n >= 2 && n <= 4)) throw new Error(`:epochs ${args[0]}: the number of epochs is 2, 3 or 4`);
        // The toggle: off when early vs late is shown (unless a new count is asked for).
        if (s.proposal.current?.kind === 'epochs' && n === undefined) {
          await ctx.backend.proposal.cancel();
          return;
        }
        const ids = epochClusters(s);
        if (!ids.length) {
          ctx.toast('info', 'Select a cluster first: early vs late shows it in consecutive time epochs');
          return;
        }
        await propose(ctx, { kind: 'epochs', clusterIds: ids, ...(n !== undefined ? { n } : {}) });
      },
    },
    {
      id: 'proposal.recluster',
      title: 'Re-cluster the selected cluster',
      keys: ['r'],
      menu: 'Edit',
      section: 'proposal',
      snippets: ['recluster'],
      snippetArgs: '[parts 1–6]',
      predicate: hasSelection,
      async perform(ctx, args) {
        const s = ctx.store.getState();
        const n = args.length ? Number(args[0]) : undefined;
        if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 6)) throw new Error(`:recluster ${args[0]}: the number of parts is 1 to 6`);
        const clusterId = s.selection.clusterIds[0] ?? s.selection.similarIds[0];
        if (clusterId === undefined) {
          ctx.toast('info', 'Select a cluster to re-cluster');
          return;
        }
        await propose(ctx, { kind: 'recluster', clusterId, ...(n !== undefined ? { n } : {}) });
      },
    },
    {
      id: 'proposal.cancel',
      title: 'Leave the proposal (nothing changes)',
      keys: ['esc'],
      menu: 'Edit',
      section: 'proposal',
      snippets: ['cancel_proposal'],
      predicate: hasProposal,
      async perform(ctx) {
        await ctx.backend.proposal.cancel();
      },
    },
  ];
}
