/**
 * The raster provider on its own, over a compute context built from a generated dataset's parts
 * (the same context ComputeService hands every provider): counts equal a direct binning of the
 * spike times, and after a merge the cached rows of the merged clusters are not served again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedComputeFixture, largestClusters, type ComputeFixture } from '../../helpers/computeFixture';
import { ClusterFacts } from '../../../src/main/compute/ClusterFacts';
import { ResultCache } from '../../../src/main/compute/ResultCache';
import { VirtualClusters } from '../../../src/main/compute/VirtualClusters';
import type { ComputeContext } from '../../../src/main/compute/context';
import { raster } from '../../../src/main/compute/providers/raster';

let fixture: ComputeFixture;
let ctx: ComputeContext;

beforeAll(async () => {
  fixture = await generatedComputeFixture({ preset: 'small', rawSeconds: 5 });
  const { dataset, labels, pool, svc } = fixture;
  ctx = { dataset, clustering: labels, virtual: new VirtualClusters(labels), pool, handle: svc.handle, results: new ResultCache(labels, 1 << 24), facts: new ClusterFacts(dataset, labels), opts: {} };
});

afterAll(() => fixture?.dispose());

/** Each cluster's spikes binned directly from the spike times, saturating at 255. */
function direct(clusterIds: number[], nBins: number, duration: number): number[][] {
  const { dataset, labels } = fixture;
  const perSample = nBins / (duration * dataset.sampleRate);
  return clusterIds.map((c) => {
    const row = new Array<number>(nBins).fill(0);
    for (const s of labels.spikeIds(c)) {
      const b = Math.min(nBins - 1, Math.floor(dataset.spikeTimes[s] * perSample));
      row[b] = Math.min(255, row[b] + 1);
    }
    return row;
  });
}

const rows = (counts: Uint8Array, n: number, nBins: number) => Array.from({ length: n }, (_, k) => Array.from(counts.subarray(k * nBins, (k + 1) * nBins)));

describe('raster provider', () => {
  it('counts every spike of each cluster in its bin, rows in request order', async () => {
    const ids = largestClusters(fixture.labels, 3).reverse();
    const nBins = 4000;
    const r = await raster(ctx, { clusterIds: ids, nBins });
    expect(r.nBins).toBe(nBins);
    expect(r.duration).toBeGreaterThan(0);
    expect(rows(r.counts, ids.length, nBins)).toEqual(direct(ids, nBins, r.duration));
    ids.forEach((c, k) => expect(rows(r.counts, ids.length, nBins)[k].reduce((a, b) => a + b, 0)).toBe(fixture.labels.nSpikes(c)));
  });

  it('after a merge, the merged clusters are empty rows and the new one holds their spikes', async () => {
    const [a, b] = largestClusters(fixture.labels, 2);
    const nBins = 4000;
    const before = await raster(ctx, { clusterIds: [a, b], nBins });
    const change = fixture.labels.merge([a, b]);
    ctx.results.onClustersChanged([...change.deleted, ...change.added]);
    const gone = await raster(ctx, { clusterIds: [a, b], nBins });
    expect(gone.counts.every((v) => v === 0)).toBe(true);
    const merged = await raster(ctx, { clusterIds: [change.added[0]], nBins });
    expect(Array.from(merged.counts)).toEqual(direct([change.added[0]], nBins, before.duration)[0]);
    expect(merged.counts.reduce((s, v) => s + v, 0)).toBe(fixture.labels.nSpikes(change.added[0]));
  });
});
