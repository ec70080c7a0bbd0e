// GUI benchmark, driven in Chromium through `spikedock serve` (the real UI and backend):
// - time from `serve` start to an interactive ClusterView (rows rendered);
// - cluster switch: keypress (next best cluster) → every visible view settled
//   (`data-state` ready/empty/error for the new selection), p50/p95 over 100 switches;
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

export async function runGuiBench(dataDir, { switches = 100 } = {}) {
  const { child, url, t0 } = await startServe(dataDir);
  const browser = await chromium.launch({
    executablePath: process.env.SPIKEDOCK_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--enable-precise-memory-info', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
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

    await page.locator('[data-view="ClusterView"] [role="row"] [role="gridcell"]').first().click();
    await settled();
    const times = [];
    for (let i = 0; i < switches; i++) {
      const before = await selectedId();
      const start = await page.evaluate(() => performance.now());
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction((b) => (document.querySelector('[data-view="ClusterView"] [aria-selected="true"] [role="gridcell"]')?.textContent ?? '') !== b, before, { polling: 'raf' });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await settled();
      const end = await page.evaluate(() => performance.now());
      times.push(end - start);
    }
    const heapMb = await page.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize / 2 ** 20 : NaN));
    return [
      { metric: 'serve start → interactive ClusterView', value: interactiveMs, unit: 'ms', target: '≤ 2000 ms' },
      { metric: `cluster switch (keypress → views ready) p50 over ${switches}`, value: pct(times, 50), unit: 'ms' },
      { metric: `cluster switch (keypress → views ready) p95 over ${switches}`, value: pct(times, 95), unit: 'ms', target: '≤ 100 ms' },
      { metric: 'renderer JS heap after the switches', value: heapMb, unit: 'MB' },
    ];
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
}
