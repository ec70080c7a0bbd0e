// GUI benchmark, driven in Chromium through `spikedock serve` (the real UI and backend):
// - time from `serve` start to an interactive ClusterView (rows rendered), the browser already
//   running (as a curator's is);
// - cluster switch: keypress (next best cluster) → every visible view settled
//   (`data-state` ready/empty/error for the new selection) and the frame that shows it
//   presented (polled at animation frames), p50/p95 over 100 switches; once with the next
//   key pressed as soon as the views settle, once after a 1 s look at each cluster (a curator
//   looks longer; the wizard's prefetch uses that time);
// - when the data alone is in the views (DOM `data-state`, before the frame is drawn): this
//   separates the backend and React from WebGL drawing, which here runs on the CPU (SwiftShader);
// - renderer JS heap after the switches.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function startServe(dataDir) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin/spikedock.mjs'), 'serve', dataDir, '--port', '0', '--no-open', '--autosave', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/\S+token=\S+)/.exec(out);
      if (m) resolve({ child, url: m[1], t0 });
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`serve exited (${code}): ${err}`)));
  });
}

const pct = (xs, p) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

export async function runGuiBench(dataDir, { switches = 100, dwellMs = 1000 } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.SPIKEDOCK_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--enable-precise-memory-info', '--disable-background-networking'],
  });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const { child, url, t0 } = await startServe(dataDir);
  try {
    await page.goto(url);
    await page.waitForSelector('[data-view="ClusterView"] [role="row"] [role="gridcell"]', { timeout: 120_000 });
    const interactiveMs = performance.now() - t0;

    const settled = () =>
      page.waitForFunction(
        () => {
          const views = [...document.querySelectorAll('[data-view]')].filter((el) => el.getBoundingClientRect().width > 0);
          return views.length > 0 && views.every((el) => el.getAttribute('data-state') !== 'loading');
        },
        undefined,
        { timeout: 60_000, polling: 'raf' },
      );
    const selectedId = () => page.evaluate(() => document.querySelector('[data-view="ClusterView"] [aria-selected="true"] [role="gridcell"]')?.textContent ?? '');
    // Records, in the page, when the last visible view left `loading` after each keypress.
    await page.evaluate(() => {
      window.__switch = { key: 0, dataAt: 0 };
      window.addEventListener('keydown', () => (window.__switch = { key: performance.now(), dataAt: 0 }), true);
      const mo = new MutationObserver(() => {
        const views = [...document.querySelectorAll('[data-view]')].filter((el) => el.getBoundingClientRect().width > 0);
        if (window.__switch.key && views.every((el) => el.getAttribute('data-state') !== 'loading')) window.__switch.dataAt = performance.now();
      });
      mo.observe(document.body, { attributes: true, attributeFilter: ['data-state'], subtree: true });
    });

    await page.locator('[data-view="ClusterView"] [role="row"] [role="gridcell"]').first().click();
    await settled();
    const run = async (n, dwell) => {
      const times = [];
      const data = [];
      for (let i = 0; i < n; i++) {
        if (dwell) await page.waitForTimeout(dwell);
        const before = await selectedId();
        const start = await page.evaluate(() => performance.now());
        await page.keyboard.press('ArrowDown');
        await page.waitForFunction((b) => (document.querySelector('[data-view="ClusterView"] [aria-selected="true"] [role="gridcell"]')?.textContent ?? '') !== b, before, { polling: 'raf' });
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        await settled();
        const [end, sw] = await page.evaluate(() => [performance.now(), window.__switch]);
        times.push(end - start);
        if (sw.dataAt >= sw.key) data.push(sw.dataAt - sw.key);
      }
      return { times, data };
    };
    const fast = await run(switches, 0);
    const looked = await run(switches, dwellMs);
    const heapMb = await page.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize / 2 ** 20 : NaN));
    return [
      { metric: 'serve start → interactive ClusterView (browser running)', value: interactiveMs, unit: 'ms', target: '≤ 2000 ms' },
      { metric: `cluster switch, next key at once: keypress → views drawn, p50 over ${switches}`, value: pct(fast.times, 50), unit: 'ms' },
      { metric: `cluster switch, next key at once: keypress → views drawn, p95 over ${switches}`, value: pct(fast.times, 95), unit: 'ms', target: '≤ 100 ms' },
      { metric: `cluster switch after a ${dwellMs / 1000} s look: keypress → views drawn, p50`, value: pct(looked.times, 50), unit: 'ms' },
      { metric: `cluster switch after a ${dwellMs / 1000} s look: keypress → views drawn, p95`, value: pct(looked.times, 95), unit: 'ms', target: '≤ 100 ms' },
      { metric: `cluster switch after a ${dwellMs / 1000} s look: keypress → data in every view (before drawing), p95`, value: pct(looked.data, 95), unit: 'ms' },
      { metric: `cluster switch, next key at once: keypress → data in every view (before drawing), p95`, value: pct(fast.data, 95), unit: 'ms' },
      { metric: 'renderer JS heap after the switches', value: heapMb, unit: 'MB' },
    ];
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
}
