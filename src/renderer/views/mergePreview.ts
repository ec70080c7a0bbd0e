/**
 * The merge preview as the app shows it (CorrelogramView's "merged" row and the status line):
 * one request per selection (`viewData.mergePreview`, joined in main when both ask at once) and
 * the words for its verdict.
 */
import type { MergePreviewData, MergeVerdict } from '../../shared/ipc/contract';
import { REQUEST_LIMITS } from '../../shared/ipc/limits';
import { formatValue } from '../plot/rect';
import { useAppStore, useBackend } from '../store';
import { useViewData } from './useViewData';

/** Text colour of each verdict (worsens: the readouts' "contaminated" orange). */
export const VERDICT_COLORS: Record<MergeVerdict['verdict'], string> = { keeps: '#8fd18f', improves: '#7fc4ff', worsens: '#ff9a6a' };

/** `keeps the refractory dip`, `worsens contamination (0.01 → 0.24)`, `improves contamination (0.2 → 0.05)`. */
export function verdictText(v: MergeVerdict): string {
  const change = `(${formatValue(v.partsContamination)} → ${formatValue(v.mergedContamination)})`;
  switch (v.verdict) {
    case 'keeps':
      return 'keeps the refractory dip';
    case 'worsens':
      return `worsens contamination ${change}`;
    case 'improves':
      return `improves contamination ${change}`;
  }
}

/** The status line: `merge 12+14: rp_contamination 0.02 (parts 0.01, 0.03) — keeps the refractory dip`. */
export function mergeStatusText(d: MergePreviewData): string {
  const parts = d.parts.map((p) => formatValue(p.rp_contamination)).join(', ');
  return `merge ${d.clusterIds.join('+')}: rp_contamination ${formatValue(d.merged.rp_contamination)} (parts ${parts}) — ${verdictText(d.verdict)}`;
}

/**
 * The merge preview of `clusterIds` (null below 2 clusters, above the request limit, while it
 * loads, or when it failed: a preview is evidence, never a reason to put a view in error).
 * `refractoryPeriod` (s) is the one of the union's readout; main's default (2 ms) when omitted.
 */
export function useMergePreview(clusterIds: readonly number[], refractoryPeriod?: number): MergePreviewData | null {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  const key = clusterIds.join(',');
  const wanted = clusterIds.length >= 2 && clusterIds.length <= REQUEST_LIMITS.selectedClusters;
  const { data } = useViewData<MergePreviewData>(
    (signal) => (!wanted || !dataset ? null : backend.viewData.mergePreview({ clusterIds: [...clusterIds], ...(refractoryPeriod === undefined ? {} : { refractoryPeriod }) }, signal)),
    [backend, dataset, key, refractoryPeriod, generation, wanted],
  );
  // The previous selection's preview is kept while the next loads: never show it for this one.
  return wanted && data && data.clusterIds.join(',') === key ? data : null;
}
