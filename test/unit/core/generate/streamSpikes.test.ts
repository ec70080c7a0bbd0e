import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/core/random';
import { buildDataset } from '../../../../src/core/generate/buildDataset';
import { FEATURE_BLOCK, pcFeaturesChunk, spikePositionsChunk } from '../../../../src/core/generate/features';
import { PRESETS, withOverrides } from '../../../../src/core/generate/presets';
import { SpikeStream, planStream } from '../../../../src/core/generate/streamSpikes';
import { SpikeTrainGenerator, spikeTrain } from '../../../../src/core/generate/spikeTrain';

describe('SpikeTrainGenerator', () => {
  const params = { rate: 40, refractorySamples: 50, burstProbability: 0.3, sampleRate: 30000 };

  it('gives the spikes of spikeTrain, one at a time, and leaves the stream where spikeTrain does', () => {
    const a = new Rng(7, 3);
    const whole = spikeTrain(a, params, 100, 30000 * 60);
    const b = new Rng(7, 3);
    const gen = new SpikeTrainGenerator(b, params, 100, 30000 * 60);
    const times: number[] = [];
    const ranks: number[] = [];
    while (gen.next()) {
      times.push(gen.time);
      ranks.push(gen.burstRank);
    }
    expect(times.length).toBeGreaterThan(1500);
    expect(times).toEqual([...whole.times]);
    expect(ranks).toEqual([...whole.burstRank]);
    expect(ranks.some((r) => r > 0)).toBe(true);
    // The amplitudes draw from the stream after the train: both must be in the same state.
    expect(b.nextU32()).toBe(a.nextU32());
    expect(gen.next()).toBe(false);
  });

  it('draws times past 2^32 samples exactly', () => {
    const first = 2 ** 32 - 30000;
    const gen = new SpikeTrainGenerator(new Rng(1), params, first, first + 60000);
    const times: number[] = [];
    while (gen.next()) times.push(gen.time);
    expect(times.length).toBeGreaterThan(40);
    expect(times.some((t) => t > 2 ** 32)).toBe(true);
    expect(times.every((t, i) => Number.isInteger(t) && (i === 0 || t > times[i - 1]))).toBe(true);
    expect(times[times.length - 1]).toBeLessThan(first + 60000);
  });
});

/** First i where a[i] !== b[offset + i] (or a runs past b), −1 when a equals that slice of b. */
function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>, offset: number): number {
  for (let i = 0; i < a.length; i++) if (offset + i >= b.length || a[i] !== b[offset + i]) return i;
  return -1;
}

describe('SpikeStream', () => {
  it('hands out the in-memory model’s spikes in time order, in chunks that start on a feature block', () => {
    const spec = PRESETS.small;
    const ds = buildDataset(spec, 3);
    const sp = planStream(spec, 3);
    expect(sp.nSpikes).toBe(ds.spikes.times.length);
    expect(sp.model.templates.length).toBe(ds.templates.length);
    const stream = new SpikeStream(sp, 7); // 7 s blocks: several blocks, carries across them
    let o = 0;
    let chunks = 0;
    for (let c = stream.next(); c; c = stream.next()) {
      expect(c.first).toBe(o);
      expect(c.first % FEATURE_BLOCK).toBe(0);
      const n = c.times.length;
      const s = ds.spikes;
      expect(firstMismatch(c.times, s.times, o), 'times').toBe(-1);
      expect(firstMismatch(c.templates, s.templates, o), 'templates').toBe(-1);
      expect(firstMismatch(c.clusters, s.clusters, o), 'clusters').toBe(-1);
      expect(firstMismatch(c.amplitudes, s.amplitudes, o), 'amplitudes').toBe(-1);
      expect(firstMismatch(c.groundTruthUnits, s.groundTruthUnits, o), 'ground truth').toBe(-1);
      // The chunked outputs of a block equal those of the whole model.
      const end = Math.min(o + n, o + FEATURE_BLOCK);
      expect(firstMismatch(pcFeaturesChunk(sp.model, o, end, c), pcFeaturesChunk(ds, o, end), 0), 'pc features').toBe(-1);
      expect(firstMismatch(spikePositionsChunk(sp.model, o, end, c), spikePositionsChunk(ds, o, end), 0), 'positions').toBe(-1);
      o += n;
      chunks++;
    }
    expect(o).toBe(ds.spikes.times.length);
    expect(chunks).toBeGreaterThan(3);
  });
});

describe('withOverrides', () => {
  it('scales the chronic preset down to a few clusters and spikes over any length', () => {
    const tiny = withOverrides(PRESETS.chronic, { hours: 40, spikes: 3000, clusters: 10 });
    expect(tiny.duration).toBe(144000);
    expect(tiny.targetSpikes).toBe(3000);
    expect(tiny.nSingleUnits).toBeGreaterThanOrEqual(1);
    expect(tiny.nSingleUnits).toBeLessThan(20);
    expect(tiny.minRate).toBeLessThan(0.01);
    expect(PRESETS.chronic.duration).toBe(54000);
    const sp = planStream(tiny, 1);
    // The rate floors leave room for the target (not 0.5 Hz × 40 h = 72 k spikes per unit).
    expect(sp.nSpikes).toBeGreaterThan(1000);
    expect(sp.nSpikes).toBeLessThan(20000);
    expect(sp.base.nSamples).toBeGreaterThan(2 ** 32);
    // Hours alone keep the preset's spike rate.
    expect(withOverrides(PRESETS.chronic, { hours: 1.5 }).targetSpikes).toBe(30_000_000);
    expect(() => withOverrides(PRESETS.chronic, { hours: 0 })).toThrow(RangeError);
  });
});
