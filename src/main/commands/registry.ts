/**
 * The list of CLI commands. Each command module exports `command: Command`; add yours here
 * (one line) when its module exists.
 */
import type { Command } from './types';
import { command as serve } from './serve';
import { command as info } from './info';
import { command as generate } from './generate';
import { command as ccg } from './ccg';
import { command as waveforms } from './waveforms';
import { command as curate } from './curate';
import { command as history } from './history';
import { command as similar } from './similar';
import { command as metrics } from './metrics';
import { command as suggest } from './suggest';
import { command as label } from './label';
import { command as exportCommand } from './export';

export const commands: Command[] = [
  serve,
  info,
  generate,
  ccg,
  waveforms,
  curate,
  history,
  similar,
  metrics,
  suggest,
  label,
  exportCommand,
];
