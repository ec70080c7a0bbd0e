/**
 * Evidence from the spike trains: whether the merged train keeps the refractory period (the
 * cross-correlogram's dip and the merged train's `rp_contamination` against the parts'), and
 * whether one cluster takes over where the other stops (a unit split in time by drift) with
 * matching amplitudes at the hand-over.
 */
import { correlogramBins, correlograms, mergeSortedArrays } from '../compute/ccg';
import { median } from '../metrics/stats';
import { rpViolations } from '../metrics/spikeTrain';

/** Merges two ascending sample-time arrays into one ascending array (ccg.ts owns the merge). */
export function mergeSortedTimes(a: Float64Array, b: Float64Array): Float64Array {
  return mergeSortedArrays([a, b]);
}

/** `rp_contamination` of each part and of the merged train (SpikeInterface's, Llobet et al.). */
export interface MergedContamination {
  /** `rp_contamination` of the union (0–1; NaN for ≤ 1 spike). */
  merged: number;
  /** The larger `rp_contamination` of the two parts (NaN values count as 0). */
  parts: number;
}

/**
 * `rp_contamination` (`metrics/spikeTrain.ts: rpViolations`, 1 ms refractory period) of the
 * merged train and the larger of the parts'. A merge of two halves of one neuron keeps the
 * merged value at the parts' level; two neurons' trains interleave, and their cross pairs within
 * 1 ms raise it (two independent 20 Hz trains merged: ≈ 0.29, Llobet's formula with
 * n_v ≈ 2 r₁ r₂ T t_r).
 */
export function mergedContamination(
  a: Float64Array,
  b: Float64Array,
  sampleRate: number,
  totalSamples: number,
  /** The parts' own `rp_contamination` when the caller has them cached. */
  known?: [number, number],
  /** `mergeSortedTimes(a, b)` when the caller has it. */
  union?: Float64Array,
): MergedContamination {
  const ca = known ? known[0] : rpViolations(a, sampleRate, totalSamples).rp_contamination;
  const cb = known ? known[1] : rpViolations(b, sampleRate, totalSamples).rp_contamination;
  const merged = rpViolations(union ?? mergeSortedTimes(a, b), sampleRate, totalSamples).rp_contamination;
  return { merged, parts: Math.max(Number.isNaN(ca) ? 0 : ca, Number.isNaN(cb) ? 0 : cb) };
}

/** Bins of the cross-correlogram read by {@link ccgDip}: 1 ms bins, ±25 ms. */
export const CCG_DIP = { binSeconds: 0.001, windowSeconds: 0.05, baselineFromBin: 5 };

/** The cross-correlogram's refractory dip. */
export interface CcgDip {
  /** Cross pairs less than one bin (1 ms) apart, both directions. */
  observed: number;
  /** What bins 5–25 ms predict for the centre under independence (same width). */
  expected: number;
}

/**
 * phylib's one-sided cross-correlogram of the two trains (`compute/ccg.ts: correlograms`, 1 ms
 * bins, 25 bins each side): `observed` = both directions' centre bins (|Δt| < 1 ms),
 * `expected` = the mean of bins 5–25 ms of both directions, × 2 (the centre covers one bin on
 * each side). Bins under 5 ms are left out of the baseline because bursts (3–8 ms) and the
 * refractory shoulder distort them. One neuron's two halves: observed ≈ 0 however large
 * `expected` is; two neurons: observed ≈ expected (Poisson), so `expected` says how much the
 * dip can be trusted (P(observed = 0 | independent) = e^−expected).
 */
export function ccgDip(a: Float64Array, b: Float64Array, sampleRate: number, union?: Float64Array): CcgDip {
  const merged = union ?? mergeSortedTimes(a, b);
  const idx = new Int32Array(merged.length);
  // Which part each merged spike came from: walk both inputs in the merge's own order.
  let i = 0;
  let j = 0;
  for (let k = 0; k < merged.length; k++) {
    if (i < a.length && (j >= b.length || a[i] <= b[j])) {
      idx[k] = 0;
      i++;
    } else {
      idx[k] = 1;
      j++;
    }
  }
  const bins = correlogramBins(sampleRate, CCG_DIP.binSeconds, CCG_DIP.windowSeconds);
  const c = correlograms(merged, idx, 2, bins, false);
  const stride = bins.half + 1;
  const ab = stride; // c[0, 1, :]
  const ba = 2 * stride; // c[1, 0, :]
  const observed = c[ab] + c[ba];
  let base = 0;
  const from = CCG_DIP.baselineFromBin;
  for (let k = from; k <= bins.half; k++) base += c[ab + k] + c[ba + k];
  const nBase = bins.half - from + 1;
  return { observed, expected: nBase > 0 ? (2 * base) / (2 * nBase) : 0 };
}

/** Time bins of {@link temporalComplementarity}. */
export const TEMPORAL_BINS = 20;

/** A cluster's time course: the fraction of its spikes in each of {@link TEMPORAL_BINS} equal bins of the recording. */
export function timeHistogram(times: Float64Array, totalSamples: number): Float64Array {
  const h = new Float64Array(TEMPORAL_BINS);
  for (const x of times) h[Math.min(TEMPORAL_BINS - 1, Math.max(0, Math.floor((x / totalSamples) * TEMPORAL_BINS)))]++;
  for (let k = 0; k < h.length; k++) h[k] /= times.length || 1;
  return h;
}

/** Temporal complementarity and the amplitude match at the hand-over. */
export interface TemporalEvidence {
  /** 1 − Σ_bins min(pa, pb) of the two clusters' spike-time distributions (0: same time course, 1: disjoint in time). */
  complementarity: number;
  /**
   * exp(−|ln(ampA / ampB)| / 0.15) of the median amplitudes of the earlier cluster's last and the
   * later cluster's first 10 % of spikes (≥ 20); null with fewer than 20 spikes in either.
   */
  continuity: number | null;
}

/**
 * A unit split in time by drift: one part fades where the other starts (complementarity near 1)
 * and, being one neuron, the amplitude at the hand-over is the same (continuity near 1). The
 * time course is a 20-bin histogram over the recording (20 bins: 3 s for a 60 s sort, 6 min
 * for 2 h; coarse enough that a 1 Hz unit fills its bins). 0.15 in the continuity is a 15 %
 * amplitude jump scoring e⁻¹: the generator's per-spike jitter is 6–14 %, so medians of ≥ 20
 * spikes differ by far less within one unit. `ampA` / `ampB` are per-spike amplitudes in one
 * unit for both clusters (template scaling × the template's peak-to-peak).
 */
export function temporalEvidence(
  timesA: Float64Array,
  ampA: Float64Array | null,
  timesB: Float64Array,
  ampB: Float64Array | null,
  totalSamples: number,
  /** Both clusters' {@link timeHistogram}s when the caller has them cached. */
  hists?: [Float64Array, Float64Array],
): TemporalEvidence {
  const ha = hists ? hists[0] : timeHistogram(timesA, totalSamples);
  const hb = hists ? hists[1] : timeHistogram(timesB, totalSamples);
  let overlap = 0;
  for (let k = 0; k < TEMPORAL_BINS; k++) overlap += Math.min(ha[k], hb[k]);
  const complementarity = timesA.length && timesB.length ? 1 - overlap : 0;
  let continuity: number | null = null;
  if (ampA && ampB && timesA.length >= 20 && timesB.length >= 20) {
    // Times are ascending: the middle element is the median, without sorting a copy.
    const aFirst = timesA[timesA.length >> 1] <= timesB[timesB.length >> 1];
    const [early, late] = aFirst ? [ampA, ampB] : [ampB, ampA];
    const tail = early.subarray(early.length - Math.max(20, Math.floor(early.length / 10)));
    const head = late.subarray(0, Math.max(20, Math.floor(late.length / 10)));
    const ma = median(tail);
    const mb = median(head);
    continuity = ma > 0 && mb > 0 ? Math.exp(-Math.abs(Math.log(ma / mb)) / 0.15) : 0;
  }
  return { complementarity, continuity };
}
