/**
 * DriftView's data through the ComputeService and the real worker pool: the density image counts
 * every spike of its rectangle once, with depths from `spike_positions.npy` (generated datasets
 * have it) or, without it, from each spike's template (centre of mass of its peak-to-peak); the
 * selected clusters' spikes carry the same depths; a click on a spike picks its cluster.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedComputeFixture, largestClusters, phyDataComputeFixture, type ComputeFixture } from '../../helpers/computeFixture';
import { hasPhyData, phyDataSkipReason } from '../../helpers/phyData';
import { driftDensity, spikePositionsAttribute, templateCentreOfMass } from '../../../src/core/compute/drift';
import { peakToPeak, unwhitenTemplate } from '../../../src/core/compute/templates';
import type { Dataset } from '../../../src/core/dataset/Dataset';

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/** Every spike's y from `spike_positions.npy`, read on the main thread (the reference). */
function positionsY(ds: Dataset): Float32Array {
  const attr = spikePositionsAttribute(ds.spikeAttributes)!;
  const ids = Int32Array.from({ length: ds.nSpikes }, (_, i) => i);
  const v = attr.read(ids);
  return Float32Array.from(ids, (i) => v[i * attr.nColumns + 1]);
}

/** A template's depth computed here: centre of mass of its unwhitened peak-to-peak over the channels' y. */
function templateY(ds: Dataset, t: number): number {
  const src = ds.templates!;
  const tpl = src.getTemplate(t);
  const u = unwhitenTemplate(tpl.data, tpl.channels, src.nSamples, ds.whiteningMatInv, ds.nChannels);
  const ptp = peakToPeak(u, src.nSamples, tpl.channels.length);
  const used = Array.from(tpl.channels.keys()).filter((k) => tpl.channels[k] >= 0);
  return templateCentreOfMass(used.map((k) => tpl.channels[k]), used.map((k) => ptp[k]), ds.channelPositions).y;
}

describe('drift provider, spike_positions.npy', () => {
  let fx: ComputeFixture;
  beforeAll(async () => {
    fx = await generatedComputeFixture({ preset: 'small', rawSeconds: 2 });
  });
  afterAll(() => fx?.dispose());

  it('the whole-recording image counts every spike once and says its depths come from spike_positions', async () => {
    const r = await fx.svc.drift({ nTimeBins: 300, nDepthBins: 120 });
    expect(r.source).toBe('spike_positions');
    expect(r.counts.length).toBe(300 * 120);
    expect(sum(r.counts)).toBe(fx.dataset.nSpikes);
    expect(r.nSpikes).toBe(fx.dataset.nSpikes);
    expect(r.home).toEqual({ t0: r.t0, t1: r.t1, d0: r.d0, d1: r.d1 });
    const y = positionsY(fx.dataset);
    // The worker read the same depths as the attribute: the same image, bin for bin.
    const direct = driftDensity(fx.dataset.spikeTimes, y, fx.dataset.sampleRate, r);
    expect(Array.from(r.counts)).toEqual(Array.from(direct.counts));
  });

  it('a zoomed rectangle counts exactly the spikes inside it', async () => {
    const home = (await fx.svc.drift({ nTimeBins: 10, nDepthBins: 10 })).home;
    const t: [number, number] = [home.t1 * 0.25, home.t1 * 0.5];
    const d: [number, number] = [home.d0 + (home.d1 - home.d0) * 0.3, home.d0 + (home.d1 - home.d0) * 0.6];
    const r = await fx.svc.drift({ nTimeBins: 64, nDepthBins: 32, timeRange: t, depthRange: d });
    const y = positionsY(fx.dataset);
    const st = fx.dataset.spikeTimes;
    const sr = fx.dataset.sampleRate;
    let inside = 0;
    for (let i = 0; i < st.length; i++) if (st[i] / sr >= t[0] && st[i] / sr <= t[1] && y[i] >= d[0] && y[i] <= d[1]) inside++;
    expect(inside).toBeGreaterThan(0);
    expect(sum(r.counts)).toBe(inside);
    expect([r.t0, r.t1, r.d0, r.d1]).toEqual([...t, ...d]);
  });

  it("the selected clusters' spikes carry their spike_positions depth, and clicking one picks its cluster", async () => {
    const [a, b] = largestClusters(fx.labels, 2);
    const r = await fx.svc.driftSpikes({ clusterIds: [a, b], nSpikes: 500 });
    expect(r.clusters.map((c) => c.clusterId)).toEqual([a, b]);
    const y = positionsY(fx.dataset);
    for (const c of r.clusters) {
      // phylib's regular subset: every k-th spike, so at most 500 (and at least half of that).
      expect(c.spikeIds.length).toBeLessThanOrEqual(500);
      expect(c.spikeIds.length).toBeGreaterThanOrEqual(250);
      expect(Array.from(c.depths)).toEqual(Array.from(c.spikeIds, (s) => y[s]));
    }
    const k = 100;
    const spike = r.clusters[1].spikeIds[k];
    const pick = await fx.svc.driftPick({ time: r.clusters[1].times[k], depth: r.clusters[1].depths[k], secondsPerPixel: 1e-4, umPerPixel: 0.01, radiusPixels: 4 });
    expect(pick.spikeId).toBe(spike);
    expect(pick.clusterId).toBe(b);
    // Far from every spike (before the recording): nothing.
    expect(await fx.svc.driftPick({ time: -10, depth: 0, secondsPerPixel: 0.01, umPerPixel: 1, radiusPixels: 8 })).toMatchObject({ spikeId: null, clusterId: null });
  });

  it('after a merge, a click picks the merged cluster (the image, which does not depend on clusters, is unchanged)', async () => {
    const before = await fx.svc.drift({ nTimeBins: 50, nDepthBins: 50 });
    const [a, b] = largestClusters(fx.labels, 2);
    const spikes = await fx.svc.driftSpikes({ clusterIds: [a], nSpikes: 10 });
    const change = fx.labels.merge([a, b]);
    fx.svc.onUpdate({ ...change, opId: 1, generation: fx.labels.generation, description: 'merge' });
    const c = spikes.clusters[0];
    const pick = await fx.svc.driftPick({ time: c.times[3], depth: c.depths[3], secondsPerPixel: 1e-4, umPerPixel: 0.01, radiusPixels: 4 });
    expect(pick.clusterId).toBe(change.added[0]);
    const after = await fx.svc.drift({ nTimeBins: 50, nDepthBins: 50 });
    expect(Array.from(after.counts)).toEqual(Array.from(before.counts));
  });
});

describe('drift provider on two threads (depth column and image split in parts)', () => {
  let fx: ComputeFixture;
  beforeAll(async () => {
    fx = await generatedComputeFixture({ preset: 'small', rawSeconds: 2 }, { pool: { interactiveThreads: 2 }, compute: { driftSplitSpikes: 1000 } });
  });
  afterAll(() => fx?.dispose());

  it('gives the same image and depths as one thread reading the file on the main thread', async () => {
    const r = await fx.svc.drift({ nTimeBins: 300, nDepthBins: 120 });
    expect(sum(r.counts)).toBe(fx.dataset.nSpikes);
    const y = positionsY(fx.dataset);
    const depths = await fx.svc.spikeDepthsReady();
    expect(Array.from(depths.depths)).toEqual(Array.from(y));
    expect([depths.min, depths.max]).toEqual([Math.min(...y), Math.max(...y)]);
    expect(Array.from(r.counts)).toEqual(Array.from(driftDensity(fx.dataset.spikeTimes, y, fx.dataset.sampleRate, r).counts));
  });
});

describe('drift provider, no spike_positions.npy: template positions', () => {
  let fx: ComputeFixture;
  beforeAll(async () => {
    fx = await generatedComputeFixture({ preset: 'small', rawSeconds: 2 }, { afterGenerate: (dir) => rmSync(join(dir, 'spike_positions.npy')) });
  });
  afterAll(() => fx?.dispose());

  it("counts every spike at its template's centre of mass and says so", async () => {
    expect(spikePositionsAttribute(fx.dataset.spikeAttributes)).toBeNull();
    const r = await fx.svc.drift({ nTimeBins: 200, nDepthBins: 100 });
    expect(r.source).toBe('template_positions');
    expect(sum(r.counts)).toBe(fx.dataset.nSpikes);
    const [a] = largestClusters(fx.labels, 1);
    const s = await fx.svc.driftSpikes({ clusterIds: [a], nSpikes: 200 });
    const st = fx.dataset.spikeTemplates!;
    const c = s.clusters[0];
    for (let k = 0; k < c.spikeIds.length; k += 37) expect(c.depths[k]).toBeCloseTo(templateY(fx.dataset, st[c.spikeIds[k]]), 3);
  });
});

describe.skipIf(!hasPhyData)(`drift provider on phy's template dataset${hasPhyData ? '' : ` (skipped: ${phyDataSkipReason})`}`, () => {
  let fx: ComputeFixture;
  beforeAll(async () => {
    fx = await phyDataComputeFixture('template');
  });
  afterAll(() => fx?.dispose());

  it('has no spike_positions.npy: every spike is counted at its template position', async () => {
    const r = await fx.svc.drift({ nTimeBins: 400, nDepthBins: 200 });
    expect(r.source).toBe('template_positions');
    expect(sum(r.counts)).toBe(fx.dataset.nSpikes);
    expect(r.d1).toBeGreaterThan(r.d0);
  });
});
