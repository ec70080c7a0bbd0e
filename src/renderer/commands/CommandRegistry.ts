/**
 * The one registry of commands. Views add theirs at mount (`register` returns the disposer);
 * user remaps override default keys and are persisted by `keymapStorage`.
 */
import type { Command, CommandContext } from '../store/Command';
import { normalizeKeys } from './keys';

export type Keymap = Record<string, string[]>;

export class CommandRegistry {
  private readonly commands = new Map<string, Command>();
  private overrides: Keymap = {};
  private readonly listeners = new Set<() => void>();
  private version = 0;

  /** Adds (or replaces) a command; returns a function that removes it. */
  register(cmd: Command): () => void {
    this.commands.set(cmd.id, cmd);
    this.changed();
    return () => {
      if (this.commands.get(cmd.id) === cmd) {
        this.commands.delete(cmd.id);
        this.changed();
      }
    };
  }

  registerAll(cmds: Command[]): () => void {
    const disposers = cmds.map((c) => this.register(c));
    return () => disposers.forEach((d) => d());
  }

  get(id: string): Command | undefined {
    return this.commands.get(id);
  }

  list(): Command[] {
    return [...this.commands.values()];
  }

  /** Effective keys of a command (user remap, else defaults). */
  keysOf(id: string): string[] {
    return this.overrides[id] ?? this.commands.get(id)?.keys ?? [];
  }

  /** Current user remaps. */
  keymap(): Keymap {
    return { ...this.overrides };
  }

  setKeymap(map: Keymap): void {
    this.overrides = { ...map };
    this.changed();
  }

  /** Remaps one command (empty list = no key); `null` restores its default. */
  setKeys(id: string, keys: string[] | null): void {
    const next = { ...this.overrides };
    if (keys === null) delete next[id];
    else next[id] = keys.map((k) => normalizeKeys(k)).filter((k): k is string => k !== null);
    this.overrides = next;
    this.changed();
  }

  /** Commands bound to a key, best first: the focused view's, then global, then other views'. */
  byKeys(keys: string, focusedView: string | null): Command[] {
    const hits = this.list().filter((c) => this.keysOf(c.id).includes(keys));
    const rank = (c: Command) => (c.view && c.view === focusedView ? 0 : !c.view ? 1 : c.focusOnly ? 3 : 2);
    return hits.filter((c) => rank(c) < 3).sort((a, b) => rank(a) - rank(b));
  }

  /** The command a snippet name runs (`g`, `merge`, `c`, or a command id). */
  bySnippet(name: string): Command | undefined {
    for (const c of this.commands.values()) if (c.snippets?.includes(name)) return c;
    return this.commands.get(name);
  }

  /** Other commands already using a key (to warn when remapping). */
  conflicts(keys: string, exceptId: string): Command[] {
    return this.list().filter((c) => c.id !== exceptId && this.keysOf(c.id).includes(keys));
  }

  /** Runs a command if its predicate allows; errors become a toast, never an uncaught rejection. */
  async run(id: string, ctx: CommandContext, args: string[] = []): Promise<boolean> {
    const cmd = this.commands.get(id);
    if (!cmd) {
      ctx.toast('warning', `Unknown command '${id}'`);
      return false;
    }
    if (cmd.predicate && !cmd.predicate(ctx.store.getState())) return false;
    try {
      await cmd.perform(ctx, args);
      return true;
    } catch (e) {
      ctx.toast('error', `${cmd.title}: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes whenever commands or keys change (for useSyncExternalStore). */
  getVersion = (): number => this.version;

  private changed(): void {
    this.version++;
    for (const l of [...this.listeners]) l();
  }
}
