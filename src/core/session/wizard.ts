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

/**
 * Next (dir = 1) or previous (-1) unmasked item after `anchor` in `list`; from the edge when
 * anchor is absent. Masked items passed over on the way are pushed to `skipped`.
 */
function step(list: readonly number[], anchor: number | undefined, dir: 1 | -1, skip: (id: number) => boolean, skipped: number[]): number | undefined {
  let i = anchor === undefined ? -1 : list.indexOf(anchor);
  if (i < 0) i = dir === 1 ? -1 : list.length;
  const passed: number[] = [];
  for (let j = i + dir; j >= 0 && j < list.length; j += dir) {
    if (!skip(list[j])) {
      skipped.push(...passed);
      return list[j];
    }
    passed.push(list[j]);
  }
  // Nothing to land on: the selection stays, so nothing was skipped over.
  return undefined;
}

/** The similar list shown for the current best selection (best clusters excluded). */
export function similarList(sel: WizardSelection, ctx: WizardContext): number[] {
  if (sel.clusterIds.length === 0) return [];
  const best = new Set(sel.clusterIds);
  return ctx.similar(sel.clusterIds[0]).filter((id) => !best.has(id));
}

/** A wizard move's outcome: the new selection and the clusters it passed over. */
export interface WizardMove {
  selection: WizardSelection;
  /**
   * Clusters labelled noise or mua that the move passed over (`skipNoiseMua`), in the order met;
   * the status line says so, since the curator may not see the group column. Empty when the
   * selection did not change.
   */
  skipped: number[];
}

/** Applies a wizard action. `n` is N for `selectFirstNSimilar`. At an end of a list the selection stays. */
export function wizardStep(action: WizardAction, sel: WizardSelection, ctx: WizardContext, n = DEFAULT_N_SIMILAR): WizardSelection {
  return wizardMove(action, sel, ctx, n).selection;
}

/** {@link wizardStep}, also naming the noise/mua clusters the move skipped. */
export function wizardMove(action: WizardAction, sel: WizardSelection, ctx: WizardContext, n = DEFAULT_N_SIMILAR): WizardMove {
  const skip = (id: number) => masked(ctx, id);
  const skipped: number[] = [];
  const last = <T>(a: readonly T[]) => (a.length ? a[a.length - 1] : undefined);
  const best = (id: number | undefined): WizardSelection => (id === undefined ? sel : { clusterIds: [id], similarIds: [] });
  const similar = (id: number | undefined): WizardSelection => (id === undefined ? sel : { clusterIds: sel.clusterIds, similarIds: [id] });
  const done = (selection: WizardSelection): WizardMove => ({ selection, skipped });
  switch (action) {
    case 'first':
    case 'reset': {
      const id = step(ctx.order, undefined, 1, skip, skipped);
      return done(id === undefined ? { clusterIds: [], similarIds: [] } : { clusterIds: [id], similarIds: [] });
    }
    case 'last':
      return done(best(step(ctx.order, undefined, -1, skip, skipped)));
    case 'nextBest':
      return done(best(step(ctx.order, last(sel.clusterIds), 1, skip, skipped)));
    case 'previousBest':
      return done(sel.clusterIds.length ? best(step(ctx.order, last(sel.clusterIds), -1, skip, skipped)) : sel);
    case 'nextSimilar':
      // phy: with nothing selected, the next action selects the first best cluster.
      if (sel.clusterIds.length === 0) return wizardMove('first', sel, ctx, n);
      return done(similar(step(similarList(sel, ctx), last(sel.similarIds), 1, skip, skipped)));
    case 'previousSimilar':
      if (sel.similarIds.length === 0) return done(sel);
      return done(similar(step(similarList(sel, ctx), last(sel.similarIds), -1, skip, skipped)));
    case 'selectFirstNSimilar': {
      const list = similarList(sel, ctx);
      const similarIds: number[] = [];
      for (const id of list) {
        if (similarIds.length >= n) break;
        if (skip(id)) skipped.push(id);
        else similarIds.push(id);
      }
      return done({ clusterIds: sel.clusterIds, similarIds });
    }
    case 'unselectSimilar':
      return done({ clusterIds: sel.clusterIds, similarIds: [] });
  }
}

/** The status line's words for a move that skipped clusters (`skipped 3 clusters labelled mua/noise: 4, 9, 12`); null when none. */
export function skippedText(skipped: readonly number[]): string | null {
  if (skipped.length === 0) return null;
  const ids = skipped.length <= 5 ? skipped.join(', ') : `${skipped.slice(0, 5).join(', ')}, …`;
  return `skipped ${skipped.length} cluster${skipped.length > 1 ? 's' : ''} labelled mua/noise: ${ids}`;
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

/**
 * Review progress over the clusters in `order`: the one count the status bar, the start screen's
 * recent list and the session service share. `isReviewed` is `Curation.isReviewed` (labelled by
 * the curator in this session's history, or marked reviewed); groups that came with the dataset's
 * files do not count — nobody has looked at them here yet.
 */
export function reviewProgress(order: readonly number[], isReviewed: (id: number) => boolean): { reviewed: number; total: number } {
  let reviewed = 0;
  for (const id of order) if (isReviewed(id)) reviewed++;
  return { reviewed, total: order.length };
}
