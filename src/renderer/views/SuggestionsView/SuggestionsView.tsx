/**
 * SuggestionsView: the review queue (issue #13) — suggested merges, best score first, then the
 * proposals imported from SpikeInterface `curation.json` files. One row per proposed merge: its
 * state, clusters, score, the strongest evidence terms and where it came from. Clicking a row
 * goes to it (store action `selectReviewItem`): its clusters become the selection of every view.
 * The review keys (alt+y accept, alt+x reject, alt+j skip, alt+q next pending) are commands
 * (`commands/reviewCommands.ts`); the toolbar buttons run the same commands.
 */
import { useEffect, useMemo, useRef, type CSSProperties } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ReviewItem, ReviewState } from '../../../shared/ipc/contract';
import { useAppStore } from '../../store/appStore';
import type { AppState } from '../../store/AppState';
import { selectReviewItem } from '../../store/actions';
import { useRunCommand } from '../../commands/CommandsContext';
import type { ViewProps } from '../catalog';
import '../clusterTable.css';
import './suggestionsView.css';

const selectReview = (s: AppState) => s.review;
const selectGeneration = (s: AppState) => s.generation;

const ROW_HEIGHT = 24;

/** Words for each state, as the row's badge says it. */
const STATE_TEXT: Record<ReviewState, string> = {
  pending: 'pending',
  accepted: 'accepted',
  'accepted-modified': 'accepted (modified)',
  rejected: 'rejected',
  stale: 'stale',
};

const STATE_TITLE: Record<ReviewState, string> = {
  pending: 'Not decided yet: alt+y accepts (merges), alt+x rejects, alt+j skips',
  accepted: 'Merged as proposed (undo the merge with ctrl+z to reopen it)',
  'accepted-modified': 'Merged, but not exactly as proposed (a subset, or with other clusters)',
  rejected: 'Rejected: the clusters stay apart (Edit → Reopen suggestion to reconsider)',
  stale: 'One of its clusters no longer exists (split, or merged elsewhere): nothing to decide',
};

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/**
 * The evidence a curator reads first (`core/suggest/README.md`), in this order, as short text:
 * template similarity, distance, the refractory dip (pairs < 1 ms observed / expected), merged
 * contamination, feature mixing. At most 3, skipping terms without a value.
 */
export function keyEvidence(e: Record<string, number | null>): string[] {
  const num = (k: string) => (typeof e[k] === 'number' && Number.isFinite(e[k]) ? (e[k] as number) : null);
  const out: string[] = [];
  const t = num('template_similarity');
  if (t !== null) out.push(`template ${fmt(t)}`);
  const d = num('distance_um');
  if (d !== null) out.push(`${d.toFixed(0)} µm`);
  const o = num('ccg_observed');
  const x = num('ccg_expected');
  if (o !== null && x !== null && x > 0) out.push(`ccg ${o}/${fmt(x)}`);
  const rp = num('rp_contamination_merged');
  if (rp !== null) out.push(`rp ${fmt(rp)}`);
  const m = num('feature_mixing');
  if (m !== null) out.push(`mixing ${fmt(m)}`);
  return out.slice(0, 3);
}

/**
 * Every evidence term of a pair in words, for the strip under the table (the evidence cell shows
 * the first three; a narrow pane cuts even those). Terms without a value are left out.
 */
export function evidenceLines(e: Record<string, number | null>): string[] {
  const num = (k: string) => (typeof e[k] === 'number' && Number.isFinite(e[k]) ? (e[k] as number) : null);
  const out: string[] = [];
  const t = num('template_similarity');
  const lag = num('template_lag');
  if (t !== null) out.push(`template similarity ${fmt(t)}${lag ? ` (lag ${lag} samples)` : ''}`);
  const d = num('distance_um');
  if (d !== null) out.push(`units ${d.toFixed(0)} µm apart`);
  const o = num('ccg_observed');
  const x = num('ccg_expected');
  if (o !== null && x !== null) out.push(`CCG pairs < 1 ms: ${o} seen, ${fmt(x)} expected`);
  const rpm = num('rp_contamination_merged');
  const rpp = num('rp_contamination_parts');
  if (rpm !== null) out.push(`rp_contamination merged ${fmt(rpm)}${rpp !== null ? ` (worse part ${fmt(rpp)})` : ''}`);
  const tc = num('temporal_complementarity');
  const ac = num('amplitude_continuity');
  if (tc !== null) out.push(`temporal complementarity ${fmt(tc)}${ac !== null ? `, amplitude continuity ${fmt(ac)}` : ''}`);
  const m = num('feature_mixing');
  if (m !== null) out.push(`feature mixing ${fmt(m)}`);
  return out;
}

/** Where a row came from, always in the same order. */
function source(item: ReviewItem): string {
  return ['suggested', 'curation.json'].filter((s) => item.sources.includes(s as ReviewItem['sources'][number])).join(' + ');
}

/** Text of the clusters cell: `11 + 13`, and `→ 29` once merged. */
function clustersText(it: ReviewItem): string {
  return it.clusters.join(' + ') + (it.mergedInto !== null ? ` → ${it.mergedInto}` : '');
}

/**
 * Grid columns: the clusters column fits its longest text (≈8.5 px per character of the bold
 * 12 px UI font, measured on the screenshot), so `8 + 10 + 18 → 31` is never cut in the narrow pane beside ClusterView.
 */
function gridColumns(items: readonly ReviewItem[]): { template: string; minWidth: number } {
  const chars = Math.max(8, ...items.map((it) => clustersText(it).length));
  const clusters = Math.min(340, Math.ceil(chars * 8.5) + 18);
  return { template: `${clusters}px 86px 52px minmax(120px, 2fr) minmax(84px, 1fr)`, minWidth: clusters + 86 + 52 + 120 + 84 + 8 };
}

export function SuggestionsView({ viewId }: ViewProps) {
  const review = useAppStore(selectReview);
  const generation = useAppStore(selectGeneration);
  const run = useRunCommand();
  const scrollRef = useRef<HTMLDivElement>(null);
  const items = useMemo(() => review.list?.items ?? [], [review.list]);
  const counts = useMemo(() => {
    const c: Record<ReviewState, number> = { pending: 0, accepted: 0, 'accepted-modified': 0, rejected: 0, stale: 0 };
    for (const it of items) c[it.state]++;
    return c;
  }, [items]);

  const { template: COLUMNS, minWidth } = useMemo(() => gridColumns(items), [items]);
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const currentIndex = items.findIndex((it) => it.id === review.current);
  const currentItem = currentIndex >= 0 ? items[currentIndex] : null;
  useEffect(() => {
    if (currentIndex >= 0) virtualizer.scrollToIndex(currentIndex, { align: 'auto' });
  }, [currentIndex, virtualizer]);

  const list = review.list;
  const state = !list ? 'loading' : items.length === 0 ? 'empty' : 'ready';
  const status = list?.suggestions;
  const sourceNote =
    status?.state === 'computing' ? 'computing merge suggestions…' : status?.state === 'unavailable' ? `no computed suggestions${status.message ? `: ${status.message}` : ''}` : 'computed suggestions ready';

  return (
    <div className="cv sv" data-view="SuggestionsView" data-view-id={viewId} data-state={state} data-generation={generation} data-pending={list?.pending ?? 0}>
      <div className="sv-toolbar">
        <button type="button" className="sv-btn sv-accept" title="Accept: merge the proposed clusters (journaled, undo with ctrl+z) — alt+y" onClick={() => void run('review.accept')}>
          Accept <kbd>alt+y</kbd>
        </button>
        <button type="button" className="sv-btn" title="Reject: keep the clusters apart — alt+x" onClick={() => void run('review.reject')}>
          Reject <kbd>alt+x</kbd>
        </button>
        <button type="button" className="sv-btn" title="Skip: decide later (offered again after the others) — alt+j" onClick={() => void run('review.skip')}>
          Skip <kbd>alt+j</kbd>
        </button>
        <button type="button" className="sv-btn" title="Go to the next pending suggestion — alt+q" onClick={() => void run('review.nextPending')}>
          Next <kbd>alt+q</kbd>
        </button>
      </div>
      <div className="ct" role="grid" aria-label="Suggested merges" aria-rowcount={items.length + 1} aria-colcount={5}>
        <div className="ct-scroll" ref={scrollRef}>
          <div className="ct-inner" style={{ minWidth }}>
            <div className="ct-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: COLUMNS }}>
              <div role="columnheader" className="ct-head-cell" title="The clusters the proposal merges (→ the cluster that holds the merge, once accepted)">clusters</div>
              <div role="columnheader" className="ct-head-cell" title="pending, accepted, accepted (modified), rejected or stale">state</div>
              <div role="columnheader" className="ct-head-cell" style={{ justifyContent: 'flex-end' }} title="Suggestion score, higher is more likely one neuron (imported proposals have none)">score</div>
              <div role="columnheader" className="ct-head-cell" title="The strongest evidence terms of the score">evidence</div>
              <div role="columnheader" className="ct-head-cell" title="Computed by spikedock, or read from a SpikeInterface curation.json">source</div>
            </div>
            <div className="ct-body" style={{ height: virtualizer.getTotalSize() }}>
              {virtualizer.getVirtualItems().map((v) => {
                const it = items[v.index];
                const current = it.id === review.current;
                const style: CSSProperties = { gridTemplateColumns: COLUMNS, transform: `translateY(${v.start}px)`, height: ROW_HEIGHT };
                const ev = keyEvidence(it.evidence);
                return (
                  <div
                    key={it.id}
                    role="row"
                    aria-rowindex={v.index + 2}
                    aria-selected={current ? 'true' : 'false'}
                    data-item-id={it.id}
                    data-state={it.state}
                    className={`ct-row sv-row sv-${it.state}${current ? ' selected sv-current' : ''}${v.index % 2 ? ' odd' : ''}`}
                    style={style}
                    onClick={() => selectReviewItem(it)}
                  >
                    <div role="gridcell" className="ct-cell sv-clusters" title={it.mergedInto !== null ? `merged into ${it.mergedInto}` : undefined}>
                      <span className="sv-proposed">{it.clusters.join(' + ')}</span>
                      {it.mergedInto !== null ? <span className="sv-into"> → {it.mergedInto}</span> : null}
                    </div>
                    <div role="gridcell" className="ct-cell" title={it.skipped ? 'Skipped: offered again after the other pending ones' : STATE_TITLE[it.state]}>
                      <span className={`sv-badge sv-badge-${it.state}${it.skipped ? ' sv-badge-skipped' : ''}`}>{it.skipped ? 'skipped' : STATE_TEXT[it.state]}</span>
                    </div>
                    <div role="gridcell" className="ct-cell right">
                      {it.score === null ? '—' : it.score.toFixed(3)}
                    </div>
                    <div role="gridcell" className="ct-cell sv-evidence" title={Object.entries(it.evidence).map(([k, x]) => `${k}: ${x === null ? 'n/a' : x}`).join('\n') || undefined}>
                      {ev.length ? ev.join(' · ') : '—'}
                    </div>
                    <div role="gridcell" className="ct-cell sv-source" title={it.files.join('\n') || undefined}>
                      {source(it)}
                    </div>
                  </div>
                );
              })}
            </div>
            {state !== 'ready' ? (
              <div className="ct-empty">
                {state === 'loading' ? 'Reading the review queue…' : 'No merge to review. Computed suggestions appear here, and File → Open curation.json… adds the merges of a SpikeInterface curation file.'}
              </div>
            ) : null}
          </div>
        </div>
      </div>
      {currentItem ? (
        <div className="sv-detail" data-status="review-evidence">
          <b>{currentItem.clusters.join(' + ')}</b>
          {currentItem.score !== null ? ` · score ${currentItem.score.toFixed(3)}` : ''}
          {' · '}
          {evidenceLines(currentItem.evidence).join(' · ') || (currentItem.sources.includes('suggested') ? 'no evidence terms' : 'imported proposal: no computed evidence')}
        </div>
      ) : null}
      <div className="cv-status" title={[sourceNote, ...(list?.files ?? []).map((f) => `read from ${f}`)].join('\n')}>
        <span data-status="review-counts">
          <b>{counts.pending}</b> pending · {counts.accepted + counts['accepted-modified']} accepted · {counts.rejected} rejected{counts.stale ? ` · ${counts.stale} stale` : ''} · {status?.state === 'computing' ? 'computing suggestions…' : `${items.length} in all`}
        </span>
      </div>
    </div>
  );
}

export default SuggestionsView;
