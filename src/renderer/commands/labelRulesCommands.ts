/**
 * Edit → Label by rules…: opens the rules dialog (its counts are the preview), and the action it
 * runs: the active rule set's labels applied as ONE journaled, undoable session action
 * (`session.applyLabels`; one undo restores every previous group).
 */
import type { Command } from '../store/Command';
import { loadSavedLabelRules, previewRuleLabels, qualityRowsOf } from '../store/labelRules';
import { runOp } from '../store/runOp';
import { hasDataset } from './predicates';

export function labelRulesCommands(): Command[] {
  return [
    {
      id: 'cluster.labelByRules',
      title: 'Label by rules…',
      // phy has no such action; alt+l is free (l is phy's custom label).
      keys: ['alt+l'],
      menu: 'Edit',
      section: 'review',
      snippets: ['rules'],
      predicate: hasDataset,
      async perform(ctx) {
        await loadSavedLabelRules(ctx.store, ctx.backend);
        ctx.store.update((d) => {
          d.ui.overlay = 'labelRules';
        }, { capture: 'none' });
      },
    },
    {
      id: 'cluster.applyLabelRules',
      title: 'Apply the label rules',
      snippets: ['applyrules'],
      snippetArgs: '[overwrite]',
      predicate: hasDataset,
      async perform(ctx, args) {
        const overwrite = args.includes('overwrite');
        const s = ctx.store.getState();
        const { rules, source } = s.labelRules;
        const preview = previewRuleLabels(rules, s.clusters, s.session.labelColumns, qualityRowsOf(s), overwrite);
        if (preview.clusterIds.length === 0) {
          ctx.toast('info', `The rules change no cluster${preview.kept ? ` (${preview.kept} already labelled; overwrite relabels them)` : ''}`);
          return;
        }
        const selection = { clusterIds: [...s.selection.clusterIds], similarIds: [...s.selection.similarIds] };
        const info = await runOp(ctx, () =>
          ctx.backend.session.applyLabels({ clusterIds: preview.clusterIds, values: preview.values, overwrite, source: rules.description ?? source, rules }, { selection }),
        );
        if (info) ctx.toast('info', `${info.description} (ctrl+z undoes it)`);
      },
    },
  ];
}
