/**
 * The compute service's shared result cache on a real ClusterLabels: hits, identical requests
 * joining one computation, an aborted joiner, results overtaken by a merge, redo's re-added ids.
 */
import { describe, expect, it } from 'vitest';
import { ClusterLabels } from '../../../../src/core/session/ClusterLabels';
import { ResultCache, StaleResultError } from '../../../../src/main/compute/ResultCache';
import { AbortError } from '../../../../src/main/compute/WorkerPool';

/** Clusters 0, 1, 2 with 4 spikes each. */
const labels = () => new ClusterLabels(Int32Array.from({ length: 12 }, (_, k) => k % 3));

/** A computation that resolves when told, counting its runs. */
function gate(value: number) {
  let release!: () => void;
  const opened = new Promise<void>((r) => (release = r));
  const calls = { n: 0 };
  const compute = async (generation: number) => {
    calls.n++;
    await opened;
    return { generation, value, payload: new Float32Array(4) };
  };
  return { compute, release, calls };
}

describe('ResultCache', () => {
  it('serves a repeated request from the cache, with the current generation', async () => {
    const cl = labels();
    const cache = new ResultCache(cl, 1 << 20);
    const g = gate(7);
    g.release();
    const a = await cache.memo('m', { c: [0] }, [0], false, undefined, g.compute);
    const b = await cache.memo('m', { c: [0] }, [0], false, undefined, g.compute);
    expect(g.calls.n).toBe(1);
    expect(b.value).toBe(7);
    expect(a.generation).toBe(cl.generation);
    expect(cache.bytes).toBeGreaterThanOrEqual(16);
    // Another request (other parameters) is its own entry.
    await cache.memo('m', { c: [1] }, [1], false, undefined, g.compute);
    expect(g.calls.n).toBe(2);
  });

  it('identical requests running at once share one computation; an aborted joiner rejects alone', async () => {
    const cache = new ResultCache(labels(), 1 << 20);
    const g = gate(3);
    const first = cache.memo('m', { c: [0] }, [0], false, undefined, g.compute);
    const joiner = new AbortController();
    const second = cache.memo('m', { c: [0] }, [0], false, joiner.signal, g.compute);
    const third = cache.memo('m', { c: [0] }, [0], false, undefined, g.compute);
    joiner.abort();
    await expect(second).rejects.toBeInstanceOf(AbortError);
    g.release();
    expect((await first).value).toBe(3);
    expect((await third).value).toBe(3);
    expect(g.calls.n).toBe(1);
  });

  it('when the first caller gives up, a joiner computes the result for itself', async () => {
    const cache = new ResultCache(labels(), 1 << 20);
    const g = gate(5);
    const owner = new AbortController();
    const first = cache.memo('m', { c: [0] }, [0], false, owner.signal, g.compute);
    await Promise.resolve();
    const second = cache.memo('m', { c: [0] }, [0], false, undefined, g.compute);
    owner.abort();
    g.release();
    await expect(first).rejects.toBeInstanceOf(AbortError);
    expect((await second).value).toBe(5);
    expect(g.calls.n).toBe(2);
  });

  it('drops a result overtaken by a merge of its cluster, and the cached results of merged clusters', async () => {
    const cl = labels();
    const cache = new ResultCache(cl, 1 << 20);
    const done = gate(1);
    done.release();
    await cache.memo('m', { c: [1] }, [1], false, undefined, done.compute);
    const g = gate(2);
    const running = cache.memo('m', { c: [0] }, [0], false, undefined, g.compute);
    const change = cl.merge([0, 1]);
    cache.onClustersChanged([...change.deleted, ...change.added]);
    g.release();
    await expect(running).rejects.toBeInstanceOf(StaleResultError);
    // Cluster 1's cached result is gone: asked again, it is computed again.
    await cache.memo('m', { c: [1] }, [1], false, undefined, done.compute);
    expect(done.calls.n).toBe(2);
    // A result of an untouched cluster stays cached across the update.
    const other = gate(9);
    other.release();
    await cache.memo('m', { c: [2] }, [2], false, undefined, other.compute);
    await cache.memo('m', { c: [2] }, [2], false, undefined, other.compute);
    expect(other.calls.n).toBe(1);
  });

  it('never serves a result computed while an id was gone once redo brings it back', async () => {
    const cl = labels();
    const cache = new ResultCache(cl, 1 << 20);
    const change = cl.merge([0, 1]);
    cache.onClustersChanged([...change.deleted, ...change.added]);
    const gone = gate(0);
    gone.release();
    await cache.memo('m', { c: [0] }, [0], false, undefined, gone.compute);
    cl.undo(change);
    cache.onClustersChanged([...change.added, ...change.deleted]);
    const back = gate(4);
    back.release();
    expect((await cache.memo('m', { c: [0] }, [0], false, undefined, back.compute)).value).toBe(4);
  });

  it('keys generation-dependent results by generation, and refuses requests once closed', async () => {
    const cl = labels();
    const cache = new ResultCache(cl, 1 << 20);
    const g = gate(1);
    g.release();
    await cache.memo('bg', { c: [0] }, [0], true, undefined, g.compute);
    cl.bumpGeneration();
    await cache.memo('bg', { c: [0] }, [0], true, undefined, g.compute);
    expect(g.calls.n).toBe(2);
    cache.close();
    expect(cache.bytes).toBe(0);
    await expect(cache.memo('bg', { c: [0] }, [0], true, undefined, g.compute)).rejects.toThrow('compute service is closed');
  });
});
