/**
 * The plot views in a real browser (Chromium + SwiftShader WebGL) against `spikedock serve` on a
 * generated dataset: every view reaches data-state="ready" and draws something (pixel
 * statistics), a lasso split in FeatureView and in AmplitudeView creates new clusters, and a
 * screenshot of every view is saved into docs/screenshots/ and attached to the report.
 */
import { test, expect, type Page } from 'playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serveGenerated, repoRoot, type Server } from './fixtures';
import { PlotViewPage, clusterIds } from './pages/views-PlotView';

const SCREENSHOTS = join(repoRoot, 'docs/screenshots');

const PLOT_VIEWS = [
  'WaveformView',
  'FeatureView',
  'AmplitudeView',
  'CorrelogramView',
  'TraceView',
  'ProbeView',
  'ISIView',
  'FiringRateView',
  'TemplateView',
  'RasterView',
  'ClusterScatterView',
] as const;

let served: Server;
let page: Page;

test.describe.configure({ mode: 'serial', timeout: 240_000 });

test.beforeAll(async ({ browser }) => {
  served = await serveGenerated('small');
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(served.url);
  await expect(page.locator('[data-view="ClusterView"] [role="row"][aria-selected]').first()).toBeVisible({ timeout: 60_000 });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

test.afterAll(async () => {
  await page?.close();
  await served?.stop();
});

/** Given the best cluster and its most similar one selected (phy's usual pair). */
async function selectBestAndSimilar(): Promise<void> {
  await new PlotViewPage(page, 'ClusterView').activate();
  await page.locator('[data-view="ClusterView"] [role="row"][aria-selected]').first().click();
  await page.keyboard.press('Space');
  await expect(page.locator('[data-view="SimilarityView"] [role="row"][aria-selected="true"]')).toHaveCount(1, { timeout: 15_000 });
}

test('every plot view renders the selection', async ({}, testInfo) => {
  await selectBestAndSimilar();
  for (const type of PLOT_VIEWS) {
    await test.step(type, async () => {
      const view = new PlotViewPage(page, type);
      await view.activate();
      await view.waitState('ready');
      const stats = await view.pixelStats();
      // A blank canvas has one colour; a drawn one has thousands of non-background pixels.
      expect(stats.nonBackground, `${type} draws something`).toBeGreaterThan(500);
      expect(stats.colours, `${type} uses several colours`).toBeGreaterThan(3);
      const png = await view.screenshot(join(SCREENSHOTS, `${type}.png`));
      await testInfo.attach(`${type}.png`, { body: png, contentType: 'image/png' });
    });
  }
});

test('the cluster tables show the selection', async ({}, testInfo) => {
  for (const type of ['ClusterView', 'SimilarityView']) {
    const view = new PlotViewPage(page, type);
    await view.activate();
    await expect(view.root.locator('[role="row"][aria-selected="true"]')).not.toHaveCount(0);
    const png = await view.screenshot(join(SCREENSHOTS, `${type}.png`));
    await testInfo.attach(`${type}.png`, { body: png, contentType: 'image/png' });
  }
});

test('the spike attribute view shows an attribute or says there is none', async ({}, testInfo) => {
  const view = new PlotViewPage(page, 'SpikeAttributeView');
  await view.activate();
  await expect(view.root).toHaveAttribute('data-state', /ready|empty/, { timeout: 30_000 });
  if ((await view.root.getAttribute('data-state')) === 'ready') {
    expect((await view.pixelStats()).nonBackground).toBeGreaterThan(100);
    const png = await view.screenshot(join(SCREENSHOTS, 'SpikeAttributeView.png'));
    await testInfo.attach('SpikeAttributeView.png', { body: png, contentType: 'image/png' });
  } else {
    await expect(view.root.locator('.view-placeholder')).toBeVisible();
  }
});

/** Lasso over a span of time in a time-on-x plot, then `k`; new cluster ids must appear. */
async function lassoSplit(type: 'FeatureView' | 'AmplitudeView', polygon: Array<[number, number]>): Promise<void> {
  await new PlotViewPage(page, 'ClusterView').activate();
  await page.locator('[data-view="ClusterView"] [role="row"][aria-selected]').first().click();
  await expect(page.locator('[data-view="ClusterView"] [role="row"][aria-selected="true"]')).toHaveCount(1);
  const view = new PlotViewPage(page, type);
  await view.activate();
  await view.waitState('ready');
  const before = new Set(await clusterIds(page));
  await view.lasso(polygon);
  await page.keyboard.press('k');
  await expect
    .poll(async () => (await clusterIds(page)).filter((id) => !before.has(id)).length, { timeout: 30_000, message: `${type} split creates new clusters` })
    .toBeGreaterThan(0);
}

test('lasso split in AmplitudeView creates new clusters', async () => {
  // x spans the recording (0–~80 % of the width, histogram after): 20–50 % of the width is the
  // middle of the recording, which holds part of any cluster, including halves of earlier splits.
  await lassoSplit('AmplitudeView', [
    [0.2, 0.01],
    [0.5, 0.01],
    [0.5, 0.99],
    [0.2, 0.99],
  ]);
});

test('lasso split in FeatureView creates new clusters', async () => {
  // Top-left cell of the 4×4 grid is time (x) against the first PC (y): its left half is the
  // first half of the recording, which holds part of every cluster's spikes.
  await lassoSplit('FeatureView', [
    [0.005, 0.005],
    [0.13, 0.005],
    [0.13, 0.245],
    [0.005, 0.245],
  ]);
});
