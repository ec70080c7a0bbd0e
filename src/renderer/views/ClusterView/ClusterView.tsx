/**
 * ClusterView: every cluster, filtered and sorted (phy's cluster table). Click selects, ctrl+click
 * toggles, shift+click selects a range; a header click sorts (again: reverses); the filter box
 * takes phy's expressions (`n_spikes > 1000 && group != 'noise'`), on every column and every
 * quality metric (`snr > 5 && isi_violations_ratio < 0.1`). Rows are coloured by group. The
 * quality metric columns fill in as the backend computes them; a few are shown, the others are
 * picked from the header's context menu or the "Columns…" button. Cells of the columns the
 * active label rules bound are tinted pass (green) or fail (red).
 */
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { markTablesShown } from '../../store/startupGate';
import { appStore, useAppStore } from '../../store/appStore';
import { visibleClusters } from '../../store/selectors';
import { clusterColumns, DEFAULT_METRIC_COLUMNS, METRIC_COLUMNS } from '../../store/clusterColumns';
import { useViewSettings } from '../../store/viewSettings';
import { ColumnsMenu } from './ColumnsMenu';
import { selectClusters, setFilterText, toggleSort } from '../../store/actions';
import type { AppState } from '../../store/AppState';
import type { ViewProps } from '../catalog';
import { ClusterTable, clickSelection } from '../ClusterTable';
import { selectLabelRules } from '../../store/labelRules';
import { judgeCell } from '../ruleVerdicts';

const FILTER_DEBOUNCE_MS = 180;

const selectSelection = (s: AppState) => s.selection;
const selectLabelColumns = (s: AppState) => s.session.labelColumns;
const selectSort = (s: AppState) => s.sort;
const selectFilterText = (s: AppState) => s.filter.text;
const selectLoaded = (s: AppState) => s.dataset !== null && s.generation >= 0 && s.clusters.length > 0;
const selectGeneration = (s: AppState) => s.generation;
const selectTotal = (s: AppState) => s.clusters.length;
const selectMetricRows = (s: AppState) => s.quality.rows;
const selectMetricProgress = (s: AppState) => (s.quality.total > 0 && s.quality.computed < s.quality.total ? `metrics ${s.quality.computed}/${s.quality.total}` : '');

const COLUMN_DEFAULTS = { metricColumns: DEFAULT_METRIC_COLUMNS as readonly string[] };

export function ClusterView({ viewId }: ViewProps) {
  const visible = useAppStore(visibleClusters);
  const selection = useAppStore(selectSelection);
  const labelColumns = useAppStore(selectLabelColumns);
  const sort = useAppStore(selectSort);
  const filterText = useAppStore(selectFilterText);
  const loaded = useAppStore(selectLoaded);
  const generation = useAppStore(selectGeneration);
  const total = useAppStore(selectTotal);
  const metricRows = useAppStore(selectMetricRows);
  const metricProgress = useAppStore(selectMetricProgress);
  const [settings, setSettings] = useViewSettings('ClusterView', COLUMN_DEFAULTS);
  const columns = useMemo(() => clusterColumns(labelColumns, settings.metricColumns), [labelColumns, settings.metricColumns]);
  const anchor = useRef<number | null>(null);
  // Cells of the columns the active label rules bound are tinted pass/fail (issue #13).
  const rules = useAppStore(selectLabelRules);
  const cellVerdict = useCallback((column: string, value: unknown) => judgeCell(rules, column, value), [rules]);
  const rootRef = useRef<HTMLDivElement>(null);
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const openMenu = useCallback((clientX: number, clientY: number) => {
    const r = rootRef.current?.getBoundingClientRect();
    setMenu({ x: Math.max(0, clientX - (r?.left ?? 0)), y: Math.max(0, clientY - (r?.top ?? 0)) });
  }, []);
  const closeMenu = useCallback(() => setMenu(null), []);
  const toggleColumn = useCallback(
    (column: string, show: boolean) => {
      const now = new Set(settings.metricColumns);
      if (show) now.add(column);
      else now.delete(column);
      setSettings({ metricColumns: METRIC_COLUMNS.map((c) => c.name).filter((n) => now.has(n)) });
    },
    [settings.metricColumns, setSettings],
  );

  const [draft, setDraft] = useState(filterText);
  // The plot views mount after the rows are on screen (app/layout/startupGate.ts).
  useEffect(() => {
    if (loaded) markTablesShown();
  }, [loaded]);
  useEffect(() => setDraft(filterText), [filterText]);
  useEffect(() => {
    if (draft === appStore.getState().filter.text) return;
    const t = setTimeout(() => {
      setFilterText(draft);
    }, FILTER_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [draft]);

  const selected = useMemo(() => new Map(selection.clusterIds.map((id, i) => [id, i])), [selection.clusterIds]);

  const onRowClick = useCallback(
    (id: number, e: MouseEvent) => {
      const s = appStore.getState();
      const order = visibleClusters(s).clusters.map((c) => c.id);
      const ids = clickSelection(order, s.selection.clusterIds, anchor.current, id, e);
      if (!e.shiftKey) anchor.current = id;
      selectClusters(ids);
    },
    [],
  );

  const onSort = useCallback((column: string) => {
    toggleSort(column);
  }, []);

  const state = !loaded ? (total === 0 && generation > 0 ? 'empty' : 'loading') : visible.clusters.length === 0 ? 'empty' : 'ready';
  const lastSelected = selection.clusterIds[selection.clusterIds.length - 1] ?? null;

  return (
    <div className="cv" ref={rootRef} data-view="ClusterView" data-view-id={viewId} data-state={state} data-generation={generation}>
      <div className="cv-filter">
        <span className="cv-filter-icon" aria-hidden="true">
          ⌕
        </span>
        <input
          type="text"
          aria-label="Filter clusters"
          placeholder="filter: snr > 5 && group != 'noise'"
          spellCheck={false}
          className={visible.error ? 'invalid' : ''}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setDraft('');
              (e.target as HTMLInputElement).blur();
            } else if (e.key === 'Enter') {
              setFilterText(draft);
              (e.target as HTMLInputElement).blur();
            }
            e.stopPropagation();
          }}
        />
        <button
          type="button"
          className="cv-columns-button"
          aria-haspopup="menu"
          title="Show or hide the quality metric columns (also: right-click a column header)"
          onClick={(e) => {
            const b = (e.currentTarget as HTMLElement).getBoundingClientRect();
            openMenu(b.left, b.bottom);
          }}
        >
          Columns…
        </button>
      </div>
      <ClusterTable
        label="Clusters"
        rows={visible.clusters}
        columns={columns}
        selected={selected}
        sort={sort}
        onSort={onSort}
        onRowClick={onRowClick}
        scrollToId={lastSelected}
        empty={loaded ? (filterText ? 'No cluster matches the filter.' : 'No clusters.') : 'Loading clusters…'}
        metrics={metricRows}
        onHeaderContextMenu={(e) => {
          e.preventDefault();
          openMenu(e.clientX, e.clientY);
        }}
        cellVerdict={cellVerdict}
      />
      {menu ? (
        <ColumnsMenu x={menu.x} y={menu.y} shown={settings.metricColumns} onToggle={toggleColumn} onReset={() => setSettings({ metricColumns: DEFAULT_METRIC_COLUMNS })} onClose={closeMenu} />
      ) : null}
      <div className="cv-status">
        <span>
          clusters: {visible.clusters.length === total ? total : `${visible.clusters.length} / ${total}`}
          {selection.clusterIds.length ? ` · selected: ${selection.clusterIds.join(', ')}` : ''}
        </span>
        {visible.error ? (
          <span className="error" role="alert">
            filter: {visible.error}
          </span>
        ) : metricProgress ? (
          <span title="quality metrics computed in the background; their cells fill in as they arrive">{metricProgress}</span>
        ) : null}
      </div>
    </div>
  );
}

export default ClusterView;
