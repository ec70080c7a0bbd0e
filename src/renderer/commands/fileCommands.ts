/** The File menu's commands. */
import type { Command } from '../store/Command';
import { hasDataset } from './predicates';

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
          ctx.toast('info', `Saved ${r.files.length} file${r.files.length === 1 ? '' : 's'}: ${r.files.map((f) => f.split(/[\\/]/).pop()).join(', ')}`);
        } finally {
          ctx.store.update((d) => {
            d.session.busy = false;
          }, { capture: 'none' });
        }
      },
    },
  ];
}
