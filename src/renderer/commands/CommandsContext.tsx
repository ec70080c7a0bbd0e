/**
 * React access to the command registry: `useCommandRegistry()` to list/run commands and
 * `useCommands([...])` (store/commandRegistration) for a view to add its own (removed when it unmounts). A view's commands
 * set `view: '<ViewType>'`; their keys win while that view has focus, and with `focusOnly` they
 * act only then (plot arrows/+/- pan and zoom).
 */
import { createContext, useContext, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import type { CommandContext } from '../store/Command';
import { RegisterCommandsProvider, type RegisterCommands } from '../store/commandRegistration';
import type { CommandRegistry } from './CommandRegistry';

interface CommandsValue {
  registry: CommandRegistry;
  context: CommandContext;
}

const CommandsReactContext = createContext<CommandsValue | null>(null);

export function CommandsProvider({ registry, context, children }: CommandsValue & { children: ReactNode }) {
  const register = useMemo<RegisterCommands>(() => (commands) => registry.registerAll(commands), [registry]);
  return (
    <CommandsReactContext.Provider value={{ registry, context }}>
      <RegisterCommandsProvider register={register}>{children}</RegisterCommandsProvider>
    </CommandsReactContext.Provider>
  );
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
