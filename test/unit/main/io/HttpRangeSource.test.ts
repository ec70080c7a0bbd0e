/**
 * The remote block reader against a real local HTTP server (Node `http` in a worker thread,
 * `src/main/bench/rangeServer.ts`) that honours `Range` with 206, ignores it, answers 404, or cuts
 * a connection mid-body.
 */
import * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpBlockCache, HttpStore, readRange } from '../../../../src/main/io/HttpRangeSource';
import { openHelperBlockSource } from '../../../../src/main/io/remoteSource';
import { startRangeServer, type RangeServer } from '../../../../src/main/bench/rangeServer';
import { ensureRangeFetcherBundle } from '../../../helpers/rangeFetcherBundle';

const KB = 1024;
let tmp: string;
let server: RangeServer;
let file: string;
let bytes: Uint8Array;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'remote-http-'));
  file = join(tmp, 'data.bin');
  // 1 MiB + 100 bytes: the last block is short.
  bytes = Uint8Array.from({ length: 1024 * KB + 100 }, (_, i) => (i * 7 + (i >> 10)) % 256);
  fs.writeFileSync(file, bytes);
  fs.mkdirSync(join(tmp, 'store', 'a'), { recursive: true });
  fs.writeFileSync(join(tmp, 'store', 'a', '0.0'), 'chunk bytes');
  server = await startRangeServer({ 'data.bin': file, 'store/a/0.0': join(tmp, 'store', 'a', '0.0'), 'store/.zattrs': join(tmp, 'store', 'a', '0.0') });
});
afterAll(async () => {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(async () => {
  await server.setMode('ranges');
  await server.dropAfter(null);
  await server.resetStats();
});

const url = () => `${server.baseUrl}data.bin`;
let n = 0;
/** A cache in a folder of its own. */
const cache = (opts: { cacheBytes?: number; blockBytes?: number } = {}) => new HttpBlockCache({ cacheDir: join(tmp, `cache-${n++}`), blockBytes: 64 * KB, ...opts });

describe('HttpBlockCache', () => {
  it('learns size and validator from one range request and reads any range exactly', async () => {
    const c = cache();
    const spec = await c.stat(url());
    expect(spec).toMatchObject({ url: url(), size: bytes.byteLength, blockBytes: 64 * KB });
    expect(spec.validator).toMatch(/^"/);
    for (const [o, len] of [
      [0, 10],
      [64 * KB - 3, 10],
      [300 * KB, 200 * KB],
      [bytes.byteLength - 50, 50],
    ]) {
      expect(Buffer.from(await c.readRange(spec, o, len)).equals(Buffer.from(bytes.subarray(o, o + len)))).toBe(true);
    }
    expect(Buffer.from(await readRange(cache(), url(), 5, 20)).equals(Buffer.from(bytes.subarray(5, 25)))).toBe(true);
    const st = await server.stats();
    expect(Object.keys(st.statuses)).toEqual(['206']);
  });

  it('fetches the missing blocks of a read in one request per contiguous run', async () => {
    const c = cache();
    const spec = await c.stat(url()); // block 0
    await server.resetStats();
    await c.readRange(spec, 64 * KB, 4 * 64 * KB); // blocks 1..4: one request
    expect((await server.stats()).requests).toBe(1);
    await c.readRange(spec, 0, 8 * 64 * KB); // 0..4 cached, 5..7 missing: one request
    const st = await server.stats();
    expect(st.requests).toBe(2);
    expect(st.bytesSent).toBe(7 * 64 * KB);
    // Concurrent asks for the same blocks share the requests.
    await server.resetStats();
    const c2 = cache();
    const spec2 = { ...spec, cacheDir: c2.cacheDir };
    await Promise.all([c2.readRange(spec2, 10 * 64 * KB, 64 * KB), c2.readRange(spec2, 10 * 64 * KB + 5, 100)]);
    expect((await server.stats()).requests).toBe(1);
  });

  it('keeps blocks on disk: another cache object (thread, process) over the same folder reads without the network', async () => {
    const a = cache();
    const spec = await a.stat(url());
    await a.readRange(spec, 0, bytes.byteLength);
    await server.resetStats();
    const b = new HttpBlockCache({ cacheDir: a.cacheDir, blockBytes: 64 * KB });
    const again = await b.readRange(spec, 100, 900 * KB);
    expect(Buffer.from(again).equals(Buffer.from(bytes.subarray(100, 100 + 900 * KB)))).toBe(true);
    expect((await server.stats()).requests).toBe(0);
    expect(b.stats.diskHits).toBe(15);
    // Only whole block files, no temp files left.
    const names = fs.readdirSync(b.fileDir(spec));
    expect(names.every((x) => /^\d+$/.test(x))).toBe(true);
    expect(fs.statSync(join(b.fileDir(spec), '16')).size).toBe(100);
  });

  it('stays under its byte cap by removing the least recently used blocks', async () => {
    const c = cache({ cacheBytes: 256 * KB });
    const spec = await c.stat(url());
    await c.readRange(spec, 0, bytes.byteLength);
    const sizes = () => fs.readdirSync(c.fileDir(spec)).reduce((a, x) => a + fs.statSync(join(c.fileDir(spec), x)).size, 0);
    c.evict();
    expect(sizes()).toBeLessThanOrEqual(256 * KB);
    expect(c.stats.evictions).toBeGreaterThan(0);
    // Touch block 2 (refreshes its time), then fill again: the touched block survives, older ones go.
    const old = new Date(Date.now() - 60_000);
    for (const x of fs.readdirSync(c.fileDir(spec))) fs.utimesSync(join(c.fileDir(spec), x), old, old);
    await c.readRange(spec, 2 * 64 * KB, 10);
    await c.readRange(spec, 8 * 64 * KB, 64 * KB);
    c.evict();
    expect(fs.existsSync(join(c.fileDir(spec), '2'))).toBe(true);
    expect(sizes()).toBeLessThanOrEqual(256 * KB);
  });

  it('refuses a server that ignores Range, without downloading the file', async () => {
    await server.setMode('ignore-ranges');
    const c = cache();
    await expect(c.stat(url())).rejects.toThrow(new RegExp(`^${url().replace(/[.]/g, '\\.')}: the server does not support range requests.*download the file`));
    // The body was cancelled unread: none of the file was taken in. (What the server managed to
    // write before the cancel reached it depends on socket buffers, so it is not asserted.)
    expect(c.stats.bytesFetched).toBe(0);
    expect(c.stats.requests).toBe(1);
  });

  it('says which URL is not found (404), and store objects that are absent are undefined', async () => {
    await expect(cache().stat(`${server.baseUrl}missing.nwb`)).rejects.toThrow(`${server.baseUrl}missing.nwb: not found on the server (HTTP 404)`);
    const store = new HttpStore(`${server.baseUrl}store`, cache());
    expect(new TextDecoder().decode(await store.get('a/0.0'))).toBe('chunk bytes');
    expect(await store.get('a/1.0')).toBeUndefined();
    await server.resetStats();
    expect(new TextDecoder().decode(await store.get('/a/0.0'))).toBe('chunk bytes');
    expect((await server.stats()).requests).toBe(0);
  });

  it('reports a connection dropped mid-read naming the URL and bytes, and reads again afterwards', async () => {
    const c = cache();
    const spec = await c.stat(url());
    await server.dropAfter(1000);
    await expect(c.readRange(spec, 128 * KB, 256 * KB)).rejects.toThrow(new RegExp(`^${url().replace(/[.]/g, '\\.')}: (the connection failed|the connection ended).*bytes 131072–`));
    const again = await c.readRange(spec, 128 * KB, 256 * KB);
    expect(Buffer.from(again).equals(Buffer.from(bytes.subarray(128 * KB, 384 * KB)))).toBe(true);
  });

  it('notices a file changed on the server since it was opened (If-Range)', async () => {
    const c = cache();
    const spec = await c.stat(url());
    await expect(c.readRange({ ...spec, validator: '"another-version"' }, 200 * KB, 10)).rejects.toThrow(/the file changed on the server since it was opened/);
  });
});

describe('the synchronous source through the helper thread', () => {
  it('reads the same bytes while this thread waits, counts the network bytes, and survives a dropped connection', async () => {
    const helper = await ensureRangeFetcherBundle();
    const c = cache();
    const spec = await c.stat(url());
    const src = openHelperBlockSource(spec, helper);
    try {
      expect(Buffer.from(src.read(1000, 300 * KB)).equals(Buffer.from(bytes.subarray(1000, 1000 + 300 * KB)))).toBe(true);
      // Block 0 came from the disk cache (stat), blocks 1..4 from the server.
      expect(src.stats.networkBytes).toBe(4 * 64 * KB);
      await server.dropAfter(500);
      expect(() => src.read(600 * KB, 10)).toThrow(new RegExp(`^${url().replace(/[.]/g, '\\.')}: the connection`));
      expect(Buffer.from(src.read(600 * KB, 10)).equals(Buffer.from(bytes.subarray(600 * KB, 600 * KB + 10)))).toBe(true);
    } finally {
      src.close();
    }
  });
});
