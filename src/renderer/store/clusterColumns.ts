/**
 * Columns of the cluster table (ClusterView, SimilarityView) and how they read a ClusterInfo.
 * Names are phy's (`n_spikes`, `fr`, `amp`, `ch`, `depth`, `sh`, `group`) so that phy users'
 * filter expressions and `:s` snippets keep working; `labels` columns keep their file names
 * (`KSLabel`, `ContamPct`, custom labels).
 */
import type { ClusterInfo, QualityRow } from '../../shared/ipc/contract';
import { METRIC_NAMES } from '../../core/metrics/qualityMetrics';
import { METRIC_DESCRIPTIONS } from '../../core/metrics/metricInfo';
import { compileFilter, FilterSyntaxError, type FilterValue } from '../../core/filterExpression';
import type { SortState } from './AppState';

/** The live quality rows by cluster id (`AppState.quality.rows`). */
export type MetricRows = Readonly<Record<number, QualityRow>>;

export interface ColumnDef {
  /** Name used in filters, sorting and snippets. */
  name: string;
  /** Header text. */
  title: string;
  /** Tooltip of the header. */
  description: string;
  align: 'left' | 'right';
  /** Default width, px. */
  width: number;
}

// `group` comes right after `id`: ClusterView is ~350 px wide in the default layout at 1600×1000,
// and the wizard skips rows by their group (noise/mua), so the curator must see it without
// scrolling (issue #10.8; at the end it started at 376 px, off-screen).
const BUILTIN: ColumnDef[] = [
  { name: 'id', title: 'id', description: 'cluster id', align: 'right', width: 48 },
  { name: 'group', title: 'group', description: 'good / mua / noise / unsorted', align: 'left', width: 70 },
  { name: 'n_spikes', title: 'n_spikes', description: 'number of spikes', align: 'right', width: 82 },
  { name: 'fr', title: 'fr', description: 'firing rate (Hz)', align: 'right', width: 58 },
  { name: 'amp', title: 'amp', description: 'template peak-to-peak amplitude', align: 'right', width: 60 },
  { name: 'ch', title: 'ch', description: 'best channel', align: 'right', width: 40 },
  { name: 'depth', title: 'depth', description: 'depth of the best channel (µm)', align: 'right', width: 56 },
  { name: 'sh', title: 'sh', description: 'shank of the best channel', align: 'right', width: 32 },
  { name: 'isi_viol', title: 'ISI viol', description: 'fraction of ISIs below the refractory period', align: 'right', width: 68 },
];

/** Columns usable in filters besides the visible ones. */
const HIDDEN = ['reviewed'];

/**
 * The quality metric columns (SpikeInterface's names, `src/core/metrics`), in METRIC_NAMES
 * order; the header tooltip is the metric's one line with its reference. `num_spikes` is left
 * out: it is `n_spikes`.
 */
export const METRIC_COLUMNS: readonly ColumnDef[] = METRIC_NAMES.filter((name) => name !== 'num_spikes').map((name) => ({
  name,
  title: name,
  description: METRIC_DESCRIPTIONS[name],
  align: 'right',
  width: Math.max(56, name.length * 8 + 24),
}));

const METRIC_SET = new Set(METRIC_COLUMNS.map((c) => c.name));

/** Whether `column` is a quality metric column. */
export function isMetricColumn(column: string): boolean {
  return METRIC_SET.has(column);
}

/**
 * Metric columns ClusterView shows until the curator picks others: contamination
 * (`isi_violations_ratio`), missing spikes (`amplitude_cutoff`), stability (`presence_ratio`)
 * and `snr` — the four that Bombcell's and the Allen Institute's default good/mua rules use.
 */
export const DEFAULT_METRIC_COLUMNS: readonly string[] = ['isi_violations_ratio', 'amplitude_cutoff', 'presence_ratio', 'snr'];

/** The column of a sorting's original unit ids (`Dataset.analyzer.idsMapped`, `Dataset.nwb.idsMapped`). */
const UNIT_ID = 'unit_id';
const UNIT_ID_COLUMN: ColumnDef = { name: UNIT_ID, title: 'unit_id', description: "the unit id in the sorter's file (SpikeInterface analyzer, NWB Units table)", align: 'left', width: 72 };

/**
 * The table's columns: built-in ones (an analyzer's `unit_id` right after `id`), then each label
 * column (`KSLabel`, `ContamPct`, …), then the shown metric columns (in METRIC_NAMES order;
 * default none: SimilarityView shows none).
 */
export function clusterColumns(labelColumns: readonly string[], shownMetrics: readonly string[] = []): ColumnDef[] {
  const builtin = new Set(BUILTIN.map((c) => c.name));
  const shown = new Set(shownMetrics);
  const labels = labelColumns
    .filter((name) => !builtin.has(name) && !METRIC_SET.has(name))
    .map((name): ColumnDef => (name === UNIT_ID ? UNIT_ID_COLUMN : { name, title: name, description: `cluster_${name}.tsv`, align: 'left', width: Math.max(64, name.length * 8 + 18) }));
  // A SpikeInterface analyzer's original unit id (when its ids are not the cluster ids) sits beside the cluster id.
  const unitId = labels.filter((c) => c.name === UNIT_ID);
  return [BUILTIN[0], ...unitId, ...BUILTIN.slice(1), ...labels.filter((c) => c.name !== UNIT_ID), ...METRIC_COLUMNS.filter((c) => shown.has(c.name))];
}

/** Every name a filter may use: every column, shown or not, with every metric. */
export function filterableColumns(labelColumns: readonly string[]): string[] {
  return [...clusterColumns(labelColumns).map((c) => c.name), ...METRIC_COLUMNS.map((c) => c.name), ...HIDDEN];
}

/**
 * The value of a column for a cluster (undefined when the column does not exist). A metric is
 * read from `metrics` (the live quality rows): null while the cluster's row is not computed yet,
 * or when the metric is undefined for it (NaN).
 */
export function columnValue(c: ClusterInfo, column: string, metrics?: MetricRows): FilterValue | undefined {
  if (METRIC_SET.has(column) && !(column in c.labels)) return metrics?.[c.id]?.[column] ?? null;
  switch (column) {
    case 'id':
      return c.id;
    case 'n_spikes':
      return c.nSpikes;
    case 'fr':
      return c.fr;
    case 'amp':
      return c.amp;
    case 'ch':
      return c.ch;
    case 'depth':
      return c.depth;
    case 'sh':
      return c.sh;
    case 'group':
      return c.group;
    case 'isi_viol':
      return c.isiViolations;
    case 'reviewed':
      return c.reviewed;
    default:
      return column in c.labels ? c.labels[column] : undefined;
  }
}

/** Text of a cell, with phy-like number formatting (3 significant decimals, thousands grouped). */
export function formatCell(value: FilterValue | undefined, column: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') {
    if (column === 'id' || column === 'ch' || column === 'sh') return String(value);
    if (column === 'n_spikes') return value.toLocaleString('en-US');
    if (column === 'isi_viol') return (value * 100).toFixed(1) + '%';
    if (Number.isInteger(value)) return String(value);
    const abs = Math.abs(value);
    return abs >= 100 ? value.toFixed(1) : abs >= 1 ? value.toFixed(2) : value.toPrecision(3);
  }
  return value;
}

/** Width of a character of the table's 13 px font, px (bold digits included, with a margin). */
const CELL_CHAR_PX = 8;
/** Cell padding (6 px each side) plus the header's sort arrow. */
const CELL_PAD_PX = 12;
const SORT_ARROW_PX = 12;
/** No column grows past this (a long free-text label): the cell keeps its ellipsis. */
const MAX_FITTED_PX = 320;

/**
 * Each column's width: its default, widened to its header and to the longest cell text of
 * `rows` (formatted as shown), so that numbers are never cut ("103…" for 1034, "0.08…").
 * `cellText` gives a column's text for a row (default: {@link formatCell} of {@link columnValue}).
 */
export function fitColumnWidths(
  columns: readonly ColumnDef[],
  rows: readonly ClusterInfo[],
  cellText: (c: ClusterInfo, column: ColumnDef) => string = (c, col) => formatCell(columnValue(c, col.name), col.name),
): ColumnDef[] {
  return columns.map((col) => {
    let chars = 0;
    for (const r of rows) chars = Math.max(chars, cellText(r, col).length);
    const fitted = Math.max(chars * CELL_CHAR_PX + CELL_PAD_PX, col.title.length * CELL_CHAR_PX + CELL_PAD_PX + SORT_ARROW_PX);
    const width = Math.max(col.width, Math.min(MAX_FITTED_PX, Math.ceil(fitted)));
    return width === col.width ? col : { ...col, width };
  });
}

function sortKey(v: FilterValue | undefined): number | string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  // Numeric-looking text sorts numerically (phy 2.1.1).
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : v.toLowerCase();
}

/** Sorts clusters by a column; missing values go last whatever the direction; ties by id. */
export function sortClusters(clusters: readonly ClusterInfo[], sort: SortState, metrics?: MetricRows): ClusterInfo[] {
  const dir = sort.direction === 'asc' ? 1 : -1;
  const keyed = clusters.map((c) => ({ c, k: sortKey(columnValue(c, sort.column, metrics)) }));
  keyed.sort((a, b) => {
    if (a.k === null || b.k === null) {
      if (a.k === b.k) return a.c.id - b.c.id;
      return a.k === null ? 1 : -1;
    }
    if (typeof a.k === 'number' && typeof b.k === 'number') {
      if (a.k !== b.k) return (a.k - b.k) * dir;
    } else {
      const cmp = String(a.k).localeCompare(String(b.k));
      if (cmp !== 0) return cmp * dir;
    }
    return a.c.id - b.c.id;
  });
  return keyed.map((x) => x.c);
}

/** Result of applying the filter expression. */
export interface FilterResult {
  clusters: ClusterInfo[];
  error: string | null;
}

/**
 * Filters clusters; an invalid expression keeps every cluster and reports the error. A metric not
 * computed yet is null, so `snr > 5` leaves the cluster out until its row arrives.
 */
export function filterClusters(clusters: readonly ClusterInfo[], text: string, labelColumns: readonly string[], metrics?: MetricRows): FilterResult {
  try {
    const pred = compileFilter<ClusterInfo>(text, filterableColumns(labelColumns), (c, column) => columnValue(c, column, metrics));
    return { clusters: clusters.filter(pred), error: null };
  } catch (e) {
    const msg = e instanceof FilterSyntaxError ? `${e.message} (at ${e.position + 1})` : String((e as Error).message ?? e);
    return { clusters: [...clusters], error: msg };
  }
}

/** Built-in columns that always hold numbers (`group` does not). */
const NUMERIC_BUILTIN = new Set(['id', 'n_spikes', 'fr', 'amp', 'ch', 'depth', 'sh', 'isi_viol']);

/** A cluster's value in `column` as a number (numeric-looking text too, as in phy's sort); null when missing or not a number. */
export function numericValue(c: ClusterInfo, column: string, metrics?: MetricRows): number | null {
  const v = columnValue(c, column, metrics);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** Whether `column` is numeric: a numeric built-in, or a label column with at least one number and no other text. */
export function isNumericColumn(column: string, clusters: readonly ClusterInfo[]): boolean {
  if (NUMERIC_BUILTIN.has(column) || METRIC_SET.has(column)) return true;
  if (column === 'group') return false;
  let any = false;
  for (const c of clusters) {
    const v = columnValue(c, column);
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) continue;
    if (numericValue(c, column) === null) return false;
    any = true;
  }
  return any;
}

/** The ClusterView columns a ClusterScatterView binding may use, in table order. */
export function numericColumns(labelColumns: readonly string[], clusters: readonly ClusterInfo[]): string[] {
  return clusterColumns(labelColumns)
    .map((c) => c.name)
    .filter((name) => isNumericColumn(name, clusters));
}

/**
 * The column a `:csx`/`:csy`/`:css` argument names (exact, else case-insensitive); throws a
 * message for the toast when it does not exist or is not numeric.
 */
export function resolveScatterColumn(arg: string | undefined, labelColumns: readonly string[], clusters: readonly ClusterInfo[], snippet: string): string {
  const numeric = numericColumns(labelColumns, clusters);
  const hint = `numeric columns: ${numeric.join(', ')}`;
  if (!arg) throw new Error(`:${snippet} needs a column (${hint})`);
  const names = clusterColumns(labelColumns).map((c) => c.name);
  const found = names.find((n) => n === arg) ?? names.find((n) => n.toLowerCase() === arg.toLowerCase());
  if (!found) throw new Error(`:${snippet}: no column '${arg}' (${hint})`);
  if (!numeric.includes(found)) throw new Error(`:${snippet}: '${found}' is not a numeric column (${hint})`);
  return found;
}
