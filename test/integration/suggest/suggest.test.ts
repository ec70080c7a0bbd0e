/**
 * Merge suggestions on a generated `small` dataset, judged by its ground truth, and kept current
 * incrementally: after a merge, `update(added, deleted)` must give exactly the pairs a fresh
 * scoring of the new clustering gives.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { openDataset } from '../../../src/main/openDataset';
import { ClusterLabels } from '../../../src/core/session/ClusterLabels';
import { MergeSuggester } from '../../../src/core/suggest/MergeSuggester';
import type { GroundTruth } from '../../../src/core/generate/groundTruth';
import type { Dataset } from '../../../src/core/dataset/Dataset';

let dir = '';
let ds: Dataset;
let gt: GroundTruth;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spikedock-suggest-'));
  await generateDataset(dir, { preset: 'small', seed: 3, raw: false });
  gt = JSON.parse(readFileSync(join(dir, 'ground_truth.json'), 'utf8')) as GroundTruth;
  ds = await openDataset(dir, { shared: false });
});

afterAll(() => {
  ds?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('MergeSuggester on generated data', () => {
  it('scores neighbouring pairs with every evidence term, best first, deterministically', () => {
    const s = new MergeSuggester(ds, new ClusterLabels(ds.spikeClusters));
    s.scoreAll();
    const all = s.all();
    expect(all.length).toBeGreaterThan(10);
    for (let i = 1; i < all.length; i++) expect(all[i - 1].score).toBeGreaterThanOrEqual(all[i].score);
    for (const p of all) {
      expect(p.clusters[0]).toBeLessThan(p.clusters[1]);
      expect(Object.keys(p.evidence)).toContain('template_similarity');
      expect(p.evidence.template_similarity).not.toBeNull();
      expect(p.evidence.ccg_expected).not.toBeNull();
      expect(p.evidence.feature_mixing).not.toBeNull();
    }
    const again = new MergeSuggester(ds, new ClusterLabels(ds.spikeClusters));
    again.scoreAll();
    expect(again.all()).toEqual(all);
  });

  it("ranks every over-split cluster's true partner among its top 3", () => {
    const s = new MergeSuggester(ds, new ClusterLabels(ds.spikeClusters));
    s.scoreAll();
    const splits = gt.overSplits.filter((o) => o.clusters.length > 1);
    expect(splits.length).toBeGreaterThan(0);
    for (const o of splits) {
      for (const c of o.clusters) {
        const top3 = s.forCluster(c).slice(0, 3).map((p) => (p.clusters[0] === c ? p.clusters[1] : p.clusters[0]));
        expect(top3.some((d) => o.clusters.includes(d)), `cluster ${c}: top 3 ${top3}, partners ${o.clusters}`).toBe(true);
      }
    }
  });

  it('after a merge, update(added, deleted) equals a fresh scoring of the new clustering', () => {
    const labels = new ClusterLabels(ds.spikeClusters);
    const s = new MergeSuggester(ds, labels);
    s.scoreAll();
    const [a, b] = s.all()[0].clusters;
    const change = labels.merge([a, b]);
    s.update(change.added, change.deleted);
    expect(s.forCluster(a)).toEqual([]);
    expect(s.forCluster(change.added[0]).length).toBeGreaterThan(0);
    const fresh = new MergeSuggester(ds, labels);
    fresh.scoreAll();
    expect(s.all()).toEqual(fresh.all());
    // And back: undo restores the parents, whose pairs are scored again.
    labels.undo(change);
    s.update(change.deleted, change.added);
    const before = new MergeSuggester(ds, labels);
    before.scoreAll();
    expect(s.all()).toEqual(before.all());
  });
});
