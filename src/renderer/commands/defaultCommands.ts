/**
 * The app's commands with phy's default shortcuts (phy-features.md §2), without phy's bugs:
 * reset wizard IS bound (ctrl+alt+space), every action is also a `:` snippet under its phy name,
 * and custom label names are saved whatever they are called. One module per menu.
 */
import type { Command } from '../store/Command';
import { fileCommands } from './fileCommands';
import { editCommands } from './editCommands';
import { labelRulesCommands } from './labelRulesCommands';
import { selectCommands } from './selectCommands';
import { viewCommands, type OpenableView } from './viewCommands';
import { helpCommands } from './helpCommands';
import { reviewCommands } from './reviewCommands';
import { proposalCommands } from './proposalCommands';
import { cleanupCommands } from './cleanupCommands';

/**
 * Every built-in command, in menu order. `views` (the app passes the views catalog) get a
 * `view.open.<type>` each: the catalog lives above the command layer, so it comes in as an argument.
 */
export function defaultCommands(views: readonly OpenableView[]): Command[] {
  return [...fileCommands(), ...editCommands(), ...labelRulesCommands(), ...selectCommands(), ...proposalCommands(), ...cleanupCommands(), ...reviewCommands(), ...viewCommands(views), ...helpCommands()];
}
