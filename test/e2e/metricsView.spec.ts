/**
 * MetricsView in a real browser on the default generated dataset: the histogram of a metric over
 * every cluster with the selected cluster in its selection colour; a click on a bar selects its
 * clusters and a lasso selects the clusters inside (ClusterView's selection follows); the scatter
 * of two metrics, where a click on a point selects its cluster. Screenshots of both modes go to
 * test-results/screenshots/ (never into docs/).
 */
import { join } from 'node:path';
import { test, expect, screenshotDir } from './fixtures';
import { SELECTION_PALETTE } from '../../src/renderer/theme/colors';

const FIRST = SELECTION_PALETTE[0];

test('MetricsView: histogram and scatter of metrics; click and lasso select clusters', async ({ app }, testInfo) => {
  const metrics = app.metricsView;
  const [first] = await app.selection();
  const total = await app.clusterCount();

  await test.step('Given MetricsView in front, then it shows the histogram of the firing rate over every cluster', async () => {
    await metrics.activate();
    await metrics.waitState('ready');
    expect(await metrics.pressedTool(['histogram', 'scatter'])).toBe('histogram');
    await expect.poll(() => metrics.axisTitles()).toEqual(expect.arrayContaining(['fr (Hz, log)', 'clusters']));
    await expect(metrics.statusLine).toContainText(`${total} of ${total} clusters`);
  });

  await test.step('Then the selected cluster is drawn in the first selection colour (blue)', async () => {
    expect(first).toBeDefined();
    await expect.poll(async () => (await metrics.colourRegion(FIRST)).count).toBeGreaterThan(20);
    const out = join(screenshotDir, 'MetricsView-histogram.png');
    await metrics.screenshot(out);
    await testInfo.attach('MetricsView, histogram', { path: out, contentType: 'image/png' });
  });

  await test.step("When I click the selected cluster's bar, then its bin's clusters are selected, in ClusterView too", async () => {
    const blue = await metrics.colourRegion(FIRST);
    // The blue block sits at the bottom of its bar, above the tick at its exact value: its top row is on the bar.
    await metrics.clickAt([blue.centroid![0], blue.top! + 0.004]);
    await expect.poll(async () => (await app.selection()).includes(first)).toBe(true);
    const selected = await app.selection();
    await expect.poll(async () => [...(await app.clusterView.selectedIds())].sort((a, b) => a - b)).toEqual([...selected].sort((a, b) => a - b));
  });

  await test.step('When I lasso the whole histogram, then every cluster is selected', async () => {
    await metrics.lassoSelect([
      [0.01, 0.01],
      [0.99, 0.01],
      [0.99, 0.99],
      [0.01, 0.99],
    ]);
    await expect.poll(async () => (await app.selection()).length).toBe(total);
  });

  await test.step('When I switch to the scatter and choose amp for y, then the axes name both metrics', async () => {
    await app.snippet(`:c ${first}`);
    await app.expectSelection([first]);
    await metrics.chooseTool('scatter');
    await metrics.pickMetric('y metric', 'amp');
    await expect.poll(() => metrics.axisTitles()).toEqual(expect.arrayContaining(['fr (Hz, log)', 'amp']));
    await expect.poll(async () => (await metrics.colourRegion(FIRST)).count).toBeGreaterThan(20);
    const out = join(screenshotDir, 'MetricsView-scatter.png');
    await metrics.screenshot(out);
    await testInfo.attach('MetricsView, scatter', { path: out, contentType: 'image/png' });
  });

  await test.step('When I select another cluster and click where the first one was drawn, then the first one is selected again', async () => {
    const { centroid } = await metrics.colourRegion(FIRST);
    const other = (await app.clusterView.visibleIds()).find((id) => id !== first)!;
    await app.snippet(`:c ${other}`);
    await app.expectSelection([other]);
    await metrics.clickAt(centroid!);
    await app.expectSelection([first]);
    await expect.poll(() => app.clusterView.selectedIds()).toEqual([first]);
  });

  await test.step('When I lasso the left half of the scatter, then the clusters there are selected, and only they', async () => {
    await metrics.lassoSelect([
      [0.01, 0.01],
      [0.5, 0.01],
      [0.5, 0.99],
      [0.01, 0.99],
    ]);
    await expect.poll(async () => (await app.selection()).length).toBeGreaterThan(0);
    expect((await app.selection()).length).toBeLessThan(total);
  });
});
