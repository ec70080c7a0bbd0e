/**
 * `spikedock suggest <dataset> [--cluster N] [--top N] [--json]`: computed merge suggestions
 * (`src/core/suggest/`), best first, with their evidence, on the curation as the journal has it
 * (read-only).
 */
import type { Dataset } from '../../core/dataset/Dataset';
import { EVIDENCE_NAMES } from '../../core/suggest/score';
import { MergeSuggester, type MergeSuggestion } from '../../core/suggest/MergeSuggester';
import { openDataset } from '../openDataset';
import { SessionService } from '../session/SessionService';
import { numberOption, parseArgs } from './args';
import type { Command } from './types';
import { UserError } from './types';

const usage = `usage: spikedock suggest <folder | params.py | file.kwik | analyzer folder | file.nwb> [--cluster N] [--top N] [--json]

Prints computed merge suggestions, best first: every pair of neighbouring clusters (best
channels within 80 µm on one shank) scored from template similarity (unwhitened, shared
channels, lag search), the distance between the units' locations, the cross-correlogram's
refractory dip and the merged train's rp_contamination against the parts', temporal
complementarity with amplitude continuity, and PC-feature nearest-neighbour mixing (how each
term is weighted: src/core/suggest/README.md). On the curation as the journal has it.

  --cluster N   only the pairs of cluster N, best first
  --top N       only the N best pairs (default: every pair that has any evidence)
  --json        print a JSON array of {"clusters": [a, b], "score": s, "evidence": {…}}
`;

/** A number for the table: 3 decimals, integers as they are, `-` for null. */
function cell(v: number | null): string {
  if (v === null) return '-';
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}

/** The suggestions of the dataset (or of one cluster), best first. */
function suggestionsOf(ds: Dataset, cluster: number | null): MergeSuggestion[] {
  const labels = SessionService.peek(ds).curation.labels;
  if (cluster !== null && !labels.hasCluster(cluster)) {
    const ids = labels.clusterIds();
    throw new UserError(`cluster ${cluster} does not exist (clusters: ${ids.length}, ids ${ids[0]}–${ids.at(-1)})`);
  }
  const s = new MergeSuggester(ds, labels);
  s.scoreAll();
  const rows = cluster === null ? s.all() : s.forCluster(cluster);
  return rows.filter((r) => Object.values(r.evidence).some((v) => v !== null));
}

export const command: Command = {
  name: 'suggest',
  summary: 'computed merge suggestions with their evidence, best first',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['cluster', 'top'], flags: ['json'] });
    if (args.positionals.length !== 1) throw new UserError(`expected one dataset path\n${usage}`, 2);
    let cluster: number | null = null;
    if (args.values.has('cluster')) {
      const raw = args.values.get('cluster')!;
      cluster = Number(raw);
      if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(cluster)) throw new UserError(`--cluster must be a non-negative integer (got '${raw}')`, 2);
    }
    const top = numberOption(args, 'top', Infinity);
    if (top !== Infinity && (!Number.isInteger(top) || top < 1)) throw new UserError(`--top must be a positive integer (got '${args.values.get('top')}')`, 2);
    const path = args.positionals[0];
    let ds: Dataset;
    try {
      ds = await openDataset(path, { shared: false });
    } catch (e) {
      // Opening errors already name the file; say "the dataset" only when they do not.
      const message = (e as Error)?.message ?? String(e);
      throw new UserError(message.includes(path) ? message : `cannot open the dataset '${path}': ${message}`);
    }
    try {
      const rows = suggestionsOf(ds, cluster).slice(0, top);
      if (args.flags.get('json')) {
        io.stdout(JSON.stringify(rows) + '\n');
        return 0;
      }
      const head = ['clusters', 'score', ...EVIDENCE_NAMES];
      const cells = [head, ...rows.map((r) => [`${r.clusters[0]} ${r.clusters[1]}`, r.score.toFixed(3), ...EVIDENCE_NAMES.map((n) => cell(r.evidence[n] ?? null))])];
      const widths = head.map((_, j) => Math.max(...cells.map((row) => row[j].length)));
      for (const row of cells) io.stdout(row.map((v, j) => (j === 0 ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join('  ').trimEnd() + '\n');
      if (!rows.length) io.stdout(cluster === null ? '# no neighbouring clusters to compare\n' : `# cluster ${cluster} has no neighbouring cluster within 80 µm\n`);
      return 0;
    } finally {
      ds.close();
    }
  },
};
