/**
 * Evidence from the spike trains: whether the merged train keeps the refractory period (the
 * cross-correlogram's dip and the merged train's `rp_contamination` against the parts'), and
 * whether one cluster takes over where the other stops (a unit split in time by drift) with
 * matching amplitudes at the hand-over.
 */
import { correlogramBins } from '../compute/ccg';
import { median } from '../metrics/stats';
import { RP_VIOLATION_DEFAULTS, rpContaminationOfCount, rpViolations, type RpViolations } from '../metrics/spikeTrain';

/** `rp_contamination` of each part and of the merged train (SpikeInterface's, Llobet et al.). */
export interface MergedContamination {
  /** `rp_contamination` of the union (0–1; NaN for ≤ 1 spike). */
  merged: number;
  /** The larger `rp_contamination` of the two parts (NaN values count as 0). */
  parts: number;
}

/** Bins of the cross-correlogram read by {@link ccgDip}: 1 ms bins, ±25 ms. */
export const CCG_DIP = { binSeconds: 0.001, windowSeconds: 0.05, baselineFromBin: 5 };

/**
 * The pairs of two trains that the merge's evidence reads, counted without building the union.
 * `ccg` (half + 1,) int32: cross pairs by bin of the union's one-sided correlogram at
 * {@link CCG_DIP} (phylib's binning as `compute/ccg.ts: accumulateCorrelograms` applies it — the
 * earlier spike's time truncated, ties with `a` first, as the union's merge orders them), both
 * directions summed; `refractory`: cross pairs at most t_r = round(1 ms · fs) samples apart
 * (`metrics/spikeTrain.ts: rpViolations`' rule).
 */
export interface CrossPairs {
  ccg: Int32Array;
  refractory: number;
}

/**
 * {@link CrossPairs} of two ascending trains (samples): one sweep of `a` against a window of `b`,
 * O(|a| + |b| + cross pairs within 25 ms). The union's correlogram and `rpViolations` (the former
 * way) also walk every within-train pair and copy both trains; this is the same counts, exactly.
 */
export function crossPairs(a: Float64Array, b: Float64Array, sampleRate: number): CrossPairs {
  const bins = correlogramBins(sampleRate, CCG_DIP.binSeconds, CCG_DIP.windowSeconds);
  const ccg = new Int32Array(bins.half + 1);
  const limit = (bins.half + 1) * bins.binSamples;
  const tr = Math.round(RP_VIOLATION_DEFAULTS.refractoryPeriodMs * sampleRate * 1e-3);
  // A b spike more than this before or after an a spike can count for neither.
  const reach = Math.max(limit, tr) + 1;
  let refractory = 0;
  let lo = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    while (lo < b.length && b[lo] < x - reach) lo++;
    for (let j = lo; j < b.length; j++) {
      const y = b[j];
      if (y > x + reach) break;
      if (Math.abs(y - x) <= tr) refractory++;
      // The earlier spike in the union's order (a first on ties) is the reference.
      const dt = x <= y ? y - Math.trunc(x) : x - Math.trunc(y);
      if (dt < limit) ccg[Math.floor(dt / bins.binSamples)]++;
    }
  }
  return { ccg, refractory };
}

/**
 * `rp_contamination` (`metrics/spikeTrain.ts`, 1 ms refractory period) of the merged train and
 * the larger of the parts'. A merge of two halves of one neuron keeps the merged value at the
 * parts' level; two neurons' trains interleave, and their cross pairs within 1 ms raise it (two
 * independent 20 Hz trains merged: ≈ 0.29, Llobet's formula with n_v ≈ 2 r₁ r₂ T t_r). The
 * union's violations are the parts' plus the cross pairs within t_r (`cross`), so the union is
 * never built.
 */
export function mergedContamination(
  a: Float64Array,
  b: Float64Array,
  sampleRate: number,
  totalSamples: number,
  /** The parts' own `rpViolations` when the caller has them cached. */
  known?: [RpViolations, RpViolations],
  /** `crossPairs(a, b, sampleRate)` when the caller has it. */
  cross?: CrossPairs,
): MergedContamination {
  const ra = known ? known[0] : rpViolations(a, sampleRate, totalSamples);
  const rb = known ? known[1] : rpViolations(b, sampleRate, totalSamples);
  const c = cross ?? crossPairs(a, b, sampleRate);
  const n = a.length + b.length;
  const merged = n === 0 ? NaN : rpContaminationOfCount(Math.max(0, ra.rp_violations) + Math.max(0, rb.rp_violations) + c.refractory, n, sampleRate, totalSamples);
  const ca = ra.rp_contamination;
  const cb = rb.rp_contamination;
  return { merged, parts: Math.max(Number.isNaN(ca) ? 0 : ca, Number.isNaN(cb) ? 0 : cb) };
}

/** The cross-correlogram's refractory dip. */
export interface CcgDip {
  /** Cross pairs less than one bin (1 ms) apart, both directions. */
  observed: number;
  /** What bins 5–25 ms predict for the centre under independence (same width). */
  expected: number;
}

/**
 * phylib's one-sided cross-correlogram of the two trains (`compute/ccg.ts`'s binning, 1 ms
 * bins, 25 bins each side, counted by {@link crossPairs}): `observed` = both directions' centre
 * bins (|Δt| < 1 ms), `expected` = the mean of bins 5–25 ms of both directions, × 2 (the centre
 * covers one bin on each side). Bins under 5 ms are left out of the baseline because bursts
 * (3–8 ms) and the refractory shoulder distort them. One neuron's two halves: observed ≈ 0
 * however large `expected` is; two neurons: observed ≈ expected (Poisson), so `expected` says
 * how much the dip can be trusted (P(observed = 0 | independent) = e^−expected).
 */
export function ccgDip(a: Float64Array, b: Float64Array, sampleRate: number, cross?: CrossPairs): CcgDip {
  const c = (cross ?? crossPairs(a, b, sampleRate)).ccg;
  const half = c.length - 1;
  const observed = c[0];
  let base = 0;
  const from = CCG_DIP.baselineFromBin;
  for (let k = from; k <= half; k++) base += c[k];
  const nBase = half - from + 1;
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
