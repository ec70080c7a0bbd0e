/**
 * Curating a generated dataset by keyboard in a real browser (`spikedock serve`, Chromium):
 * walk with the wizard, merge a best/similar pair, label, undo and redo, save, and check the
 * phy files on disk. Screenshots of the whole window go to test-results/ (and docs/screenshots/ with `npm run screenshots`).
 */
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '../../src/core/formats/npy';
import { MemoryByteSource } from '../../src/core/formats/ByteSource';
import { test, expect, screenshotDir } from './fixtures';
import type { AppPage } from './pages/AppPage';

const SCREENSHOTS = screenshotDir;

function spikeClusters(folder: string): Int32Array {
  const bytes = readFileSync(join(folder, 'spike_clusters.npy'));
  return readNpy(new MemoryByteSource(new Uint8Array(bytes), 'spike_clusters.npy'), { as: 'int32' }).data as Int32Array;
}

function groups(folder: string): Map<number, string> {
  const lines = readFileSync(join(folder, 'cluster_group.tsv'), 'utf8').trim().split('\n').slice(1);
  return new Map(lines.map((l) => l.split('\t')).map(([id, g]) => [Number(id), g]));
}

function countOf(a: Int32Array, id: number): number {
  let n = 0;
  for (const v of a) if (v === id) n++;
  return n;
}

async function screenshot(app: AppPage, name: string, testInfo: { outputPath(name: string): string; attach: (n: string, o: { path: string; contentType: string }) => Promise<void> }) {
  await app.viewsSettled();
  const out = testInfo.outputPath(`${name}.png`);
  await app.page.screenshot({ path: out });
  await testInfo.attach(name, { path: out, contentType: 'image/png' });
  mkdirSync(SCREENSHOTS, { recursive: true });
  await app.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

test('curate by keyboard: wizard, merge, label, undo/redo, save, files on disk', async ({ app, datasetFolder }, testInfo) => {
  const before = spikeClusters(datasetFolder);
  const total = await app.clusterCount();
  let best: number;
  let similar: number;

  await test.step('Given the dataset is open with the first best cluster selected', async () => {
    const first = await app.clusterView.firstBestId();
    await app.expectSelection([first]);
    await expect(app.clusterView.row(first)).toHaveAttribute('aria-selected', 'true');
    await app.similarityView.waitState('ready');
    await screenshot(app, 'window-first-cluster', testInfo);
  });

  await test.step('When I press down and up, then the wizard moves between best clusters', async () => {
    const [first] = await app.selection();
    await app.press('ArrowDown');
    await expect.poll(() => app.selection()).not.toEqual([first]);
    const [second] = await app.selection();
    expect(await app.clusterView.selectedIds()).toEqual([second]);
    await app.press('ArrowUp');
    await app.expectSelection([first]);
  });

  await test.step('When I press space, then the most similar cluster is selected next to the best one', async () => {
    await app.press('Space');
    await expect.poll(async () => (await app.selection()).length).toBe(2);
    [best, similar] = await app.selection();
    expect(await app.similarityView.selectedIds()).toEqual([similar]);
    await screenshot(app, 'window-best-and-similar', testInfo);
  });

  let merged: number;
  await test.step('When I press g, then the pair is merged into a new cluster that gets selected', async () => {
    await app.press('g');
    await app.idle();
    await expect.poll(() => app.clusterCount()).toBe(total - 1);
    await expect(app.lastAction()).toContainText('Merge');
    await expect.poll(async () => (await app.selection()).length).toBe(1);
    [merged] = await app.selection();
    expect(merged).toBeGreaterThan(Math.max(...before));
    await expect(app.dirty()).toHaveAttribute('data-dirty', 'true');
  });

  await test.step('When I press alt+g, then the merged cluster is labelled good and the wizard moves on', async () => {
    await app.press('Alt+g');
    await app.idle();
    await expect(app.clusterView.row(merged)).toHaveAttribute('data-group', 'good');
    await expect.poll(() => app.selection()).not.toEqual([merged]);
  });

  await test.step('When I undo twice, then the label and the merge are undone and the pair is selected again', async () => {
    await app.press('Control+z');
    await app.idle();
    await expect(app.clusterView.row(merged)).toHaveAttribute('data-group', '');
    await app.press('Control+z');
    await app.idle();
    await expect.poll(() => app.clusterCount()).toBe(total);
    await app.expectSelection([best, similar]);
  });

  await test.step('When I redo with ctrl+shift+z and ctrl+y, then the merge and the label come back', async () => {
    await app.press('Control+Shift+z');
    await app.idle();
    await expect.poll(() => app.clusterCount()).toBe(total - 1);
    await app.press('Control+y');
    await app.idle();
    await expect(app.clusterView.row(merged)).toHaveAttribute('data-group', 'good');
    // The merged cluster is back with its spikes in the views (not what was computed for its id
    // while the merge was undone, when it had none).
    await expect.poll(async () => (await app.isiView.overlayTexts()).join(' ')).toMatch(new RegExp(`${merged} · max [1-9]`));
  });

  await test.step('When I press ctrl+s, then phy files are written and the window is clean', async () => {
    await app.press('Control+s');
    await app.idle();
    await expect(app.dirty()).toHaveAttribute('data-dirty', 'false', { timeout: 30_000 });
    await expect(app.toasts().filter({ hasText: 'Saved' })).toBeVisible();
  });

  await test.step('Then spike_clusters.npy and cluster_group.tsv hold the curation', async () => {
    const after = spikeClusters(datasetFolder);
    expect(after.length).toBe(before.length);
    expect(countOf(after, best)).toBe(0);
    expect(countOf(after, similar)).toBe(0);
    expect(countOf(after, merged)).toBe(countOf(before, best) + countOf(before, similar));
    for (let i = 0; i < before.length; i++) {
      if (before[i] !== best && before[i] !== similar && after[i] !== before[i]) throw new Error(`spike ${i} changed cluster without being merged`);
    }
    expect(groups(datasetFolder).get(merged)).toBe('good');
    await screenshot(app, 'window-after-merge', testInfo);
  });
});

test('label best, similar and all clusters with the 12 move shortcuts (auto-advance)', async ({ app }) => {
  let best = 0;
  let similar = 0;
  await test.step('Given a best cluster and a similar one', async () => {
    await app.press('Space');
    await expect.poll(async () => (await app.selection()).length).toBe(2);
    [best, similar] = await app.selection();
  });

  await test.step('When I press ctrl+n, then the similar cluster is noise and the next similar is selected', async () => {
    await app.press('Control+n');
    await app.idle();
    await expect(app.clusterView.row(similar)).toHaveAttribute('data-group', 'noise');
    await expect.poll(async () => (await app.selection())[0]).toBe(best);
    await expect.poll(async () => (await app.selection())[1]).not.toBe(similar);
  });

  await test.step('When I press ctrl+alt+m, then both selected clusters are mua and the next best is selected', async () => {
    const pair = await app.selection();
    await app.press('Control+Alt+m');
    await app.idle();
    for (const id of pair) await expect(app.clusterView.row(id)).toHaveAttribute('data-group', 'mua');
    await expect.poll(async () => (await app.selection()).length).toBe(1);
    expect(await app.selection()).not.toEqual([best]);
  });

  await test.step('When I press alt+u, then the best cluster is unsorted', async () => {
    const [current] = await app.selection();
    await app.press('Alt+u');
    await app.idle();
    await expect(app.clusterView.row(current)).toHaveAttribute('data-group', 'unsorted');
  });
});
