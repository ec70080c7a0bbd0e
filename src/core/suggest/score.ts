/**
 * One merge score from the evidence of a pair. The template similarity is the base (phy's own
 * criterion, and the strongest single term); the other terms move it up or down by what they
 * can tell that the waveform cannot — above all, whether the two clusters could be one neuron
 * (the refractory dip), which is what separates an over-split unit from its near-twin neighbour.
 * See `README.md` for the reasoning and the figures of the quality bench.
 */

/** The evidence of one pair, by name; null where a term could not be computed. */
export interface PairEvidence {
  /** Normalised cross-correlation of the mean unwhitened templates on shared channels, best lag (−1…1). */
  template_similarity: number | null;
  /** The lag of that best match, samples. */
  template_lag: number | null;
  /** Distance between the unit locations, µm. */
  distance_um: number | null;
  /** Cross pairs < 1 ms apart (the CCG's centre bins). */
  ccg_observed: number | null;
  /** What the CCG's 5–25 ms bins predict for the centre under independence. */
  ccg_expected: number | null;
  /** `rp_contamination` of the merged train. */
  rp_contamination_merged: number | null;
  /** The larger `rp_contamination` of the two parts. */
  rp_contamination_parts: number | null;
  /** 0 (same time course) … 1 (disjoint in time). */
  temporal_complementarity: number | null;
  /** Amplitude match at the hand-over, 0…1. */
  amplitude_continuity: number | null;
  /** Nearest-neighbour mixing of the PC features, 0…1. */
  feature_mixing: number | null;
}

/** Evidence names in output order. */
export const EVIDENCE_NAMES: readonly (keyof PairEvidence)[] = [
  'template_similarity',
  'template_lag',
  'distance_um',
  'ccg_observed',
  'ccg_expected',
  'rp_contamination_merged',
  'rp_contamination_parts',
  'temporal_complementarity',
  'amplitude_continuity',
  'feature_mixing',
];

/**
 * Weights of the score's terms. Each is sized against the template similarity's spread among a
 * cluster's neighbours (a unit's nearest other units typically score 0.6–0.95 on the
 * generator's and Kilosort's templates, its over-split parts 0.9–1), so no single secondary term
 * can lift an unrelated waveform above a true partner, but each can reorder close calls.
 */
export const SCORE_WEIGHTS = {
  /**
   * Per µm beyond {@link SCORE_WEIGHTS.distanceFreeUm}, down to −{@link SCORE_WEIGHTS.distanceMax}:
   * two parts of one unit sit within a few µm (drift moves both alike), while a neighbour 30 µm
   * away can still share most channels (λ = 18–35 µm footprints) and a similar waveform.
   */
  distancePerUm: 0.004,
  distanceFreeUm: 8,
  distanceMax: 0.3,
  /**
   * The refractory dip: +w when the CCG's centre is empty and −w when it is as full as
   * independence predicts, scaled by the confidence E / (E + 3) (E = expected pairs; e^−3 = 5 %
   * chance that two independent trains leave the centre empty by luck at E = 3). The largest
   * secondary weight: it is the one term that tells one neuron from two with the same waveform.
   */
  refractory: 0.35,
  /** Confidence half-point of the refractory term, expected pairs. */
  refractoryHalfPairs: 3,
  /**
   * A merge that raises `rp_contamination` above the worse part's by more than 0.05 (a few
   * violations of noise at these rates) loses that excess × w.
   */
  contamination: 0.5,
  contaminationSlack: 0.05,
  /** A unit split in time: complementarity × continuity × w (bonus only: overlap in time is no evidence against). */
  temporal: 0.2,
  /** Feature mixing × w (bonus only: well-separated halves of one unit split by amplitude do not mix much). */
  features: 0.15,
};

/** The score of a pair from its evidence (higher = more likely one unit); see {@link SCORE_WEIGHTS}. */
export function combineEvidence(e: PairEvidence): number {
  const W = SCORE_WEIGHTS;
  let s = e.template_similarity ?? 0;
  if (e.distance_um !== null && Number.isFinite(e.distance_um)) s -= Math.min(W.distanceMax, W.distancePerUm * Math.max(0, e.distance_um - W.distanceFreeUm));
  s += refractoryTerm(e);
  if (e.rp_contamination_merged !== null && e.rp_contamination_parts !== null && !Number.isNaN(e.rp_contamination_merged)) {
    s -= W.contamination * Math.max(0, e.rp_contamination_merged - e.rp_contamination_parts - W.contaminationSlack);
  }
  if (e.temporal_complementarity !== null && e.amplitude_continuity !== null) s += W.temporal * e.temporal_complementarity * e.amplitude_continuity;
  if (e.feature_mixing !== null) s += W.features * e.feature_mixing;
  return s;
}

/** The refractory-dip term alone: w · (1 − 2 min(1, O/E)) · E / (E + 3); 0 without expected pairs. */
export function refractoryTerm(e: Pick<PairEvidence, 'ccg_observed' | 'ccg_expected'>): number {
  const W = SCORE_WEIGHTS;
  const o = e.ccg_observed;
  const x = e.ccg_expected;
  if (o === null || x === null || !(x > 0)) return 0;
  return W.refractory * (1 - 2 * Math.min(1, o / x)) * (x / (x + W.refractoryHalfPairs));
}
