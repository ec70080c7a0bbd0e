import { describe, expect, it } from 'vitest';
import { ClusterLabels } from '../../../../src/core/session/ClusterLabels';
import { ClusterMetrics } from '../../../../src/core/session/ClusterMetrics';
import { orderSimilar, Similarity } from '../../../../src/core/session/Similarity';
import { memoryDataset } from './memoryDataset';

describe('Similarity', () => {
  it('templates mode: max over the clusters\' templates, following merges, ties by ascending id', () => {
    const ds = memoryDataset({ nSpikes: 5000, nClusters: 10 });
    const labels = new ClusterLabels(ds.spikeClusters);
    const metrics = new ClusterMetrics(ds, labels);
    const sim = new Similarity(ds, labels, metrics);
    expect(sim.mode).toBe('templates');
    const row = sim.similar(5);
    // 1 / (1 + |i - j|): 4 and 6 tie at 0.5, ascending id first.
    expect(row.slice(0, 2)).toEqual([
      { id: 4, similarity: 0.5 },
      { id: 6, similarity: 0.5 },
    ]);
    const merged = labels.merge([0, 9]).added[0];
    // Cluster 5 vs {0, 9}: best template pair is (5, 9) → 1/5.
    expect(sim.pair(5, merged)).toBeCloseTo(0.2, 6);
    expect(sim.similar(merged)[0]).toEqual({ id: 1, similarity: 0.5 });
  });

  it('computed mode when similar_templates is all zeros: cosine of mean templates, never a constant', () => {
    const ds = memoryDataset({ nSpikes: 5000, nClusters: 10, nChannels: 32, similar: 'zeros' });
    const labels = new ClusterLabels(ds.spikeClusters);
    const sim = new Similarity(ds, labels, new ClusterMetrics(ds, labels));
    expect(sim.mode).toBe('computed');
    const row = sim.similar(3);
    expect(row.length).toBe(9);
    // Cluster 3 peaks on channels 9–12; 2 (6–9) and 4 (12–15) share a channel, the others none.
    const score = (id: number) => row.find((r) => r.id === id)!.similarity;
    expect(score(2)).toBeGreaterThan(0);
    expect(score(4)).toBeGreaterThan(0);
    expect(score(8)).toBe(0);
    expect(new Set(row.map((r) => r.similarity)).size).toBeGreaterThan(1);
    for (const r of row) expect(r.similarity).toBeLessThanOrEqual(1 + 1e-6);
    // A merge of 3 with a far cluster is still close to 3 (its mean template is mostly 3's).
    const merged = labels.merge([4, 8]).added[0];
    expect(sim.pair(3, merged)).toBeGreaterThan(0);
    expect(sim.pair(3, merged)).toBeLessThan(score(4));
  });
});

describe('orderSimilar (the wizard\'s similar order)', () => {
  const rows = [
    { id: 4, similarity: 0.99, score: 0.7 },
    { id: 9, similarity: 0.95, score: null },
    { id: 2, similarity: 0.9, score: 1.02 },
    { id: 7, similarity: 0.8 },
    { id: 5, similarity: 0.7, score: 0.7 },
  ];
  it('orders by suggestion score, unscored rows after in similarity order, ties by similarity', () => {
    expect(orderSimilar(rows, 'suggestion').map((r) => r.id)).toEqual([2, 4, 5, 9, 7]);
  });
  it("keeps phy's similar_templates order as a setting", () => {
    expect(orderSimilar(rows, 'similarity').map((r) => r.id)).toEqual([4, 9, 2, 7, 5]);
  });
});
