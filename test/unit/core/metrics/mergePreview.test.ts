import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/random';
import { mergePreviewMetrics, mergeVerdict, type MergePreviewMetrics } from '../../../../src/core/metrics/mergePreview';
import { isiViolations, rpViolations } from '../../../../src/core/metrics/spikeTrain';

const FS = 30_000;
const DURATION = 600;

/** A refractory unit: dead time `refractoryMs`, then exponential intervals at `rate` Hz (samples, ascending). */
function refractoryTrain(rng: Rng, rate: number, refractoryMs = 2): number[] {
  const out: number[] = [];
  let t = rng.range(0, 0.1);
  while (t < DURATION) {
    out.push(Math.round(t * FS));
    t += refractoryMs / 1000 - Math.log(1 - rng.uniform()) / rate;
  }
  return out;
}

/** Poisson spikes at `rate` Hz (samples, ascending). */
function poissonTrain(rng: Rng, rate: number): number[] {
  const out: number[] = [];
  for (let t = -Math.log(1 - rng.uniform()) / rate; t < DURATION; t += -Math.log(1 - rng.uniform()) / rate) out.push(Math.round(t * FS));
  return out;
}

const union = (...trains: number[][]) => Float64Array.from(trains.flat().sort((a, b) => a - b));

/** Each spike of `train` to part 0 or 1 at random: two disjoint halves of one unit. */
function splitAtRandom(rng: Rng, train: number[]): [number[], number[]] {
  const a: number[] = [];
  const b: number[] = [];
  for (const t of train) (rng.chance(0.5) ? a : b).push(t);
  return [a, b];
}

const metricsOf = (t: ArrayLike<number>) => mergePreviewMetrics(t, null, FS, DURATION);

describe('mergePreviewMetrics', () => {
  it("is SpikeInterface's metrics of the train, from the functions that own them", () => {
    const t = Float64Array.from(refractoryTrain(new Rng(1), 8));
    const m = metricsOf(t);
    expect(m.num_spikes).toBe(t.length);
    expect(m.firing_rate).toBeCloseTo(t.length / DURATION, 12);
    expect(m.presence_ratio).toBe(1);
    const isi = isiViolations(t, FS, DURATION);
    const rp = rpViolations(t, FS, DURATION * FS);
    expect([m.isi_violations_ratio, m.isi_violations_count, m.rp_contamination, m.rp_violations]).toEqual([isi.isi_violations_ratio, isi.isi_violations_count, rp.rp_contamination, rp.rp_violations]);
    // Without amplitudes amplitude_cutoff is undefined; with too few spikes (< 500) too.
    expect(m.amplitude_cutoff).toBeNaN();
    expect(mergePreviewMetrics([1, 2, 3], [[1, 1, 1]], FS, DURATION).amplitude_cutoff).toBeNaN();
  });
});

describe('mergeVerdict', () => {
  it('compares the union’s violations with those its parts’ contamination predicts (hand-computed)', () => {
    // fs = 1 kHz: t_r = round(1 ms · fs) = 1 sample; T = 100 s = 100,000 samples. Union N = 10,000:
    // N² t_r / T = 1000. Parts 6,000 spikes at 0.1 and 4,000 at 0.1 → C_parts = 0.1,
    // E = 1000 · (1 − 0.9²) = 190, tolerance = 3 √190 + 3 = 44.35.
    const m = (num_spikes: number, rp_violations: number, rp_contamination: number): MergePreviewMetrics => ({
      num_spikes,
      rp_violations,
      rp_contamination,
      firing_rate: NaN,
      presence_ratio: NaN,
      isi_violations_ratio: NaN,
      isi_violations_count: NaN,
      amplitude_cutoff: NaN,
    });
    const parts = [m(6000, 0, 0.1), m(4000, 0, 0.1)];
    const v = mergeVerdict(m(10_000, 190, 0.1), parts, 1000, 100);
    expect(v.partsContamination).toBeCloseTo(0.1, 12);
    expect(v.expectedViolations).toBeCloseTo(190, 9);
    expect(v.tolerance).toBeCloseTo(3 * Math.sqrt(190) + 3, 9);
    expect(v.verdict).toBe('keeps');
    expect(mergeVerdict(m(10_000, 235, 0.12), parts, 1000, 100).verdict).toBe('worsens');
    expect(mergeVerdict(m(10_000, 234, 0.12), parts, 1000, 100).verdict).toBe('keeps');
    expect(mergeVerdict(m(10_000, 145, 0.08), parts, 1000, 100).verdict).toBe('improves');
    // The weighting is by spikes: 9,000 clean spikes and 1,000 at 0.5 → 0.05.
    expect(mergeVerdict(m(10_000, 0, 0), [m(9000, 0, 0), m(1000, 0, 0.5)], 1000, 100).partsContamination).toBeCloseTo(0.05, 12);
    // A part of one spike (NaN contamination) does not count.
    expect(mergeVerdict(m(10_001, 0, 0), [m(10_000, 0, 0.2), m(1, 0, NaN)], 1000, 100).partsContamination).toBeCloseTo(0.2, 12);
  });

  it('keeps: a true over-split (two disjoint halves of one refractory unit)', () => {
    const rng = new Rng(7);
    const unit = refractoryTrain(rng, 10);
    const [a, b] = splitAtRandom(rng, unit);
    const parts = [metricsOf(Float64Array.from(a)), metricsOf(Float64Array.from(b))];
    const merged = metricsOf(union(a, b));
    const v = mergeVerdict(merged, parts, FS, DURATION);
    expect(merged.rp_violations).toBe(0);
    expect(v.verdict).toBe('keeps');
    expect(v.mergedContamination).toBeCloseTo(v.partsContamination, 6);
  });

  it('keeps: the halves of a contaminated unit (the contamination is the same in the union)', () => {
    const rng = new Rng(11);
    // 10 Hz unit + 1 Hz of independent contaminating spikes, every spike to one half at random.
    const unit = union(refractoryTrain(rng, 10), poissonTrain(rng, 1));
    const [a, b] = splitAtRandom(rng, Array.from(unit));
    const parts = [metricsOf(Float64Array.from(a)), metricsOf(Float64Array.from(b))];
    const merged = metricsOf(unit);
    expect(merged.rp_violations).toBeGreaterThan(10);
    const v = mergeVerdict(merged, parts, FS, DURATION);
    expect(v.verdict).toBe('keeps');
    expect(Math.abs(v.mergedContamination - v.partsContamination)).toBeLessThan(0.05);
  });

  it('worsens: two independent refractory units', () => {
    const rng = new Rng(3);
    const a = refractoryTrain(rng, 10);
    const b = refractoryTrain(rng, 10);
    const parts = [metricsOf(Float64Array.from(a)), metricsOf(Float64Array.from(b))];
    expect(parts.map((p) => p.rp_violations)).toEqual([0, 0]);
    const merged = metricsOf(union(a, b));
    // Cross pairs within ±1 ms: about 2 · 6000 · 6000 · 30 / 18e6 = 120.
    expect(merged.rp_violations).toBeGreaterThan(60);
    const v = mergeVerdict(merged, parts, FS, DURATION);
    expect(v.verdict).toBe('worsens');
    expect(v.partsContamination).toBe(0);
    expect(v.mergedContamination).toBeGreaterThan(0.2);
  });

  it('worsens with three parts when one is another unit', () => {
    const rng = new Rng(5);
    const [a, b] = splitAtRandom(rng, refractoryTrain(rng, 10));
    const c = refractoryTrain(rng, 5);
    const parts = [a, b, c].map((t) => metricsOf(Float64Array.from(t)));
    expect(mergeVerdict(metricsOf(union(a, b, c)), parts, FS, DURATION).verdict).toBe('worsens');
    expect(mergeVerdict(metricsOf(union(a, b)), parts.slice(0, 2), FS, DURATION).verdict).toBe('keeps');
  });
});
