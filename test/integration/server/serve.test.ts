// `spikedock serve`'s server: the token guards every page and socket, and the Backend contract
// works over a real WebSocket with typed arrays as binary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { BackendHost } from '../../../src/main/BackendHost';
import { SpikedockServer } from '../../../src/main/server/SpikedockServer';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { decodeMessage, encodeMessage, type ServerMessage } from '../../../src/shared/ipc/codec';
import { openFailureText, type OpenFailure } from '../../../src/shared/ipc/contract';
import { RecentDatasets } from '../../../src/main/app/RecentDatasets';

let host: BackendHost;
let server: SpikedockServer;
let base: string;
const token = 'a'.repeat(48);

beforeAll(async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'spikedock-serve-'));
  const data = join(tmp, 'ds');
  await generateDataset(data, { preset: 'small', seed: 3, raw: false });
  const renderer = join(tmp, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>spikedock</title>');
  host = new BackendHost({ userDataDir: join(tmp, 'user'), autosaveSeconds: 0 });
  await host.openDataset(data);
  server = new SpikedockServer(host, { host: '127.0.0.1', port: 0, rendererDir: renderer, token });
  const url = await server.listen();
  base = url.replace(/\/\?token=.*$/, '');
});

afterAll(async () => {
  await server?.close();
  await host?.dispose();
});

function connect(query: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws${query}`);
    ws.binaryType = 'arraybuffer';
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(ws: WebSocket, id: number, service: string, method: string, args: unknown[]): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: ArrayBuffer) => {
      const msg = decodeMessage(new Uint8Array(data)) as ServerMessage;
      if (msg.type !== 'event' && msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(encodeMessage({ type: 'call', id, service, method, args }));
  });
}

describe('spikedock serve', () => {
  it('refuses pages without the token, serves them with it, and sets a cookie', async () => {
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    const ok = await fetch(`${base}/?token=${token}`);
    expect(ok.status).toBe(200);
    const cookie = ok.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const again = await fetch(`${base}/index.html`, { headers: { cookie: cookie.split(';')[0] } });
    expect(again.status).toBe(200);
    expect((await fetch(`${base}/../package.json?token=${token}`)).status).toBe(404);
  });

  it('refuses sockets without the token', async () => {
    await expect(connect('')).rejects.toThrow(/401/);
    await expect(connect('?token=nope')).rejects.toThrow(/401/);
  });

  it('runs the contract over the socket, with typed arrays as binary and validation errors', async () => {
    const ws = await connect(`?token=${token}`);
    const summary = await call(ws, 1, 'dataset', 'summary', []);
    expect(summary.type).toBe('result');
    const s = (summary as { value: { nChannels: number; channelPositions: Float32Array } }).value;
    expect(s.channelPositions).toBeInstanceOf(Float32Array);
    expect(s.channelPositions.length).toBe(s.nChannels * 2);

    const snap = (await call(ws, 2, 'session', 'snapshot', [])) as { type: 'result'; value: { clusters: Array<{ id: number; nSpikes: number }> } };
    const [a, b] = snap.value.clusters.slice().sort((x, y) => y.nSpikes - x.nSpikes);
    const ccg = (await call(ws, 3, 'viewData', 'correlograms', [{ clusterIds: [a.id, b.id] }])) as { type: 'result'; value: { counts: Int32Array; nBins: number } };
    expect(ccg.type).toBe('result');
    expect(ccg.value.counts).toBeInstanceOf(Int32Array);
    expect(ccg.value.counts.length).toBe(4 * ccg.value.nBins);

    const bad = await call(ws, 4, 'session', 'merge', [[a.id]]);
    expect(bad).toMatchObject({ type: 'error', code: 'invalid-call' });
    const foreign = await call(ws, 5, 'fs', 'readFile', ['/etc/passwd']);
    expect(foreign).toMatchObject({ type: 'error', code: 'invalid-call' });

    const merged = (await call(ws, 6, 'session', 'merge', [[a.id, b.id]])) as { type: 'result'; value: { added: number[]; deleted: number[] } };
    expect(merged.type).toBe('result');
    expect(merged.value.deleted.sort()).toEqual([a.id, b.id].sort());
    const undone = (await call(ws, 7, 'session', 'undo', [])) as { type: 'result'; value: { added: number[] } };
    expect(undone.value.added.sort()).toEqual([a.id, b.id].sort());
    ws.close();
  });
});

describe('spikedock serve opening the dataset while the page loads', () => {
  it('app.current waits for a dataset that is still opening (the page never sees the start screen)', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'spikedock-serve-open-'));
    const data = join(tmp, 'ds');
    await generateDataset(data, { preset: 'small', seed: 4, raw: false });
    const h = new BackendHost({ userDataDir: join(tmp, 'user'), autosaveSeconds: 0 });
    try {
      const opening = h.openDataset(data);
      // Asked before the open finished, as the page does right after it loads.
      const current = await h.call('app', 'current', []);
      const opened = await opening;
      expect(current).not.toBeNull();
      expect((current as { path: string }).path).toBe(opened.path);
    } finally {
      await h.dispose();
    }
  });

  it('app.openFailure gives the reason a folder that is not a dataset failed to open, waiting for the open (#10.10)', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'spikedock-serve-notds-'));
    const folder = join(tmp, 'notes');
    mkdirSync(folder);
    writeFileSync(join(folder, 'README.txt'), 'hello');
    const h = new BackendHost({ userDataDir: join(tmp, 'user'), autosaveSeconds: 0 });
    try {
      expect(await h.call('app', 'openFailure', [])).toBeNull();
      const opening = h.openDataset(folder);
      opening.catch(() => undefined);
      // Asked while the open runs, as the start screen does right after the page loads.
      const failure = (await h.call('app', 'openFailure', [])) as OpenFailure;
      expect(failure.path).toBe(folder);
      expect(failure.message).toContain(`${folder}: not a sorting output (no params.py, .kwik or .nwb file in the folder)`);
      expect(openFailureText(failure)).toBe(`cannot open ${failure.message}`);
      await expect(opening).rejects.toThrow(failure.message);
      expect(await h.call('app', 'current', [])).toBeNull();
    } finally {
      await h.dispose();
    }
  });

  it('closing a dataset remembers its review progress in the recent list, the count the status bar shows (#10.9)', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'spikedock-serve-review-'));
    const data = join(tmp, 'ds');
    await generateDataset(data, { preset: 'small', seed: 5, raw: false });
    const recent = RecentDatasets.inUserData(join(tmp, 'user'));
    const h = new BackendHost({ userDataDir: join(tmp, 'user'), autosaveSeconds: 0, recent });
    try {
      await h.openDataset(data);
      const session = h.current!.session;
      const before = await session.snapshot();
      // Groups from the dataset's cluster_group.tsv are not "reviewed": nobody looked at them here.
      expect(before.clusters.some((c) => c.group === 'mua' || c.group === 'noise')).toBe(true);
      expect((await recent.list())[0].reviewed).toBe(0);
      const [a, b, c] = before.clusters.map((x) => x.id);
      await session.label([a, b], 'group', 'good');
      await session.markReviewed([c], true);
      const snap = await session.snapshot();
      expect(snap.clusters.filter((x) => x.reviewed).map((x) => x.id)).toEqual([a, b, c]);
      expect(session.reviewProgress()).toEqual({ reviewed: 3, total: snap.clusters.length });
      await h.close();
      const [entry] = await recent.list();
      expect(entry.reviewed).toBe(3);
      expect(entry.nClusters).toBe(snap.clusters.length);
    } finally {
      await h.dispose();
    }
  });

  it('says there is no dataset when none is opening', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'spikedock-serve-none-'));
    const h = new BackendHost({ userDataDir: join(tmp, 'user'), autosaveSeconds: 0 });
    try {
      expect(await h.call('app', 'current', [])).toBeNull();
    } finally {
      await h.dispose();
    }
  });
});

describe('spikedock serve stopping', () => {
  it('closes while a browser connection is still open (the dataset lock is released at once)', { timeout: 4000 }, async () => {
    const { connect: tcp } = await import('node:net');
    const tmp = mkdtempSync(join(tmpdir(), 'spikedock-serve-stop-'));
    const renderer = join(tmp, 'renderer');
    mkdirSync(renderer);
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>spikedock</title>');
    const h = new BackendHost({ userDataDir: join(tmp, 'user'), autosaveSeconds: 0 });
    const s = new SpikedockServer(h, { host: '127.0.0.1', port: 0, rendererDir: renderer, token });
    const url = new URL(await s.listen());
    // A connection in the middle of a request (headers not finished), as a browser can leave one.
    const socket = tcp(Number(url.port), url.hostname);
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    socket.on('error', () => undefined); // the server resets it: expected
    const ended = new Promise<void>((r) => socket.once('close', () => r()));
    // close() alone would wait for this connection (up to the 60 s header timeout).
    await s.close();
    await ended;
    await h.dispose();
  });
});
