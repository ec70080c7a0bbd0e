/**
 * The shell around the views: snippets, filter and sort, help overlay with remappable keys,
 * command palette, custom labels, dock layout (close, reopen, persist, reset), theme, the start
 * screen and the unsaved-changes question.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, TestInfo } from 'playwright/test';
import { test, expect, startServer, screenshotDir } from './fixtures';

/** Saves a screenshot of the window to test-results/ (attached) and to the screenshot folder. */
async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const out = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: out });
  await testInfo.attach(name, { path: out, contentType: 'image/png' });
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

test('snippets select, filter and sort the cluster table', async ({ app }, testInfo) => {
  await test.step('When I type :c 3 7, then clusters 3 and 7 are selected', async () => {
    await app.viewsSettled(); // the screenshot shows the window as a curator sees it
    await app.press(':');
    await app.page.getByRole('textbox', { name: 'Snippet' }).fill('c 3 7');
    await shoot(app.page, testInfo, 'snippet-bar');
    await app.page.getByRole('textbox', { name: 'Snippet' }).press('Enter');
    await app.expectSelection([3, 7]);
    expect((await app.clusterView.selectedIds()).sort((a, b) => a - b)).toEqual([3, 7]);
  });

  await test.step('When I filter n_spikes > 1000, then only big clusters remain; Esc clears it', async () => {
    const all = await app.clusterCount();
    await app.snippet(':f n_spikes > 1000');
    await expect.poll(async () => (await app.clusterView.column('n_spikes')).every((v) => Number(v.replace(/,/g, '')) > 1000)).toBe(true);
    const shown = await app.clusterView.rows().count();
    expect(shown).toBeLessThan(all);
    await expect(app.clusterView.root.locator('.cv-status')).toContainText(`${shown} / ${all}`);
    await app.press('Escape');
    await expect(app.clusterView.root.locator('.cv-status')).toContainText(`clusters: ${all}`);
  });

  await test.step('When the filter is invalid, then the error is shown and no row disappears', async () => {
    const all = await app.clusterView.rows().count();
    await app.clusterView.filter("n_spike > 3 && group != 'noise'");
    await expect(app.clusterView.root.getByRole('alert')).toContainText("unknown column 'n_spike'");
    expect(await app.clusterView.rows().count()).toBe(all);
    await app.clusterView.filter('');
  });

  await test.step('When I click the fr header, then rows sort by firing rate; :sid sorts by id', async () => {
    await app.clusterView.sortBy('fr');
    const fr = (await app.clusterView.column('fr')).map(Number);
    expect(fr).toEqual([...fr].sort((a, b) => b - a));
    await app.clusterView.sortBy('fr');
    const asc = (await app.clusterView.column('fr')).map(Number);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    await app.snippet(':sid');
    const ids = await app.clusterView.visibleIds();
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  await test.step('When I ctrl+click and shift+click rows, then the selection toggles and extends', async () => {
    const ids = await app.clusterView.visibleIds();
    await app.clusterView.click(ids[0]);
    await app.clusterView.click(ids[2], ['Control']);
    await app.expectSelection([ids[0], ids[2]]);
    await app.clusterView.click(ids[0]);
    await app.clusterView.click(ids[3], ['Shift']);
    await app.expectSelection(ids.slice(0, 4));
  });
});

test('help overlay lists every shortcut and remaps persist across reloads', async ({ app, page }, testInfo) => {
  await test.step('When I press h, then every default shortcut is listed, reset wizard on ctrl+alt+space', async () => {
    await app.viewsSettled();
    await app.press('h');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toBeVisible();
    await shoot(page, testInfo, 'help-overlay');
    await expect(help.locator('[data-command="wizard.reset"]')).toContainText('Ctrl+Alt+Space');
    await expect(help.locator('[data-command="edit.redo"]')).toContainText('Ctrl+Shift+Z');
    await expect(help.locator('[data-command="edit.redo"]')).toContainText('Ctrl+Y');
    await expect(help.locator('[data-command="cluster.moveAllToNoise"]')).toContainText('Ctrl+Alt+N');
    await app.page.keyboard.press('Escape');
    await expect(help).toBeHidden();
    await app.press('F1');
    await expect(help).toBeVisible();
  });

  await test.step('When I remap merge to ctrl+shift+m, then it is saved and g no longer merges', async () => {
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.locator('[data-command="cluster.merge"] .keys-button').click();
    await page.keyboard.press('Control+Shift+m');
    await expect(help.locator('[data-command="cluster.merge"]')).toContainText('Ctrl+Shift+M');
    await page.keyboard.press('Escape');
    await page.reload();
    await app.open(page.url());
    await app.press('h');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' }).locator('[data-command="cluster.merge"]')).toContainText('Ctrl+Shift+M');
    await page.keyboard.press('Escape');
  });

  await test.step('When I press g on a pair, then nothing merges; ctrl+shift+m merges', async () => {
    const total = await app.clusterCount();
    await app.press('Space');
    await expect.poll(async () => (await app.selection()).length).toBe(2);
    await app.press('g');
    await app.idle();
    expect(await app.clusterCount()).toBe(total);
    await app.press('Control+Shift+m');
    await app.idle();
    await expect.poll(() => app.clusterCount()).toBe(total - 1);
  });
});

test('command palette, custom labels and theme', async ({ app, page }, testInfo) => {
  await test.step('When I open the palette and run "Light theme", then the window turns light', async () => {
    await app.press('Control+Shift+p');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.getByRole('combobox').fill('light th');
    await palette.getByRole('combobox').press('Enter');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await app.press('Space');
    await app.viewsSettled();
    await shoot(page, testInfo, 'window-light-theme');
  });

  await test.step('When I press l and answer "quality 3", then a quality column holds 3 for the selected clusters', async () => {
    const ids = await app.selection();
    await app.press('l');
    const prompt = page.getByRole('dialog', { name: /Label selected clusters/ });
    await prompt.getByRole('textbox').fill('quality 3');
    await prompt.getByRole('textbox').press('Enter');
    await app.idle();
    await expect(app.clusterView.grid.getByRole('columnheader', { name: /^quality/ })).toBeVisible();
    await app.snippet(`:f quality == 3`);
    await expect.poll(async () => (await app.clusterView.visibleIds()).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
  });

  await test.step('When I switch back to dark, then the plots are black again', async () => {
    await app.menu('View', 'Light theme');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  });
});

test('views close, reopen from the View menu, persist, and the layout resets', async ({ app, page }, testInfo) => {
  const similarity = page.locator('[data-host-view="SimilarityView"]');

  await test.step('When I close SimilarityView from the View menu, then it disappears and stays closed after a reload', async () => {
    await app.menu('View', 'SimilarityView');
    await expect(similarity).toHaveCount(0);
    await expect.poll(() => page.evaluate(() => localStorage.getItem('spikedock.layout') ?? '')).not.toContain('"componentType":"SimilarityView"');
    await page.reload();
    await app.open(page.url());
    await expect(similarity).toHaveCount(0);
  });

  await test.step('When I reopen it from the View menu, then it shows the similar clusters again', async () => {
    await app.menu('View', 'SimilarityView');
    await expect(similarity).toHaveCount(1);
    await expect(app.similarityView.root).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  });

  await test.step('When I maximise ClusterView, then it covers the dock; again restores it', async () => {
    const stack = page.locator('.lm_stack').filter({ has: page.locator('.lm_tab', { hasText: 'ClusterView' }) });
    await stack.locator('.lm_maximise').click();
    const box = await page.locator('[data-host-view="ClusterView"]').boundingBox();
    expect(box!.width).toBeGreaterThan(1200);
    await stack.locator('.lm_maximise').click();
    const small = await page.locator('[data-host-view="ClusterView"]').boundingBox();
    expect(small!.width).toBeLessThan(600);
  });

  await test.step('When I close a view and reset the layout, then the default layout is back', async () => {
    await app.menu('View', 'SimilarityView');
    await expect(similarity).toHaveCount(0);
    await app.menu('View', 'Reset layout');
    await expect(similarity).toHaveCount(1);
    const cluster = await page.locator('[data-host-view="ClusterView"]').boundingBox();
    const sim = await similarity.boundingBox();
    expect(sim!.y).toBeGreaterThan(cluster!.y + cluster!.height - 5);
    await shoot(page, testInfo, 'window-default-layout');
  });
});

test('closing with unsaved changes asks first', async ({ app, page }) => {
  await app.press('Space');
  await expect.poll(async () => (await app.selection()).length).toBe(2);
  await app.press('g');
  await app.idle();
  await expect(app.dirty()).toHaveAttribute('data-dirty', 'true');
  const dialog = new Promise<string>((resolve) => page.once('dialog', (d) => (resolve(d.type()), void d.dismiss())));
  await page.close({ runBeforeUnload: true });
  expect(await dialog).toBe('beforeunload');
});

test('the start screen lists recent datasets and opens one on double-click', async ({ page, datasetFolder }, testInfo) => {
  const userData = join(datasetFolder, '..', 'user-data-start');
  await test.step('Given the dataset was opened once', async () => {
    const first = await startServer(datasetFolder, [], { SPIKEDOCK_USER_DATA: userData });
    await page.goto(first.url);
    await expect(page.locator('[data-view="ClusterView"]')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    await first.stop();
  });
  const server = await startServer(null, [], { SPIKEDOCK_USER_DATA: userData });
  try {
    await test.step('When spikedock serve starts without a dataset, then the start screen lists it', async () => {
      await page.goto(server.url);
      const start = page.locator('[data-view="StartScreen"]');
      await expect(start).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
      await expect(start.getByRole('option')).toContainText(['small']);
      await shoot(page, testInfo, 'start-screen');
    });
    await test.step('When I double-click it, then the curation window opens', async () => {
      await page.locator('[data-view="StartScreen"]').getByRole('option').first().dblclick();
      await expect(page.locator('[data-view="ClusterView"]')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    });
  } finally {
    await server.stop();
  }
});
