/**
 * The dock layout is saved per user (localStorage) as versioned JSON: `{version, knownTypes,
 * layout}`. On load it is validated — wrong version, unknown view types, a malformed tree, or
 * view types added since it was saved (so new views are not hidden forever) — and any mismatch
 * falls back to the default layout.
 */
import type { KeyValueStorage } from '../../commands/keymapStorage';

export const LAYOUT_STORAGE_KEY = 'spikedock.layout';
/** Bump when the default layout or the saved shape changes. */
export const LAYOUT_VERSION = 2;

export interface SavedLayout {
  version: number;
  /** Catalog view types when it was saved. */
  knownTypes: string[];
  /** golden-layout's ResolvedLayoutConfig (JSON). */
  layout: unknown;
}

function componentTypes(node: unknown, out: string[]): boolean {
  if (!node || typeof node !== 'object') return false;
  const n = node as { type?: unknown; componentType?: unknown; content?: unknown };
  if (n.type === 'component') {
    if (typeof n.componentType !== 'string') return false;
    out.push(n.componentType);
    return true;
  }
  if (n.type !== 'row' && n.type !== 'column' && n.type !== 'stack' && n.type !== 'ground') return false;
  if (!Array.isArray(n.content)) return false;
  return n.content.every((c) => componentTypes(c, out));
}

/**
 * The saved layout if it is valid for the current catalog, else null (use the default).
 * Returns the golden-layout JSON (`ResolvedLayoutConfig`).
 */
export function validateSavedLayout(text: string | null, catalogTypes: readonly string[]): unknown | null {
  if (!text) return null;
  let data: SavedLayout;
  try {
    data = JSON.parse(text) as SavedLayout;
  } catch {
    return null;
  }
  if (!data || data.version !== LAYOUT_VERSION || !Array.isArray(data.knownTypes) || !data.layout || typeof data.layout !== 'object') return null;
  const known = new Set(catalogTypes);
  if (catalogTypes.some((t) => !data.knownTypes.includes(t))) return null;
  const root = (data.layout as { root?: unknown }).root;
  const types: string[] = [];
  if (root !== undefined && root !== null && !componentTypes(root, types)) return null;
  if (types.some((t) => !known.has(t))) return null;
  if (types.length === 0) return null;
  return data.layout;
}

export function loadSavedLayout(storage: KeyValueStorage, catalogTypes: readonly string[]): unknown | null {
  return validateSavedLayout(storage.getItem(LAYOUT_STORAGE_KEY), catalogTypes);
}

export function saveLayout(storage: KeyValueStorage, layout: unknown, catalogTypes: readonly string[]): void {
  const data: SavedLayout = { version: LAYOUT_VERSION, knownTypes: [...catalogTypes], layout };
  storage.setItem(LAYOUT_STORAGE_KEY, JSON.stringify(data));
}

export function clearSavedLayout(storage: KeyValueStorage): void {
  storage.removeItem(LAYOUT_STORAGE_KEY);
}
