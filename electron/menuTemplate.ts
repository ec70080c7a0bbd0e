/**
 * The menu bar (File, Edit, Select, View, Help) built from the renderer's command registry, as a
 * pure function: main maps each item's `action` to a click handler. Commands keep their phy
 * shortcuts, shown next to the item but not registered as accelerators (`registerAccelerator:
 * false`), so the renderer's keyboard handling stays the one place a shortcut runs — a key never
 * fires a command twice.
 */
import type { RecentDataset } from '../src/shared/ipc/contract';
import type { MenuCommandSpec, MenuName } from '../src/shared/ipc/bridge';

/** What a click does; main turns it into a handler. */
export type MenuAction =
  | { type: 'command'; id: string }
  | { type: 'open-folder' }
  | { type: 'open-kwik' }
  | { type: 'open-recent'; path: string }
  | { type: 'new-window' }
  | { type: 'about' }
  | { type: 'docs' }
  | { type: 'logs' };

/** A menu item: a submenu, a separator, an Electron role, or an item with an action. */
export interface MenuNode {
  label?: string;
  type?: 'separator' | 'submenu' | 'checkbox';
  checked?: boolean;
  role?: string;
  accelerator?: string;
  registerAccelerator?: boolean;
  enabled?: boolean;
  action?: MenuAction;
  submenu?: MenuNode[];
}

export interface MenuTemplateInput {
  commands: readonly MenuCommandSpec[];
  recent: readonly RecentDataset[];
  platform: NodeJS.Platform;
  appName: string;
  /** Adds Reload and Developer Tools to View (when DevTools are allowed: security.ts `devToolsAllowed`). */
  isDev: boolean;
}

const TITLES: Record<MenuName, string> = { File: '&File', Edit: '&Edit', Select: '&Select', View: '&View', Help: '&Help' };
const SEP: MenuNode = { type: 'separator' };

/** Renderer commands the desktop menu replaces with a native item (About opens a dialog with versions and paths). */
export const NATIVE_COMMANDS: ReadonlySet<string> = new Set(['help.about']);

export function buildMenuTemplate(input: MenuTemplateInput): MenuNode[] {
  const mac = input.platform === 'darwin';
  const byMenu = (menu: MenuName) => commandItems(input.commands.filter((c) => c.menu === menu && !NATIVE_COMMANDS.has(c.id)));
  const recent: MenuNode[] = input.recent.length
    ? input.recent.slice(0, 10).map((r) => ({ label: `${r.name} — ${r.path}`, action: { type: 'open-recent', path: r.path } }))
    : [{ label: 'No Recent Datasets', enabled: false }];
  const about: MenuNode = { label: `About ${input.appName}`, action: { type: 'about' } };

  const file: MenuNode[] = joinSections([
    [
      { label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', action: { type: 'open-folder' } },
      { label: 'Open File…', accelerator: 'CmdOrCtrl+Shift+O', action: { type: 'open-kwik' } },
      { label: 'Open Recent', type: 'submenu', submenu: recent },
      { label: 'New Window', accelerator: 'CmdOrCtrl+Shift+N', action: { type: 'new-window' } },
    ],
    byMenu('File'),
    [mac ? { role: 'close' } : { label: 'Close Window', role: 'close' }],
    mac ? [] : [{ label: 'Quit', role: 'quit' }],
  ]);

  // Text editing (the cluster filter, label names) needs the clipboard roles; on macOS the menu is
  // the only way Cmd+C reaches a text field, elsewhere Chromium handles it natively.
  const clipboard: MenuNode[] = mac ? [{ role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] : [];
  const edit = joinSections([byMenu('Edit'), clipboard]);

  const view = joinSections([
    byMenu('View'),
    [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { role: 'togglefullscreen' }],
    input.isDev ? [{ role: 'reload' }, { role: 'toggleDevTools' }] : [],
  ]);

  const help = joinSections([
    byMenu('Help'),
    [
      { label: 'Documentation', action: { type: 'docs' } },
      { label: 'Open Logs Folder', action: { type: 'logs' } },
    ],
    mac ? [] : [about],
  ]);

  const menus: MenuNode[] = [];
  if (mac) {
    menus.push({
      label: input.appName,
      type: 'submenu',
      submenu: [about, SEP, { role: 'services' }, SEP, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, SEP, { role: 'quit' }],
    });
  }
  menus.push({ label: TITLES.File, type: 'submenu', submenu: file });
  menus.push({ label: TITLES.Edit, type: 'submenu', submenu: edit.length ? edit : [{ label: 'Nothing to Edit', enabled: false }] });
  const select = byMenu('Select');
  menus.push({ label: TITLES.Select, type: 'submenu', submenu: select.length ? select : [{ label: 'No Selection Commands', enabled: false }] });
  menus.push({ label: TITLES.View, type: 'submenu', submenu: view });
  if (mac) menus.push({ role: 'windowMenu' });
  menus.push({ label: TITLES.Help, type: 'submenu', role: mac ? 'help' : undefined, submenu: help });
  return menus.map(stripUndefined);
}

/** Commands of one menu, by section in first-seen order, sections separated by a line. */
function commandItems(commands: readonly MenuCommandSpec[]): MenuNode[] {
  const groups = new Map<string, MenuNode[]>();
  for (const c of commands) {
    const g = c.section ?? '';
    if (!groups.has(g)) groups.set(g, []);
    const accelerator = c.keys?.length ? toAccelerator(c.keys[0]) : undefined;
    groups.get(g)!.push({
      label: escapeMnemonic(c.title),
      action: { type: 'command', id: c.id },
      ...(accelerator ? { accelerator, registerAccelerator: false } : {}),
      ...(c.enabled === false ? { enabled: false } : {}),
      ...(c.checked !== undefined ? { type: 'checkbox' as const, checked: c.checked } : {}),
    });
  }
  return joinSections([...groups.values()]);
}

function joinSections(sections: MenuNode[][]): MenuNode[] {
  const out: MenuNode[] = [];
  for (const s of sections) {
    if (!s.length) continue;
    if (out.length) out.push(SEP);
    out.push(...s);
  }
  return out;
}

/** `&` marks a mnemonic in menu labels on Windows/Linux: a literal one is written `&&`. */
function escapeMnemonic(title: string): string {
  return title.replace(/&/g, '&&');
}

function stripUndefined(node: MenuNode): MenuNode {
  const out: MenuNode = {};
  for (const [k, v] of Object.entries(node)) if (v !== undefined) (out as Record<string, unknown>)[k] = k === 'submenu' ? (v as MenuNode[]).map(stripUndefined) : v;
  return out;
}

const KEY_NAMES: Record<string, string> = {
  space: 'Space',
  enter: 'Enter',
  return: 'Enter',
  esc: 'Escape',
  escape: 'Escape',
  tab: 'Tab',
  backspace: 'Backspace',
  del: 'Delete',
  delete: 'Delete',
  insert: 'Insert',
  home: 'Home',
  end: 'End',
  pgup: 'PageUp',
  pageup: 'PageUp',
  pgdown: 'PageDown',
  pagedown: 'PageDown',
  up: 'Up',
  arrowup: 'Up',
  down: 'Down',
  arrowdown: 'Down',
  left: 'Left',
  arrowleft: 'Left',
  right: 'Right',
  arrowright: 'Right',
  plus: 'Plus',
  minus: '-',
};
const MODIFIERS: Record<string, string> = {
  ctrl: 'CmdOrCtrl',
  control: 'CmdOrCtrl',
  alt: 'Alt',
  option: 'Alt',
  shift: 'Shift',
  mod: 'CmdOrCtrl',
  cmdorctrl: 'CmdOrCtrl',
  meta: 'Super',
  cmd: 'Cmd',
  command: 'Cmd',
  super: 'Super',
};

/**
 * An Electron accelerator for a shortcut in the registry's canonical form (phy's notation:
 * `ctrl+shift+z`, `alt+g`, `pgdown`, `esc`, `space`, `f1`, `?`, `ctrl++`), or undefined when it
 * cannot be shown (e.g. a `:snippet` name). `ctrl` becomes
 * CmdOrCtrl, as in phy (Qt reads Ctrl as Command on macOS).
 */
export function toAccelerator(keys: string): string | undefined {
  if (keys.trim() === '+') return 'Plus';
  const parts = keys.trim().toLowerCase().split('+');
  // `ctrl++` splits into ['ctrl', '', ''].
  if (parts.length >= 3 && parts[parts.length - 1] === '' && parts[parts.length - 2] === '') parts.splice(parts.length - 2, 2, 'plus');
  if (parts.some((p) => p === '')) return undefined;
  const key = parts.pop()!;
  const mods: string[] = [];
  for (const m of parts) {
    const name = MODIFIERS[m];
    if (!name || mods.includes(name)) return undefined;
    mods.push(name);
  }
  let k: string | undefined;
  if (KEY_NAMES[key]) k = KEY_NAMES[key];
  else if (/^f([1-9]|1[0-9]|2[0-4])$/.test(key)) k = key.toUpperCase();
  else if (/^[a-z0-9]$/.test(key)) k = key.toUpperCase();
  else if (/^[`~!@#$%^&*()\-_=[\]{}\\|;:'",.<>/?]$/.test(key)) k = key;
  if (!k) return undefined;
  const order = ['CmdOrCtrl', 'Cmd', 'Ctrl', 'Super', 'Alt', 'Shift'];
  mods.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return [...mods, k].join('+');
}
