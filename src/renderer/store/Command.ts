/**
 * Commands are data (GUIDE §5, after excalidraw's actions): one registry drives keyboard
 * shortcuts, the menu bar, the command palette, `:` snippets and the help overlay.
 */
import type { BackendClient } from '../backend/BackendClient';
import type { AppState } from './AppState';
import type { AppStore } from './appStore';
import type { SessionSync } from './sessionSync';

export type MenuName = 'File' | 'Edit' | 'Select' | 'View' | 'Help';

/** What the dock layout offers to commands (View menu). */
export interface LayoutApi {
  open(viewType: string): void;
  close(viewType: string): void;
  isOpen(viewType: string): boolean;
  reset(): void;
}

/** Everything a command may use. */
export interface CommandContext {
  store: AppStore;
  backend: BackendClient;
  sync: SessionSync;
  /** Null until the dock layout is mounted. */
  layout: LayoutApi | null;
  /** Asks the user for one line of text; resolves null when cancelled. */
  prompt(title: string, options?: { placeholder?: string; initial?: string }): Promise<string | null>;
  toast(level: 'info' | 'warning' | 'error', text: string): void;
  /** Runs another command by id. */
  run(id: string, args?: string[]): Promise<void>;
}

export interface Command {
  /** `namespace.verb`, e.g. `cluster.merge`. */
  id: string;
  title: string;
  /** Default key combinations (canonical, see keys.ts); users can remap them. */
  keys?: string[];
  /** Menu of the menu bar it appears in, and its section there. */
  menu?: MenuName;
  section?: string;
  /** `:` snippet names (phy's: `g`, `merge`, `c`, …). */
  snippets?: string[];
  /** Usage of the snippet arguments, for help (`<id> [id…]`). */
  snippetArgs?: string;
  /** The view this command belongs to (grouping in help; view commands win while that view has focus). */
  view?: string;
  /** Only active while `view` has keyboard focus (plot pan/zoom arrows). */
  focusOnly?: boolean;
  /** Whether it can run now (menus grey it out, keys fall through). */
  predicate?: (state: AppState) => boolean;
  /** For toggles: whether it is on (menus show a check). */
  checked?: (state: AppState) => boolean;
  /** Not listed in the palette or menus (e.g. argument-only snippets). */
  hidden?: boolean;
  perform(ctx: CommandContext, args: string[]): void | Promise<void>;
}
