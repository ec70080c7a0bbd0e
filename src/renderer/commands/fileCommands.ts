/** The File menu's commands. */
import type { SiCurationImportResult } from '../../shared/ipc/contract';
import type { Command } from '../store/Command';
import { runOp } from '../store/runOp';
import { hasDataset } from './predicates';

/** `curation.json` in the dataset's folder (beside a `.kwik`, `.nwb` or `params.py`): where a curation file is first looked for. */
export function curationJsonBeside(datasetPath: string): string {
  return `${datasetPath.replace(/[\\/][^\\/]*\.(kwik|nwb|py)$/i, '').replace(/[\\/]$/, '')}/curation.json`;
}

/** The first `max` items, then how many more. */
function some(items: readonly string[], sep: string, max = 5): string {
  return items.length > max ? `${items.slice(0, max).join(sep)}${sep}and ${items.length - max} more` : items.join(sep);
}

/** The toast of an import: the actions applied (the first few), then each skipped entry and why. */
export function siCurationImportText(r: SiCurationImportResult): string {
  const n = r.applied.length;
  const head = `${n} action${n === 1 ? '' : 's'} applied from ${r.file}${n ? ` (${some(r.applied, '; ')}); ctrl+z undoes them one by one` : ''}`;
  return r.skipped.length ? `${head}. ${r.skipped.length} skipped: ${some(r.skipped, ' ')}` : head;
}

/** File: save. */
export function fileCommands(): Command[] {
  return [
    {
      id: 'file.save',
      title: 'Save',
      keys: ['ctrl+s'],
      menu: 'File',
      snippets: ['save'],
      predicate: hasDataset,
      async perform(ctx) {
        ctx.store.update((d) => {
          d.session.busy = true;
        }, { capture: 'none' });
        try {
          const r = await ctx.backend.session.save();
          ctx.store.update((d) => {
            d.session.dirty = false;
            d.session.lastSavedAt = r.savedAt;
          }, { capture: 'none' });
          const saved = `Saved ${r.files.length} file${r.files.length === 1 ? '' : 's'}: ${r.files.map((f) => f.split(/[\\/]/).pop()).join(', ')}`;
          ctx.toast(r.curationJsonSkipped ? 'warning' : 'info', r.curationJsonSkipped ? `${saved}; curation.json not written: ${r.curationJsonSkipped}` : saved);
        } finally {
          ctx.store.update((d) => {
            d.session.busy = false;
          }, { capture: 'none' });
        }
      },
    },
    {
      id: 'file.importSiCuration',
      title: 'Import SpikeInterface curation…',
      menu: 'File',
      snippets: ['import_curation'],
      snippetArgs: '[path]',
      predicate: hasDataset,
      async perform(ctx, args) {
        const given = args.join(' ') || (await ctx.prompt("Import a SpikeInterface curation.json (format 1 or 2, in the sorting's unit ids): its labels, merges and splits are applied as undoable actions", { initial: curationJsonBeside(ctx.store.getState().dataset!.path) }));
        const file = given?.trim();
        if (!file) return;
        let result: SiCurationImportResult | null = null;
        await runOp(ctx, async () => {
          result = await ctx.backend.session.importSiCuration(file);
          return null;
        });
        const r = result as SiCurationImportResult | null;
        if (r) ctx.toast(r.skipped.length ? 'warning' : 'info', siCurationImportText(r));
      },
    },
  ];
}
