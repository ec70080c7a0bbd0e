/**
 * Issue #11 in a real browser: while the user has spikedock open (the token cookie is in the
 * browser), a page served by another local port tries the API with fetch, WebSocket and img.
 * Cookies ignore ports, so the browser sends the cookie along; the server must still refuse:
 * the socket by its Origin, the page requests by their Sec-Fetch-Site. And a DNS-rebinding name
 * that resolves to 127.0.0.1 gets 421 even with the token.
 */
import { test, expect, serveGenerated } from './fixtures';
import { chromium } from 'playwright/test';
import { createServer, type Server as HttpServer } from 'node:http';

/** The other local page: it tries everything and reports what it could read. */
const ATTACKER = (target: string) => `<!doctype html><title>other local page</title><script>
const target = ${JSON.stringify(target)};
const results = {};
const done = (k, v) => { results[k] = v; if (Object.keys(results).length === 5) window.__results = results; };
fetch(target + '/', { credentials: 'include' }).then((r) => r.text()).then((t) => done('fetch', 'read ' + t.length), (e) => done('fetch', 'blocked'));
fetch(target + '/', { credentials: 'include', mode: 'no-cors' }).then((r) => done('fetchNoCors', r.type), () => done('fetchNoCors', 'blocked'));
const img = new Image();
img.onload = () => done('img', 'loaded');
img.onerror = () => done('img', 'error');
img.src = target + '//';
const img2 = new Image();
img2.onload = () => done('imgPage', 'loaded');
img2.onerror = () => done('imgPage', 'error');
img2.src = target + '/';
const ws = new WebSocket(target.replace('http', 'ws') + '/ws');
ws.onopen = () => ws.send(JSON.stringify({ type: 'call', id: 1, service: 'app', method: 'recentDatasets', args: [] }));
ws.onmessage = () => done('ws', 'answered');
ws.onerror = () => done('ws', 'refused');
</script>`;

test.describe('serve refuses other local pages', () => {
  let served: Awaited<ReturnType<typeof serveGenerated>>;
  let other: HttpServer;
  let otherUrl: string;
  /** The spikedock origin the other page attacks. */
  let target = '';

  test.beforeAll(async () => {
    served = await serveGenerated();
    other = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(ATTACKER(target));
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    const addr = other.address();
    otherUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
  });

  test.afterAll(async () => {
    await new Promise<void>((r) => other?.close(() => r()));
    await served?.stop();
  });

  test('a page of another loopback port gets no API, no page and no crash, even with the cookie in the browser', async ({ app, context, server }) => {
    // `app` opened spikedock with the token: its cookie is now in this browser context.
    void app;
    const own = new URL(server.url);
    const cookies = await context.cookies(own.origin);
    expect(cookies.map((c) => c.name)).toContain(`spikedock_token_${own.port}`);
    // The other page targets this test's server (the one whose cookie the browser holds).
    target = own.origin;
    const page = await context.newPage();
    await page.goto(otherUrl);
    await page.waitForFunction(() => (window as unknown as { __results?: unknown }).__results, null, { timeout: 30_000 });
    const results = await page.evaluate(() => (window as unknown as { __results: Record<string, string> }).__results);
    expect(results).toEqual({ fetch: 'blocked', fetchNoCors: 'opaque', img: 'error', imgPage: 'error', ws: 'refused' });
    // The server is still up and the app still works: a reload (cookie only, same origin) loads it.
    const reload = await app.page.reload();
    expect(reload?.status()).toBe(200);
  });

  test('a DNS-rebinding name that resolves to 127.0.0.1 gets 421, even with the token', async () => {
    const url = new URL(served.url);
    const browser = await chromium.launch({
      executablePath: process.env.SPIKEDOCK_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', `--host-resolver-rules=MAP rebind.test 127.0.0.1`],
    });
    try {
      const page = await browser.newPage();
      const res = await page.goto(`http://rebind.test:${url.port}/${url.search}`);
      expect(res?.status()).toBe(421);
      expect(await page.textContent('body')).toMatch(/answers only to its own address/);
      // The same browser at the real address is served.
      const ok = await page.goto(served.url);
      expect(ok?.status()).toBe(200);
    } finally {
      await browser.close();
    }
  });
});
