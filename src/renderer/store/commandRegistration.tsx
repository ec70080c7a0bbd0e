/**
 * How a component adds commands for its lifetime, without knowing the registry: the command
 * layer's `CommandsProvider` supplies the register function. Here, below plot/, so that
 * PlotCanvas registers its pan/zoom commands without importing the command layer.
 */
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import type { Command } from './Command';

/** Adds commands and returns the function that removes them. */
export type RegisterCommands = (commands: Command[]) => () => void;

const RegisterContext = createContext<RegisterCommands | null>(null);

export function RegisterCommandsProvider({ register, children }: { register: RegisterCommands; children: ReactNode }) {
  return <RegisterContext.Provider value={register}>{children}</RegisterContext.Provider>;
}

/**
 * Registers commands for the lifetime of the calling component. Pass a stable array (useMemo)
 * or list what it depends on in `deps`.
 */
export function useCommands(commands: Command[], deps: readonly unknown[] = [commands]): void {
  const register = useContext(RegisterContext);
  if (!register) throw new Error('commands used outside <CommandsProvider>');
  useEffect(() => register(commands), [register, ...deps]);
}
