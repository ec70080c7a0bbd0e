/**
 * `spikedock metrics <dataset> [--json | --tsv] [--metrics a,b,c]`: SpikeInterface's quality and
 * template metrics of every cluster (`src/core/metrics/`), on the curation as the journal has it
 * (read-only).
 */
import { computeQualityMetrics, METRIC_NAMES, type MetricName, type MetricsRow } from '../../core/metrics/qualityMetrics';
import { openDataset } from '../openDataset';
import { SessionService } from '../session/SessionService';
import { parseArgs } from './args';
import type { Command } from './types';
import { UserError } from './types';

const usage = `usage: spikedock metrics <folder | params.py | file.kwik | analyzer folder | file.nwb> [--json | --tsv] [--metrics a,b,c]

Prints SpikeInterface's quality metrics and template metrics of every cluster (names and
definitions as SpikeInterface's; see src/core/metrics/README.md), one row per cluster, on the
curation as the journal has it. Undefined values print as nan (null in JSON). snr_source,
drift_source and template_source say what snr, drift_* and the template metrics were computed
from (snr: raw data when present, else the templates with a noise level from the PC features).

  --json          print a JSON array of {"cluster_id": id, "<metric>": value, …}
  --tsv           print tab-separated values with a header row
  --metrics LIST  only these metrics (comma-separated), e.g. --metrics firing_rate,snr

Metrics: ${METRIC_NAMES.join(', ')}
`;

const SOURCES = ['snr_source', 'drift_source', 'template_source'] as const;

/** A number as the table and the TSV print it: 4 significant digits, integers as they are, `nan`. */
function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v !== 'number' || Number.isNaN(v)) return 'nan';
  if (Number.isInteger(v)) return String(v);
  return Number(v.toPrecision(4)).toString();
}

/** Columns present in the rows, in output order: cluster_id, metrics, sources. */
function columnsOf(rows: MetricsRow[]): string[] {
  const present = new Set(rows.flatMap((r) => Object.keys(r)));
  return ['cluster_id', ...METRIC_NAMES.filter((m) => present.has(m)), ...SOURCES.filter((s) => present.has(s))];
}

export const command: Command = {
  name: 'metrics',
  summary: "SpikeInterface's quality and template metrics of every cluster",
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['metrics'], flags: ['json', 'tsv'] });
    if (args.positionals.length !== 1) throw new UserError(`expected one dataset path\n${usage}`, 2);
    if (args.flags.get('json') && args.flags.get('tsv')) throw new UserError('--json and --tsv cannot be used together', 2);
    let metrics: MetricName[] | undefined;
    const list = args.values.get('metrics');
    if (list !== undefined) {
      const names = list.split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = names.filter((n) => !(METRIC_NAMES as readonly string[]).includes(n));
      if (unknown.length || !names.length) throw new UserError(`unknown metric${unknown.length === 1 ? '' : 's'} '${unknown.join(', ') || list}' (known: ${METRIC_NAMES.join(', ')})`, 2);
      metrics = names as MetricName[];
    }
    const path = args.positionals[0];
    let ds;
    try {
      ds = await openDataset(path, { shared: false });
    } catch (e) {
      // Opening errors already name the file; say "the dataset" only when they do not.
      const message = (e as Error)?.message ?? String(e);
      throw new UserError(message.includes(path) ? message : `cannot open the dataset '${path}': ${message}`);
    }
    try {
      const labels = SessionService.peek(ds).curation.labels;
      const rows = computeQualityMetrics(ds, labels, { metrics });
      const cols = columnsOf(rows);
      if (args.flags.get('json')) {
        // JSON has no NaN: undefined values are null.
        io.stdout(JSON.stringify(rows.map((r) => Object.fromEntries(cols.map((c) => [c, (r as Record<string, unknown>)[c] ?? null])))) + '\n');
      } else if (args.flags.get('tsv')) {
        io.stdout(cols.join('\t') + '\n');
        for (const r of rows) io.stdout(cols.map((c) => formatValue((r as Record<string, unknown>)[c])).join('\t') + '\n');
      } else {
        const cells = [cols, ...rows.map((r) => cols.map((c) => formatValue((r as Record<string, unknown>)[c])))];
        const widths = cols.map((_, j) => Math.max(...cells.map((row) => row[j].length)));
        for (const row of cells) io.stdout(row.map((v, j) => (j === 0 ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join('  ').trimEnd() + '\n');
      }
      return 0;
    } finally {
      ds.close();
    }
  },
};
