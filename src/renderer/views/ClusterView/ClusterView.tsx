/**
 * ClusterView: every cluster, filtered and sorted (phy's cluster table). Click selects, ctrl+click
 * toggles, shift+click selects a range; a header click sorts (again: reverses); the filter box
 * takes phy's expressions (`n_spikes > 1000 && group != 'noise'`). Rows are coloured by group;
 * cells of the metrics the active label rules bound are tinted pass (green) or fail (red).
 */
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { markTablesShown } from '../../store/startupGate';
import { appStore, useAppStore } from '../../store/appStore';
import { visibleClusters } from '../../store/selectors';
import { clusterColumns, columnValue } from '../../store/clusterColumns';
import { selectClusters, setFilterText, toggleSort } from '../../store/actions';
import type { AppState } from '../../store/AppState';
import type { ViewProps } from '../catalog';
import { ClusterTable, clickSelection } from '../ClusterTable';
import type { ClusterInfo } from '../../../shared/ipc/contract';
import { useActiveRules } from '../useActiveRules';
import { judgeCell } from '../ruleVerdicts';

const FILTER_DEBOUNCE_MS = 180;

const selectSelection = (s: AppState) => s.selection;
const selectLabelColumns = (s: AppState) => s.session.labelColumns;
const selectSort = (s: AppState) => s.sort;
const selectFilterText = (s: AppState) => s.filter.text;
const selectLoaded = (s: AppState) => s.dataset !== null && s.generation >= 0 && s.clusters.length > 0;
const selectGeneration = (s: AppState) => s.generation;
const selectTotal = (s: AppState) => s.clusters.length;

export function ClusterView({ viewId }: ViewProps) {
  const visible = useAppStore(visibleClusters);
  const selection = useAppStore(selectSelection);
  const labelColumns = useAppStore(selectLabelColumns);
  const sort = useAppStore(selectSort);
  const filterText = useAppStore(selectFilterText);
  const loaded = useAppStore(selectLoaded);
  const generation = useAppStore(selectGeneration);
  const total = useAppStore(selectTotal);
  const columns = useMemo(() => clusterColumns(labelColumns), [labelColumns]);
  const anchor = useRef<number | null>(null);
  // Cells of the metrics the active label rules bound are tinted pass/fail (issue #13).
  const { rules } = useActiveRules();
  const cellVerdict = useCallback((c: ClusterInfo, column: string) => judgeCell(rules, column, columnValue(c, column)), [rules]);

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
    <div className="cv" data-view="ClusterView" data-view-id={viewId} data-state={state} data-generation={generation}>
      <div className="cv-filter">
        <span className="cv-filter-icon" aria-hidden="true">
          ⌕
        </span>
        <input
          type="text"
          aria-label="Filter clusters"
          placeholder="filter: n_spikes > 1000 && group != 'noise'"
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
        cellVerdict={cellVerdict}
      />
      <div className="cv-status">
        <span>
          clusters: {visible.clusters.length === total ? total : `${visible.clusters.length} / ${total}`}
          {selection.clusterIds.length ? ` · selected: ${selection.clusterIds.join(', ')}` : ''}
        </span>
        {visible.error ? <span className="error" role="alert">filter: {visible.error}</span> : null}
      </div>
    </div>
  );
}

export default ClusterView;
