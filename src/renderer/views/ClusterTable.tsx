/**
 * The cluster grid shared by ClusterView and SimilarityView: an ARIA grid (role="grid", rows
 * role="row" with aria-selected, cells role="gridcell", the first cell the cluster id),
 * virtualised so 5,000+ rows scroll smoothly (only the ~40 visible rows are in the DOM).
 */
import { useCallback, useEffect, useMemo, useRef, type CSSProperties, type MouseEvent, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ClusterInfo } from '../../shared/ipc/contract';
import type { Verdict } from '../../core/rules/labelRules';
import type { FilterValue } from '../../core/filterExpression';
import { columnValue, fitColumnWidths, formatCell, isMetricColumn, type ColumnDef, type MetricRows } from '../store/clusterColumns';
import type { SortState } from '../store/AppState';
import { groupColor, selectionColor } from '../theme/colors';
import './clusterTable.css';

export const ROW_HEIGHT = 22;

/** An extra column computed outside ClusterInfo (e.g. similarity). */
export interface ExtraColumn {
  def: ColumnDef;
  value: (c: ClusterInfo) => string;
}

export interface ClusterTableProps {
  label: string;
  rows: ClusterInfo[];
  columns: ColumnDef[];
  /** Inserted after the id column, in order. */
  extra?: ExtraColumn | readonly ExtraColumn[];
  /** Selected cluster id → colour slot (0 = 1st selected, blue). */
  selected: ReadonlyMap<number, number>;
  sort?: SortState;
  onSort?: (column: string) => void;
  onRowClick: (clusterId: number, e: MouseEvent) => void;
  /** Row to keep in view (the last selected). */
  scrollToId?: number | null;
  empty?: ReactNode;
  /** The live quality rows, for metric columns (a cell is empty, "computing", until its row arrives). */
  metrics?: MetricRows;
  /** Right-click on the header (ClusterView: show or hide columns). */
  onHeaderContextMenu?: (e: MouseEvent) => void;
  /**
   * A cell's verdict under the active label rules, from its column and the value it shows
   * (`pass` / `fail` tint the cell, with the reason as its tooltip); null or absent: no tint.
   * Cells still computing are not judged.
   */
  cellVerdict?: (column: string, value: FilterValue | undefined) => { verdict: Verdict; title: string } | null;
}

function rgba(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

export function ClusterTable({ label, rows, columns, extra, selected, sort, onSort, onRowClick, scrollToId, empty, metrics, onHeaderContextMenu, cellVerdict }: ClusterTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const extras = useMemo<readonly ExtraColumn[]>(() => (!extra ? [] : Array.isArray(extra) ? extra : [extra as ExtraColumn]), [extra]);
  // Widths fitted to the rows' text: a fixed width cut 4-digit ids and long decimals.
  const all = useMemo(() => {
    const fitted = fitColumnWidths(columns, rows, (c, col) => formatCell(columnValue(c, col.name, metrics), col.name));
    const extraDefs = extras.map((e) => fitColumnWidths([e.def], rows, (c) => e.value(c))[0]);
    return [fitted[0], ...extraDefs, ...fitted.slice(1)];
  }, [columns, rows, extras, metrics]);
  const template = all.map((c) => `${c.width}px`).join(' ') + ' minmax(8px, 1fr)';
  const totalWidth = all.reduce((a, c) => a + c.width, 0) + 8;

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  // Keep the last selected row in view (wizard keys move the selection off-screen).
  const index = scrollToId == null ? -1 : rows.findIndex((r) => r.id === scrollToId);
  useEffect(() => {
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [scrollToId, index, virtualizer]);

  const header = useCallback(
    (c: ColumnDef) => {
      const active = sort?.column === c.name;
      return (
        <div
          key={c.name}
          role="columnheader"
          aria-sort={active ? (sort!.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
          className={'ct-head-cell' + (active ? ' active' : '') + (onSort ? ' sortable' : '')}
          style={{ justifyContent: c.align === 'right' ? 'flex-end' : 'flex-start' }}
          title={c.description + (onSort ? ' — click to sort' : '')}
          onClick={onSort ? () => onSort(c.name) : undefined}
        >
          {c.title}
          {active ? <span className="ct-sort">{sort!.direction === 'asc' ? '▲' : '▼'}</span> : null}
        </div>
      );
    },
    [sort, onSort],
  );

  return (
    <div className="ct" role="grid" aria-label={label} aria-rowcount={rows.length + 1} aria-colcount={all.length} aria-multiselectable="true">
      <div className="ct-scroll" ref={scrollRef}>
        <div className="ct-inner" style={{ minWidth: totalWidth }}>
          <div className="ct-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }} onContextMenu={onHeaderContextMenu}>
            {all.map(header)}
          </div>
          <div className="ct-body" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((v) => {
              const c = rows[v.index];
              const slot = selected.get(c.id);
              const isSelected = slot !== undefined;
              const fg = groupColor(c.group);
              const style: CSSProperties = {
                gridTemplateColumns: template,
                transform: `translateY(${v.start}px)`,
                height: ROW_HEIGHT,
              };
              if (isSelected) {
                style.background = rgba(selectionColor(slot), 0.5);
                style.boxShadow = `inset 3px 0 0 ${selectionColor(slot)}`;
              }
              if (fg) style.color = fg;
              return (
                <div
                  key={c.id}
                  role="row"
                  aria-rowindex={v.index + 2}
                  aria-selected={isSelected ? 'true' : 'false'}
                  data-cluster-id={c.id}
                  data-group={c.group ?? ''}
                  className={'ct-row' + (isSelected ? ' selected' : '') + (v.index % 2 ? ' odd' : '')}
                  style={style}
                  onMouseDown={(e) => {
                    if (e.shiftKey || e.ctrlKey || e.metaKey) e.preventDefault();
                  }}
                  onClick={(e) => onRowClick(c.id, e)}
                >
                  {all.map((col) => {
                    const ex = extras.find((e) => e.def.name === col.name);
                    const computing = metrics !== undefined && isMetricColumn(col.name) && !metrics[c.id];
                    const value = ex ? undefined : columnValue(c, col.name, metrics);
                    const judged = computing || !cellVerdict ? null : cellVerdict(col.name, value);
                    const tint = judged && judged.verdict !== 'skip' ? ` verdict-${judged.verdict}` : '';
                    return (
                      <div
                        key={col.name}
                        role="gridcell"
                        data-column={col.name}
                        data-verdict={judged?.verdict}
                        className={'ct-cell' + (col.align === 'right' ? ' right' : '') + (computing ? ' computing' : '') + tint}
                        title={computing ? 'computing…' : judged?.title}
                      >
                        {ex ? ex.value(c) : formatCell(value, col.name)}
                      </div>
                    );
                  })}
                </div>
              );
            })}
          </div>
          {rows.length === 0 && empty ? <div className="ct-empty">{empty}</div> : null}
        </div>
      </div>
    </div>
  );
}

/** Click / ctrl+click / shift+click selection over an ordered list (phy's table behaviour). */
export function clickSelection(order: readonly number[], current: readonly number[], anchor: number | null, id: number, e: { ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }): number[] {
  if (e.shiftKey && anchor !== null) {
    const a = order.indexOf(anchor);
    const b = order.indexOf(id);
    if (a >= 0 && b >= 0) {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const range = order.slice(lo, hi + 1);
      return a <= b ? range : range.reverse();
    }
  }
  if (e.ctrlKey || e.metaKey) return current.includes(id) ? current.filter((x) => x !== id) : [...current, id];
  return [id];
}
