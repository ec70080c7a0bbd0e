/**
 * The wizard over the renderer's state: the pure wizard lives in core/session/wizard; this binds
 * it to what the curator sees (ClusterView's order, SimilarityView's list) and to the direction
 * the curator is walking in (store state, read by the prefetch of the next selection).
 */
import type { AppState, Selection } from '../store/AppState';
import { orderedSimilar, visibleClusters } from '../store/selectors';
import { skippedText, wizardMove as coreWizardMove, type WizardAction, type WizardContext } from '../../core/session/wizard';

/** The direction a wizard action walks in (null: the action says nothing about direction). */
export function wizardDirectionOf(action: WizardAction): AppState['wizardDirection'] | null {
  if (action === 'nextSimilar' || action === 'previousSimilar' || action === 'selectFirstNSimilar') return 'nextSimilar';
  if (action === 'nextBest' || action === 'previousBest' || action === 'first' || action === 'last') return 'nextBest';
  return null;
}

/**
 * The wizard's view of the current state (the pure wizard lives in core/session/wizard). The
 * similar list is the one SimilarityView shows (relative to the last selected best cluster), so
 * space walks exactly the rows the curator sees.
 */
export function wizardContext(s: AppState): WizardContext {
  const byId = new Map(s.clusters.map((c) => [c.id, c]));
  const best = s.selection.clusterIds[s.selection.clusterIds.length - 1];
  // The order SimilarityView shows: by suggestion score, or phy's similar_templates rule (ui.similarOrder).
  const similar = s.similar.clusterId === best ? orderedSimilar(s).map((x) => x.id).filter((id) => byId.has(id)) : [];
  return {
    order: visibleClusters(s).clusters.map((c) => c.id),
    group: (id) => byId.get(id)?.group ?? null,
    similar: () => similar,
    skipNoiseMua: s.ui.skipNoiseMua,
  };
}

/** Applies a wizard action to the current state; null when the selection would not change. */
export function wizardNext(s: AppState, action: WizardAction): Selection | null {
  return wizardNextMove(s, action)?.selection ?? null;
}

/**
 * {@link wizardNext} with the status bar's note on what the move skipped (noise/mua clusters
 * passed over, phy's "skip noise and MUA"); null when the selection would not change.
 */
export function wizardNextMove(s: AppState, action: WizardAction): { selection: Selection; note: string | null } | null {
  const move = coreWizardMove(action, s.selection, wizardContext(s), s.ui.nSimilar);
  const next = move.selection;
  return next === s.selection || sameSelection(next, s.selection) ? null : { selection: next, note: skippedText(move.skipped) };
}

function sameSelection(a: Selection, b: Selection): boolean {
  const eq = (x: number[], y: number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return eq(a.clusterIds, b.clusterIds) && eq(a.similarIds, b.similarIds);
}

/** The next cluster not yet reviewed after the current best one, wrapping around ("what's left"). */
export function nextUnreviewed(s: AppState): Selection | null {
  const order = visibleClusters(s).clusters;
  const cur = s.selection.clusterIds[s.selection.clusterIds.length - 1];
  const start = cur === undefined ? -1 : order.findIndex((c) => c.id === cur);
  for (let k = 1; k <= order.length; k++) {
    const c = order[(start + k + order.length) % order.length];
    if (!c.reviewed) return { clusterIds: [c.id], similarIds: [] };
  }
  return null;
}
