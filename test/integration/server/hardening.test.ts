// Issue #11: a real `spikedock serve` (the built CLI) must survive malformed requests and frames,
// serve the API only with the token and only to its own origin, and refuse requests over the
// limits of `REQUEST_LIMITS` with a message naming the request and the limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { REQUEST_LIMITS } from '../../../src/shared/ipc/limits';
import { call, openSocket, rawRequest, sleep, startServe, statusOf, stillServes, type ServeProcess } from './serveProcess';

let s: ServeProcess;

beforeAll(async () => {
  s = await startServe({ raw: true });
});

afterAll(async () => {
  await s?.stop();
});

/** Asserts the process is still up and serving (a crash shows as its exit and output). */
async function expectAlive(): Promise<void> {
  // The process dies on its next tick after an uncaught exception: give that tick a chance.
  await sleep(300);
  expect(s.exited(), s.output()).toBeNull();
  expect(await stillServes(s), s.output()).toBe(true);
}

const host = () => `127.0.0.1:${s.port}`;

describe('1. requests that crashed the server without the token', () => {
  it('answers 400 to the path //', async () => {
    expect(statusOf(await rawRequest(s.port, `GET // HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`))).toBe(400);
    await expectAlive();
  });

  it('answers 400 to the request line GET http://[ HTTP/1.1', async () => {
    expect(statusOf(await rawRequest(s.port, `GET http://[ HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`))).toBe(400);
    await expectAlive();
  });

  it('answers 400 to a WebSocket upgrade to //', async () => {
    const upgrade = `GET // HTTP/1.1\r\nHost: ${host()}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;
    expect(statusOf(await rawRequest(s.port, upgrade))).toBe(400);
    await expectAlive();
  });
});

describe('2. requests and frames that crashed the server with the token', () => {
  it('answers 400 to a bad percent escape in the path', async () => {
    const r = await fetch(`${s.base}/%c0%ae?token=${s.token}`);
    expect(r.status).toBe(400);
    expect(await r.text()).toMatch(/percent escape/);
    await expectAlive();
  });

  it('closes a socket that sends a text frame that is not UTF-8, and keeps serving', async () => {
    const ws = await openSocket(s, `?token=${s.token}`);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send(Buffer.from([0xff, 0xfe, 0xfd]), { binary: false });
    expect(await closed).toBe(1007); // invalid frame payload data
    await expectAlive();
  });

  it('closes a socket that sends a frame over the message limit, and keeps serving', async () => {
    const ws = await openSocket(s, `?token=${s.token}`);
    ws.on('error', () => undefined);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send(new Uint8Array(REQUEST_LIMITS.messageBytes + 1));
    // 1009 (message too big) when the close frame arrives before the server ends the connection.
    expect([1006, 1009]).toContain(await closed);
    await expectAlive();
  });
});

describe('3. the API only with the token, from this origin, at this address', () => {
  it('sets a cookie named for its port: HttpOnly, SameSite=Strict, Path=/', async () => {
    const r = await fetch(`${s.base}/?token=${s.token}`);
    expect(r.status).toBe(200);
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie.split(';')[0]).toBe(`spikedock_token_${s.port}=${s.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
  });

  it('refuses a socket from another local origin, even with the cookie or the token', async () => {
    const cookie = `spikedock_token_${s.port}=${s.token}`;
    await expect(openSocket(s, '', { cookie, origin: 'http://127.0.0.1:4321' })).rejects.toThrow(/HTTP 403/);
    await expect(openSocket(s, `?token=${s.token}`, { origin: 'http://127.0.0.1:4321' })).rejects.toThrow(/HTTP 403/);
    await expect(openSocket(s, '', { cookie, origin: 'null' })).rejects.toThrow(/HTTP 403/);
    // Without Origin (not a browser), the cookie alone is not enough.
    await expect(openSocket(s, '', { cookie })).rejects.toThrow(/HTTP 403/);
    // The page's own socket: same origin and the cookie.
    const ws = await openSocket(s, '', { cookie, origin: s.base });
    expect((await call(ws, 'app', 'version', [])).type).toBe('result');
    ws.close();
  });

  it('refuses a page request carrying only the cookie from another site (Sec-Fetch-Site)', async () => {
    const cookie = `spikedock_token_${s.port}=${s.token}`;
    expect((await fetch(`${s.base}/`, { headers: { cookie, 'sec-fetch-site': 'same-site' } })).status).toBe(403);
    expect((await fetch(`${s.base}/`, { headers: { cookie, 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    expect((await fetch(`${s.base}/`, { headers: { cookie, 'sec-fetch-site': 'none' } })).status).toBe(200);
  });

  it('answers 421 to a Host that is not its own (DNS rebinding), with or without the token', async () => {
    for (const h of [`evil.example:${s.port}`, 'evil.example', `127.0.0.1.evil.example:${s.port}`, `127.0.0.1:${s.port} 'unsafe-inline'`]) {
      const answer = await rawRequest(s.port, `GET /?token=${s.token} HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`);
      expect(statusOf(answer), h).toBe(421);
      expect(answer).not.toMatch(/evil|unsafe-inline/);
    }
    const upgrade = `GET /ws?token=${s.token} HTTP/1.1\r\nHost: evil.example:${s.port}\r\nOrigin: http://evil.example:${s.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;
    expect(statusOf(await rawRequest(s.port, upgrade))).toBe(421);
    await expectAlive();
  });

  it('serves its loopback names, and builds the CSP from its own address, not from the Host header', async () => {
    for (const h of [`127.0.0.1:${s.port}`, `localhost:${s.port}`, `[::1]:${s.port}`, `LOCALHOST:${s.port}`]) {
      const answer = await rawRequest(s.port, `GET /?token=${s.token} HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`);
      expect(statusOf(answer), h).toBe(200);
      const csp = /content-security-policy: ([^\r\n]*)/i.exec(answer)?.[1] ?? '';
      expect(csp).toContain(`connect-src 'self' http://${h.toLowerCase()} ws://${h.toLowerCase()}`);
    }
  });
});

describe('5. every view request is bounded', () => {
  let ws: WebSocket;
  let ids: number[];
  beforeAll(async () => {
    ws = await openSocket(s, `?token=${s.token}`);
    const snap = (await call(ws, 'session', 'snapshot', [])) as { value: { clusters: Array<{ id: number; nSpikes: number }> } };
    ids = snap.value.clusters.map((c) => c.id);
  });
  afterAll(() => ws?.close());

  it.each([
    ['isi', { binSize: 1e-5, max: 3600 }, /viewData\.isi.*bins \(max \/ binSize\) is 360000000, over the limit of 100000 \(histogramBins\)/],
    ['correlograms', { binSize: 1e-6, windowSize: 10 }, /viewData\.correlograms.*bins \(windowSize \/ binSize\) is 10000000, over the limit of 10001 \(correlogramBins\)/],
    ['features', { nSpikes: 100_000, many: true }, /viewData\.features.*spikes \(clusters × nSpikes\) is 6400000, over the limit of 4000000 \(requestSpikes\)/],
    ['spikeAttribute', { name: 'positions', nSpikes: 1_000_000, many: true }, /viewData\.spikeAttribute.*over the limit of 4000000 \(requestSpikes\)/],
  ])('refuses viewData.%s over its limit, naming the request and the limit', async (method, extra, message) => {
    const { many, ...rest } = extra as Record<string, unknown>;
    const clusterIds = many ? Array.from({ length: 64 }, (_, k) => k) : [ids[0]];
    const r = await call(ws, 'viewData', method, [{ clusterIds, ...rest }]);
    expect(r).toMatchObject({ type: 'error', code: 'invalid-call' });
    expect((r as { message: string }).message).toMatch(message);
    await expectAlive();
  });

  it('refuses a DriftView image or click over its limits, and serves one within them', async () => {
    const big = await call(ws, 'viewData', 'drift', [{ nTimeBins: 4096, nDepthBins: 4096 }]);
    expect(big).toMatchObject({ type: 'error', code: 'invalid-call' });
    expect((big as { message: string }).message).toMatch(/viewData\.drift.*bins \(nTimeBins × nDepthBins\) is 16777216, over the limit of 4194304 \(driftCells\)/);
    const wide = await call(ws, 'viewData', 'driftPick', [{ time: 1, depth: 0, secondsPerPixel: 1e9, umPerPixel: 1, radiusPixels: 1000 }]);
    expect((wide as { message: string }).message).toMatch(/viewData\.driftPick.*over the limit of 64 \(driftPickPixels\)/);
    const ok = await call(ws, 'viewData', 'drift', [{ nTimeBins: 2048, nDepthBins: 2048 }]);
    expect(ok.type).toBe('result');
    await expectAlive();
  });

  it('refuses traces whose result is over the result bytes limit (60 s of 32 channels as samples)', async () => {
    const r = await call(ws, 'viewData', 'traces', [{ t0: 0, t1: 60 }]);
    expect(r).toMatchObject({ type: 'error', code: 'invalid-call' });
    expect((r as { message: string }).message).toMatch(/viewData\.traces: result bytes is 2304\d+, over the limit of 134217728 \(resultBytes\)/);
    // The same window as an envelope of 2,000 columns is what TraceView asks for: served.
    const ok = await call(ws, 'viewData', 'traces', [{ t0: 0, t1: 60, width: 2000 }]);
    expect(ok.type).toBe('result');
  });
});

describe('7. requests for channels and clusters that do not exist', () => {
  let ws: WebSocket;
  beforeAll(async () => {
    ws = await openSocket(s, `?token=${s.token}`);
  });
  afterAll(() => ws?.close());

  it('refuses traces of channel 4095 on a 32-channel dataset (it returned channel 0)', async () => {
    const r = await call(ws, 'viewData', 'traces', [{ t0: 0, t1: 0.1, channelIds: [4095] }]);
    expect(r).toMatchObject({ type: 'error', code: 'invalid-call' });
    expect((r as { message: string }).message).toBe('viewData.traces: channel 4095 does not exist (this dataset has 32 channels, 0–31)');
    const ok = (await call(ws, 'viewData', 'traces', [{ t0: 0, t1: 0.1, channelIds: [31] }])) as { type: string; value: { channelIds: Int32Array } };
    expect(ok.type).toBe('result');
    expect(Array.from(ok.value.channelIds)).toEqual([31]);
  });

  it('refuses features on a channel that does not exist', async () => {
    const r = await call(ws, 'viewData', 'features', [{ clusterIds: [0], channelIds: [0, 32] }]);
    expect(r).toMatchObject({ type: 'error', code: 'invalid-call' });
    expect((r as { message: string }).message).toMatch(/viewData\.features: channel 32 does not exist/);
  });

  it('refuses markReviewed on a cluster that does not exist, and the session is unchanged', async () => {
    const before = (await call(ws, 'session', 'history', [])) as { value: unknown[] };
    const r = await call(ws, 'session', 'markReviewed', [[999_999], true]);
    expect(r.type).toBe('error');
    expect((r as { message: string }).message).toBe('markReviewed: cluster 999999 does not exist');
    const snap = (await call(ws, 'session', 'snapshot', [])) as { value: { clusters: Array<{ id: number; reviewed: boolean }> } };
    expect(snap.value.clusters.some((c) => c.id === 999_999)).toBe(false);
    expect(((await call(ws, 'session', 'history', [])) as { value: unknown[] }).value).toEqual(before.value);
  });
});
