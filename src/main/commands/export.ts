/**
 * `spikedock export <dataset> --format si-curation|nwb|phy <out>`: writes the saved session (the
 * journal replayed, as `history` reads it) in a format other tools read. Read-only on the dataset.
 */
import { formatDiagnostic } from '../../core/diagnostics';
import { EXPORT_FORMATS, exportSession, type ExportFormat } from '../export/exportSession';
import { openDataset } from '../openDataset';
import { SessionService } from '../session/SessionService';
import { parseArgs } from './args';
import type { Command } from './types';
import { UserError } from './types';

const usage = `usage: spikedock export <folder | params.py | file.kwik | analyzer folder | file.nwb> --format <format> <out>

Writes the dataset's curation (its journal: what the app shows, saved or not) as:
  si-curation   SpikeInterface curation format v2 (<out> is a .json file), in the sorting's
                own unit ids (an analyzer's or NWB file's string or negative ids included)
  nwb           an NWB file (<out>, new) with the electrodes and a Units table of the final
                clusters: spike times, quality (the groups), the cluster metrics and labels
  phy           a phy template folder (<out> is a new or empty folder): the final clusters,
                templates, amplitudes, channels, cluster_group.tsv and cluster_info.tsv
`;

export const command: Command = {
  name: 'export',
  summary: 'export the curation as SpikeInterface curation.json, an NWB Units table or a phy folder',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['format'] });
    if (args.positionals.length !== 2) throw new UserError(`expected a dataset path and an output path\n${usage}`, 2);
    const format = args.values.get('format');
    if (!format || !(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UserError(`--format must be one of ${EXPORT_FORMATS.join(', ')} (got ${format ?? 'none'})\n${usage}`, 2);
    const ds = await openDataset(args.positionals[0], { shared: false });
    try {
      const peek = SessionService.peek(ds);
      for (const d of peek.diagnostics) io.stderr(formatDiagnostic(d) + '\n');
      const { files } = await exportSession({ dataset: ds, base: peek.base, labels: peek.curation.labels, meta: peek.curation.meta, metrics: peek.metrics }, format as ExportFormat, args.positionals[1]);
      for (const f of files) io.stdout(`${f}\n`);
      return 0;
    } finally {
      ds.close();
    }
  },
};
