/**
 * The one global keydown handler: maps a key combination to the best command (focused view's,
 * then global, then other views') and runs it. Commands run one after another (a label then
 * "next" always sees the label's result). Text fields keep their keys, except F1, ctrl+s and
 * ctrl+shift+p; overlays (help, palette, prompt) handle their own keys.
 */
import { useEffect } from 'react';
import type { CommandContext } from '../store/Command';
import type { CommandRegistry } from './CommandRegistry';
import { eventToKeys } from './keys';

const GLOBAL_IN_TEXT = new Set(['f1', 'ctrl+s', 'ctrl+shift+p']);

/** Menus whose commands may auto-repeat while a key is held (navigation, not edits). */
const REPEATABLE = new Set(['Select', 'View', undefined]);

export function isMacPlatform(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
}

export function useKeyboard(registry: CommandRegistry, context: CommandContext): void {
  useEffect(() => {
    const mac = isMacPlatform();
    let queue: Promise<unknown> = Promise.resolve();
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const keys = eventToKeys(e, mac);
      if (!keys) return;
      const state = context.store.getState();
      if (state.ui.overlay || state.ui.prompt) return;
      const target = e.target instanceof Element ? e.target : null;
      const editable = target?.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]');
      if (editable && !GLOBAL_IN_TEXT.has(keys)) return;
      const focusedView = target?.closest('[data-host-view]')?.getAttribute('data-host-view') ?? null;
      const cmd = registry.byKeys(keys, focusedView).find((c) => !c.predicate || c.predicate(state));
      if (!cmd) return;
      e.preventDefault();
      e.stopPropagation();
      if (e.repeat && !REPEATABLE.has(cmd.menu)) return;
      queue = queue.then(() => registry.run(cmd.id, context));
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [registry, context]);
}
