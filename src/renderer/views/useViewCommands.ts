import type { Command } from '../store/Command';
import { useCommands } from '../store/commandRegistration';

/**
 * Registers a view's commands (module-level constant arrays) in the one command registry while
 * the view is mounted; their keys win while the view has focus.
 */
export function useViewCommands(commands: Command[]): void {
  useCommands(commands, [commands]);
}
