/**
 * The merge preview on a generated `small` dataset, judged by its ground truth: merging the
 * clusters of an over-split unit keeps the refractory dip; merging two different units worsens
 * contamination, and so does merging a near-twin distractor with its host; the preview's numbers
 * are those of the cluster the merge then makes (its metrics as `spikedock metrics` computes
 * them, its ACG as the CorrelogramView shows it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedComputeFixture, largestClusters, phyDataComputeFixture, type ComputeFixture } from '../../helpers/computeFixture';
import { hasPhyData, phyDataSkipReason } from '../../helpers/phyData';
import type { GroundTruth } from '../../../src/core/generate/groundTruth';
import { computeQualityMetrics } from '../../../src/core/metrics/qualityMetrics';
import { MERGE_PREVIEW_METRICS } from '../../../src/core/metrics/mergePreview';

let fixture: ComputeFixture;
let gt: GroundTruth;

beforeAll(async () => {
  fixture = await generatedComputeFixture({ preset: 'small', seed: 5, raw: false });
  gt = JSON.parse(readFileSync(join(fixture.dir, 'ground_truth.json'), 'utf8')) as GroundTruth;
});

afterAll(() => fixture?.dispose());

/** The two largest clean single-unit clusters of different units. */
function twoUnits(): [number, number] {
  const singles = gt.clusters.filter((c) => c.kind === 'single' && c.units.length === 1 && c.noiseSpikes === 0).sort((a, b) => b.nSpikes - a.nSpikes);
  const a = singles[0];
  const b = singles.find((c) => c.units[0].unit !== a.units[0].unit)!;
  return [a.id, b.id];
}

describe('viewData.mergePreview', () => {
  it('keeps the refractory dip for every over-split unit of the ground truth', async () => {
    const pairs = gt.overSplits.filter((o) => o.clusters.length >= 2);
    expect(pairs.length).toBeGreaterThan(0);
    for (const o of pairs) {
      const p = await fixture.svc.mergePreview({ clusterIds: o.clusters });
      expect({ unit: o.unit, clusters: o.clusters, verdict: p.verdict.verdict }).toEqual({ unit: o.unit, clusters: o.clusters, verdict: 'keeps' });
      expect(p.parts.map((x) => x.num_spikes)).toEqual(o.clusters.map((c) => fixture.labels.nSpikes(c)));
      expect(p.merged.num_spikes).toBe(p.parts.reduce((s, x) => s + x.num_spikes, 0));
    }
  });

  it('worsens contamination for two different units', async () => {
    const ids = twoUnits();
    const p = await fixture.svc.mergePreview({ clusterIds: ids });
    expect(p.verdict.verdict).toBe('worsens');
    expect(p.merged.rp_contamination).toBeGreaterThan(p.verdict.partsContamination);
    expect(p.merged.rp_violations).toBeGreaterThan(p.parts[0].rp_violations + p.parts[1].rp_violations);
  });

  it('worsens contamination for every near-twin distractor pair (similar templates, different neurons)', async () => {
    expect(gt.distractors.length).toBeGreaterThan(0);
    for (const d of gt.distractors) {
      const p = await fixture.svc.mergePreview({ clusterIds: d.clusters });
      expect({ clusters: d.clusters, verdict: p.verdict.verdict }).toEqual({ clusters: d.clusters, verdict: 'worsens' });
    }
  });

  it('the union ACG is the same when the correlograms are split in two halves across threads', async () => {
    const ids = twoUnits();
    const whole = await fixture.svc.correlograms({ clusterIds: ids, maxSpikes: 1e9 });
    const split = await generatedComputeFixture({ preset: 'small', seed: 5, raw: false }, { pool: { interactiveThreads: 2 }, compute: { splitMinSpikes: 1 } });
    try {
      const halves = await split.svc.correlograms({ clusterIds: ids, maxSpikes: 1e9 });
      expect(Array.from(halves.counts)).toEqual(Array.from(whole.counts));
      expect(Array.from(halves.merged!)).toEqual(Array.from(whole.merged!));
    } finally {
      await split.dispose();
    }
  });

  it('refuses fewer than two clusters, repeated ids and clusters that do not exist, naming the request', async () => {
    const [a, b] = twoUnits();
    await expect(fixture.svc.mergePreview({ clusterIds: [a] })).rejects.toThrow(/viewData\.mergePreview: a merge needs 2 clusters/);
    await expect(fixture.svc.mergePreview({ clusterIds: [a, a] })).rejects.toThrow(/viewData\.mergePreview: cluster ids repeat/);
    await expect(fixture.svc.mergePreview({ clusterIds: [a, 999_999] })).rejects.toThrow(/viewData\.mergePreview: cluster 999999 does not exist/);
    const ctl = new AbortController();
    ctl.abort();
    await expect(fixture.svc.mergePreview({ clusterIds: [a, b] }, ctl.signal)).rejects.toThrow(/abort/i);
  });

  it('previews exactly what the merge makes: its metrics and its ACG', async () => {
    const o = gt.overSplits.find((x) => x.clusters.length >= 2)!;
    const ids = o.clusters;
    const preview = await fixture.svc.mergePreview({ clusterIds: ids });
    const ccg = await fixture.svc.correlograms({ clusterIds: ids, maxSpikes: 10_000_000 });
    expect(ccg.merged).toBeDefined();
    const change = fixture.labels.merge(ids);
    fixture.svc.onUpdate({ opId: 1, generation: fixture.labels.bumpGeneration(), description: 'merge', ...change });
    const made = change.added[0];
    const row = computeQualityMetrics(fixture.dataset, fixture.labels, { metrics: [...MERGE_PREVIEW_METRICS] }).find((r) => r.cluster_id === made)!;
    for (const m of MERGE_PREVIEW_METRICS) expect({ m, v: preview.merged[m] }).toEqual({ m, v: row[m] });
    const acg = await fixture.svc.correlograms({ clusterIds: [made], maxSpikes: 10_000_000 });
    expect(Array.from(ccg.merged!)).toEqual(Array.from(acg.counts));
    expect(acg.merged).toBeUndefined();
    // The merged clusters are gone: the preview of them is refused, not served from the cache.
    await expect(fixture.svc.mergePreview({ clusterIds: ids })).rejects.toThrow(/does not exist/);
  });
});

describe.skipIf(!hasPhyData)(`viewData.mergePreview on phy-data's template folder and Kwik file${hasPhyData ? '' : ` (skipped: ${phyDataSkipReason})`}`, () => {
  for (const sub of ['template', 'kwik'] as const) {
    it(`${sub}: the union's metrics and ACG are those of the merged cluster (amplitude_cutoff NaN without amplitudes)`, async () => {
      const f = await phyDataComputeFixture(sub);
      try {
        const ids = largestClusters(f.labels, 2);
        const p = await f.svc.mergePreview({ clusterIds: ids });
        expect(['improves', 'keeps', 'worsens']).toContain(p.verdict.verdict);
        expect(p.merged.num_spikes).toBe(f.labels.nSpikes(ids[0]) + f.labels.nSpikes(ids[1]));
        if (!f.dataset.amplitudes) expect(p.merged.amplitude_cutoff).toBeNaN();
        const ccg = await f.svc.correlograms({ clusterIds: ids, maxSpikes: 1e9 });
        const change = f.labels.merge(ids);
        f.svc.onUpdate({ opId: 1, generation: f.labels.bumpGeneration(), description: 'merge', ...change });
        const row = computeQualityMetrics(f.dataset, f.labels, { metrics: [...MERGE_PREVIEW_METRICS] }).find((r) => r.cluster_id === change.added[0])!;
        for (const m of MERGE_PREVIEW_METRICS) expect({ m, v: p.merged[m] }).toEqual({ m, v: row[m] });
        const acg = await f.svc.correlograms({ clusterIds: [change.added[0]], maxSpikes: 1e9 });
        expect(Array.from(ccg.merged!)).toEqual(Array.from(acg.counts));
      } finally {
        await f.dispose();
      }
    });
  }
});
