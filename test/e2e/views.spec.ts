/**
 * The plot views in a real browser (Chromium + SwiftShader WebGL) against `spikedock serve` on a
 * generated dataset: every view reaches data-state="ready" and draws something (pixel
 * statistics), a lasso split in FeatureView and in AmplitudeView creates new clusters, and a
 * screenshot of every view is saved (test-results/screenshots, or docs/screenshots with `npm run screenshots`) and attached to the report.
 */
import { test, expect, type Page } from 'playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serveGenerated, screenshotDir, type Server } from './fixtures';
import { AppPage } from './pages/AppPage';
import type { CanvasPoint } from './pages/PlotViewPage';
import type { SpikeLassoViewPage } from './pages/SpikeLassoViewPage';

const SCREENSHOTS = screenshotDir;

let served: Server;
let page: Page;
let app: AppPage;

test.describe.configure({ mode: 'serial', timeout: 240_000 });

test.beforeAll(async ({ browser }) => {
  served = await serveGenerated('small');
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  app = new AppPage(page);
  await page.goto(served.url);
  await expect(app.clusterView.rows().first()).toBeVisible({ timeout: 60_000 });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

test.afterAll(async () => {
  await page?.close();
  await served?.stop();
});

async function givenBestAndSimilarSelected(): Promise<void> {
  await test.step('Given the best cluster and its most similar one selected (phy\'s usual pair)', async () => {
    await app.clusterView.activate();
    await app.clusterView.rows().first().click();
    await page.keyboard.press('Space');
    await expect(app.similarityView.selectedRows()).toHaveCount(1, { timeout: 15_000 });
  });
}

test('every plot view renders the selection', async ({}, testInfo) => {
  await givenBestAndSimilarSelected();
  for (const view of app.plotViews()) {
    await test.step(`When ${view.type} is brought forward, then it draws the selection`, async () => {
      await view.activate();
      await view.waitState('ready');
      const stats = await view.pixelStats();
      // A blank canvas has one colour; a drawn one has thousands of non-background pixels.
      expect(stats.nonBackground, `${view.type} draws something`).toBeGreaterThan(500);
      expect(stats.colours, `${view.type} uses several colours`).toBeGreaterThan(3);
      const png = await view.screenshot(join(SCREENSHOTS, `${view.type}.png`));
      await testInfo.attach(`${view.type}.png`, { body: png, contentType: 'image/png' });
    });
  }
});

test('the cluster tables show the selection', async ({}, testInfo) => {
  for (const view of [app.clusterView, app.similarityView]) {
    await test.step(`When ${view.type} is brought forward, then it shows selected rows`, async () => {
      await view.activate();
      await expect(view.selectedRows()).not.toHaveCount(0);
      const png = await view.screenshot(join(SCREENSHOTS, `${view.type}.png`));
      await testInfo.attach(`${view.type}.png`, { body: png, contentType: 'image/png' });
    });
  }
});

test('the spike attribute view shows an attribute or says there is none', async ({}, testInfo) => {
  const view = app.spikeAttributeView;
  const state = await test.step('When SpikeAttributeView is brought forward and has loaded', async () => {
    await view.activate();
    return view.waitSettled();
  });
  if (state === 'ready') {
    await test.step('Then it draws the attribute of the selection', async () => {
      expect((await view.pixelStats()).nonBackground).toBeGreaterThan(100);
      const png = await view.screenshot(join(SCREENSHOTS, 'SpikeAttributeView.png'));
      await testInfo.attach('SpikeAttributeView.png', { body: png, contentType: 'image/png' });
    });
  } else {
    await test.step('Then it says the dataset has no spike attribute', async () => {
      await expect(view.placeholder).toBeVisible();
    });
  }
});

/** Lasso over a span of time in a time-on-x plot, then `k`; new cluster ids must appear. */
async function lassoSplit(view: SpikeLassoViewPage, polygon: CanvasPoint[]): Promise<void> {
  await test.step('Given one cluster selected in ClusterView', async () => {
    await app.clusterView.activate();
    await app.clusterView.rows().first().click();
    await expect(app.clusterView.selectedRows()).toHaveCount(1);
  });
  let before = new Set<number>();
  await test.step(`When I draw a lasso in ${view.type} and press k`, async () => {
    await view.activate();
    await view.waitState('ready');
    before = new Set(await app.clusterView.visibleIds());
    await view.lasso(polygon);
    await view.split();
  });
  await test.step('Then new clusters appear in ClusterView', async () => {
    await expect
      .poll(async () => (await app.clusterView.visibleIds()).filter((id) => !before.has(id)).length, { timeout: 30_000, message: `${view.type} split creates new clusters` })
      .toBeGreaterThan(0);
  });
}

test('lasso split in AmplitudeView creates new clusters', async () => {
  // x spans the recording (0–~80 % of the width, histogram after): 20–50 % of the width is the
  // middle of the recording, which holds part of any cluster, including halves of earlier splits.
  await lassoSplit(app.amplitudeView, [
    [0.2, 0.01],
    [0.5, 0.01],
    [0.5, 0.99],
    [0.2, 0.99],
  ]);
});

test('lasso split in FeatureView creates new clusters', async () => {
  // Top-left cell of the 4×4 grid is time (x) against the first PC (y): its left half is the
  // first half of the recording, which holds part of every cluster's spikes.
  await lassoSplit(app.featureView, [
    [0.005, 0.005],
    [0.13, 0.005],
    [0.13, 0.245],
    [0.005, 0.245],
  ]);
});
