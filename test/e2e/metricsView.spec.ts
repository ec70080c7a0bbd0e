/**
 * MetricsView in a real browser on the default generated dataset: the histogram of a live metric over
 * every cluster with the selected cluster in its selection colour; a click on a bar selects its
 * clusters and a lasso selects the clusters inside (ClusterView's selection follows); the scatter
 * of two metrics, where a click on a point selects its cluster; with a rule set applied, the
 * rules' thresholds drawn as lines and the metrics tinted pass/fail in MetricsView and ClusterView.
 * Screenshots go to test-results/screenshots/ (never into docs/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, screenshotDir, startServer } from './fixtures';
import { AppPage } from './pages/AppPage';
import { SELECTION_PALETTE } from '../../src/renderer/theme/colors';
import { VERDICT_RGBA } from '../../src/renderer/views/ruleVerdicts';

const FIRST = SELECTION_PALETTE[0];
/** The pass/fail tints as drawn over the black plot (alpha-blended), 0–255. */
const onBlack = ([r, g, b, a]: readonly number[]) => [r, g, b].map((c) => Math.round(c * a * 255)) as [number, number, number];
const VERDICT_PASS = onBlack(VERDICT_RGBA.pass);
const VERDICT_FAIL = onBlack(VERDICT_RGBA.fail);

test('MetricsView: histogram and scatter of metrics; click and lasso select clusters', async ({ app }, testInfo) => {
  const metrics = app.metricsView;
  const [first] = await app.selection();
  const total = await app.clusterCount();

  await test.step("Given ClusterView, then its snr cells are judged by Bombcell's defaults (no rules applied yet): fail below 5, pass from 5", async () => {
    await expect.poll(async () => (await app.clusterView.judgedColumn('snr')).every((c) => c.verdict === 'pass' || c.verdict === 'fail'), { timeout: 60_000 }).toBe(true);
    for (const c of await app.clusterView.judgedColumn('snr')) expect(c.verdict, `snr ${c.text}`).toBe(Number(c.text) < 5 ? 'fail' : 'pass');
  });

  await test.step('When MetricsView is in front, then it shows the histogram of the live firing_rate over every cluster', async () => {
    await metrics.activate();
    await metrics.waitState('ready');
    expect(await metrics.pressedTool(['histogram', 'scatter'])).toBe('histogram');
    await expect.poll(() => metrics.axisTitles()).toEqual(expect.arrayContaining(['firing_rate (Hz, log)', 'clusters']));
    await expect(metrics.statusLine).toContainText(`${total} of ${total} clusters`, { timeout: 60_000 });
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

  await test.step('When I switch to the scatter and choose snr for y, then the axes name both metrics and the threshold of snr is drawn', async () => {
    await app.snippet(`:c ${first}`);
    await app.expectSelection([first]);
    await metrics.chooseTool('scatter');
    await metrics.pickMetric('y metric', 'snr');
    await expect.poll(() => metrics.axisTitles()).toEqual(expect.arrayContaining(['firing_rate (Hz, log)', 'snr (log)']));
    await expect(metrics.root.locator('.threshold-lines text')).toHaveText(['mua < 5']);
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

test('MetricsView and ClusterView judge metrics against the rules last applied: threshold lines, pass/fail tints', async ({ page, datasetFolder }, testInfo) => {
  // The rule set a curator applied to this dataset, as the app and `spikedock label` keep it.
  mkdirSync(join(datasetFolder, '.spikedock'), { recursive: true });
  const rules = { format: 'spikedock-label-rules', version: 1, description: 'slow units are mua', labels: [{ label: 'mua', thresholds: { fr: { min: 10 } } }], otherwise: 'good' };
  writeFileSync(join(datasetFolder, '.spikedock', 'label_rules.json'), JSON.stringify(rules));
  const server = await startServer(datasetFolder, [], { SPIKEDOCK_USER_DATA: join(datasetFolder, '..', 'user-data') });
  try {
    const app = new AppPage(page);
    await app.open(server.url);

    await test.step("Given ClusterView, then each fr cell is tinted by the rule: fail below 10 Hz, pass from 10 Hz, with the rule as tooltip", async () => {
      await expect.poll(async () => (await app.clusterView.judgedColumn('fr')).every((c) => c.verdict !== '')).toBe(true);
      const cells = await app.clusterView.judgedColumn('fr');
      expect(cells.length).toBeGreaterThan(5);
      for (const c of cells) expect(c.verdict, `fr ${c.text}`).toBe(Number(c.text) < 10 ? 'fail' : 'pass');
      expect(new Set(cells.map((c) => c.verdict))).toEqual(new Set(['pass', 'fail']));
      await expect(app.clusterView.root.locator('[role="gridcell"][data-verdict="fail"]').first()).toHaveAttribute('title', 'fails mua (mua < 10)');
      await expect(app.clusterView.root.locator('[role="gridcell"][data-verdict]')).not.toHaveCount(0);
      const out = join(screenshotDir, 'ClusterView-verdicts.png');
      await app.clusterView.screenshot(out);
      await testInfo.attach('ClusterView, fr judged by the rules', { path: out, contentType: 'image/png' });
    });

    await test.step('When MetricsView shows the fr histogram, then the threshold is a labelled line and the bars are tinted green and red', async () => {
      const metrics = app.metricsView;
      await metrics.activate();
      await metrics.waitState('ready');
      await metrics.pickMetric('metric', 'fr');
      await expect(metrics.root.locator('.threshold-lines text')).toHaveText(['mua < 10']);
      await expect(metrics.statusLine).toContainText('thresholds: slow units are mua');
      expect((await metrics.colourRegion(VERDICT_PASS, 12)).count).toBeGreaterThan(50);
      expect((await metrics.colourRegion(VERDICT_FAIL, 12)).count).toBeGreaterThan(50);
      const out = join(screenshotDir, 'MetricsView-thresholds.png');
      await metrics.screenshot(out);
      await testInfo.attach('MetricsView, fr histogram with the rule', { path: out, contentType: 'image/png' });
    });
  } finally {
    await server.stop();
  }
});
