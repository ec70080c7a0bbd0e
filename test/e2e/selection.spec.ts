/**
 * ClusterView selection never ends up empty from plain clicks: clicking the first row right
 * after load (while the start-up "select the first cluster" is settling), clicking an
 * already-selected row again and again, and clicking the first row after a lasso split (whose
 * UpdateInfo selects the new clusters) all leave exactly the clicked cluster selected.
 */
import { test, expect } from './fixtures';
import { AppPage } from './pages/AppPage';

test('plain clicks in ClusterView never leave the selection empty', async ({ page, server }) => {
  // Not the `app` fixture: that one waits for the start-up selection, and this test clicks before it.
  const app = new AppPage(page);
  const { clusterView, amplitudeView } = app;

  await test.step('Given the window just loaded, when I click the first row at once, then it is selected', async () => {
    await page.goto(server.url);
    await clusterView.rows().first().waitFor({ timeout: 30_000 });
    const id = await clusterView.clickFirstRow();
    await expect(clusterView.row(id)).toHaveAttribute('aria-selected', 'true');
    // The start-up selection resolves after the first snapshot: it must not undo the click.
    await page.waitForTimeout(300);
    expect(await clusterView.selectedIds()).toEqual([id]);
  });

  await test.step('When I click the already-selected row five times, then it stays the only selected row', async () => {
    const [id] = await clusterView.visibleIds();
    for (let i = 0; i < 5; i++) {
      await clusterView.click(id);
      await expect(clusterView.selectedRows()).toHaveCount(1);
      expect(await clusterView.selectedIds()).toEqual([id]);
    }
    await expect(clusterView.statusLine).toContainText(`selected: ${id}`);
  });

  await test.step('When I split with a lasso, then clicking the first row selects exactly that row', async () => {
    await amplitudeView.activate();
    await amplitudeView.waitState('ready');
    const before = await clusterView.rows().count();
    await amplitudeView.lasso([
      [0.2, 0.01],
      [0.5, 0.01],
      [0.5, 0.99],
      [0.2, 0.99],
    ]);
    await amplitudeView.split();
    await app.idle();
    await expect.poll(async () => (await clusterView.visibleIds()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(Math.min(before, 1));
    for (let i = 0; i < 3; i++) {
      // The first rendered row may be an overscan row above the visible ones.
      await clusterView.scrollTo(i * 120);
      const id = await clusterView.clickFirstRow();
      await expect(clusterView.selectedRows()).toHaveCount(1);
      expect(await clusterView.selectedIds()).toEqual([id]);
    }
  });
});
