/**
 * The clean-up tools' commands (#14; docs/VIEWS.md "Clean-up tools"): the amplitude-threshold
 * split (AmplitudeView's alt + right-drag runs it with the line's amplitude), "Remove outliers…"
 * and "Remove duplicate spikes". Each asks the backend for a split proposal (`propose` in
 * proposalCommands.ts): its parts are shown in the views, `k` accepts, escape leaves it.
 */
import type { AmplitudeKind } from '../../shared/ipc/contract';
import { OUTLIER_DEFAULTS } from '../../core/cleanup/outliers';
import { DUPLICATE_DEFAULTS } from '../../core/cleanup/duplicates';
import type { AppState } from '../store/AppState';
import type { Command, CommandContext } from '../store/Command';
import { hasSelection } from './predicates';
import { propose } from './proposalCommands';

/** The real clusters the tools work on: the selected ones, then the similar ones. */
const selection = (s: AppState) => [...s.selection.clusterIds, ...s.selection.similarIds];

/** A number argument, or the answer to a prompt when there is none; null when cancelled. */
async function numberArg(ctx: CommandContext, args: string[], title: string, initial: string): Promise<number | null> {
  const text = args.length ? args[0] : await ctx.prompt(title, { initial });
  if (text === null) return null;
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(v)) throw new Error(`${title}: "${text}" is not a number`);
  return v;
}

export function cleanupCommands(): Command[] {
  return [
    {
      id: 'cleanup.thresholdSplit',
      title: 'Split by amplitude threshold…',
      menu: 'Edit',
      section: 'cleanup',
      snippets: ['threshold'],
      snippetArgs: '<amplitude> [template|feature] [channel pc]',
      predicate: hasSelection,
      async perform(ctx, args) {
        const c = selection(ctx.store.getState())[0];
        if (c === undefined) return;
        const threshold = await numberArg(ctx, args, `Split cluster ${c}: the spikes below the amplitude`, '');
        if (threshold === null) return;
        const amplitudeKind = (args[1] ?? 'template') as AmplitudeKind;
        if (amplitudeKind !== 'template' && amplitudeKind !== 'feature') throw new Error(`:threshold: the amplitude type is template or feature, not ${args[1]}`);
        const feature = amplitudeKind === 'feature' && args.length >= 4 ? { feature: { channelId: Number(args[2]), pc: Number(args[3]) } } : {};
        await propose(ctx, { kind: 'amplitudeThreshold', clusterId: c, amplitudeKind, threshold, ...feature });
      },
    },
    {
      id: 'cleanup.removeOutliers',
      title: 'Remove outliers…',
      menu: 'Edit',
      section: 'cleanup',
      snippets: ['outliers'],
      snippetArgs: '[quantile, e.g. 0.999]',
      predicate: hasSelection,
      async perform(ctx, args) {
        const c = selection(ctx.store.getState())[0];
        if (c === undefined) return;
        const quantile = await numberArg(ctx, args, `Outliers of cluster ${c}: χ² quantile of the Mahalanobis distance`, String(OUTLIER_DEFAULTS.quantile));
        if (quantile === null) return;
        if (!(quantile > 0 && quantile < 1)) throw new Error(`Remove outliers: the quantile is between 0 and 1 (e.g. 0.999), not ${quantile}`);
        await propose(ctx, { kind: 'outliers', clusterId: c, quantile });
      },
    },
    {
      id: 'cleanup.removeDuplicates',
      title: 'Remove duplicate spikes',
      menu: 'Edit',
      section: 'cleanup',
      snippets: ['duplicates'],
      snippetArgs: '[interval in ms, default 0.2]',
      predicate: hasSelection,
      async perform(ctx, args) {
        // One cluster: its own double detections; two: the second's spikes that are the first's.
        const ids = selection(ctx.store.getState()).slice(0, 2);
        if (!ids.length) return;
        const intervalMs = args.length ? Number(args[0]) : DUPLICATE_DEFAULTS.intervalMs;
        if (!(intervalMs >= 0 && intervalMs <= 10)) throw new Error(`:duplicates ${args[0]}: the interval is 0–10 ms`);
        await propose(ctx, { kind: 'duplicates', clusterIds: ids, intervalMs });
      },
    },
  ];
}
