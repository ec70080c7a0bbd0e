import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SelectedClusters } from '../../../../src/core/session/SelectedClusters';
import { ClusterLabels } from '../../../../src/core/session/ClusterLabels';

describe('SelectedClusters', () => {
  it('collects exactly the asked clusters, with the session index’s spike lists', () => {
    const sc = Int32Array.from([3, 0, 3, 7, 7, 0, 12, 3, 7, 0]);
    const sel = new SelectedClusters(sc, [3, 12, 99]);
    expect(Array.from(sel.spikeIds(3))).toEqual([0, 2, 7]);
    expect(Array.from(sel.spikeIds(12))).toEqual([6]);
    // Not asked, or absent: empty.
    expect(sel.nSpikes(0)).toBe(0);
    expect(sel.nSpikes(99)).toBe(0);
    expect(sel.clusterIds()).toEqual([3, 12]);
    expect(sel.spikeClusters).toBe(sc);
  });

  it('agrees with ClusterLabels on random assignments', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 300 }), fc.array(fc.integer({ min: -3, max: 45 }), { maxLength: 6 }), (ids, asked) => {
        const sc = Int32Array.from(ids);
        const sel = new SelectedClusters(sc, asked);
        const full = new ClusterLabels(sc);
        for (const c of asked) {
          expect(Array.from(sel.spikeIds(c))).toEqual(Array.from(full.spikeIds(c)));
          expect(sel.nSpikes(c)).toBe(full.nSpikes(c));
        }
      }),
    );
  });
});
