/**
 * The wizard (phy's navigation, `phy/cluster/supervisor.py`) as pure functions over the cluster
 * order, the groups and the similarity: given the current selection, each returns the next one.
 * "best" = a ClusterView row, "similar" = a SimilarityView row. With `skipNoiseMua` (phy's
 * default), clusters labelled noise or mua are skipped while navigating.
 */

/** The selection: best clusters (ClusterView) and similar clusters (SimilarityView). */
export interface WizardSelection {
  clusterIds: number[];
  similarIds: number[];
}

/** What the wizard reads. */
export interface WizardContext {
  /** Cluster ids in ClusterView order (after the user's sort and filter). */
  order: readonly number[];
  /** Group of a cluster (null = never labelled). */
  group(clusterId: number): string | null;
  /** Similar clusters of a cluster, most similar first. */
  similar(clusterId: number): readonly number[];
  /** Skip clusters labelled noise or mua (phy's default: true). */
  skipNoiseMua: boolean;
}

/** The wizard's actions (phy names: next/previous best, next/previous similar, first, last, reset…). */
export type WizardAction =
  | 'nextBest'
  | 'previousBest'
  | 'nextSimilar'
  | 'previousSimilar'
  | 'first'
  | 'last'
  | 'reset'
  | 'selectFirstNSimilar'
  | 'unselectSimilar';

/** phy's default N for "select first N similar". */
export const DEFAULT_N_SIMILAR = 15;

function masked(ctx: WizardContext, id: number): boolean {
  if (!ctx.skipNoiseMua) return false;
  const g = ctx.group(id);
  return g === 'noise' || g === 'mua';
}

/** Next (dir = 1) or previous (-1) unmasked item after `anchor` in `list`; from the edge when anchor is absent. */
function step(list: readonly number[], anchor: number | undefined, dir: 1 | -1, skip: (id: number) => boolean): number | undefined {
  let i = anchor === undefined ? -1 : list.indexOf(anchor);
  if (i < 0) i = dir === 1 ? -1 : list.length;
  for (let j = i + dir; j >= 0 && j < list.length; j += dir) if (!skip(list[j])) return list[j];
  return undefined;
}

/** The similar list shown for the current best selection (best clusters excluded). */
export function similarList(sel: WizardSelection, ctx: WizardContext): number[] {
  if (sel.clusterIds.length === 0) return [];
  const best = new Set(sel.clusterIds);
  return ctx.similar(sel.clusterIds[0]).filter((id) => !best.has(id));
}

/** Applies a wizard action. `n` is N for `selectFirstNSimilar`. At an end of a list the selection stays. */
export function wizardStep(action: WizardAction, sel: WizardSelection, ctx: WizardContext, n = DEFAULT_N_SIMILAR): WizardSelection {
  const skip = (id: number) => masked(ctx, id);
  const last = <T>(a: readonly T[]) => (a.length ? a[a.length - 1] : undefined);
  const best = (id: number | undefined): WizardSelection => (id === undefined ? sel : { clusterIds: [id], similarIds: [] });
  switch (action) {
    case 'first':
    case 'reset':
    {
      const id = step(ctx.order, undefined, 1, skip);
      return id === undefined ? { clusterIds: [], similarIds: [] } : { clusterIds: [id], similarIds: [] };
    }
    case 'last':
      return best(step(ctx.order, undefined, -1, skip));
    case 'nextBest':
      return best(step(ctx.order, last(sel.clusterIds), 1, skip));
    case 'previousBest':
      return sel.clusterIds.length ? best(step(ctx.order, last(sel.clusterIds), -1, skip)) : sel;
    case 'nextSimilar': {
      // phy: with nothing selected, the next action selects the first best cluster.
      if (sel.clusterIds.length === 0) return wizardStep('first', sel, ctx);
      const id = step(similarList(sel, ctx), last(sel.similarIds), 1, skip);
      return id === undefined ? sel : { clusterIds: sel.clusterIds, similarIds: [id] };
    }
    case 'previousSimilar': {
      if (sel.similarIds.length === 0) return sel;
      const id = step(similarList(sel, ctx), last(sel.similarIds), -1, skip);
      return id === undefined ? sel : { clusterIds: sel.clusterIds, similarIds: [id] };
    }
    case 'selectFirstNSimilar':
      return { clusterIds: sel.clusterIds, similarIds: similarList(sel, ctx).filter((id) => !skip(id)).slice(0, n) };
    case 'unselectSimilar':
      return { clusterIds: sel.clusterIds, similarIds: [] };
  }
}

/**
 * The selection after labelling (phy's rules): moving the best clusters selects the next best;
 * moving the similar clusters selects the next similar; moving all selects the next best.
 */
export function selectionAfterLabel(which: 'best' | 'similar' | 'all', sel: WizardSelection, ctx: WizardContext): WizardSelection {
  if (which === 'similar') {
    const next = wizardStep('nextSimilar', sel, ctx);
    return next === sel ? { clusterIds: sel.clusterIds, similarIds: [] } : next;
  }
  return wizardStep('nextBest', sel, ctx);
}

/** Review progress over the clusters in `order`. */
export function reviewProgress(order: readonly number[], isReviewed: (id: number) => boolean): { reviewed: number; total: number } {
  let reviewed = 0;
  for (const id of order) if (isReviewed(id)) reviewed++;
  return { reviewed, total: order.length };
}
