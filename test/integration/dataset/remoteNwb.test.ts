/**
 * A generated NWB file opened by URL from a local range server (issue #15 slice 5): the same
 * spikes per cluster as the local open, `spikedock info <url>` with the bytes fetched, the views'
 * raw data read by the worker pool through its own range reads, the serve backend opening the
 * URL, saves and the journal in the URL's local folder, and clear one-line failures (404, a server
 * without range support, a dropped connection) after which the app keeps working.
 */
import * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clusterSpikeCounts } from '../../../src/core/dataset/datasetInfo';
import { BackendHost } from '../../../src/main/BackendHost';
import { ComputeService } from '../../../src/main/compute/ComputeService';
import { WorkerPool } from '../../../src/main/compute/WorkerPool';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { openDataset, remoteDatasetDir } from '../../../src/main/openDataset';
import { SessionService } from '../../../src/main/session/SessionService';
import { ClusterLabels } from '../../../src/core/session/ClusterLabels';
import { startRangeServer, type RangeServer } from '../../../src/main/bench/rangeServer';
import { runCli } from '../../helpers/runCli';
import { ensureRangeFetcherBundle } from '../../helpers/rangeFetcherBundle';
import { buildWorkerBundle } from '../compute/workerBundle';

let tmp: string;
let server: RangeServer;
let local: string;
let url: string;
let userData: string;
const env = { user: process.env.SPIKEDOCK_USER_DATA };

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'spikedock-remote-nwb-'));
  await generateDataset(join(tmp, 'nwb'), { preset: 'small', seed: 6, rawSeconds: 3, format: 'nwb' });
  local = join(tmp, 'nwb', 'sorting.nwb');
  server = await startRangeServer({ 'lab/sorting.nwb': local });
  url = `${server.baseUrl}lab/sorting.nwb`;
  userData = join(tmp, 'user');
  // The CLI and the assistant's thread find the user data (and cache) folder from the environment.
  process.env.SPIKEDOCK_USER_DATA = userData;
  await Promise.all([ensureRangeFetcherBundle(), buildWorkerBundle()]);
});
afterAll(async () => {
  if (env.user === undefined) delete process.env.SPIKEDOCK_USER_DATA;
  else process.env.SPIKEDOCK_USER_DATA = env.user;
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(async () => {
  await server.setMode('ranges');
  await server.dropAfter(null);
});

describe('an NWB file opened by URL', () => {
  it('has the spikes per cluster of the local open, and reads a fraction of the file', async () => {
    const [remote, near] = [await openDataset(url, { shared: false }), await openDataset(local, { shared: false })];
    try {
      expect(remote.path).toBe(url);
      expect(remote.name).toBe('sorting.nwb');
      expect(remote.dir).toBe(remoteDatasetDir(url, userData));
      expect(remote.nSpikes).toBe(near.nSpikes);
      expect(clusterSpikeCounts(remote.spikeClusters)).toEqual(clusterSpikeCounts(near.spikeClusters));
      expect(Array.from(remote.spikeTimes)).toEqual(Array.from(near.spikeTimes));
      expect(Array.from(remote.templates!.getTemplate(0).data)).toEqual(Array.from(near.templates!.getTemplate(0).data));
      expect(Array.from(remote.raw!.read(1000, 1100, remote.channelMap))).toEqual(Array.from(near.raw!.read(1000, 1100, near.channelMap)));
      const size = fs.statSync(local).size;
      expect(remote.remote!.spec.size).toBe(size);
      expect(remote.remote!.networkBytes()).toBeGreaterThan(0);
      expect(remote.remote!.networkBytes()).toBeLessThan(size / 2);
      expect(JSON.parse(fs.readFileSync(join(remote.dir, 'source.json'), 'utf8'))).toEqual({ url });
    } finally {
      remote.close();
      near.close();
    }
  });

  it('spikedock info <url> prints what it prints for the local file, and the bytes fetched', async () => {
    const r = JSON.parse((await runCli('info', url, '--json')).stdout) as Record<string, unknown>;
    const l = JSON.parse((await runCli('info', local, '--json')).stdout) as Record<string, unknown>;
    for (const k of ['n_spikes', 'n_clusters', 'n_templates', 'n_channels', 'sample_rate', 'duration', 'groups', 'cluster_columns', 'nwb']) expect([k, r[k]]).toEqual([k, l[k]]);
    expect(r.path).toBe(url);
    expect(r.remote).toMatchObject({ url, size: fs.statSync(local).size, local_dir: remoteDatasetDir(url, userData) });
    const text = (await runCli('info', url)).stdout;
    expect(text).toMatch(/remote +\d+\.\d+ MB file read by range requests: \d+\.\d+ MB fetched from the server \(\d+\.\d+ % of the file\), \d+\.\d+ MB from the disk cache/);
  });

  it('serves templates, raw waveforms and traces read by the worker pool by range requests', async () => {
    const ds = await openDataset(url);
    const near = await openDataset(local);
    const pool = new WorkerPool();
    const svc = new ComputeService(ds, new ClusterLabels(ds.spikeClusters), pool);
    const nearSvc = new ComputeService(near, new ClusterLabels(near.spikeClusters), pool);
    try {
      const tr = await svc.traces({ t0: 1, t1: 1.02, filter: false });
      const trNear = await nearSvc.traces({ t0: 1, t1: 1.02, filter: false });
      expect(Array.from(tr.data)).toEqual(Array.from(trNear.data));
      const id = clusterSpikeCounts(ds.spikeClusters).ids[0];
      const w = await svc.waveforms({ clusterIds: [id], kind: 'waveforms', nSpikes: 10, filter: false });
      const wNear = await nearSvc.waveforms({ clusterIds: [id], kind: 'waveforms', nSpikes: 10, filter: false });
      expect(w.source).toBe('raw');
      expect(Array.from(w.clusters[0].spikeIds)).toEqual(Array.from(wNear.clusters[0].spikeIds));
      expect(Array.from(w.clusters[0].data)).toEqual(Array.from(wNear.clusters[0].data));
    } finally {
      svc.close();
      nearSvc.close();
      await pool.close();
      ds.close();
      near.close();
    }
  });
});

describe('curating a remote NWB file', () => {
  it('saves into the URL’s local folder (never to the server) and the reopened URL finds its journal', async () => {
    const before = fs.readFileSync(local);
    const ds = await openDataset(url);
    const s = await SessionService.open(ds, { autosaveSeconds: 0, userDataDir: userData });
    const [a, b] = ds.nwb!.unitIds;
    let merged: number;
    try {
      expect(s.journalPath).toBe(join(remoteDatasetDir(url, userData), '.spikedock', 'journal.jsonl'));
      merged = (await s.merge([a, b])).added[0];
      await s.save();
      await s.merge([merged, ds.nwb!.unitIds[2]]);
    } finally {
      await s.close();
      ds.close();
    }
    expect(fs.readFileSync(local).equals(before)).toBe(true);
    expect(fs.readdirSync(remoteDatasetDir(url, userData)).sort()).toEqual(['.spikedock', 'cluster_group.tsv', 'cluster_info.tsv', 'curation.json', 'source.json', 'spike_clusters.npy']);
    const again = await openDataset(url);
    const s2 = await SessionService.open(again, { autosaveSeconds: 0, userDataDir: userData });
    try {
      // The saved files give the first merge; the journal the unsaved second one.
      expect(again.spikeClusters.includes(merged)).toBe(true);
      expect(s2.clustering.nSpikes(merged)).toBe(0);
      expect(s2.clustering.nSpikes(ds.nwb!.unitIds[2])).toBe(0);
    } finally {
      await s2.close();
      again.close();
    }
  });

  it('the serve backend opens the URL', async () => {
    const host = new BackendHost({ userDataDir: join(tmp, 'host-user'), autosaveSeconds: 0 });
    try {
      const summary = await host.openDataset(url);
      expect(summary).toMatchObject({ format: 'nwb', path: url, hasRaw: true });
    } finally {
      await host.dispose();
    }
  });
});

describe('remote failures', () => {
  it('a 404 is one line naming the URL', async () => {
    const r = await runCli('info', `${server.baseUrl}lab/nothing.nwb`);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`spikedock info: ${server.baseUrl}lab/nothing.nwb: not found on the server (HTTP 404) while reading the start of the file; check the URL`]);
  });

  it('a server that ignores Range is refused in one line, the file not downloaded', async () => {
    await server.setMode('ignore-ranges');
    await server.resetStats();
    const r = await runCli('info', url);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${url}: the server does not support range requests`);
    expect((await server.stats()).bytesSent).toBeLessThan(fs.statSync(local).size / 2);
  });

  it('a connection dropped mid-read is a clear error, and the next read works', async () => {
    const ds = await openDataset(url, { remoteCache: { cacheDir: join(tmp, 'fresh-cache') } });
    try {
      await server.dropAfter(2000);
      expect(() => ds.raw!.read(60_000, 61_000, ds.channelMap)).toThrow(new RegExp(`^${url.replace(/[.]/g, '\\.')}: the connection`));
      expect(ds.raw!.read(60_000, 61_000, ds.channelMap).length).toBe(1000 * ds.nChannels);
    } finally {
      ds.close();
    }
  });
});
