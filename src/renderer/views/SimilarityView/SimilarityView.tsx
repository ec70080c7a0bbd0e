/**
 * SimilarityView: the clusters most similar to the last selected best cluster, most similar
 * first, with their similarity (3 decimals), excluding the selected clusters (phy). Click selects
 * a similar cluster next to the best ones (2nd colour, red), ctrl+click adds, shift+click ranges.
 */
import { useCallback, useMemo, useRef, type MouseEvent } from 'react';
import type { ClusterInfo } from '../../../shared/ipc/contract';
import { appStore, useAppStore } from '../../store/appStore';
import { clusterColumns } from '../../store/clusterColumns';
import { setSimilarSelection } from '../../store/actions';
import type { AppState } from '../../store/AppState';
import { orderedSimilar } from '../../store/selectors';
import type { ViewProps } from '../catalog';
import { ClusterTable, clickSelection, type ExtraColumn } from '../ClusterTable';
import '../clusterTable.css';

const selectSimilar = (s: AppState) => s.similar;
const selectOrdered = (s: AppState) => orderedSimilar(s);
const selectOrder = (s: AppState) => s.ui.similarOrder;
const selectClusters = (s: AppState) => s.clusters;
const selectSelection = (s: AppState) => s.selection;
const selectLabelColumns = (s: AppState) => s.session.labelColumns;
const selectGeneration = (s: AppState) => s.generation;

export function SimilarityView({ viewId }: ViewProps) {
  const similar = useAppStore(selectSimilar);
  const ordered = useAppStore(selectOrdered);
  const order = useAppStore(selectOrder);
  const clusters = useAppStore(selectClusters);
  const selection = useAppStore(selectSelection);
  const labelColumns = useAppStore(selectLabelColumns);
  const generation = useAppStore(selectGeneration);
  const anchor = useRef<number | null>(null);

  const { rows, score, suggestion } = useMemo(() => {
    const byId = new Map(clusters.map((c) => [c.id, c]));
    const best = new Set(selection.clusterIds);
    const out: ClusterInfo[] = [];
    const sc = new Map<number, number>();
    const sg = new Map<number, number | null>();
    for (const item of ordered) {
      const c = byId.get(item.id);
      if (!c || best.has(item.id)) continue;
      out.push(c);
      sc.set(item.id, item.similarity);
      sg.set(item.id, item.score ?? null);
    }
    return { rows: out, score: sc, suggestion: sg };
  }, [ordered, clusters, selection.clusterIds]);

  const columns = useMemo(() => clusterColumns(labelColumns), [labelColumns]);
  const extra = useMemo<ExtraColumn[]>(
    () => [
      {
        def: { name: 'score', title: 'score', description: `merge suggestion score with the selected cluster (higher = more likely one neuron; — where the pair is not scored: not neighbours)${order === 'suggestion' ? '; the rows and the wizard follow it' : ''}`, align: 'right', width: 58 },
        value: (c) => {
          const v = suggestion.get(c.id);
          return typeof v === 'number' ? v.toFixed(3) : '—';
        },
      },
      {
        def: { name: 'similarity', title: 'similarity', description: `similarity to the selected cluster (phy's similar_templates)${order === 'similarity' ? '; the rows and the wizard follow it' : ''}`, align: 'right', width: 78 },
        value: (c) => (score.get(c.id) ?? 0).toFixed(3),
      },
    ],
    [score, suggestion, order],
  );
  const selected = useMemo(() => new Map(selection.similarIds.map((id, i) => [id, selection.clusterIds.length + i])), [selection]);

  const onRowClick = useCallback(
    (id: number, e: MouseEvent) => {
      const s = appStore.getState();
      if (s.selection.clusterIds.length === 0) return;
      const order = rows.map((c) => c.id);
      const ids = clickSelection(order, s.selection.similarIds, anchor.current, id, e);
      if (!e.shiftKey) anchor.current = id;
      setSimilarSelection(ids);
    },
    [rows],
  );

  const best = similar.clusterId;
  const state = best === null ? 'empty' : similar.loading && rows.length === 0 ? 'loading' : rows.length === 0 ? 'empty' : 'ready';
  const lastSelected = selection.similarIds[selection.similarIds.length - 1] ?? null;

  return (
    <div className="cv" data-view="SimilarityView" data-view-id={viewId} data-state={state} data-generation={generation}>
      <ClusterTable
        label="Similar clusters"
        rows={rows}
        columns={columns}
        extra={extra}
        selected={selected}
        onRowClick={onRowClick}
        scrollToId={lastSelected}
        empty={best === null ? 'Select a cluster to list the most similar ones.' : similar.loading ? 'Computing similar clusters…' : 'No similar cluster.'}
      />
      <div className="cv-status">
        <span>{best === null ? 'similar clusters' : `similar to ${best}: ${rows.length}${selection.similarIds.length ? ` · selected: ${selection.similarIds.join(', ')}` : ''}`}</span>
      </div>
    </div>
  );
}

export default SimilarityView;
