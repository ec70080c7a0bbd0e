/**
 * `spikedock history <dataset> [--json]`: the curation history in the journal (applied actions,
 * then undone ones that redo would bring back). Read-only: works while the app has it open.
 */
import { formatDiagnostic } from '../../core/diagnostics';
import { openDataset } from '../openDataset';
import { SessionService } from '../session/SessionService';
import { parseArgs } from './args';
import type { Command } from './types';
import { UserError } from './types';

const usage = `usage: spikedock history <folder | params.py | file.kwik | analyzer folder | file.nwb> [--json]

Lists the curation history kept in the dataset's journal, oldest first. Undone actions (which
redo would bring back) are marked "undone".

  --json    print a JSON array of {opId, kind, description, time, undone}
`;

export const command: Command = {
  name: 'history',
  summary: 'list the curation history (journal) of a dataset',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['json'] });
    if (args.positionals.length !== 1) throw new UserError(`expected one dataset path\n${usage}`, 2);
    const ds = await openDataset(args.positionals[0], { shared: false });
    try {
      const peek = SessionService.peek(ds);
      for (const d of peek.diagnostics) io.stderr(formatDiagnostic(d) + '\n');
      const items = peek.curation.history();
      if (args.flags.get('json')) io.stdout(JSON.stringify(items) + '\n');
      else if (items.length === 0) io.stdout('no curation actions yet\n');
      else for (const h of items) io.stdout(`#${h.opId}\t${h.time}\t${h.undone ? 'undone\t' : ''}${h.description}\n`);
      return 0;
    } finally {
      ds.close();
    }
  },
};
