/**
 * User shortcut remaps, persisted per user in localStorage as versioned JSON. Anything invalid
 * is dropped (a bad entry never blocks the defaults).
 */
import type { Keymap } from './CommandRegistry';
import { normalizeKeys } from './keys';

export const KEYMAP_STORAGE_KEY = 'spikedock.keymap';
export const KEYMAP_VERSION = 1;

/** Minimal storage surface (localStorage in the app, a Map-backed object in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function parseKeymap(text: string | null): Keymap {
  if (!text) return {};
  try {
    const data = JSON.parse(text) as unknown;
    if (!data || typeof data !== 'object') return {};
    const { version, keys } = data as { version?: unknown; keys?: unknown };
    if (version !== KEYMAP_VERSION || !keys || typeof keys !== 'object') return {};
    const out: Keymap = {};
    for (const [id, list] of Object.entries(keys as Record<string, unknown>)) {
      if (!Array.isArray(list)) continue;
      out[id] = list.filter((k): k is string => typeof k === 'string').map(normalizeKeys).filter((k): k is string => k !== null);
    }
    return out;
  } catch {
    return {};
  }
}

export function loadKeymap(storage: KeyValueStorage): Keymap {
  return parseKeymap(storage.getItem(KEYMAP_STORAGE_KEY));
}

export function saveKeymap(storage: KeyValueStorage, map: Keymap): void {
  if (Object.keys(map).length === 0) storage.removeItem(KEYMAP_STORAGE_KEY);
  else storage.setItem(KEYMAP_STORAGE_KEY, JSON.stringify({ version: KEYMAP_VERSION, keys: map }));
}
