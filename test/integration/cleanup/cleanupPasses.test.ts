import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterFeatureMatrix, findOutliers } from '../../../src/core/cleanup/outliers';
import { OUTLIER_CHANNELS } from '../../../src/main/compute/providers/cleanup';
import { generatedComputeFixture, largestClusters, type ComputeFixture } from '../../helpers/computeFixture';

let fx: ComputeFixture;

beforeAll(async () => {
  fx = await generatedComputeFixture({ preset: 'small', rawSeconds: 2 });
});
afterAll(() => fx?.dispose());

describe('the clean-up tools\' whole-cluster passes (small preset)', () => {
  it('outliers in the background lane equal the in-process computation on every spike', async () => {
    const [c] = largestClusters(fx.labels, 1);
    const r = await fx.svc.outlierSpikes(c, 0.99);
    const src = fx.dataset.features!;
    const channelIds = Array.from(fx.svc.bestChannels(c, OUTLIER_CHANNELS));
    expect(r.channelIds).toEqual(channelIds);
    const m = clusterFeatureMatrix((ids) => src.read(ids), fx.labels.spikeIds(c).slice(), src.nChannelsLoc, src.nPcs, channelIds);
    const ref = findOutliers(m.x, m.n, m.d, { quantile: 0.99 });
    expect(r.nDims).toBe(OUTLIER_CHANNELS * src.nPcs);
    expect(r.nMeasured).toBe(m.n);
    expect(m.n).toBeGreaterThan(0.9 * fx.labels.nSpikes(c));
    expect(Array.from(r.outliers)).toEqual(Array.from(ref.rows, (row) => m.spikeIds[row]));
    // At 99 %, a near-Gaussian cluster has about 1 % outliers (more with heavy tails).
    expect(r.outliers.length).toBeGreaterThan(0);
    expect(r.outliers.length).toBeLessThan(0.1 * m.n);
  });

  it('refuses a cluster too small to estimate a covariance, with the reason', async () => {
    const small = fx.labels.clusterIds().find((c) => fx.labels.nSpikes(c) >= 1)!;
    // A two-spike cluster: split two spikes off.
    const two = fx.labels.spikeIds(small).slice(0, 2);
    fx.labels.split(two);
    const id = Math.max(...fx.labels.clusterIds());
    expect(fx.labels.nSpikes(id) === 2 || fx.labels.nSpikes(id - 1) === 2).toBe(true);
    const twoId = fx.labels.nSpikes(id) === 2 ? id : id - 1;
    await expect(fx.svc.outlierSpikes(twoId)).rejects.toThrow(/2 spikes are too few to estimate a 12-dimensional covariance/);
  });

  it('amplitudes of every spike: template from amplitudes.npy, feature from the PC file', async () => {
    const [c] = largestClusters(fx.labels, 1);
    const t = await fx.svc.clusterAmplitudeValues(c, 'template');
    expect(Array.from(t.spikeIds)).toEqual(Array.from(fx.labels.spikeIds(c)));
    expect(Array.from(t.values)).toEqual(Array.from(fx.labels.spikeIds(c), (i) => fx.dataset.amplitudes![i]));
    const ch = fx.svc.peakChannel(c);
    const f = await fx.svc.clusterAmplitudeValues(c, 'feature', { channelId: ch, pc: 1 });
    const src = fx.dataset.features!;
    const m = clusterFeatureMatrix((ids) => src.read(ids), fx.labels.spikeIds(c).slice(), src.nChannelsLoc, src.nPcs, [ch]);
    expect(Array.from(f.spikeIds)).toEqual(Array.from(m.spikeIds));
    expect(Array.from(f.values)).toEqual(Array.from({ length: m.n }, (_, k) => Math.fround(m.x[k * src.nPcs + 1])));
    await expect(fx.svc.clusterAmplitudeValues(c, 'raw')).rejects.toThrow(/raw amplitudes is not offered|not available/);
  });
});
