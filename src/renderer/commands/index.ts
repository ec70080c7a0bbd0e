/** Commands: the registry, key handling, snippets (see README.md). */
export type { Command, CommandContext, LayoutApi, MenuName } from '../store/Command';
export { CommandRegistry, type Keymap } from './CommandRegistry';
export { CommandsProvider, useCommandRegistry, useRunCommand, useCommandContext } from './CommandsContext';
export { useCommands } from '../store/commandRegistration';
export { eventToKeys, formatKeys, normalizeKeys } from './keys';
export { parseSnippet, parseIdList } from './snippets';
export { defaultCommands } from './defaultCommands';
export { wizardContext, wizardNext, wizardNextMove, nextUnreviewed } from './wizard';
