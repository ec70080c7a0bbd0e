/**
 * Every dock tab on the datasets of issue #10, in a real browser: a Neuropixels-like generated
 * sort (384 channels, ≈490 clusters), a wider one (≈1,500 clusters, for the overviews that show
 * every cluster: RasterView and TemplateView) and phy-data's Kwik file (no templates, no raw
 * data). Each tab must be neither in error (`data-state="error"`) nor blank: a plot view either
 * draws (non-background pixels in its canvas) or shows a message that says why it does not;
 * a table shows rows. Screenshots of every tab go to test-results/screenshots/<dataset>/ (never
 * into docs/).
 */
import { test, expect, type Page } from 'playwright/test';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveGenerated, startServer, repoRoot, type Server } from './fixtures';
import { AppPage } from './pages/AppPage';
import type { PlotViewPage, ViewPage } from './pages/PlotViewPage';
import { hasPhyData, phyDataDir, phyDataSkipReason } from '../helpers/phyData';

const SCREENSHOTS = join(repoRoot, 'test-results/screenshots');

test.describe.configure({ timeout: 300_000 });

interface Opened {
  page: Page;
  app: AppPage;
  server: Server;
}

async function open(browserPage: Page, server: Server): Promise<Opened> {
  const app = new AppPage(browserPage);
  browserPage.on('pageerror', (e) => console.error('page error:', e.message));
  await app.open(server.url);
  return { page: browserPage, app, server };
}

/** Every tab of the default dock, as page objects. */
function tabs(app: AppPage): ViewPage[] {
  return [app.clusterView, app.similarityView, ...app.plotViews(), app.spikeAttributeView];
}

function isPlot(view: ViewPage): view is PlotViewPage {
  return 'pixelStats' in view;
}

/**
 * Brings `view` forward and checks it is neither in error nor blank; saves its screenshot. A
 * plot view that is `ready` must have drawn (≥ 200 non-background pixels of its canvas); an
 * `empty` one must say why (a non-empty placeholder).
 */
async function expectShown(view: ViewPage, dir: string): Promise<void> {
  await test.step(`${view.type} is neither in error nor blank`, async () => {
    await view.activate();
    const state = await expect
      .poll(async () => view.state(), { timeout: 60_000, message: `${view.type} settles` })
      .not.toBe('loading')
      .then(() => view.state());
    const path = join(dir, `${view.type}.png`);
    await view.screenshot(path);
    const error = state === 'error' ? await view.root.textContent() : '';
    expect.soft(state, `${view.type} is in error: ${error}`).not.toBe('error');
    if (state === 'error') return;
    if (state === 'empty') {
      expect((await view.placeholder.textContent())?.trim(), `${view.type} says why it is empty`).toBeTruthy();
      return;
    }
    if (view.type === 'ClusterView' || view.type === 'SimilarityView') {
      await expect(view.root.locator('[role="row"]').nth(1), `${view.type} shows rows`).toBeVisible();
      return;
    }
    if (isPlot(view)) {
      const stats = await view.pixelStats();
      expect.soft(stats.nonBackground, `${view.type} draws something (its canvas is blank)`).toBeGreaterThan(200);
    }
  });
}

async function everyTab(opened: Opened, name: string): Promise<void> {
  const dir = join(SCREENSHOTS, name);
  mkdirSync(dir, { recursive: true });
  await opened.app.clusterView.activate();
  for (const view of tabs(opened.app)) await expectShown(view, dir);
  await test.step('SimilarityView shows each row\'s similarity (its widths are fitted to the text)', async () => {
    await opened.app.similarityView.activate();
    const values = await opened.app.similarityView.column('similarity');
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((v) => /^-?\d+(\.\d+)?$/.test(v)), `similarities: ${values.join(', ')}`).toBe(true);
  });
  await opened.page.screenshot({ path: join(dir, 'window.png') });
}

test.describe('a Neuropixels-like sort (384 channels, ≈490 clusters)', () => {
  let server: Server | undefined;
  let opened: Opened;
  test.beforeAll(async ({ browser }) => {
    server = await serveGenerated('neuropixels-lite');
    opened = await open(await browser.newPage({ viewport: { width: 1600, height: 1000 } }), server);
  });
  test.afterAll(async () => {
    await opened?.page.close();
    await server?.stop();
  });

  test('every dock tab draws or says why not', async () => {
    await everyTab(opened, 'neuropixels-lite');
  });

  test('RasterView draws a row for every cluster', async () => {
    const raster = opened.app.rasterView;
    await raster.activate();
    await raster.waitState('ready');
    expect(await raster.clusterCount()).toBeGreaterThan(480);
  });
});

test.describe('a sort with ≈1,500 clusters', () => {
  let server: Server | undefined;
  let opened: Opened;
  test.beforeAll(async ({ browser }) => {
    // ≈35 s to generate on a busy 2-core machine, then ≈1,500 clusters to load.
    test.setTimeout(300_000);
    server = await serveGenerated('neuropixels-wide');
    opened = await open(await browser.newPage({ viewport: { width: 1600, height: 1000 } }), server);
  });
  test.afterAll(async () => {
    await opened?.page.close();
    await server?.stop();
  });

  test('RasterView and TemplateView show every cluster', async () => {
    const dir = join(SCREENSHOTS, 'neuropixels-wide');
    mkdirSync(dir, { recursive: true });
    for (const view of [opened.app.rasterView, opened.app.templateView]) {
      await expectShown(view, dir);
      expect(await view.clusterCount(), `${view.type} shows every cluster`).toBeGreaterThan(1400);
    }
    const templates = opened.app.templateView;
    const axis = templates.root.locator('svg.cluster-id-axis');
    /** x of TemplateView's cluster-id labels, left to right. */
    const labelXs = () => axis.locator('text').evaluateAll((els) => els.map((e) => Number(e.getAttribute('x'))).sort((a, b) => a - b));
    const minGap = (xs: number[]) => Math.min(...xs.slice(1).map((x, i) => x - xs[i]));
    await test.step('TemplateView labels never overlap at 1,500 clusters (4-digit ids: ≥ 38 px apart)', async () => {
      const xs = await labelXs();
      expect(xs.length).toBeGreaterThan(5);
      expect(minGap(xs)).toBeGreaterThanOrEqual(38);
      expect(Number(await axis.getAttribute('data-label-stride'))).toBeGreaterThan(1);
    });
    await test.step('zoomed in with the wheel, TemplateView labels every column', async () => {
      const p = await templates.at([0.5, 0.5]);
      await opened.page.mouse.move(p.x, p.y);
      for (let i = 0; i < 25; i++) await opened.page.mouse.wheel(0, -100);
      await expect(axis).toHaveAttribute('data-label-stride', '1', { timeout: 15_000 });
      const xs = await labelXs();
      expect(xs.length).toBeGreaterThanOrEqual(3);
      expect(minGap(xs)).toBeGreaterThanOrEqual(38);
      await templates.screenshot(join(dir, 'TemplateView-zoomed.png'));
    });
  });
});

test.describe('phy-data Kwik file (no templates, no raw data)', () => {
  let root: string | undefined;
  let server: Server | undefined;
  let opened: Opened;
  test.beforeAll(async ({ browser }) => {
    if (!hasPhyData) return;
    root = mkdtempSync(join(tmpdir(), 'spikedock-e2e-kwik-'));
    for (const f of ['hybrid_10sec.kwik', 'hybrid_10sec.kwx', 'hybrid_10sec.prm']) copyFileSync(join(phyDataDir, 'kwik', f), join(root, f));
    server = await startServer(join(root, 'hybrid_10sec.kwik'), [], { SPIKEDOCK_USER_DATA: join(root, 'user-data') });
    opened = await open(await browser.newPage({ viewport: { width: 1600, height: 1000 } }), server);
  });
  test.afterAll(async () => {
    await opened?.page.close();
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('every dock tab draws or says why not', async () => {
    test.skip(!hasPhyData, phyDataSkipReason);
    await everyTab(opened, 'kwik');
  });

  test('the views say what a Kwik file lacks and draw with what it has', async () => {
    test.skip(!hasPhyData, phyDataSkipReason);
    const { app } = opened;
    await test.step('the status bar keeps saying there is no raw data, with the reason', async () => {
      const raw = app.page.locator('[data-status="raw"]');
      await expect(raw).toHaveText('no raw data');
      expect(await raw.getAttribute('title')).toMatch(/hybrid_10sec\.dat/);
    });
    await test.step('TemplateView says the file has no templates', async () => {
      await app.templateView.activate();
      await expect(app.templateView.placeholder).toContainText('has no templates');
    });
    await test.step('ClusterScatterView binds x to a column with values (Kwik has no amp)', async () => {
      await app.clusterScatterView.activate();
      await expect(app.clusterScatterView.statusLine).toContainText('x: n_spikes');
    });
    await test.step('WaveformView says why it draws nothing, and does not claim templates', async () => {
      await app.waveformView.activate();
      await expect(app.waveformView.placeholder).toContainText('No raw data and no templates');
      expect(await app.waveformView.statusText()).not.toContain('templates');
    });
    await test.step('RasterView draws a row per cluster', async () => {
      await app.rasterView.activate();
      await app.rasterView.waitState('ready');
      expect(await app.rasterView.clusterCount()).toBe(17);
      expect((await app.rasterView.pixelStats()).nonBackground).toBeGreaterThan(1000);
    });
  });
});
