import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SavedClusters } from '../../../../src/core/session/SavedClusters';
import { ClusterLabels } from '../../../../src/core/session/ClusterLabels';

describe('SavedClusters', () => {
  it('counts every cluster and gathers a list when asked', () => {
    const sc = Int32Array.from([3, 0, 3, 7, 7, 0, 12, 3, 7, 0]);
    const view = new SavedClusters(sc, [3, 12, 99]);
    expect(view.clusterIds()).toEqual([0, 3, 7, 12]);
    expect(Array.from(view.spikeIds(3))).toEqual([0, 2, 7]);
    expect(Array.from(view.spikeIds(12))).toEqual([6]);
    expect(view.nSpikes(7)).toBe(3);
    // Not gathered at construction: gathered on first use.
    expect(Array.from(view.spikeIds(7))).toEqual([3, 4, 8]);
    expect(view.nSpikes(99)).toBe(0);
    expect(view.spikeIds(99).length).toBe(0);
    expect(view.spikeClusters).toBe(sc);
  });

  it('agrees with ClusterLabels on random assignments', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 300 }), fc.array(fc.integer({ min: -3, max: 45 }), { maxLength: 6 }), (ids, asked) => {
        const sc = Int32Array.from(ids);
        const view = new SavedClusters(sc, asked);
        const full = new ClusterLabels(sc);
        expect(view.clusterIds()).toEqual(full.clusterIds());
        for (const c of [...asked, ...full.clusterIds()]) {
          expect(Array.from(view.spikeIds(c))).toEqual(Array.from(full.spikeIds(c)));
          expect(view.nSpikes(c)).toBe(full.nSpikes(c));
        }
      }),
    );
  });
});
