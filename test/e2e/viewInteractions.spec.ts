/**
 * phy's cross-view gestures in a real browser: WaveformView ctrl+click / ctrl+right-click on a
 * channel picks FeatureView's channels and `c` goes back to the automatic ones; ClusterScatterView
 * click, shift+click and ctrl+click lasso + Enter select clusters.
 */
import type { Page } from 'playwright/test';
import { test, expect } from './fixtures';
import { PlotViewPage } from './pages/views-PlotView';

/** Centre of the box to the right of a WaveformView channel label (the label sits left of its box). */
async function channelBoxPoint(page: Page, label: string): Promise<{ x: number; y: number }> {
  const text = page.locator('[data-view="WaveformView"] .plot-overlay svg text', { hasText: new RegExp(`^${label}$`) }).first();
  const box = (await text.boundingBox())!;
  return { x: box.x + box.width + 20, y: box.y + box.height / 2 };
}

async function featureChannels(page: Page): Promise<string> {
  const status = await page.locator('[data-view="FeatureView"] .view-status').first().textContent();
  return /channels: ([^(]+)\(/.exec(status ?? '')?.[1].trim() ?? '';
}

test('WaveformView ctrl+click chooses FeatureView channels; c goes back to the best ones', async ({ app, page }) => {
  const waveforms = new PlotViewPage(page, 'WaveformView');
  const features = new PlotViewPage(page, 'FeatureView');
  await waveforms.activate();
  await waveforms.waitState('ready');
  await features.activate();
  await features.waitState('ready');
  const auto = await featureChannels(page);
  expect(auto).toMatch(/^\d+, \d+$/);
  await expect(features.root).toContainText('(automatic)');

  const labels = await page.locator('[data-view="WaveformView"] .plot-overlay svg text').allTextContents();
  const [a, b] = auto.split(', ');
  const others = labels.filter((l) => l !== a && l !== b);
  expect(others.length).toBeGreaterThanOrEqual(2);

  await test.step('When I ctrl+click a channel box, then FeatureView shows it as its 1st channel', async () => {
    const p = await channelBoxPoint(page, others[0]);
    await page.keyboard.down('Control');
    await page.mouse.click(p.x, p.y);
    await page.keyboard.up('Control');
    await expect.poll(() => featureChannels(page)).toBe(`${others[0]}, ${b}`);
    await features.waitState('ready');
  });

  await test.step('When I ctrl+right-click another box, then it becomes the 2nd channel', async () => {
    const p = await channelBoxPoint(page, others[1]);
    await page.keyboard.down('Control');
    await page.mouse.click(p.x, p.y, { button: 'right' });
    await page.keyboard.up('Control');
    await expect.poll(() => featureChannels(page)).toBe(`${others[0]}, ${others[1]}`);
    await expect(features.root).toContainText('(chosen; c: automatic)');
  });

  await test.step('When I press c in FeatureView, then the best channels come back', async () => {
    await features.canvas.focus();
    await page.keyboard.press('c');
    await expect.poll(() => featureChannels(page)).toBe(auto);
    await expect(features.root).toContainText('(automatic)');
  });
  void app;
});

test('ClusterScatterView: a ctrl+click lasso selects the clusters inside when ctrl is released', async ({ app, page }) => {
  const scatter = new PlotViewPage(page, 'ClusterScatterView');
  await scatter.activate();
  await scatter.waitState('ready');
  const total = await app.clusterCount();
  // The tab was just brought to the front: wait until the dock has sized its canvas.
  let box = (await scatter.canvas.boundingBox())!;
  await expect
    .poll(async () => {
      const prev = box;
      await page.waitForTimeout(100);
      box = (await scatter.canvas.boundingBox())!;
      return JSON.stringify(prev) === JSON.stringify(box);
    })
    .toBe(true);
  const at = (fx: number, fy: number) => [box.x + fx * box.width, box.y + fy * box.height] as const;

  await test.step('When I ctrl+click a polygon over the whole plot and release ctrl, then every cluster is selected', async () => {
    await page.keyboard.down('Control');
    for (const [fx, fy] of [
      [0.01, 0.01],
      [0.99, 0.01],
      [0.99, 0.99],
      [0.01, 0.99],
    ] as const)
      await page.mouse.click(...at(fx, fy));
    await expect(scatter.canvas).toHaveAttribute('data-lasso-points', '4');
    await page.keyboard.up('Control');
    await expect(scatter.canvas).toHaveAttribute('data-lasso-points', '0');
    await expect.poll(async () => (await app.selection()).length).toBe(total);
  });

  await test.step('When I ctrl+click an empty corner triangle and release ctrl, then the selection is kept', async () => {
    await page.keyboard.down('Control');
    for (const [fx, fy] of [
      [0.001, 0.001],
      [0.01, 0.001],
      [0.001, 0.01],
    ] as const)
      await page.mouse.click(...at(fx, fy));
    await page.keyboard.up('Control');
    expect((await app.selection()).length).toBe(total);
  });
});
