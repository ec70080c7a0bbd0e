/**
 * The native menu bar of the Electron app: when the preload bridge (`window.spikedock`) exists,
 * the renderer sends its menu commands with `setMenu` (again whenever keys, predicates or
 * toggles change) and runs the ids main sends back on `spikedock:command.run`; the HTML menu bar
 * is then hidden. The keyboard stays handled by the renderer (menus only show the shortcuts).
 */
import { useEffect } from 'react';
import { COMMAND_RUN_CHANNEL, type MenuCommandSpec, type SpikedockBridge } from '../../shared/ipc/bridge';
import type { CommandContext } from '../store/Command';
import type { CommandRegistry } from '../commands/CommandRegistry';
import type { AppState } from '../store/AppState';
import type { AppStore } from '../store/appStore';

/** The part of the bridge the menu needs. */
export type MenuBridge = Pick<SpikedockBridge, 'setMenu' | 'on'>;

/** main's limits on a menu item (electron/menuSpec.ts): longer items would reject the whole menu. */
const ID_RE = /^[A-Za-z][\w-]*(\.[\w-]+)+$/;
const MAX_TEXT = 100;
const MAX_KEYS = 8;
const MAX_KEY_LENGTH = 40;

/** The preload bridge of this window when it can carry a menu, else null (browser mode). */
export function menuBridge(): MenuBridge | null {
  const b = (globalThis as { spikedock?: Partial<MenuBridge> }).spikedock;
  return b && typeof b.setMenu === 'function' && typeof b.on === 'function' ? (b as MenuBridge) : null;
}

/**
 * The registry's menu commands (with a `menu`, not `hidden`) as {@link MenuCommandSpec}s, in
 * registry order: effective keys (user remaps included), `enabled` from the predicate and
 * `checked` from toggles, evaluated on `state`.
 */
export function menuCommandSpecs(registry: Pick<CommandRegistry, 'list' | 'keysOf'>, state: AppState): MenuCommandSpec[] {
  const out: MenuCommandSpec[] = [];
  for (const c of registry.list()) {
    if (!c.menu || c.hidden || !ID_RE.test(c.id) || c.id.length > MAX_TEXT) continue;
    const spec: MenuCommandSpec = { id: c.id, title: c.title.slice(0, MAX_TEXT), menu: c.menu, enabled: c.predicate ? c.predicate(state) : true };
    if (c.section) spec.section = c.section.slice(0, MAX_TEXT);
    const keys = registry.keysOf(c.id).filter((k) => k.length <= MAX_KEY_LENGTH).slice(0, MAX_KEYS);
    if (keys.length) spec.keys = keys;
    if (c.checked) spec.checked = c.checked(state);
    out.push(spec);
  }
  return out;
}

const RESEND_DEBOUNCE_MS = 150;

/**
 * Keeps the native menu in step with the registry and the store, and runs menu clicks. Does
 * nothing without a bridge.
 */
export function useNativeMenu(bridge: MenuBridge | null, registry: CommandRegistry, store: AppStore, context: CommandContext): void {
  useEffect(() => {
    if (!bridge) return;
    let last = '';
    let timer: ReturnType<typeof setTimeout> | null = null;
    const send = () => {
      timer = null;
      const specs = menuCommandSpecs(registry, store.getState());
      const json = JSON.stringify(specs);
      if (json === last) return;
      last = json;
      bridge.setMenu(specs);
    };
    const schedule = () => {
      if (timer === null) timer = setTimeout(send, RESEND_DEBOUNCE_MS);
    };
    send();
    const offRegistry = registry.subscribe(schedule);
    const offStore = store.subscribe(schedule);
    const offRun = bridge.on(COMMAND_RUN_CHANNEL, (id) => {
      if (typeof id === 'string') void registry.run(id, context);
    });
    return () => {
      if (timer !== null) clearTimeout(timer);
      offRegistry();
      offStore();
      offRun();
    };
  }, [bridge, registry, store, context]);
}
