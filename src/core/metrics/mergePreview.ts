/**
 * The merge preview's numbers (issue #13 item 5): the key quality metrics of the spike train a
 * merge would make (the union of the parts' spikes) beside those of each part, and the verdict:
 * does the merge keep the refractory dip, or does the union's refractory contamination rise
 * above the parts'? The metrics are SpikeInterface's, computed by this folder's functions
 * (`spikeTrain.ts`, `amplitudes.ts`); only the comparison is defined here.
 */
import { amplitudeCutoffOfParts } from './amplitudes';
import { firingRate, isiViolations, presenceRatio, RP_VIOLATION_DEFAULTS, rpViolations } from './spikeTrain';

/** The metrics a merge preview shows, in display order (SpikeInterface's names). */
export const MERGE_PREVIEW_METRICS = [
  'num_spikes',
  'firing_rate',
  'presence_ratio',
  'isi_violations_ratio',
  'isi_violations_count',
  'rp_contamination',
  'rp_violations',
  'amplitude_cutoff',
] as const;

/** One of {@link MERGE_PREVIEW_METRICS}. */
export type MergePreviewMetricName = (typeof MERGE_PREVIEW_METRICS)[number];

/** The preview's metrics of one spike train (NaN where SpikeInterface's definition is undefined). */
export type MergePreviewMetrics = Record<MergePreviewMetricName, number>;

/**
 * The preview's metrics of one train: `times` (nSpikes,) samples, non-decreasing;
 * `amplitudeParts` the train's amplitudes (`amplitudes.npy`) in one or more pieces, nSpikes in
 * all, in any order (the union's: its clusters' arrays, never concatenated — `amplitude_cutoff`
 * reads their distribution only), or null (then `amplitude_cutoff` is NaN). Each value is the
 * function of this folder that owns it, with SpikeInterface's defaults (1.5 ms ISI threshold,
 * 1 ms refractory period, 60 s presence bins). O(nSpikes) plus the refractory pairs.
 */
export function mergePreviewMetrics(times: ArrayLike<number>, amplitudeParts: readonly ArrayLike<number>[] | null, sampleRate: number, durationSeconds: number): MergePreviewMetrics {
  const totalSamples = Math.round(durationSeconds * sampleRate);
  return {
    num_spikes: times.length,
    firing_rate: firingRate(times.length, durationSeconds),
    presence_ratio: presenceRatio(times, totalSamples, sampleRate),
    ...isiViolations(times, sampleRate, durationSeconds),
    ...rpViolations(times, sampleRate, totalSamples),
    amplitude_cutoff: amplitudeParts ? amplitudeCutoffOfParts(amplitudeParts) : NaN,
  };
}

/** What merging does to the refractory contamination. */
export type MergeVerdictKind = 'improves' | 'keeps' | 'worsens';

/** The verdict and the numbers behind it (see {@link mergeVerdict}). */
export interface MergeVerdict {
  verdict: MergeVerdictKind;
  /** The parts' `rp_contamination`, weighted by their spike counts (parts with NaN left out; 0 if all are). */
  partsContamination: number;
  /** The union's `rp_contamination`. */
  mergedContamination: number;
  /** `rp_violations` the union would have if it were exactly as contaminated as its parts. */
  expectedViolations: number;
  /** The union's `rp_violations`. */
  mergedViolations: number;
  /** Violations either side of `expectedViolations` that still count as "keeps". */
  tolerance: number;
}

/** Standard deviations of the violation count that still count as "keeps" ({@link mergeVerdict}). */
export const MERGE_VERDICT_SIGMAS = 3;
/** Extra violations always tolerated ({@link mergeVerdict}). */
export const MERGE_VERDICT_FLOOR = 3;

/**
 * Whether a merge improves, keeps or worsens refractory contamination.
 *
 * Rule: C_parts = the parts' `rp_contamination` weighted by their spike counts. Llobet's
 * estimator inverted gives the violations the union of N spikes over T would have at that
 * contamination: E = N² · t_r / T · (1 − (1 − C_parts)²) (t_r = 1 ms, SpikeInterface's
 * default, censored period 0). The union's count n_v is compared with E, within a tolerance of
 * 3 · √E + 3 violations: "worsens" above it, "improves" below it, "keeps" inside.
 *
 * Why counts and not the two contaminations directly: the contamination of a clean train moves
 * by whole violations — one violation of a 2,000-spike train over 10 min is already 0.078 —
 * so a fixed tolerance on the contamination is either blind on large trains or trigger-happy on
 * small ones. The count of a Poisson process has standard deviation √E, so 3 √E calls a true
 * over-split "worsens" about once in 700 merges; the floor of 3 absorbs the few coincident
 * spikes two halves of one clean unit can share (double detections near a split boundary, where
 * E is 0). A true over-split — two parts of one refractory unit — adds no pairs closer than the
 * refractory period, so n_v stays near E; two independent units add about
 * 2 · N₁ · N₂ · t_r / T cross pairs, so two 5 Hz units over 10 min go from 0 to ~30
 * violations ("worsens"). Below a few expected cross pairs (low rates, short recordings) the
 * test cannot tell the two apart and says "keeps": the verdict is evidence, not proof.
 */
export function mergeVerdict(merged: MergePreviewMetrics, parts: readonly MergePreviewMetrics[], sampleRate: number, durationSeconds: number): MergeVerdict {
  let weight = 0;
  let sum = 0;
  for (const p of parts) {
    if (Number.isNaN(p.rp_contamination) || !(p.num_spikes > 0)) continue;
    weight += p.num_spikes;
    sum += p.num_spikes * p.rp_contamination;
  }
  const partsContamination = weight > 0 ? sum / weight : 0;
  const n = merged.num_spikes;
  const tr = Math.round(RP_VIOLATION_DEFAULTS.refractoryPeriodMs * sampleRate * 1e-3);
  const totalSamples = Math.round(durationSeconds * sampleRate);
  const expectedViolations = totalSamples > 0 ? ((n * n * tr) / totalSamples) * (1 - (1 - partsContamination) ** 2) : 0;
  const tolerance = MERGE_VERDICT_SIGMAS * Math.sqrt(expectedViolations) + MERGE_VERDICT_FLOOR;
  const nv = Math.max(0, merged.rp_violations);
  const verdict: MergeVerdictKind = nv > expectedViolations + tolerance ? 'worsens' : nv < expectedViolations - tolerance ? 'improves' : 'keeps';
  return { verdict, partsContamination, mergedContamination: merged.rp_contamination, expectedViolations, mergedViolations: nv, tolerance };
}
