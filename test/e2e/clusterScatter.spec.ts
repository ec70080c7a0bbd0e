/**
 * ClusterScatterView's phy bindings and colour schemes in a real browser: `:csx n_spikes` puts
 * n_spikes on x (axis title and status line), a non-numeric column is refused with a toast,
 * the lasso still selects under the new binding, and shift+wheel cycles the colour scheme.
 */
import { test, expect } from './fixtures';

test('ClusterScatterView: :csx binds x to a column, shift+wheel cycles the colour scheme', async ({ app, page }, testInfo) => {
  const root = page.locator('[data-view="ClusterScatterView"]').first();
  const canvas = root.locator('.plot-canvas').first();
  const status = root.locator('.view-status').first();
  const axisTitles = () => root.locator('.plot-overlay svg text').allTextContents();

  await test.step('Given ClusterScatterView in front, then its axes are amp and depth (phy defaults)', async () => {
    await page.locator('.lm_tab', { has: page.locator('.lm_title', { hasText: /^ClusterScatterView$/ }) }).first().click();
    await expect(root).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    await expect(status).toContainText('x: amp, y: depth, size: fr (log); colours: random');
    await expect.poll(axisTitles).toEqual(expect.arrayContaining(['amp', 'depth']));
  });

  await test.step('When I type :csx n_spikes, then x is n_spikes', async () => {
    await app.snippet(':csx n_spikes');
    await expect(status).toContainText('x: n_spikes, y: depth');
    await expect.poll(axisTitles).toEqual(expect.arrayContaining(['n_spikes', 'depth']));
  });

  await test.step('When I type :csy group, then a toast says it is not numeric and y stays depth', async () => {
    await app.snippet(':csy group');
    await expect(app.toasts().filter({ hasText: "'group' is not a numeric column" })).toHaveCount(1);
    await expect(status).toContainText('x: n_spikes, y: depth');
  });

  // The tab was just brought to the front: wait until the dock has sized its canvas.
  let box = (await canvas.boundingBox())!;
  await expect
    .poll(async () => {
      const prev = box;
      await page.waitForTimeout(100);
      box = (await canvas.boundingBox())!;
      return JSON.stringify(prev) === JSON.stringify(box);
    })
    .toBe(true);
  const at = (fx: number, fy: number) => [box.x + fx * box.width, box.y + fy * box.height] as const;

  await test.step('When I lasso the whole plot under the new binding, then every cluster is selected', async () => {
    const total = await app.clusterCount();
    await page.keyboard.down('Control');
    for (const [fx, fy] of [
      [0.01, 0.01],
      [0.99, 0.01],
      [0.99, 0.99],
      [0.01, 0.99],
    ] as const)
      await page.mouse.click(...at(fx, fy));
    await page.keyboard.up('Control');
    await expect.poll(async () => (await app.selection()).length).toBe(total);
    await app.snippet(':c 2');
    await app.expectSelection([2]);
  });

  await test.step('When I shift+wheel over the plot, then the colour scheme moves to group, then depth', async () => {
    await page.mouse.move(...at(0.5, 0.5));
    await page.keyboard.down('Shift');
    await page.mouse.wheel(0, 100);
    await expect(status).toContainText('colours: group');
    await page.mouse.wheel(0, 100);
    await expect(status).toContainText('colours: depth');
    await page.keyboard.up('Shift');
    const out = testInfo.outputPath('ClusterScatterView-depth-scheme.png');
    await root.screenshot({ path: out });
    await testInfo.attach('ClusterScatterView, colour scheme depth', { path: out, contentType: 'image/png' });
  });
});
