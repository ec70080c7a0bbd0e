/**
 * Cluster tables (`cluster_*.tsv`, `*.csv`), read as phylib reads them (`read_tsv`): the
 * delimiter is a tab if the first line holds one, else a comma; a header row; values are
 * converted to int, else float, else kept as strings; empty cells are dropped. Written as phy
 * writes them: `cluster_id<TAB><field>` rows sorted by cluster id.
 */
import { FormatError } from '../diagnostics';

export type CellValue = string | number;

export interface Table {
  /** Column names as in the header. */
  columns: string[];
  /** One object per data row; empty cells are absent. */
  rows: Array<Record<string, CellValue>>;
  /** The header line as written. */
  header: string;
  /** `rows[i]` as written (`text`) and its 1-based line number in the file (`line`). */
  source: Array<{ line: number; text: string }>;
}

/** Converts a cell as phylib does: int, else float, else the string. */
export function parseCell(s: string): CellValue {
  const t = s.trim();
  if (/^[+-]?\d+$/.test(t)) return Number(t);
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) || /^[+-]?(inf|nan)$/i.test(t)) {
    const low = t.toLowerCase();
    if (low.endsWith('nan')) return NaN;
    if (low.endsWith('inf')) return low.startsWith('-') ? -Infinity : Infinity;
    return Number(t);
  }
  return t;
}

/** Parses a `.tsv`/`.csv` table. `file` names the file in errors. */
export function parseTable(text: string, file: string): Table {
  const all = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const numbered = all.map((t, i) => ({ line: i + 1, text: t })).filter((l) => l.text.trim().length > 0);
  if (numbered.length === 0) throw new FormatError(file, 'tsv.empty', 'empty table (no header row)');
  const header = numbered[0].text;
  const delim = header.includes('\t') ? '\t' : ',';
  const columns = header.split(delim).map((c) => c.trim());
  if (columns.some((c) => c.length === 0)) throw new FormatError(file, 'tsv.badHeader', `bad header row: ${JSON.stringify(header)}`);
  const rows: Array<Record<string, CellValue>> = [];
  for (let i = 1; i < numbered.length; i++) {
    const cells = numbered[i].text.split(delim);
    const row: Record<string, CellValue> = {};
    for (let j = 0; j < columns.length && j < cells.length; j++) {
      if (cells[j].trim().length === 0) continue;
      row[columns[j]] = parseCell(cells[j]);
    }
    rows.push(row);
  }
  return { columns, rows, header, source: numbered.slice(1) };
}

/** A row of a cluster table that cannot be used, as written, with its line number and why. */
export interface RejectedRow {
  /** 1-based line number in the file. */
  line: number;
  /** The line as written (without its line break). */
  text: string;
  /** Why it is not used, e.g. `cluster id is not an integer`. */
  reason: string;
}

/**
 * Reads a cluster table into `field → (clusterId → value)`. Requires a `cluster_id` column
 * (or `id`, as some exporters write). Rows without a non-negative integer id are not read; they
 * are returned in `rejected` (and counted in `skipped`), so that a caller can report them and
 * keep them aside instead of losing them when it rewrites the file. `header` is the header line
 * as written.
 */
export function parseClusterTable(text: string, file: string): { fields: Map<string, Map<number, CellValue>>; skipped: number; rejected: RejectedRow[]; header: string } {
  const t = parseTable(text, file);
  const idCol = t.columns.find((c) => c === 'cluster_id') ?? t.columns.find((c) => c === 'id');
  if (!idCol) throw new FormatError(file, 'tsv.noClusterId', `no 'cluster_id' column (columns: ${t.columns.join(', ')})`);
  const fields = new Map<string, Map<number, CellValue>>();
  for (const c of t.columns) if (c !== idCol) fields.set(c, new Map());
  const rejected: RejectedRow[] = [];
  t.rows.forEach((row, i) => {
    const id = row[idCol];
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      rejected.push({ ...t.source[i], reason: typeof id === 'number' && Number.isInteger(id) ? 'negative cluster id' : 'cluster id is not an integer' });
      return;
    }
    for (const [name, values] of fields) {
      const v = row[name];
      if (v !== undefined) values.set(id, v);
    }
  });
  return { fields, skipped: rejected.length, rejected, header: t.header };
}

/** Formats a number as phy does in `cluster_info.tsv` (floats `%.8f`, ints as ints). */
export function formatCell(v: CellValue | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'nan';
    if (Number.isInteger(v)) return String(v);
    return v.toFixed(8);
  }
  return v;
}

/**
 * Formats `cluster_<field>.tsv` as phy's `_write_tsv_simple`: header `cluster_id<TAB>field`,
 * rows sorted by cluster id, clusters whose value is null/undefined omitted.
 */
export function formatClusterField(field: string, values: Iterable<[number, CellValue | null | undefined]>): string {
  const rows = [...values].filter(([, v]) => v !== null && v !== undefined).sort((a, b) => a[0] - b[0]);
  return `cluster_id\t${field}\n` + rows.map(([id, v]) => `${id}\t${typeof v === 'number' && !Number.isInteger(v) ? String(v) : formatCell(v)}`).join('\n') + (rows.length ? '\n' : '');
}

/** Formats a table with the given columns (first is usually `cluster_id`). */
export function formatTable(columns: string[], rows: Array<Record<string, CellValue | null | undefined>>): string {
  return columns.join('\t') + '\n' + rows.map((r) => columns.map((c) => formatCell(r[c])).join('\t')).join('\n') + (rows.length ? '\n' : '');
}
