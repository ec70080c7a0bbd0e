/**
 * The curation workflow around the wizard (issue #10): what the wizard skipped is said in the
 * status bar and the group column is on screen at the default window size (1600×1000); the
 * reviewed count of the status bar is the one the start screen shows; `serve` on a folder that
 * is not a dataset says why on the start screen. Screenshots go to test-results/screenshots/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright/test';
import { expect, screenshotDir, startServer, test } from './fixtures';

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

test('the wizard says which mua/noise clusters it skipped, and the group column is on screen', async ({ app, page }) => {
  // The generated dataset's cluster_group.tsv already labels some clusters mua/noise (its largest
  // one may be among them): the wizard starts at the first row that is neither.
  const first = await app.clusterView.firstBestId();
  let third = -1;
  await test.step('Given the first two clusters the wizard reaches are labelled noise and mua', async () => {
    await app.expectSelection([first]);
    await app.press('Alt+n');
    await app.idle();
    await expect.poll(async () => (await app.selection())[0]).not.toBe(first);
    const [second] = await app.selection();
    await app.press('Alt+m');
    await app.idle();
    await expect.poll(async () => (await app.selection())[0]).not.toBe(second);
    [third] = await app.selection();
  });
  await test.step('When the window opens again (the wizard selects the first cluster)', async () => {
    await page.reload();
    await app.clusterView.expectReady();
    await app.expectSelection([third]);
  });
  await test.step('Then the status bar names every row it skipped, and the group column shows why', async () => {
    const ids = await app.clusterView.visibleIds();
    const groups = await app.clusterView.column('group');
    const skipped = ids.slice(0, ids.indexOf(third));
    expect(skipped.length).toBeGreaterThanOrEqual(2);
    expect(new Set(groups.slice(0, skipped.length))).toEqual(new Set(['noise', 'mua']));
    const listed = skipped.slice(0, 5).join(', ') + (skipped.length > 5 ? ', …' : '');
    await expect(app.status.locator('[data-status="wizard"]')).toHaveText(`skipped ${skipped.length} clusters labelled mua/noise: ${listed}`);
    const view = await app.clusterView.root.boundingBox();
    const group = await app.clusterView.grid.getByRole('columnheader', { name: /^group/ }).boundingBox();
    expect(view && group, 'ClusterView and its group header are laid out').toBeTruthy();
    expect(group!.x).toBeGreaterThanOrEqual(view!.x);
    expect(group!.x + group!.width, 'the group column ends inside ClusterView at 1600×1000').toBeLessThanOrEqual(view!.x + view!.width);
    await shoot(page, 'wizard-skipped');
  });
  await test.step('And a click on another row, or a wizard move that skips nothing, clears the note', async () => {
    const note = app.status.locator('[data-status="wizard"]');
    const text = await note.textContent();
    const ids = await app.clusterView.visibleIds();
    await app.clusterView.click(ids[ids.indexOf(third) + 1]);
    await expect(note).toHaveCount(0);
    await app.press('Home');
    await app.expectSelection([third]);
    await expect(note).toHaveText(text!);
    await app.press('ArrowDown');
    await expect(note).toHaveCount(0);
  });
});

test('the start screen shows the reviewed count the status bar showed', async ({ app, page, server, datasetFolder }) => {
  const total = await app.clusterCount();
  await test.step('Given two clusters labelled good, the status bar counts two reviewed', async () => {
    await app.press('Alt+g');
    await app.idle();
    await app.press('Alt+g');
    await app.idle();
    await expect(app.status.locator('[data-status="reviewed"]')).toContainText(`reviewed 2/${total}`);
  });
  await server.stop();
  const again = await startServer(null, [], { SPIKEDOCK_USER_DATA: join(datasetFolder, '..', 'user-data') });
  try {
    await test.step('When spikedock serve starts again without a dataset, then the start screen shows the same number', async () => {
      await page.goto(again.url);
      const start = page.locator('[data-view="StartScreen"]');
      await expect(start).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
      await expect(start.getByRole('option').first()).toContainText(`${total} clusters`);
      await expect(start.getByRole('option').first()).toContainText(`2/${total} reviewed`);
      await shoot(page, 'start-screen-reviewed');
    });
  } finally {
    await again.stop();
  }
});

test('serve on a folder that is not a dataset says why on the start screen', async ({ page }) => {
  const root = mkdtempSync(join(tmpdir(), 'spikedock-e2e-notds-'));
  const folder = join(root, 'notes');
  mkdirSync(folder);
  writeFileSync(join(folder, 'README.txt'), 'not a sorting output\n');
  const server = await startServer(folder, [], { SPIKEDOCK_USER_DATA: join(root, 'user-data') });
  try {
    await page.goto(server.url);
    const start = page.locator('[data-view="StartScreen"]');
    await expect(start).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
    const alert = start.getByRole('alert');
    await expect(alert).toContainText(`cannot open ${folder}: `);
    await expect(alert).toContainText('not a sorting output (no params.py, .kwik or .nwb file in the folder)');
    await shoot(page, 'start-screen-not-a-dataset');
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
