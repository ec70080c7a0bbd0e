/**
 * Label by rules in a real browser: open the dialog (Edit menu), see how many clusters each
 * label would get, load a rules file, apply it as one action, check ClusterView's groups, undo
 * restores every previous group, redo reapplies, and the files on disk after a save.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, screenshotDir } from './fixtures';
import type { AppPage } from './pages/AppPage';

const UNLABELLED = "group == null || group == 'unsorted'";

async function count(app: AppPage, expression: string): Promise<number> {
  await app.clusterView.filter(expression);
  const { shown } = await app.clusterView.counts();
  return shown;
}

test('label by rules: counts before applying, one action, undo and redo', async ({ app, datasetFolder }, testInfo) => {
  // The background metrics of all clusters come first (a minute on a loaded 2-core machine).
  test.setTimeout(360_000);
  const dialog = app.page.getByRole('dialog', { name: 'Label by rules' });
  const total = await app.clusterCount();
  const unlabelled = await count(app, UNLABELLED);
  const small = await count(app, `(${UNLABELLED}) && n_spikes < 1000`);
  const muaBefore = await count(app, "group == 'mua'");
  await app.clusterView.filter('');
  expect(unlabelled).toBeGreaterThan(0);

  await test.step("Given the dialog opened from the Edit menu, then it shows Bombcell's defaults with a count per label", async () => {
    await app.menu('Edit', 'Label by rules');
    await expect(dialog).toBeVisible();
    for (const label of ['noise', 'non-somatic', 'mua', 'good']) await expect(dialog.locator(`[data-count="${label}"]`)).toHaveText(/^\d+ clusters?$/);
    await expect(dialog.locator('[data-preview="summary"]')).toContainText(`of ${total} clusters`);
    // The counts follow the live quality metrics: once every cluster has them, Bombcell's noise
    // rule finds the generator's unlabelled noise clusters (judged by ground_truth.json).
    await expect(dialog.locator('[data-preview="summary"]')).toContainText('Every cluster has its quality metrics.', { timeout: 240_000 });
    const truth = JSON.parse(readFileSync(join(datasetFolder, 'ground_truth.json'), 'utf8')) as { clusters: Array<{ id: number; kind: string }> };
    const groupFile = readFileSync(join(datasetFolder, 'cluster_group.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    const labelled = new Set(groupFile.filter(([, g]) => g && g !== 'unsorted').map(([id]) => Number(id)));
    const noise = truth.clusters.filter((c) => c.kind === 'noise' && !labelled.has(c.id)).length;
    await expect(dialog.locator('[data-count="noise"]')).toHaveText(`${noise} cluster${noise === 1 ? '' : 's'}`);
    mkdirSync(screenshotDir, { recursive: true });
    await dialog.screenshot({ path: join(screenshotDir, 'dialog-label-rules.png') });
    await dialog.screenshot({ path: testInfo.outputPath('dialog-label-rules.png') });
  });

  await test.step('When I load a rules file (mua under 1,000 spikes, good otherwise), then the counts are those of the unlabelled clusters', async () => {
    const rules = { labels: [{ label: 'mua', thresholds: { n_spikes: { min: 1000 } } }], otherwise: 'good' };
    await dialog.locator('input[type=file]').setInputFiles({ name: 'e2e_rules.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(rules)) });
    await expect(dialog.locator('[data-count="mua"]')).toHaveText(`${small} cluster${small === 1 ? '' : 's'}`);
    await expect(dialog.locator('[data-count="good"]')).toHaveText(`${unlabelled - small} cluster${unlabelled - small === 1 ? '' : 's'}`);
    await expect(dialog.locator('[data-preview="summary"]')).toContainText(`Would label ${unlabelled} of ${total} clusters (mua ${small}, good ${unlabelled - small})`);
  });

  await test.step('When I apply, then ClusterView shows every unlabelled cluster labelled, as one action in the history', async () => {
    await dialog.getByRole('button', { name: `Apply to ${unlabelled} clusters` }).click();
    await expect(dialog).toHaveCount(0);
    await app.idle();
    await expect(app.lastAction()).toContainText(`Label ${unlabelled} clusters`);
    expect(await count(app, UNLABELLED)).toBe(0);
    expect(await count(app, "group == 'mua'")).toBe(muaBefore + small);
  });

  await test.step('When I undo once, then every previous group is back; redo reapplies them', async () => {
    await app.clusterView.filter('');
    await app.press('Control+z');
    await app.idle();
    expect(await count(app, UNLABELLED)).toBe(unlabelled);
    expect(await count(app, "group == 'mua'")).toBe(muaBefore);
    await app.clusterView.filter('');
    await app.press('Control+Shift+z');
    await app.idle();
    expect(await count(app, UNLABELLED)).toBe(0);
    await app.clusterView.filter('');
  });

  await test.step('When I save, then cluster_group.tsv has the labels and the rule set is kept with the dataset', async () => {
    await app.press('Control+s');
    await expect.poll(() => readFileSync(join(datasetFolder, '.spikedock', 'label_rules.json'), 'utf8'), { timeout: 15_000 }).toContain('"n_spikes"');
    await expect.poll(() => readFileSync(join(datasetFolder, 'cluster_group.tsv'), 'utf8').trim().split('\n').length - 1, { timeout: 15_000 }).toBe(total);
  });
});
