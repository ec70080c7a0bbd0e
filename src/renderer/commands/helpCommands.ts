/** The Help menu's commands. */
import type { Command } from '../store/Command';

/** Help. */
export function helpCommands(): Command[] {
  return [
    {
      id: 'help.shortcuts',
      title: 'Keyboard shortcuts',
      keys: ['h', 'f1'],
      menu: 'Help',
      snippets: ['help'],
      perform(ctx) {
        ctx.store.update((d) => {
          d.ui.overlay = d.ui.overlay === 'help' ? null : 'help';
        }, { capture: 'none' });
      },
    },
    {
      id: 'help.palette',
      title: 'Command palette',
      keys: ['ctrl+shift+p'],
      menu: 'Help',
      perform(ctx) {
        ctx.store.update((d) => {
          d.ui.overlay = d.ui.overlay === 'palette' ? null : 'palette';
        }, { capture: 'none' });
      },
    },
    {
      id: 'help.snippet',
      title: 'Snippet mode (:)',
      keys: [':'],
      menu: 'Help',
      perform(ctx) {
        ctx.store.update((d) => {
          d.ui.overlay = 'snippet';
          d.ui.snippetInitial = '';
        }, { capture: 'none' });
      },
    },
    {
      id: 'help.about',
      title: 'About spikedock',
      keys: ['?'],
      menu: 'Help',
      async perform(ctx) {
        const v = await ctx.backend.app.version();
        const ds = ctx.store.getState().dataset;
        ctx.toast('info', `spikedock ${v}${ds ? ` — ${ds.name}: ${ds.rawStatus}` : ''}`);
      },
    },
  ];
}
