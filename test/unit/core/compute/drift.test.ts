import { describe, expect, it } from 'vitest';
import { driftDensity, finiteRange, nearestSpike, spikeDepthsFromTemplates, spikeOfDensestCluster, sumDensities } from '../../../../src/core/compute/drift';

// 1 kHz: sample = ms. Six spikes over 0–4 s at depths 0–100 µm, one without a depth.
const SR = 1000;
const times = Float64Array.from([0, 500, 1000, 2500, 3999, 4000]);
const depths = Float32Array.from([0, 10, 60, NaN, 100, 99]);

/** Row `r` (depth bin, 0 = shallowest) of an (nDepthBins, nTimeBins) image. */
const row = (counts: Uint32Array, nt: number, r: number) => Array.from(counts.subarray(r * nt, (r + 1) * nt));

describe('driftDensity', () => {
  it('counts each spike in its (time, depth) bin, both ends of the range included, NaN depths left out', () => {
    // 4 time bins of 1 s, 2 depth bins of 50 µm.
    const d = driftDensity(times, depths, SR, { t0: 0, t1: 4, d0: 0, d1: 100, nTimeBins: 4, nDepthBins: 2 });
    // 0–50 µm: spikes at 0 s (0 µm) and 0.5 s (10 µm), both in the first second.
    expect(row(d.counts, 4, 0)).toEqual([2, 0, 0, 0]);
    // 50–100 µm: 1 s (60 µm) → bin 1; 3.999 s (100 µm, the top edge) and 4 s (the last edge) → bin 3.
    expect(row(d.counts, 4, 1)).toEqual([0, 1, 0, 2]);
    expect(d.nSpikes).toBe(5);
    expect(d.maxCount).toBe(2);
  });

  it('a zoomed grid counts only the spikes inside its rectangle', () => {
    const d = driftDensity(times, depths, SR, { t0: 0.4, t1: 1, d0: 5, d1: 70, nTimeBins: 3, nDepthBins: 1 });
    // 0.5 s at 10 µm → bin 0 (0.4–0.6 s); 1 s at 60 µm → the last bin (t1 is included).
    expect(Array.from(d.counts)).toEqual([1, 0, 1]);
    expect(d.nSpikes).toBe(2);
  });

  it('parts of the spikes (one per thread) sum to the whole image', () => {
    const grid = { t0: 0, t1: 4, d0: 0, d1: 100, nTimeBins: 4, nDepthBins: 2 };
    const whole = driftDensity(times, depths, SR, grid);
    const parts = [0, 1, 2].map((index) => driftDensity(times, depths, SR, grid, undefined, { index, count: 3 }));
    expect(parts.map((p) => p.nSpikes)).toEqual([2, 1, 2]);
    const sum = sumDensities(parts);
    expect(Array.from(sum.counts)).toEqual(Array.from(whole.counts));
    expect(sum).toMatchObject({ nSpikes: 5, maxCount: 2 });
  });

  it('an empty range gives an empty image', () => {
    const d = driftDensity(times, depths, SR, { t0: 5, t1: 6, d0: 0, d1: 100, nTimeBins: 2, nDepthBins: 2 });
    expect(Array.from(d.counts)).toEqual([0, 0, 0, 0]);
    expect(d).toMatchObject({ nSpikes: 0, maxCount: 0 });
  });
});

describe('spikeDepthsFromTemplates and finiteRange', () => {
  it("gives each spike its template's depth, NaN for an unknown template", () => {
    const out = new Float32Array(4);
    spikeDepthsFromTemplates(Int32Array.from([1, 0, 5, 1]), Float32Array.from([20, 40]), out);
    expect(Array.from(out)).toEqual([40, 20, NaN, 40]);
    expect(finiteRange(out)).toEqual([20, 40]);
    expect(finiteRange(Float32Array.from([NaN]))).toEqual([NaN, NaN]);
  });
});

describe('nearestSpike', () => {
  // 100 px for the 4 s and for the 100 µm: 0.04 s and 1 µm per pixel.
  const scale = { secondsPerPixel: 0.04, umPerPixel: 1 };

  it('picks the spike nearest in screen pixels within the radius', () => {
    // Click at (1.02 s, 57 µm): the spike at (1 s, 60 µm) is 0.5 px × 3 px away.
    expect(nearestSpike(times, depths, SR, { time: 1.02, depth: 57, ...scale, radiusPixels: 8 })).toBe(2);
    // Between the spikes at 3.999 s (100 µm) and 4 s (99 µm), nearer the second.
    expect(nearestSpike(times, depths, SR, { time: 4, depth: 99.2, ...scale, radiusPixels: 8 })).toBe(5);
  });

  it('nothing within the radius, a NaN depth, or an excluded spike: not picked', () => {
    expect(nearestSpike(times, depths, SR, { time: 2, depth: 30, ...scale, radiusPixels: 8 })).toBe(-1);
    // The spike at 2.5 s has no depth.
    expect(nearestSpike(times, depths, SR, { time: 2.5, depth: 50, ...scale, radiusPixels: 8 })).toBe(-1);
    expect(nearestSpike(times, depths, SR, { time: 4, depth: 99.2, ...scale, radiusPixels: 8 }, (i) => i !== 5)).toBe(4);
  });
});

describe('spikeOfDensestCluster', () => {
  // 1 kHz, 1 ms and 1 µm per pixel. Around (t = 10 ms, 50 µm): cluster 7 has the spike nearest to
  // the click (1 px) but cluster 3 has three spikes within 5 px; cluster 9 is 20 px away.
  const t = Float64Array.from([2, 9, 10, 12, 13, 30]);
  const y = Float32Array.from([50, 52, 50, 53, 49, 50]);
  const clusters = Int32Array.from([9, 3, 7, 3, 3, 9]);
  const click = { time: 0.011, depth: 50, secondsPerPixel: 0.001, umPerPixel: 1 };

  it("picks the cluster with the most spikes near the click, and that cluster's nearest spike", () => {
    // Cluster 3's spikes are 2.8, 3.2 and 2.2 px away: the last (spike 4) is its nearest.
    expect(spikeOfDensestCluster(t, y, (i) => clusters[i], SR, { ...click, radiusPixels: 5 })).toBe(4);
  });

  it('with one spike per cluster in reach, the nearest one wins; none in reach: -1', () => {
    expect(spikeOfDensestCluster(t, y, (i) => clusters[i], SR, { ...click, radiusPixels: 1.5 })).toBe(2);
    expect(spikeOfDensestCluster(t, y, (i) => clusters[i], SR, { ...click, time: 0.05, radiusPixels: 5 })).toBe(-1);
  });
});
