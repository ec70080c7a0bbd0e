import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPhyData, phyDataSkipReason } from '../../helpers/phyData';
import { largestClusters, phyDataComputeFixture, type ComputeFixture } from '../../helpers/computeFixture';
import { availableAmplitudeKinds, type ComputeService } from '../../../src/main/compute/ComputeService';
import { summarise } from '../../../src/main/BackendHost';
import type { ClusterLabels } from '../../../src/core/session/ClusterLabels';
import type { Dataset } from '../../../src/core/dataset/Dataset';

describe.skipIf(!hasPhyData)(`ComputeService on phy-data's template folder${hasPhyData ? '' : ` (skipped: ${phyDataSkipReason})`}`, () => {
  let fixture: ComputeFixture;
  let ds: Dataset;
  let labels: ClusterLabels;
  let svc: ComputeService;

  beforeAll(async () => {
    fixture = await phyDataComputeFixture('template');
    ({ dataset: ds, labels, svc } = fixture);
  });

  afterAll(() => fixture?.dispose());

  const largest = (n: number) => largestClusters(labels, n);

  it('without raw data, waveforms are the templates and say so', async () => {
    const res = await svc.waveforms({ clusterIds: largest(1), kind: 'waveforms' });
    expect(res.source).toBe('templates');
    expect(res.message).toMatch(/No raw data/);
    expect(res.clusters[0].channelIds[0]).toBe(svc.peakChannel(largest(1)[0]));
    expect(res.clusters[0].data.some((v) => v !== 0)).toBe(true);
  });

  it('correlograms at 25 kHz: 25-sample bins, 51 bins, symmetric ACG', async () => {
    const ids = largest(2);
    const res = await svc.correlograms({ clusterIds: ids, maxSpikes: 1e9 });
    expect(res.nBins).toBe(51);
    const acg = Array.from(res.counts.subarray(0, 51));
    expect(acg).toEqual(acg.slice().reverse());
    // The centre bin counts the cluster's pairs less than one bin (25 samples) apart, as
    // phylib's current correlograms does (its ACG zeroing was removed in 1d7be2f).
    const t = Array.from(labels.spikeIds(ids[0]), (i) => Math.trunc(ds.spikeTimes[i]));
    let close = 0;
    for (let i = 0; i < t.length; i++) for (let j = i + 1; j < t.length && t[j] - t[i] < 25; j++) close++;
    expect(acg[25]).toBe(close);
  });

  it('features only for spikes listed in pc_feature_spike_ids.npy', async () => {
    const ids = largest(2);
    const res = await svc.features({ clusterIds: ids });
    const sub = ds.features!.spikeIds;
    expect(res.nPcs).toBe(ds.features!.nPcs);
    if (sub) for (const s of res.clusters[0].spikeIds) expect(sub.includes(s)).toBe(true);
    expect(res.clusters[0].features.some((v) => v !== 0)).toBe(true);
  });

  it('traces say there is no raw data; every cluster has a best channel', async () => {
    const t = await svc.traces({ t0: 0, t1: 0.1 });
    expect(t.message).toMatch(/No raw data/);
    expect(labels.clusterIds().every((c) => svc.peakChannel(c) >= 0)).toBe(true);
  });
});

describe.skipIf(!hasPhyData)(`ComputeService on phy-data's Kwik file${hasPhyData ? '' : ` (skipped: ${phyDataSkipReason})`}`, () => {
  let fixture: ComputeFixture;
  beforeAll(async () => {
    fixture = await phyDataComputeFixture('kwik');
  });
  afterAll(() => fixture?.dispose());

  it('offers the feature amplitudes only (no amplitudes.npy, no raw file): the summary says so', () => {
    expect(availableAmplitudeKinds(fixture.dataset)).toEqual(['feature']);
    expect(summarise(fixture.dataset, fixture.labels.clusterIds().length).amplitudeKinds).toEqual(['feature']);
  });

  it('waveforms without raw data or templates say that there is nothing to show, and why', async () => {
    const [c] = largestClusters(fixture.labels, 1);
    const res = await fixture.svc.waveforms({ clusterIds: [c], kind: 'waveforms' });
    expect(res.clusters).toEqual([]);
    expect(res.message).toBe('No raw data and no templates: nothing to show');
  });
});
