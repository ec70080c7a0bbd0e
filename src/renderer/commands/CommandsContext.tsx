/**
 * React access to the command registry: `useCommandRegistry()` to list/run commands and
 * `useCommands([...])` for a view to add its own (removed when it unmounts). A view's commands
 * set `view: '<ViewType>'`; their keys win while that view has focus, and with `focusOnly` they
 * act only then (plot arrows/+/- pan and zoom).
 */
import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import type { Command, CommandContext } from './Command';
import type { CommandRegistry } from './CommandRegistry';

interface CommandsValue {
  registry: CommandRegistry;
  context: CommandContext;
}

const CommandsReactContext = createContext<CommandsValue | null>(null);

export function CommandsProvider({ registry, context, children }: CommandsValue & { children: ReactNode }) {
  return <CommandsReactContext.Provider value={{ registry, context }}>{children}</CommandsReactContext.Provider>;
}

function useCommandsValue(): CommandsValue {
  const v = useContext(CommandsReactContext);
  if (!v) throw new Error('commands used outside <CommandsProvider>');
  return v;
}

/** The registry; re-renders the caller when commands or keys change. */
export function useCommandRegistry(): CommandRegistry {
  const { registry } = useCommandsValue();
  useSyncExternalStore(registry.subscribe, registry.getVersion, registry.getVersion);
  return registry;
}

/** Runs a command by id (with snippet-style arguments). */
export function useRunCommand(): (id: string, args?: string[]) => Promise<boolean> {
  const { registry, context } = useCommandsValue();
  return (id, args = []) => registry.run(id, context, args);
}

/** The command context (for components that perform work the way commands do). */
export function useCommandContext(): CommandContext {
  return useCommandsValue().context;
}

/**
 * Registers commands for the lifetime of the calling component. Pass a stable array (useMemo)
 * or list what it depends on in `deps`.
 */
export function useCommands(commands: Command[], deps: readonly unknown[] = [commands]): void {
  const { registry } = useCommandsValue();
  useEffect(() => registry.registerAll(commands), [registry, ...deps]);
}
