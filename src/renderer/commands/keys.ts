/**
 * Key combinations as canonical strings (`ctrl+shift+z`, `alt+g`, `space`, `f1`, `:`, `ctrl++`):
 * modifiers in the order ctrl, alt, shift, meta, then the key. Letters and digits come from the
 * physical key (`KeyboardEvent.code`), so alt+g still means "g" on layouts where alt composes a
 * character (macOS), and shift is dropped for printable symbols it is needed to type (`?`, `:`).
 */

const MODIFIERS = ['ctrl', 'alt', 'shift', 'meta'] as const;
type Modifier = (typeof MODIFIERS)[number];

const NAMED: Record<string, string> = {
  ' ': 'space',
  Spacebar: 'space',
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
  Escape: 'esc',
  Esc: 'esc',
  Backspace: 'backspace',
  Delete: 'delete',
  Home: 'home',
  End: 'end',
  PageUp: 'pgup',
  PageDown: 'pgdown',
  Enter: 'enter',
  Tab: 'tab',
  Insert: 'insert',
  '=': '+',
  _: '-',
};

const ALIASES: Record<string, string> = {
  control: 'ctrl',
  option: 'alt',
  cmd: 'meta',
  command: 'meta',
  super: 'meta',
  escape: 'esc',
  return: 'enter',
  pageup: 'pgup',
  pagedown: 'pgdown',
  arrowup: 'up',
  arrowdown: 'down',
  arrowleft: 'left',
  arrowright: 'right',
  del: 'delete',
  plus: '+',
  minus: '-',
  '=': '+',
};

/** Keys that keep an explicit shift modifier (named keys, letters, digits). */
function isNamedOrAlnum(key: string): boolean {
  return key.length > 1 || /^[a-z0-9]$/.test(key);
}

/**
 * Canonical form of a user-written combination (`Ctrl+Shift+Z` → `ctrl+shift+z`,
 * `ctrl++` → `ctrl++`). Returns null when it has no key or an unknown modifier.
 */
export function normalizeKeys(combo: string): string | null {
  let text = combo.trim().toLowerCase();
  if (!text) return null;
  let key: string;
  if (text === '+') return '+';
  if (text.endsWith('++')) {
    key = '+';
    text = text.slice(0, -2);
  } else {
    const i = text.lastIndexOf('+');
    key = text.slice(i + 1);
    text = i < 0 ? '' : text.slice(0, i);
  }
  key = ALIASES[key] ?? key;
  if (!key || (MODIFIERS as readonly string[]).includes(key)) return null;
  const mods = new Set<Modifier>();
  for (const part of text ? text.split('+') : []) {
    const m = (ALIASES[part] ?? part) as Modifier;
    if (!MODIFIERS.includes(m)) return null;
    mods.add(m);
  }
  if (!isNamedOrAlnum(key)) mods.delete('shift');
  return [...MODIFIERS.filter((m) => mods.has(m)), key].join('+');
}

/** The subset of KeyboardEvent we read (so tests can pass plain objects). */
export interface KeyEventLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

/**
 * Canonical combination of a keydown, or null for a lone modifier. On macOS pass
 * `metaAsCtrl` so ⌘ plays ctrl's part (⌘S saves) as users expect.
 */
export function eventToKeys(e: KeyEventLike, metaAsCtrl = false): string | null {
  if (['Control', 'Alt', 'Shift', 'Meta', 'AltGraph', 'CapsLock', 'OS', 'Dead'].includes(e.key)) return null;
  let key: string;
  if (/^Key[A-Z]$/.test(e.code)) key = e.code.slice(3).toLowerCase();
  else if (/^Digit[0-9]$/.test(e.code)) key = e.code.slice(5);
  else if (e.code === 'NumpadAdd') key = '+';
  else if (e.code === 'NumpadSubtract') key = '-';
  else if (/^F[0-9]{1,2}$/.test(e.key)) key = e.key.toLowerCase();
  else key = NAMED[e.key] ?? e.key.toLowerCase();
  const ctrl = e.ctrlKey || (metaAsCtrl && e.metaKey);
  const meta = e.metaKey && !metaAsCtrl;
  const mods: string[] = [];
  if (ctrl) mods.push('ctrl');
  if (e.altKey) mods.push('alt');
  if (e.shiftKey && isNamedOrAlnum(key)) mods.push('shift');
  if (meta) mods.push('meta');
  return [...mods, key].join('+');
}

/** Human form for menus and the help overlay (`ctrl+shift+z` → `Ctrl+Shift+Z`). */
export function formatKeys(keys: string): string {
  if (keys === '+') return '+';
  const parts = keys.endsWith('++') ? [...keys.slice(0, -2).split('+'), '+'] : keys.split('+');
  return parts
    .map((p) => {
      if (p === 'pgup') return 'PgUp';
      if (p === 'pgdown') return 'PgDn';
      if (p === 'esc') return 'Esc';
      if (p.length === 1) return p.toUpperCase();
      return p[0].toUpperCase() + p.slice(1);
    })
    .join('+');
}
