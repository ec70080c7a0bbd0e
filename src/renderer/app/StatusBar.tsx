/**
 * The status bar (role="status"): dataset, clusters, reviewed progress ("what's left to
 * review" — click to go to the next unreviewed cluster), selection, the merge preview of a
 * selection of 2 clusters or more (what `g` would do to refractory contamination), what the wizard skipped,
 * last action, background work with progress, the autosave indicator and the unsaved state.
 */
import { useAppStore } from '../store/appStore';
import type { AppState } from '../store/AppState';
import { reviewProgress } from '../store/selectors';
import { useRunCommand } from '../commands/CommandsContext';
import { selectionColor } from '../theme/colors';
import { mergeStatusText, useMergePreview, VERDICT_COLORS } from '../views/mergePreview';
import { formatValue } from '../plot/rect';

const selectDataset = (s: AppState) => s.dataset;
const selectSession = (s: AppState) => s.session;
const selectProgress = (s: AppState) => s.progress;
const selectSelection = (s: AppState) => s.selection;
/** The wizard's skip note, while the selection it led to lasts. */
const selectWizardNote = (s: AppState) => {
  const n = s.wizardNote;
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  return n && same(n.selection.clusterIds, s.selection.clusterIds) && same(n.selection.similarIds, s.selection.similarIds) ? n.text : null;
};
/** Review-queue items pending (null when the queue is empty: nothing to show). */
const selectPendingReview = (s: AppState) => (s.review.list && s.review.list.items.length ? s.review.list.pending : null);
const selectReview = (s: AppState) => {
  const r = reviewProgress(s);
  return [r.reviewed, r.total];
};

function time(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The merge preview of the selection (nothing below 2 clusters or while it loads). */
function MergePreviewStatus({ clusterIds }: { clusterIds: number[] }) {
  const preview = useMergePreview(clusterIds);
  if (!preview) return null;
  const v = preview.verdict;
  const why = `The merged train has ${v.mergedViolations} refractory violations (pairs ≤ 1 ms); at the parts' contamination (${formatValue(v.partsContamination)}, spike-weighted) it would have ${formatValue(v.expectedViolations)} ± ${formatValue(v.tolerance)}. Press g to merge.`;
  return (
    <span className="sb-item sb-merge" data-status="merge-preview" data-verdict={v.verdict} title={why} style={{ color: VERDICT_COLORS[v.verdict] }}>
      {mergeStatusText(preview)}
    </span>
  );
}

const selectProposal = (s: AppState) => s.proposal;

/**
 * The split proposal shown (its summary, the parts in their view colours) and its keys: `k
 * accept · esc cancel`, or `esc leaves` for a view-only one (early vs late); while one is
 * computed (a re-cluster in the background lane), a spinner with its kind.
 */
function ProposalStatus() {
  const proposal = useAppStore(selectProposal);
  const run = useRunCommand();
  const p = proposal.current;
  if (!p && !proposal.computing) return null;
  if (!p) {
    return (
      <span className="sb-item sb-proposal" data-status="proposal" data-state="computing">
        <span className="spinner" aria-hidden="true" /> {proposal.computing === 'recluster' ? 're-clustering…' : `${proposal.computing}…`}
      </span>
    );
  }
  return (
    <span className="sb-item sb-proposal" data-status="proposal" data-kind={p.kind} data-state="shown" title={p.parts.map((x) => `${x.name}: ${x.nSpikes.toLocaleString('en-US')} spikes${x.group ? ` → ${x.group}` : ''}`).join('\n')}>
      {p.summary}
      {' — '}
      {p.committable ? (
        <>
          <button type="button" className="sb-link" onClick={() => void run('cluster.split')}>
            k accept
          </button>
          {' · '}
        </>
      ) : null}
      <button type="button" className="sb-link" onClick={() => void run('proposal.cancel')}>
        {p.committable ? 'esc cancel' : 'esc leaves'}
      </button>
    </span>
  );
}

export function StatusBar() {
  const dataset = useAppStore(selectDataset);
  const session = useAppStore(selectSession);
  const progress = useAppStore(selectProgress);
  const selection = useAppStore(selectSelection);
  const wizardNote = useAppStore(selectWizardNote);
  const [reviewed, total] = useAppStore(selectReview);
  const pendingReview = useAppStore(selectPendingReview);
  const run = useRunCommand();
  const tasks = Object.values(progress);
  const pct = total ? Math.round((reviewed / total) * 100) : 0;
  const selected = [...selection.clusterIds, ...selection.similarIds];

  return (
    <footer className="statusbar" role="status" aria-label="Status">
      <span className="sb-item sb-dataset" title={dataset?.path}>
        {dataset ? dataset.name : 'no dataset'}
      </span>
      <span className="sb-item" data-status="clusters">
        {total} clusters
      </span>
      {dataset && !dataset.hasRaw ? (
        // The raw-data diagnostic stays here after its toast has gone (issue #10).
        <span className="sb-item sb-raw" data-status="raw" title={dataset.rawStatus}>
          no raw data
        </span>
      ) : null}
      <button type="button" className="sb-item sb-review" data-status="reviewed" title="Reviewed = labelled here (good/mua/noise/unsorted or a custom label) or marked reviewed; the start screen shows the same count. Click for the next cluster left to review" onClick={() => void run('wizard.nextUnreviewed')}>
        <span className="sb-bar" aria-hidden="true">
          <span style={{ width: `${pct}%` }} />
        </span>
        reviewed {reviewed}/{total}
        {total > reviewed ? ` · ${total - reviewed} left` : ' · done'}
      </button>
      {pendingReview !== null ? (
        <button type="button" className="sb-item sb-suggestions" data-status="suggestions" title="Suggested merges left to review (SuggestionsView). Click for the next pending one (alt+q)" onClick={() => void run('review.nextPending')}>
          {pendingReview ? `${pendingReview} suggestion${pendingReview === 1 ? '' : 's'} pending` : 'suggestions: done'}
        </button>
      ) : null}
      {selected.length ? (
        <span className="sb-item sb-selection" data-status="selection">
          {selected.map((id, i) => (
            <span key={id} className="sb-chip" style={{ borderColor: selectionColor(i), color: selectionColor(i) }}>
              {id}
            </span>
          ))}
        </span>
      ) : null}
      <ProposalStatus />
      <MergePreviewStatus clusterIds={selected} />
      {wizardNote ? (
        <span className="sb-item sb-wizard" data-status="wizard" title="Select → Skip noise and MUA while navigating (on by default, as in phy)">
          {wizardNote}
        </span>
      ) : null}
      {session.lastAction ? (
        <span className="sb-item sb-action" data-status="last-action" title="Last change">
          {session.lastAction}
        </span>
      ) : null}
      <span className="sb-spacer" />
      {session.busy ? (
        <span className="sb-item sb-busy" data-status="busy">
          <span className="spinner" aria-hidden="true" /> working…
        </span>
      ) : null}
      {tasks.map((t) => (
        <span key={t.task} className="sb-item sb-task" data-status="progress" title={`${t.task}: ${t.done}/${t.total}`}>
          {t.task}
          <span className="sb-bar" aria-hidden="true">
            <span style={{ width: `${t.total ? Math.round((t.done / t.total) * 100) : 0}%` }} />
          </span>
          {t.total ? `${Math.round((t.done / t.total) * 100)}%` : ''}
        </span>
      ))}
      <span className="sb-item sb-autosave" data-status="autosave" title={session.journalPath ? `Every action is journalled in ${session.journalPath}` : undefined}>
        {session.autosaveSeconds > 0 ? `autosave ${session.autosaveSeconds}s` : 'autosave off'}
        {session.lastSavedAt ? ` · saved ${time(session.lastSavedAt)}` : ''}
      </span>
      <span className={'sb-item sb-dirty' + (session.dirty ? ' dirty' : '')} data-status="dirty" data-dirty={session.dirty ? 'true' : 'false'}>
        {session.dirty ? '● unsaved changes' : '✓ saved'}
      </span>
    </footer>
  );
}
