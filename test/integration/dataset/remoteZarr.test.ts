/**
 * A generated SpikeInterface analyzer Zarr store opened by URL from a local range server (issue
 * #15 slices 2 + 5): its objects fetched through the disk cache (`HttpStore`), decoded as a local
 * store is — the same spikes per cluster, templates and cluster columns as the local open — with
 * saves and the journal in the URL's local folder, and a URL with no store behind it refused
 * with one message naming it.
 */
import * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterSpikeCounts } from '../../../src/core/dataset/datasetInfo';
import { generateDataset, ZARR_STORE } from '../../../src/main/generate/generateDataset';
import { openDataset, remoteDatasetDir } from '../../../src/main/openDataset';
import { startRangeServer, type RangeServer } from '../../../src/main/bench/rangeServer';
import { runCli } from '../../helpers/runCli';

let tmp: string;
let server: RangeServer;
let local: string;
let url: string;
let userData: string;
const env = { user: process.env.SPIKEDOCK_USER_DATA };

/** Every file under `dir`, as URL path (`<prefix>/<relative path>`) → file. */
function filesOf(dir: string, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[`${prefix}/${relative(dir, p).split('\\').join('/')}`] = p;
    }
  };
  walk(dir);
  return out;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'spikedock-remote-zarr-'));
  await generateDataset(join(tmp, 'an'), { preset: 'small', seed: 8, raw: false, format: 'analyzer-zarr', stringUnitIds: true });
  local = join(tmp, 'an', ZARR_STORE);
  server = await startRangeServer(filesOf(local, `lab/${ZARR_STORE}`));
  url = `${server.baseUrl}lab/${ZARR_STORE}`;
  userData = join(tmp, 'user');
  process.env.SPIKEDOCK_USER_DATA = userData;
}, 180_000);
afterAll(async () => {
  if (env.user === undefined) delete process.env.SPIKEDOCK_USER_DATA;
  else process.env.SPIKEDOCK_USER_DATA = env.user;
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('a SpikeInterface Zarr analyzer opened by URL', () => {
  it('has the spikes per cluster, templates and columns of the local open; its state lives in the URL’s local folder', async () => {
    const [remote, near] = [await openDataset(url, { shared: false }), await openDataset(local, { shared: false })];
    try {
      expect(remote.format).toBe('analyzer');
      expect(remote.dir).toBe(remoteDatasetDir(url, userData));
      expect(remote.nSpikes).toBe(near.nSpikes);
      expect(clusterSpikeCounts(remote.spikeClusters)).toEqual(clusterSpikeCounts(near.spikeClusters));
      expect(Array.from(remote.spikeTimes)).toEqual(Array.from(near.spikeTimes));
      expect(Array.from(remote.templates!.getTemplate(0).data)).toEqual(Array.from(near.templates!.getTemplate(0).data));
      expect(remote.clusterColumns.map((c) => c.name)).toEqual(near.clusterColumns.map((c) => c.name));
      expect(remote.analyzer?.unitIds).toEqual(near.analyzer?.unitIds);
      expect(JSON.parse(fs.readFileSync(join(remote.dir, 'source.json'), 'utf8'))).toEqual({ url });
    } finally {
      remote.close();
      near.close();
    }
    // Every object came through the server, once: a second open reads the disk cache.
    const before = await server.stats();
    const again = await openDataset(url, { shared: false });
    again.close();
    expect((await server.stats()).requests).toBe(before.requests);
  });

  it('spikedock info <url> prints the local store’s counts', async () => {
    const r = JSON.parse((await runCli('info', url, '--json')).stdout) as Record<string, unknown>;
    const l = JSON.parse((await runCli('info', local, '--json')).stdout) as Record<string, unknown>;
    for (const k of ['n_spikes', 'n_clusters', 'n_channels', 'sample_rate', 'groups']) expect(r[k]).toEqual(l[k]);
  });

  it('a URL with no store behind it is refused with one message naming it', async () => {
    const missing = `${server.baseUrl}lab/nothing.zarr`;
    const r = await runCli('info', missing);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('nothing.zarr');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
