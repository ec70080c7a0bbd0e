/**
 * The review queue in a real browser (`spikedock serve`, Chromium): a SpikeInterface
 * curation.json beside a generated dataset proposes merges (the generator's over-split units
 * and one false pair); the curator walks them by keyboard — accept (the merge), skip, reject,
 * undo — and after restarting the server on the same folder finds every state again.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, screenshotDir, startServer, type Server } from './fixtures';
import { AppPage } from './pages/AppPage';

interface GroundTruth {
  overSplits: Array<{ clusters: number[] }>;
  clusters: Array<{ id: number; kind: string }>;
}

test('review suggested merges by keyboard; the states survive a restart', async ({ page, datasetFolder }) => {
  test.setTimeout(180_000);
  const truth = JSON.parse(readFileSync(join(datasetFolder, 'ground_truth.json'), 'utf8')) as GroundTruth;
  const [pair, triple] = truth.overSplits.map((o) => [...o.clusters].sort((a, b) => a - b));
  expect(pair).toHaveLength(2);
  // A false proposal: two single units that are not over-split parts.
  const inSplits = new Set(truth.overSplits.flatMap((o) => o.clusters));
  const singles = truth.clusters.filter((c) => c.kind === 'single' && !inSplits.has(c.id)).map((c) => c.id);
  const wrong = singles.slice(0, 2).sort((a, b) => a - b);
  const id = (g: number[]) => g.join('+');
  writeFileSync(
    join(datasetFolder, 'curation.json'),
    JSON.stringify({ format_version: '2', unit_ids: truth.clusters.map((c) => c.id), merges: [{ unit_ids: pair }, { unit_ids: triple.map(String) }, { unit_ids: wrong }] }),
  );
  const userData = join(datasetFolder, '..', 'user-data');
  let server: Server = await startServer(datasetFolder, [], { SPIKEDOCK_USER_DATA: userData });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    const app = new AppPage(page);
    await app.open(server.url);
    const view = app.suggestionsView;
    const total = await app.clusterCount();

    const pending = async () => Number(await view.root.getAttribute('data-pending'));
    const stateOf = (g: number[]) => view.row(id(g)).getAttribute('data-state');
    /** Waits until the background scoring is done (the view's status line stops saying so). */
    const scored = () => expect(view.statusLine).not.toContainText('computing', { timeout: 60_000 });

    let before = 0;
    await test.step('Given the curation.json beside the dataset, SuggestionsView lists its merges, pending, with the computed suggestions', async () => {
      await view.activate();
      await view.waitState('ready');
      await scored();
      for (const g of [pair, triple, wrong]) await expect(view.row(id(g))).toHaveAttribute('data-state', 'pending');
      // The over-split pair is also a computed suggestion: one row with both sources and a score, near the top.
      await expect(view.row(id(pair))).toContainText('suggested + curation.json');
      const rows = await view.states();
      expect(rows.length).toBeGreaterThan(3);
      expect(rows.slice(0, 3).map((r) => r[0])).toContain(id(pair));
      before = await pending();
      await expect(app.status.locator('[data-status="suggestions"]')).toHaveText(`${before} suggestions pending`);
    });

    await test.step('When I click a row, its clusters become the selection of every view', async () => {
      await view.row(id(wrong)).click();
      await app.expectSelection(wrong);
      await expect(app.clusterView.row(wrong[0])).toHaveAttribute('aria-selected', 'true');
      expect(await view.current()).toBe(id(wrong));
    });

    let merged = -1;
    await test.step('When I accept a row by keyboard (alt+y), its clusters merge and the next pending row is selected', async () => {
      await view.row(id(pair)).click();
      await app.expectSelection(pair);
      // The strip under the table spells out the selected pair's evidence (the cell is cut in a narrow pane).
      const strip = view.root.locator('[data-status="review-evidence"]');
      await expect(strip).toContainText(id(pair).replace('+', ' + '));
      await expect(strip).toContainText('template similarity');
      await app.press('Alt+y');
      await app.idle();
      await expect(view.row(id(pair))).toHaveAttribute('data-state', 'accepted');
      await expect.poll(() => app.clusterCount()).toBe(total - 1);
      await expect(app.clusterView.row(pair[0])).toHaveCount(0);
      merged = Number(/→ (\d+)/.exec((await view.row(id(pair)).textContent()) ?? '')?.[1]);
      expect(merged).toBeGreaterThan(Math.max(...pair));
      await expect(app.clusterView.row(merged)).toHaveCount(1);
      await expect.poll(() => view.current()).not.toBe(id(pair));
      expect(await stateOf((await view.current())!.split('+').map(Number))).toBe('pending');
    });

    await test.step('When I skip one (alt+j) and reject another (alt+x), they say so; alt+q goes to a pending one', async () => {
      await scored();
      const beforeDecisions = await pending();
      await view.row(id(triple)).click();
      await app.press('Alt+j');
      await expect(view.row(id(triple)).locator('.sv-badge')).toHaveText('skipped');
      await expect.poll(() => view.current()).not.toBe(id(triple));
      await view.row(id(wrong)).click();
      await app.press('Alt+x');
      await expect(view.row(id(wrong))).toHaveAttribute('data-state', 'rejected');
      await expect.poll(() => pending()).toBe(beforeDecisions - 1);
      await view.row(id(wrong)).click();
      await app.press('Alt+q');
      await expect.poll(() => view.current()).not.toBe(id(wrong));
      expect(await stateOf((await view.current())!.split('+').map(Number))).toBe('pending');
      expect(await app.clusterCount()).toBe(total - 1);
    });

    await test.step('When I undo (ctrl+z), the merge is undone and its row is pending again; redo accepts it again', async () => {
      await app.press('Control+z');
      await app.idle();
      await expect(view.row(id(pair))).toHaveAttribute('data-state', 'pending');
      await expect.poll(() => app.clusterCount()).toBe(total);
      await app.press('Control+Shift+z');
      await app.idle();
      await expect(view.row(id(pair))).toHaveAttribute('data-state', 'accepted');
      await expect.poll(() => app.clusterCount()).toBe(total - 1);
    });

    let pendingBeforeRestart = 0;
    await test.step('Then the view shows the states (screenshot)', async () => {
      await scored();
      await view.row(id(triple)).click();
      await app.viewsSettled();
      pendingBeforeRestart = await pending();
      mkdirSync(screenshotDir, { recursive: true });
      await view.root.screenshot({ path: join(screenshotDir, 'SuggestionsView.png') });
      await page.screenshot({ path: join(screenshotDir, 'window-suggestions.png') });
    });

    await test.step('When the server restarts on the same folder, the review state is back', async () => {
      await server.stop();
      server = await startServer(datasetFolder, [], { SPIKEDOCK_USER_DATA: userData });
      await app.open(server.url);
      await view.activate();
      await view.waitState('ready');
      await scored();
      await expect(view.row(id(pair))).toHaveAttribute('data-state', 'accepted');
      await expect(view.row(id(triple))).toHaveAttribute('data-state', 'pending');
      await expect(view.row(id(triple)).locator('.sv-badge')).toHaveText('skipped');
      await expect(view.row(id(wrong))).toHaveAttribute('data-state', 'rejected');
      await expect.poll(() => pending()).toBe(pendingBeforeRestart);
      await expect(app.status.locator('[data-status="suggestions"]')).toHaveText(`${pendingBeforeRestart} suggestions pending`);
      expect(await app.clusterCount()).toBe(total - 1);
      await expect(app.clusterView.row(merged)).toHaveCount(1);
    });
    expect(errors, 'uncaught errors in the page').toEqual([]);
  } finally {
    await server.stop();
  }
});
