import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComputeService } from '../../../src/main/compute/ComputeService';
import type { ClusterLabels } from '../../../src/core/session/ClusterLabels';
import { lassoSpikes } from '../../../src/core/session/lasso';
import type { ClusterMetrics } from '../../../src/core/session/ClusterMetrics';
import type { Dataset } from '../../../src/core/dataset/Dataset';
import type { AmplitudesData, ChannelFeature } from '../../../src/shared/ipc/contract';
import { validateCall } from '../../../src/shared/ipc/schemas';
import { amplitudeLassoDim } from '../../../src/renderer/views/amplitudeFeature';
import { hasPhyData, phyDataSkipReason } from '../../helpers/phyData';
import { generatedComputeFixture, largestClusters, phyDataComputeFixture, type ComputeFixture } from '../../helpers/computeFixture';

let fixture: ComputeFixture;
let dataset: Dataset;
let labels: ClusterLabels;
let svc: ComputeService;

const largest = (n: number) => largestClusters(labels, n);

/** The feature of each spike on `f`'s channel and PC, read straight from the dataset's feature source (NaN: no row on that channel). */
function featureValues(spikeIds: Int32Array, f: ChannelFeature, ds = dataset): number[] {
  const src = ds.features!;
  const { data, channels } = src.read(spikeIds);
  const nL = src.nChannelsLoc;
  return Array.from(spikeIds, (_, i) => {
    for (let j = 0; j < nL; j++) if (channels[i * nL + j] === f.channelId) return data[(i * nL + j) * src.nPcs + f.pc];
    return NaN;
  });
}

/** The channels (other than `not`) that every spike of `spikeIds` has a feature row on. */
function sharedChannels(spikeIds: Int32Array, not: number): number[] {
  const src = dataset.features!;
  const { channels } = src.read(spikeIds);
  const nL = src.nChannelsLoc;
  const rows = Array.from(spikeIds, (_, i) => new Set(Array.from(channels.subarray(i * nL, (i + 1) * nL))));
  return [...rows[0]].filter((c) => c >= 0 && c !== not && rows.every((r) => r.has(c)));
}

const values = (d: AmplitudesData, k = 0) => Array.from(d.clusters[k].amplitudes);

beforeAll(async () => {
  fixture = await generatedComputeFixture({ preset: 'small', rawSeconds: 5 }, { pool: { interactiveThreads: 2 } });
  ({ dataset, labels, svc } = fixture);
});

afterAll(() => fixture?.dispose());

describe('feature amplitudes on a chosen channel and PC (FeatureView alt+click)', () => {
  it('by default: PC A on the first cluster’s best channel, for every cluster', async () => {
    const ids = largest(2);
    const res = await svc.amplitudes({ clusterIds: ids, kind: 'feature', nSpikes: 400 });
    const best = svc.peakChannel(ids[0]);
    expect(res.feature).toEqual({ channelId: best, pc: 0 });
    expect(res.clusters[0].spikeIds.length).toBeGreaterThan(100);
    for (let k = 0; k < ids.length; k++) {
      const c = res.clusters[k];
      expect(c.amplitudes.length).toBe(c.spikeIds.length);
      // Every spike shown is the cluster's and has a row on that channel, with that value.
      expect(Array.from(c.spikeIds).every((s) => labels.clusterOf(s) === ids[k])).toBe(true);
      const ref = featureValues(c.spikeIds, res.feature!);
      expect(ref.some(Number.isNaN)).toBe(false);
      expect(values(res, k)).toEqual(ref.map(Math.fround));
    }
  });

  it('equals the PC feature of each spike on the requested channel and PC, and another choice gives other values', async () => {
    const [c] = largest(1);
    const best = svc.peakChannel(c);
    const pcB = await svc.amplitudes({ clusterIds: [c], kind: 'feature', nSpikes: 300, feature: { channelId: best, pc: 1 } });
    expect(pcB.feature).toEqual({ channelId: best, pc: 1 });
    expect(values(pcB)).toEqual(featureValues(pcB.clusters[0].spikeIds, { channelId: best, pc: 1 }).map(Math.fround));

    const pcA = await svc.amplitudes({ clusterIds: [c], kind: 'feature', nSpikes: 300, feature: { channelId: best, pc: 0 } });
    expect(Array.from(pcA.clusters[0].spikeIds)).toEqual(Array.from(pcB.clusters[0].spikeIds));
    expect(values(pcA)).not.toEqual(values(pcB));

    const [other] = sharedChannels(pcA.clusters[0].spikeIds, best);
    expect(other).toBeDefined();
    const onOther = await svc.amplitudes({ clusterIds: [c], kind: 'feature', nSpikes: 300, feature: { channelId: other, pc: 0 } });
    expect(onOther.feature).toEqual({ channelId: other, pc: 0 });
    expect(values(onOther)).toEqual(featureValues(onOther.clusters[0].spikeIds, { channelId: other, pc: 0 }).map(Math.fround));
    expect(values(onOther)).not.toEqual(values(pcA));
  });

  it('a lasso on what the view shows splits on the same channel and PC', async () => {
    const [c] = largest(1);
    const best = svc.peakChannel(c);
    const data = await svc.amplitudes({ clusterIds: [c], kind: 'feature', feature: { channelId: best, pc: 1 } });
    const y = amplitudeLassoDim(data, 'feature');
    expect(y).toEqual({ type: 'pc', channelId: best, pc: 1 });
    // Above the median of PC B over the whole recording; every spike of the cluster is shown (< 10,000).
    expect(data.clusters[0].spikeIds.length).toBe(labels.nSpikes(c));
    // A threshold near the median, strictly between two values (no spike on the polygon's edge).
    const sorted = values(data).sort((a, b) => a - b);
    let m = sorted.length >> 1;
    while (sorted[m + 1] === sorted[m]) m++;
    const median = Math.fround((sorted[m] + sorted[m + 1]) / 2);
    expect(sorted[m] < median && median < sorted[m + 1]).toBe(true);
    const polygon = Float32Array.from([-1, median, 1e9, median, 1e9, 1e9, -1, 1e9]);
    const noBestChannel = { metrics: () => { throw new Error('a pc dimension needs no best channel'); } } as unknown as ClusterMetrics;
    const inside = lassoSpikes(dataset, labels, noBestChannel, { clusterIds: [c], x: { type: 'time' }, y, polygon });
    const expected = Array.from(data.clusters[0].spikeIds).filter((_, i) => data.clusters[0].amplitudes[i] > median);
    expect(Array.from(inside)).toEqual(expected);
  });

  it('a channel or PC beyond the dataset gives a message, not values', async () => {
    const [c] = largest(1);
    const res = await svc.amplitudes({ clusterIds: [c], kind: 'feature', feature: { channelId: dataset.nChannels, pc: 0 } });
    expect(res.clusters).toEqual([]);
    expect(res.message).toMatch(/no feature PC 0 on channel/);
    const pc = await svc.amplitudes({ clusterIds: [c], kind: 'feature', feature: { channelId: 0, pc: dataset.features!.nPcs } });
    expect(pc.clusters).toEqual([]);
  });

  it('other kinds ignore the feature', async () => {
    const [c] = largest(1);
    const a = await svc.amplitudes({ clusterIds: [c], kind: 'template', nSpikes: 50 });
    const b = await svc.amplitudes({ clusterIds: [c], kind: 'template', nSpikes: 50, feature: { channelId: 1, pc: 1 } });
    expect(b.feature).toBeUndefined();
    expect(values(b)).toEqual(values(a));
  });

  it('the schema refuses a bad feature', () => {
    const call = (feature: unknown) => validateCall('viewData', 'amplitudes', [{ clusterIds: [1], kind: 'feature', feature }]);
    expect(call({ channelId: 3, pc: 1 }).ok).toBe(true);
    expect(call({ channelId: -1, pc: 0 }).ok).toBe(false);
    expect(call({ channelId: 1.5, pc: 0 }).ok).toBe(false);
    expect(call({ channelId: 70_000, pc: 0 }).ok).toBe(false);
    expect(call({ channelId: 3, pc: 64 }).ok).toBe(false);
    expect(call({ channelId: 3 }).ok).toBe(false);
    expect(call({ channelId: 3, pc: 0, extra: 1 }).ok).toBe(false);
    expect(call('3:0').ok).toBe(false);
  });
});

describe.skipIf(!hasPhyData)(`feature amplitudes on sparse pc_features (phy-data template)${hasPhyData ? '' : ` (skipped: ${phyDataSkipReason})`}`, () => {
  let phyFixture: ComputeFixture;
  beforeAll(async () => {
    phyFixture = await phyDataComputeFixture('template');
  });
  afterAll(() => phyFixture?.dispose());

  it('shows only the spikes with a feature row on the channel, with their values', async () => {
    const { dataset: ds, labels: phyLabels, svc: phy } = phyFixture;
    const src = ds.features!;
    expect(src.nChannelsLoc).toBeLessThan(ds.nChannels);
    const hasRow = new Set(Array.from(src.spikeIds ?? []));
    // One cluster of all spikes (templates on different channels), and a channel that some of
    // its spikes with features have a row on and some do not.
    const [c] = phyLabels.merge(phyLabels.clusterIds().slice()).added;
    const spikes = phyLabels.spikeIds(c).filter((s) => !src.spikeIds || hasRow.has(s));
    expect(spikes.length).toBeGreaterThan(10);
    expect(spikes.length).toBeLessThan(10_000);
    let pick: { ref: number[]; f: ChannelFeature } | null = null;
    for (let ch = 0; ch < ds.nChannels && !pick; ch++) {
      const f = { channelId: ch, pc: 1 };
      const ref = featureValues(spikes, f, ds);
      const n = ref.filter((v) => !Number.isNaN(v)).length;
      if (n > 0 && n < spikes.length) pick = { ref, f };
    }
    expect(pick).not.toBeNull();
    const { ref, f } = pick!;
    const res = await phy.amplitudes({ clusterIds: [c], kind: 'feature', feature: f });
    expect(res.feature).toEqual(f);
    expect(Array.from(res.clusters[0].spikeIds)).toEqual(Array.from(spikes).filter((_, i) => !Number.isNaN(ref[i])));
    expect(values(res)).toEqual(ref.filter((v) => !Number.isNaN(v)).map(Math.fround));
  });
});
