/**
 * Split proposals (issue #14) in a real browser on a generated `small` dataset, judged by its
 * ground truth: `r` on a cluster that merges two true units shows the re-cluster's parts in
 * FeatureView, WaveformView and AmplitudeView before anything changes; `k` makes them new
 * clusters (one action); ctrl+z restores the cluster. Early vs late (`e`) shows epochs and
 * `escape` leaves them. Screenshots of the previews go to test-results/screenshots (docs/screenshots under `npm run screenshots`).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, screenshotDir } from './fixtures';
import type { GroundTruth } from '../../src/core/generate/groundTruth';

/** test-results/screenshots, or docs/screenshots under `npm run screenshots`. */
const shots = screenshotDir;

test('re-cluster: r previews the parts in the views, k splits into them, ctrl+z restores', async ({ app, datasetFolder }, testInfo) => {
  test.setTimeout(180_000);
  const gt = JSON.parse(readFileSync(join(datasetFolder, 'ground_truth.json'), 'utf8')) as GroundTruth;
  const c = gt.merged[0].cluster;
  const proposal = app.status.locator('[data-status="proposal"]');
  const total = await app.clusterCount();

  await test.step(`Given cluster ${c} (two true units) selected`, async () => {
    await app.snippet(`:c ${c}`);
    await app.expectSelection([c]);
    await app.viewsSettled();
  });

  let parts = 0;
  await test.step('When I press r, then the status line names the parts and FeatureView, WaveformView and AmplitudeView show them', async () => {
    await app.press('r');
    await expect(proposal).toHaveAttribute('data-state', 'shown', { timeout: 60_000 });
    await expect(proposal).toContainText(new RegExp(`re-cluster of ${c}: \\d parts by BIC`));
    await expect(proposal).toContainText('k accept · esc cancel');
    parts = Number(new RegExp(`re-cluster of ${c}: (\\d) parts`).exec((await proposal.textContent()) ?? '')![1]);
    expect(parts).toBeGreaterThanOrEqual(2);
    const names = Array.from({ length: parts }, (_, i) => `${c} part ${i + 1}`).join(', ');
    for (const view of [app.featureView, app.waveformView, app.amplitudeView]) {
      await expect.poll(() => view.statusText(), { timeout: 30_000 }).toContain(`proposal: ${names}`);
      await view.waitState('ready');
    }
    // Nothing changed yet: same clusters, same selection.
    expect(await app.clusterCount()).toBe(total);
    await app.expectSelection([c]);
    await app.viewsSettled();
    mkdirSync(shots, { recursive: true });
    const png = await app.page.screenshot({ path: join(shots, 'recluster-preview.png') });
    await testInfo.attach('recluster-preview.png', { body: png, contentType: 'image/png' });
    await app.featureView.screenshot(join(shots, 'FeatureView-recluster-preview.png'));
  });

  let added: number[] = [];
  await test.step('When I press k, then the cluster is split into the parts as one action, and the new clusters are selected', async () => {
    await app.press('k');
    await app.idle();
    await expect(app.lastAction()).toContainText(`Split ${c} into ${parts} (re-cluster)`);
    await expect(proposal).toHaveCount(0);
    expect(await app.clusterCount()).toBe(total - 1 + parts);
    await expect.poll(() => app.selection()).toHaveLength(parts);
    added = await app.selection();
    for (const id of added) expect(id).toBeGreaterThan(c);
    await expect.poll(() => app.featureView.statusText()).not.toContain('proposal:');
  });

  await test.step('When I press ctrl+z, then the cluster is back and selected', async () => {
    await app.press('Control+z');
    await app.idle();
    expect(await app.clusterCount()).toBe(total);
    await app.expectSelection([c]);
  });
});

test('early vs late: e shows the epochs, escape leaves them', async ({ app, datasetFolder }, testInfo) => {
  const gt = JSON.parse(readFileSync(join(datasetFolder, 'ground_truth.json'), 'utf8')) as GroundTruth;
  const c = gt.clusters.filter((x) => x.kind === 'single').sort((a, b) => b.nSpikes - a.nSpikes)[0].id;
  const proposal = app.status.locator('[data-status="proposal"]');
  await app.snippet(`:c ${c}`);
  await app.expectSelection([c]);
  await app.press('e');
  await expect(proposal).toHaveAttribute('data-state', 'shown', { timeout: 30_000 });
  await expect(proposal).toContainText(`early vs late of ${c}`);
  await expect(proposal).toContainText('esc leaves');
  await expect.poll(() => app.featureView.statusText(), { timeout: 30_000 }).toContain(`proposal: ${c} early, ${c} late`);
  await expect.poll(() => app.correlogramView.statusText(), { timeout: 30_000 }).toBeTruthy();
  await app.viewsSettled();
  mkdirSync(shots, { recursive: true });
  const png = await app.page.screenshot({ path: join(shots, 'early-vs-late.png') });
  await testInfo.attach('early-vs-late.png', { body: png, contentType: 'image/png' });
  // k does nothing with a view: the curation is unchanged.
  const total = await app.clusterCount();
  await app.press('k');
  expect(await app.clusterCount()).toBe(total);
  await app.press('Escape');
  await expect(proposal).toHaveCount(0);
  await expect.poll(() => app.featureView.statusText()).not.toContain('proposal:');
  await app.expectSelection([c]);
});
