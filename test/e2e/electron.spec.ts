/**
 * The desktop app end to end, through Playwright's Electron launcher: a first start with no
 * argument opens the demo dataset, the window is isolated, the bridge refuses foreign channels,
 * and a curator merges and saves by keyboard. Runs where Electron's binary is installed (and, on
 * Linux, a display exists — use `xvfb-run` on CI); skipped with the reason otherwise.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from 'playwright/test';
import { MemoryByteSource } from '../../src/core/formats/ByteSource';
import { readNpy } from '../../src/core/formats/npy';
import { AppPage } from './pages/AppPage';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const mainEntry = join(repoRoot, 'dist/electron/main.mjs');

function electronBinary(): string | null {
  try {
    const p = createRequire(join(repoRoot, 'package.json'))('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const skipReason = !binary
  ? 'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD): node_modules/electron has no dist/; `npm install` with network access installs it'
  : process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
    ? 'no display for Electron: run the e2e tests under xvfb-run'
    : !existsSync(mainEntry)
      ? `${mainEntry} is missing: run \`npm run build\` first`
      : null;

function spikeClusters(folder: string): Int32Array {
  const bytes = readFileSync(join(folder, 'spike_clusters.npy'));
  return readNpy(new MemoryByteSource(new Uint8Array(bytes), 'spike_clusters.npy'), { as: 'int32' }).data as Int32Array;
}

test.describe('desktop app (Electron)', () => {
  test.skip(skipReason !== null, skipReason ?? '');
  test.describe.configure({ mode: 'serial' });

  let userData: string;
  let electronApp: ElectronApplication;
  let page: Page;
  let app: AppPage;

  test.beforeAll(async () => {
    userData = join(mkdtempSync(join(tmpdir(), 'spikedock-electron-')), 'user data');
    electronApp = await electron.launch({
      executablePath: binary!,
      // Chromium refuses to start as root with its sandbox (containers, CI).
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), mainEntry],
      env: { ...process.env, SPIKEDOCK_USER_DATA: userData } as Record<string, string>,
      timeout: 120_000,
    });
    page = await electronApp.firstWindow({ timeout: 120_000 });
    app = new AppPage(page);
  });

  test.afterAll(async () => {
    await electronApp?.close();
    if (userData) rmSync(join(userData, '..'), { recursive: true, force: true });
  });

  test('a first start with no argument opens the demo dataset', async () => {
    await expect.poll(() => electronApp.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle()), { timeout: 120_000 }).toBe('demo — spikedock');
    await app.clusterView.expectReady();
    await expect(app.clusterView.grid.locator('[role="row"][aria-selected="true"]')).toHaveCount(1, { timeout: 60_000 });
    expect(existsSync(join(userData, 'demo', 'recording.dat'))).toBe(true);
    expect(page.url()).toBe('app://spikedock/index.html');
  });

  test('the window is isolated and the bridge forwards only spikedock channels', async () => {
    // The option values themselves are unit-tested (test/unit/electron/windowOptions.test.ts); here: their effect.
    const opened = await page.evaluate(() => window.open('https://example.com/') === null);
    expect(opened).toBe(true);
    await page.evaluate(() => {
      location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe('app://spikedock/index.html');
    expect(await electronApp.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    const page_ = await page.evaluate(async () => {
      const bridge = (window as unknown as { spikedock: { on(channel: string, listener: () => void): void; invoke(channel: string, ...args: unknown[]): Promise<unknown> } }).spikedock;
      let listenRefused = false;
      try {
        bridge.on('ipc-message', () => undefined);
      } catch {
        listenRefused = true;
      }
      return {
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
        keys: Object.keys(bridge).sort(),
        foreign: await bridge.invoke('ELECTRON_BROWSER_WINDOW_CLOSE', null, []),
        unknown: await bridge.invoke('spikedock:app.quit', null, []),
        malformed: await bridge.invoke('spikedock:session.merge', null, [['not', 'ids']]),
        version: await bridge.invoke('spikedock:app.version', 7, []),
        listenRefused,
      };
    });
    expect(page_.require).toBe('undefined');
    expect(page_.process).toBe('undefined');
    expect(page_.keys).toEqual(['cancel', 'invoke', 'off', 'on', 'openPath', 'pathForFile', 'platform', 'setMenu', 'version']);
    expect(page_.foreign).toMatchObject({ ok: false, error: { code: 'invalid-call' } });
    expect(page_.unknown).toMatchObject({ ok: false });
    expect(page_.malformed).toMatchObject({ ok: false, error: { code: 'invalid-call' } });
    expect(page_.version).toEqual({ ok: true, value: JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version });
    expect(page_.listenRefused).toBe(true);
  });

  test('merge the best cluster with its most similar one, then save', async () => {
    const demo = join(userData, 'demo');
    const before = spikeClusters(demo);
    const total = await app.clusterCount();
    await app.press('Space');
    await expect.poll(async () => (await app.selection()).length).toBe(2);
    const [best, similar] = await app.selection();
    await app.press('g');
    await app.idle();
    await expect.poll(() => app.clusterCount()).toBe(total - 1);
    await app.press('Control+s');
    await app.idle();
    await expect(app.dirty()).toHaveAttribute('data-dirty', 'false', { timeout: 30_000 });
    const after = spikeClusters(demo);
    expect(after.length).toBe(before.length);
    expect(after.filter((c) => c === best || c === similar).length).toBe(0);
  });
});
