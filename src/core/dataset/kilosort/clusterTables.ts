/** The cluster tables of a template folder (`cluster_group.tsv`, `cluster_<name>.tsv`, CSVs). */
import { parseClusterTable, type RejectedRow } from '../../formats/tsv';
import type { ClusterColumn, RejectedClusterRows } from '../Dataset';
import { errorText } from '../DiagnosticLog';
import { plural, type TemplateFolderReader } from './folder';

/** The file a save rewrites from the session (its unusable rows are kept aside). */
const GROUP_FILE = 'cluster_group.tsv';

/**
 * Every `*.csv` then `*.tsv` of the folder except `cluster_info.*` (phy writes it, never reads
 * it): the `group` column gives the cluster groups, every other column a cluster column; a
 * later file wins on a name clash.
 */
export function readClusterTables(r: TemplateFolderReader, spikeClusters: Int32Array): { clusterColumns: ClusterColumn[]; clusterGroups: Map<number, string>; rejectedGroupRows: RejectedClusterRows | null } {
  const columns = new Map<string, ClusterColumn>();
  let clusterGroups = new Map<number, string>();
  let rejectedGroupRows: RejectedClusterRows | null = null;
  const tables = [...r.names.filter((n) => /\.csv$/i.test(n)), ...r.names.filter((n) => /\.tsv$/i.test(n))].filter((n) => !/^cluster_info\./i.test(n));
  for (const n of tables) {
    const file = r.path(n);
    const isGroupFile = n === GROUP_FILE;
    let fields: Map<string, Map<number, string | number>>;
    let text = '';
    try {
      text = r.fs.readText(file);
      const t = parseClusterTable(text, file);
      fields = t.fields;
      if (isGroupFile) {
        const rows = groupFileRejects(text, t, spikeClusters);
        if (rows.length) rejectedGroupRows = { file, header: t.header, rows };
      } else if (t.skipped) {
        r.log.add('warning', file, 'tsv.badRow', `${plural(t.skipped, 'row')} without an integer cluster_id ignored`);
      }
    } catch (e) {
      r.log.add('warning', file, 'tsv.skipped', `${errorText(e, file)}; not read as a cluster table`);
      if (isGroupFile && text.trim()) {
        const lines = tableRows(text);
        const header = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim()) ?? '';
        rejectedGroupRows = { file, header, rows: lines.map(([line, t]) => ({ line, text: t, reason: 'wrong header' })) };
      }
      continue;
    }
    for (const [name, values] of fields) {
      if (name === 'group') {
        clusterGroups = new Map();
        for (const [id, v] of values) clusterGroups.set(id, String(v));
      } else {
        columns.set(name, { name, file, values });
      }
    }
  }
  if (rejectedGroupRows) reportRejected(r, rejectedGroupRows);
  return { clusterColumns: [...columns.values()], clusterGroups, rejectedGroupRows };
}

/**
 * The rows of `cluster_group.tsv` a save cannot keep: every row when there is no `group`
 * column, else the parser's rejects plus rows of clusters without a spike (those rows are
 * also removed from `t`'s `group` field). Sorted by line.
 */
function groupFileRejects(text: string, t: ReturnType<typeof parseClusterTable>, spikeClusters: Int32Array): RejectedRow[] {
  const group = t.fields.get('group');
  if (!group) return allRows(text, "no 'group' column");
  const rows: RejectedRow[] = t.rejected;
  const listed: Array<[number, string, number]> = [];
  for (const [i, row] of tableRows(text)) {
    const id = Number(row.split(row.includes('\t') ? '\t' : ',')[idColumn(t.header)]?.trim());
    if (Number.isInteger(id) && id >= 0) listed.push([i, row, id]);
  }
  const present = spikedAmong(spikeClusters, listed.map(([, , id]) => id));
  for (const [i, row, id] of listed) {
    if (!present.has(id)) {
      rows.push({ line: i, text: row, reason: `cluster ${id} has no spike` });
      group.delete(id);
    }
  }
  rows.sort((a, b) => a.line - b.line);
  return rows;
}

/**
 * Which of `ids` have at least one spike: one pass over `spikeClusters` that stops as soon as
 * every id has been seen (at open this ran a full count of all spikes, +50 ms at 10 M spikes).
 */
function spikedAmong(spikeClusters: Int32Array, ids: number[]): Set<number> {
  const found = new Set<number>();
  // Ids up to 2^24 are tracked in a dense array (16 MB at most); any larger (odd files) in a set.
  const DENSE = 1 << 24;
  let max = -1;
  const far = new Set<number>();
  for (const id of ids) {
    if (id < DENSE) max = Math.max(max, id);
    else far.add(id);
  }
  // 1 = listed and not seen yet, 2 = seen.
  const state = new Uint8Array(max + 1);
  let remaining = far.size;
  for (const id of ids) {
    if (id < DENSE && state[id] === 0) {
      state[id] = 1;
      remaining++;
    }
  }
  for (let i = 0; i < spikeClusters.length && remaining > 0; i++) {
    const c = spikeClusters[i];
    if (c >= 0 && c <= max) {
      if (state[c] === 1) {
        state[c] = 2;
        remaining--;
      }
    } else if (far.has(c)) {
      far.delete(c);
      found.add(c);
      remaining--;
    }
  }
  for (const id of ids) if (id < DENSE && state[id] === 2) found.add(id);
  return found;
}

/** One warning for the unusable rows of `cluster_group.tsv` (the first five quoted). */
function reportRejected(r: TemplateFolderReader, rejected: RejectedClusterRows): void {
  const rows = rejected.rows;
  const shown = rows.slice(0, 5).map((x) => `line ${x.line} ${JSON.stringify(x.text)}: ${x.reason}`).join('; ');
  r.log.add(
    'warning',
    rejected.file,
    'tsv.rejectedRows',
    `${plural(rows.length, 'row')} cannot be used (${shown}${rows.length > 5 ? `; … ${rows.length - 5} more` : ''}); ${rows.length === 1 ? 'it is' : 'they are'} kept in cluster_group.rejected.tsv when the session is saved`,
  );
}

/** The data rows of a table as written: [1-based line number, text], blank lines and header skipped. */
export function tableRows(text: string): Array<[number, string]> {
  const numbered = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((t, i): [number, string] => [i + 1, t])
    .filter(([, t]) => t.trim().length > 0);
  return numbered.slice(1);
}

export function allRows(text: string, reason: string): RejectedRow[] {
  return tableRows(text).map(([line, t]) => ({ line, text: t, reason }));
}

/** Index of the id column (`cluster_id`, else `id`) in a header line. */
export function idColumn(header: string): number {
  const cols = header.split(header.includes('\t') ? '\t' : ',').map((c) => c.trim());
  const k = cols.indexOf('cluster_id');
  return k >= 0 ? k : cols.indexOf('id');
}

/** Adds `more` to `columns` in place; a column of a name already there replaces it (later sources win). */
export function mergeClusterColumns(columns: ClusterColumn[], more: readonly ClusterColumn[]): void {
  for (const c of more) {
    const k = columns.findIndex((x) => x.name === c.name);
    if (k >= 0) columns[k] = c;
    else columns.push(c);
  }
}
