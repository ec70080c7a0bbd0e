/**
 * Each evidence term of the merge scoring on small hand-computed cases, and their combination.
 */
import { describe, expect, it } from 'vitest';
import { locationDistance, templateSimilarity, type ClusterTemplate } from '../../../../src/core/suggest/templateEvidence';
import { CCG_DIP, ccgDip, crossPairs, mergedContamination, temporalEvidence } from '../../../../src/core/suggest/trainEvidence';
import { correlogramBins, correlograms, mergeSortedArrays } from '../../../../src/core/compute/ccg';
import { rpViolations } from '../../../../src/core/metrics/spikeTrain';
import { Rng } from '../../../../src/core/random';
import { featureMixing, type FeatureRows } from '../../../../src/core/suggest/featureEvidence';
import { combineEvidence, refractoryTerm, SCORE_WEIGHTS, type PairEvidence } from '../../../../src/core/suggest/score';

/** A template of `nSamples` on `channels`, column j = values[j] (one array per channel). */
function tpl(channels: number[], columns: number[][]): ClusterTemplate {
  const n = columns[0].length;
  const k = channels.length;
  const data = new Float32Array(n * k);
  for (let s = 0; s < n; s++) for (let j = 0; j < k; j++) data[s * k + j] = columns[j][s];
  return { channels: Int32Array.from(channels), data, nSamples: n };
}

describe('templateSimilarity', () => {
  const pulse = [0, 0, 0, 1, -2, 1, 0, 0, 0, 0];
  it('is 1 at lag 0 for one waveform, whatever its scale', () => {
    expect(templateSimilarity(tpl([3], [pulse]), tpl([3], [pulse.map((v) => 5 * v)]))).toEqual({ similarity: expect.closeTo(1, 6), lag: 0 });
  });

  it('finds a shift of 2 samples and reports the lag', () => {
    const shifted = [0, 0, 0, 0, 0, 1, -2, 1, 0, 0];
    const r = templateSimilarity(tpl([3], [pulse]), tpl([3], [shifted]))!;
    expect(r.lag).toBe(2);
    expect(r.similarity).toBeCloseTo(1, 6);
    // Without the lag search the best is the 1-sample overlap of the pulses' edges: (1·1) / 6 … at lag 0: Σ = 1·0 + (−2)·0 + 1·1 = 1 → 1/6.
    expect(templateSimilarity(tpl([3], [pulse]), tpl([3], [shifted]), 0)!.similarity).toBeCloseTo(1 / 6, 6);
  });

  it('counts only shared channels in the numerator but the full norms below', () => {
    // a: channel 1 = pulse (‖·‖² 6), channel 2 = 2·pulse (24); b: channel 2 = pulse only.
    // Σ shared = 2·6 = 12; ‖a‖ = √30, ‖b‖ = √6 → 12 / √180.
    const a = tpl([1, 2], [pulse, pulse.map((v) => 2 * v)]);
    const b = tpl([2], [pulse]);
    expect(templateSimilarity(a, b)!.similarity).toBeCloseTo(12 / Math.sqrt(180), 6);
  });

  it('is −1 for an inverted waveform, and null without a shared channel or for a zero template', () => {
    expect(templateSimilarity(tpl([0], [pulse]), tpl([0], [pulse.map((v) => -v)]), 0)!.similarity).toBeCloseTo(-1, 6);
    expect(templateSimilarity(tpl([0], [pulse]), tpl([1], [pulse]))).toBeNull();
    expect(templateSimilarity(tpl([0], [pulse]), tpl([0], [pulse.map(() => 0)]))).toBeNull();
  });
});

describe('locationDistance', () => {
  it('is the Euclidean distance in µm', () => {
    expect(locationDistance({ x: 0, y: 0 }, { x: 3, y: 4 })).toBe(5);
    expect(locationDistance({ x: NaN, y: 0 }, { x: 3, y: 4 })).toBeNaN();
  });
});

describe('spike-train evidence', () => {
  it("crossPairs counts what the union's correlogram and rpViolations count across the trains", () => {
    // Hand case at fs 1 kHz (1-sample bins, t_r = 1 sample): a = 10, 20; b = 10, 11, 45.
    // Cross pairs: (10,10) lag 0, (10,11) 1, (10,45) 35 (outside 25), (20,10) 10, (20,11) 9,
    // (20,45) 25 → bins 0, 1, 9, 10, 25; within t_r: (10,10), (10,11).
    const hand = crossPairs(Float64Array.of(10, 20), Float64Array.of(10, 11, 45), 1000);
    const want = new Int32Array(26);
    for (const k of [0, 1, 9, 10, 25]) want[k]++;
    expect(Array.from(hand.ccg)).toEqual(Array.from(want));
    expect(hand.refractory).toBe(2);
    // Random trains with ties and bursts at 30 kHz against the union's one-sided correlogram
    // (phylib's binning) and the union's rp_violations minus each train's own.
    const rng = new Rng(4, 4);
    const train = (n: number) => Float64Array.from({ length: n }, () => Math.floor(rng.uniform() * 300000)).sort();
    const a = train(3000);
    const b = train(2000);
    const union = mergeSortedArrays([a, b]);
    const idx = new Int32Array(union.length);
    for (let i = 0, j = 0, k = 0; k < union.length; k++) idx[k] = i < a.length && (j >= b.length || a[i] <= b[j]) ? (i++, 0) : (j++, 1);
    const bins = correlogramBins(30000, CCG_DIP.binSeconds, CCG_DIP.windowSeconds);
    const c = correlograms(union, idx, 2, bins, false);
    const s = bins.half + 1;
    const r = crossPairs(a, b, 30000);
    expect(Array.from(r.ccg)).toEqual(Array.from({ length: s }, (_, k) => c[s + k] + c[2 * s + k]));
    const nv = (t: Float64Array) => rpViolations(t, 30000, 300000).rp_violations;
    expect(r.refractory).toBe(nv(union) - nv(a) - nv(b));
    expect(r.refractory).toBeGreaterThan(0);
  });

  it("mergedContamination: SpikeInterface's rp_contamination of the union against the worse part", () => {
    // fs 30 kHz: t_r = 30 samples. Parts 1,000 samples apart: no violations, contamination 0.
    // b is 10 samples after the first two a and 500 after the others: 2 violations; N = 200,
    // T = 200,000: 1 − √(1 − 2 · 200,000 / (200² · 30)) = 1 − √(2/3).
    const fs = 30000;
    const T = 200000;
    const a = Float64Array.from({ length: 100 }, (_, i) => 1000 + i * 1000);
    const b = a.map((t, i) => t + (i < 2 ? 10 : 500));
    const r = mergedContamination(a, b, fs, T);
    expect(r.parts).toBe(0);
    expect(r.merged).toBeCloseTo(1 - Math.sqrt(2 / 3), 12);
    // Exactly the union's own value (the union is never built: parts' violations + cross pairs).
    expect(r.merged).toBe(rpViolations(mergeSortedArrays([a, b]), fs, T).rp_contamination);
    // b 500 samples after each a: no pair within 1 ms, the merged train is as clean as its parts.
    expect(mergedContamination(a, a.map((t) => t + 500), fs, T).merged).toBe(0);
  });

  it('ccgDip counts cross pairs < 1 ms apart and predicts them from the 5–25 ms bins', () => {
    // fs 1 kHz: one sample = one 1 ms bin. One pair 10 ms apart: bin 10 of a→b; centre empty;
    // the baseline is 21 bins (5–25) per direction: 2 × 1 / (2 × 21).
    expect(ccgDip(Float64Array.of(100), Float64Array.of(110), 1000)).toEqual({ observed: 0, expected: 1 / 21 });
    // Two spikes at the same time: the centre bin holds the pair, nothing in the baseline.
    expect(ccgDip(Float64Array.of(100), Float64Array.of(100), 1000)).toEqual({ observed: 1, expected: 0 });
    // a every 10 ms, b 5 ms after each a (200 spikes each): cross pairs at 5, 15, 25 ms both ways
    // (25 ms is the window's last bin), none within 1 ms.
    const a = Float64Array.from({ length: 200 }, (_, i) => 1000 + i * 10);
    const r = ccgDip(a, a.map((t) => t + 5), 1000);
    expect(r.observed).toBe(0);
    // a→b: lags 5 (200 pairs), 15 (199), 25 (198); b→a: 5 (199), 15 (198), 25 (197); over 21 bins.
    expect(r.expected).toBeCloseTo((200 + 199 + 198 + 199 + 198 + 197) / 21, 12);
  });

  it('temporalEvidence: disjoint halves are complementary; matching amplitudes at the hand-over are continuous', () => {
    const T = 1000;
    const early = Float64Array.from({ length: 100 }, (_, i) => i * 5); // 0–495
    const late = Float64Array.from({ length: 100 }, (_, i) => 500 + i * 5); // 500–995
    const same = new Float64Array(100).fill(10);
    const r = temporalEvidence(early, same, late, same, T);
    expect(r.complementarity).toBeCloseTo(1, 12);
    expect(r.continuity).toBeCloseTo(1, 12);
    // A 15 % jump at the hand-over scores e^−ln(1.15)/0.15, whichever cluster comes first.
    const jump = temporalEvidence(late, new Float64Array(100).fill(11.5), early, same, T);
    expect(jump.continuity).toBeCloseTo(Math.exp(-Math.log(1.15) / 0.15), 12);
    // Same time course: no complementarity.
    expect(temporalEvidence(early, same, early, same, T).complementarity).toBeCloseTo(0, 12);
    // Under 20 spikes: no continuity.
    expect(temporalEvidence(early.subarray(0, 10), same, late, same, T).continuity).toBeNull();
  });
});

describe('featureMixing', () => {
  /** Rows of one channel (0) and one PC with the given values. */
  const rows = (values: number[]): FeatureRows => ({ data: Float32Array.from(values), channels: new Int32Array(values.length), n: values.length });

  it('is 0 for two clusters far apart in feature space', () => {
    expect(featureMixing(rows([0, 1, 2, 3, 4, 5, 6, 7]), rows([100, 101, 102, 103, 104, 105, 106, 107]), 1, 1, [0])).toBe(0);
  });

  it('is 1 (clipped) for two clusters on the same points', () => {
    // Every point's 5 nearest: its twin (other cluster, distance 0), then two pairs of an own and
    // an other point (the next positions): 3 of 5 from the other cluster, against 8 / 15 under
    // full mixing: 1.125 for every point, clipped to 1.
    const v = [0, 1, 2, 3, 4, 5, 6, 7];
    expect(featureMixing(rows(v), rows(v), 1, 1, [0])).toBe(1);
  });

  it('is null with 5 rows or fewer in a cluster', () => {
    expect(featureMixing(rows([0, 1, 2, 3, 4]), rows([0, 1, 2, 3, 4, 5]), 1, 1, [0])).toBeNull();
  });
});

describe('combineEvidence', () => {
  const none: PairEvidence = {
    template_similarity: null,
    template_lag: null,
    distance_um: null,
    ccg_observed: null,
    ccg_expected: null,
    rp_contamination_merged: null,
    rp_contamination_parts: null,
    temporal_complementarity: null,
    amplitude_continuity: null,
    feature_mixing: null,
  };

  it('adds the weighted terms (hand-computed)', () => {
    const W = SCORE_WEIGHTS;
    expect(W).toMatchObject({ distancePerUm: 0.004, distanceFreeUm: 8, refractory: 0.35, refractoryHalfPairs: 3, contamination: 0.5, contaminationSlack: 0.05, temporal: 0.2, features: 0.15 });
    const e: PairEvidence = {
      ...none,
      template_similarity: 0.9,
      distance_um: 18, // −0.004 × 10 = −0.04
      ccg_observed: 0,
      ccg_expected: 3, // +0.35 × 1 × 3/6 = +0.175
      rp_contamination_merged: 0.2,
      rp_contamination_parts: 0.05, // −0.5 × (0.15 − 0.05) = −0.05
      temporal_complementarity: 1,
      amplitude_continuity: 1, // +0.2
      feature_mixing: 0.5, // +0.075
    };
    expect(combineEvidence(e)).toBeCloseTo(0.9 - 0.04 + 0.175 - 0.05 + 0.2 + 0.075, 12);
  });

  it('the refractory term rewards an empty CCG centre and penalises a full one, by confidence', () => {
    expect(refractoryTerm({ ccg_observed: 0, ccg_expected: 27 })).toBeCloseTo(0.35 * 0.9, 12);
    expect(refractoryTerm({ ccg_observed: 27, ccg_expected: 27 })).toBeCloseTo(-0.35 * 0.9, 12);
    expect(refractoryTerm({ ccg_observed: 0, ccg_expected: 0 })).toBe(0);
    // A distant pair loses at most 0.3.
    expect(combineEvidence({ ...none, template_similarity: 0.5, distance_um: 1000 })).toBeCloseTo(0.2, 12);
  });
});
