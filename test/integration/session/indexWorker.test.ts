// The per-cluster index of a large assignment is built in a worker thread over shared memory at
// open (the second core works while the main thread reads the journal and unwhitens templates).
// It must be exactly the index the main thread would build, and the session must use it.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionService, startIndexWorker } from '../../../src/main/session/SessionService';
import { memoryDataset } from '../../unit/core/session/memoryDataset';
import type { Dataset } from '../../../src/core/dataset/Dataset';

const N = (1 << 20) + 12_345;

function sharedAssignment(n: number, nClusters: number): Int32Array {
  const sc = new Int32Array(new SharedArrayBuffer(n * 4));
  let a = 7;
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    sc[i] = (a >>> 8) % nClusters;
  }
  return sc;
}

function naiveLists(sc: Int32Array): Map<number, number[]> {
  const m = new Map<number, number[]>();
  for (let i = 0; i < sc.length; i++) {
    const l = m.get(sc[i]);
    if (l) l.push(i);
    else m.set(sc[i], [i]);
  }
  return m;
}

describe('cluster index worker', () => {
  it('builds the same CSR index as a plain counting sort, off the main thread', async () => {
    const sc = sharedAssignment(N, 300);
    const job = startIndexWorker(sc);
    const r = await job.result;
    expect(r, 'the worker produced an index (no silent fallback)').not.toBeNull();
    const lists = naiveLists(sc);
    expect(r!.min).toBe(0);
    expect(r!.max).toBe(Math.max(...lists.keys()));
    for (const [c, ids] of lists) {
      const got = r!.order.subarray(r!.offsets[c], r!.offsets[c + 1]);
      expect(got.length).toBe(ids.length);
      expect(Array.from(got.subarray(0, 5))).toEqual(ids.slice(0, 5));
      expect(got[got.length - 1]).toBe(ids[ids.length - 1]);
    }
  });

  it('a session opened on a large shared assignment has exact spike lists', async () => {
    const base = memoryDataset({ nSpikes: N, nClusters: 40, seed: 5 });
    const shared = new Int32Array(new SharedArrayBuffer(N * 4));
    shared.set(base.spikeClusters);
    const dataset: Dataset = { ...base, spikeClusters: shared, close: () => undefined };
    const s = await SessionService.open(dataset, { stateDir: mkdtempSync(join(tmpdir(), 'spikedock-index-')), autosaveSeconds: 0 });
    try {
      const lists = naiveLists(shared);
      for (const [c, ids] of lists) {
        const got = s.clustering.spikeIds(c);
        expect(got.length).toBe(ids.length);
        expect(got[0]).toBe(ids[0]);
        expect(got[got.length - 1]).toBe(ids[ids.length - 1]);
      }
      const snap = await s.snapshot();
      expect(snap.clusters.reduce((n, c) => n + c.nSpikes, 0)).toBe(N);
      const [a, b] = snap.clusters.map((c) => c.id);
      const u = await s.merge([a, b]);
      expect(s.clustering.nSpikes(u.added[0])).toBe(lists.get(a)!.length + lists.get(b)!.length);
    } finally {
      await s.close();
    }
  });
});
