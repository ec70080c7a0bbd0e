/**
 * The command line's one-shot paths (`oneShotCompute`: the asked clusters collected in one pass,
 * tasks in the calling thread, no background grouping) give what the app's threaded compute
 * stack gives on the same files: `spikedock ccg` and `spikedock waveforms` against a
 * ComputeService over a session index (ClusterLabels) and a worker pool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { generatedComputeFixture, largestClusters, type ComputeFixture } from '../../helpers/computeFixture';
import { runCli } from '../../helpers/runCli';
import { WorkerPool, AbortError } from '../../../src/main/compute/WorkerPool';
import { tasks } from '../../../src/shared/tasks/tasks';
import { oneShotCompute } from '../../../src/main/compute/oneShot';
import { SessionService } from '../../../src/main/session/SessionService';
import { join } from 'node:path';

let fx: ComputeFixture;
beforeAll(async () => {
  fx = await generatedComputeFixture({ preset: 'small', rawSeconds: 10 }, { pool: { interactiveThreads: 2 } });
}, 120_000);
afterAll(async () => fx?.dispose());

describe('CLI fast paths', () => {
  it('spikedock ccg --json equals the threaded correlograms of the same clusters', async () => {
    const ids = largestClusters(fx.labels, 4).sort((a, b) => a - b);
    const r = await runCli('ccg', fx.dir, '--clusters', ids.join(','), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const ref = await fx.svc.correlograms({ clusterIds: ids, binSize: 0.001, windowSize: 0.05, maxSpikes: 100_000 });
    expect(out.n_bins).toBe(ref.nBins);
    const n = ids.length;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        expect(out.counts[i][j]).toEqual(Array.from(ref.counts.subarray((i * n + j) * ref.nBins, (i * n + j + 1) * ref.nBins)));
      }
    }
    expect(out.refractory.map((s: { nSpikes: number; nViolations: number }) => [s.nSpikes, s.nViolations])).toEqual(ref.stats.map((s) => [s.nSpikes, s.nViolations]));
    expect(out.refractory.map((s: { nSpikes: number }) => s.nSpikes)).toEqual(ids.map((c) => fx.labels.nSpikes(c)));
  });

  it('spikedock ccg names a cluster that does not exist', async () => {
    const r = await runCli('ccg', fx.dir, '--clusters', '99999', '--json');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no such cluster: 99999');
  });

  it('spikedock waveforms --json equals the threaded mean waveform', async () => {
    const [c] = largestClusters(fx.labels, 1);
    const r = await runCli('waveforms', fx.dir, String(c), '--json', '--n-spikes', '50');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const ref = await fx.svc.waveforms({ clusterIds: [c], kind: 'mean', nSpikes: 50, nChannels: 12, filter: true });
    const rc = ref.clusters[0];
    expect(out.source).toBe(ref.source);
    expect(out.channel_ids).toEqual(Array.from(rc.channelIds));
    expect(out.spike_ids).toEqual(Array.from(rc.spikeIds));
    const nCh = rc.channelIds.length;
    const flat = (out.mean as number[][]).flat();
    expect(flat.length).toBe(ref.nSamples * nCh);
    flat.forEach((v, k) => expect(v).toBeCloseTo(rc.mean[k], 4));
  });

  it('spikedock similar without a journal (no session built) equals the session’s similar list', async () => {
    const [c] = largestClusters(fx.labels, 1);
    const r = await runCli('similar', fx.dir, String(c), '--json', '--top', '10');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(SessionService.peek(fx.dataset, { stateDir: join(fx.dir, '.no-journal') }).similarity.similar(c, 10));
    const missing = await runCli('similar', fx.dir, '99999');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('cluster 99999 does not exist');
  });

  it('a one-shot compute sees the saved clusters as the session does', async () => {
    const [a, b] = largestClusters(fx.labels, 2);
    const one = oneShotCompute(fx.dataset, [a]);
    try {
      expect(one.clusters.clusterIds()).toEqual(fx.labels.clusterIds());
      expect(Array.from(one.clusters.spikeIds(a))).toEqual(Array.from(fx.labels.spikeIds(a)));
      expect(Array.from(one.clusters.spikeIds(b))).toEqual(Array.from(fx.labels.spikeIds(b)));
    } finally {
      await one.close();
    }
  });
});

describe('WorkerPool in the calling thread (inline)', () => {
  it('runs a task with the worker bundle’s handlers and refuses an aborted one', async () => {
    const pool = new WorkerPool({ inline: true });
    try {
      expect(pool.threads).toEqual({ interactive: 1, background: 1 });
      const ids = largestClusters(fx.labels, 1);
      const spikeIds = fx.labels.spikeIds(ids[0]).slice();
      const handle = { ...fx.svc.handle };
      const args = { dataset: handle, clusterIds: ids, spikeIds, offsets: Int32Array.of(0, spikeIds.length), binSize: 0.001, windowSize: 0.05, refractoryPeriod: 0.002, maxSpikes: 100_000 };
      const res = (await pool.run(tasks.correlograms, args as never)) as { stats: { nSpikes: number }[] };
      expect(res.stats[0].nSpikes).toBe(spikeIds.length);
      const ac = new AbortController();
      const p = pool.run(tasks.correlograms, args as never, { signal: ac.signal });
      ac.abort();
      await expect(p).rejects.toBeInstanceOf(AbortError);
    } finally {
      await pool.close();
    }
    await expect(pool.run(tasks.correlograms, {} as never)).rejects.toThrow('closed');
  });
});

describe.runIf(process.platform === 'linux')('WorkerPool lanes and thread priority (Linux)', () => {
  /** Nice value of each thread of this process (/proc/self/task/<tid>/stat, field 19). */
  const niceOfThreads = () =>
    readdirSync('/proc/self/task').map((tid) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    });

  it('runs the background lane below normal priority and the interactive lane at normal priority', async () => {
    const before = niceOfThreads().filter((n) => n === 10).length;
    const pool = new WorkerPool({ interactiveThreads: 2, backgroundThreads: 1 });
    try {
      // A task on each lane makes sure that every thread has loaded the bundle.
      const args = { dataset: { ...fx.svc.handle }, clusterIds: [], spikeIds: new Int32Array(0), offsets: Int32Array.of(0), binSize: 0.001, windowSize: 0.05, refractoryPeriod: 0.002, maxSpikes: 10 };
      await Promise.all([pool.run(tasks.correlograms, args as never), pool.run(tasks.correlograms, args as never, { lane: 'background' })]);
      const nice = niceOfThreads();
      expect(nice.filter((n) => n === 10).length - before).toBe(1);
    } finally {
      await pool.close();
    }
  });
});
