/**
 * DriftView in a real browser on the default generated dataset (which has spike_positions.npy):
 * the density image of every spike's depth against time draws, the status line names the depth
 * source, the selected clusters' spikes are drawn in their selection colours; a click on a drawn
 * spike selects its cluster, a click on the density where an unselected cluster's spikes lie
 * selects that cluster, and a zoom bins the visible rectangle again. On phy's template dataset
 * (no spike_positions.npy) the view says it uses template positions. Screenshots go to
 * test-results/screenshots/ (docs/screenshots under `npm run screenshots`).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, screenshotDir, startServer } from './fixtures';
import { AppPage } from './pages/AppPage';
import { SELECTION_PALETTE } from '../../src/renderer/theme/colors';
import { hasPhyData, phyDataDir, phyDataSkipReason } from '../helpers/phyData';

const [FIRST, SECOND] = SELECTION_PALETTE;

test('DriftView: density of every spike, the selection on top; clicks select clusters; zoom re-bins', async ({ app }, testInfo) => {
  const drift = app.driftView;
  const ids = await app.clusterView.visibleIds();
  const [a, b] = [ids[0], ids[1]];

  await test.step('Given two clusters selected, when DriftView is in front, then it draws the density and says where depths come from', async () => {
    await app.snippet(`:c ${a} ${b}`);
    await app.expectSelection([a, b]);
    await drift.activate();
    await drift.waitState('ready', 90_000);
    await expect.poll(() => drift.depthSource(), { timeout: 30_000 }).toBe('spike_positions');
    const stats = await drift.pixelStats();
    expect(stats.nonBackground, 'the density covers part of the plot').toBeGreaterThan(2000);
    expect(stats.colours, 'greys of a log scale and the selection colours').toBeGreaterThan(8);
    await expect.poll(async () => (await drift.colourRegion(FIRST)).count, { message: `cluster ${a} in blue` }).toBeGreaterThan(20);
    await expect.poll(async () => (await drift.colourRegion(SECOND)).count, { message: `cluster ${b} in red` }).toBeGreaterThan(20);
    expect(await drift.overlayTexts()).toEqual(expect.arrayContaining(['time (s)', 'depth (µm)']));
    const out = join(screenshotDir, 'DriftView.png');
    await drift.screenshot(out);
    await testInfo.attach('DriftView, small preset', { path: out, contentType: 'image/png' });
  });

  const spotsOfA = await drift.pointsOf(FIRST, [SECOND]);
  expect(spotsOfA.length, `spikes of ${a} away from ${b}'s`).toBeGreaterThan(0);

  await test.step(`When I click a drawn spike of ${a}, then ${a} alone is selected`, async () => {
    await drift.clickAt(spotsOfA[0]);
    await app.expectSelection([a]);
  });

  await test.step(`When ${b} alone is selected and I click the density where ${a}'s spikes were drawn, then ${a} is selected`, async () => {
    await app.snippet(`:c ${b}`);
    await app.expectSelection([b]);
    // b is now the first selected, drawn in blue; a is no longer drawn.
    await expect.poll(async () => (await drift.colourRegion(SECOND)).count).toBe(0);
    // Where a's spikes crowd most, a has the most spikes near the click: the click means a.
    await drift.clickAt(spotsOfA[0]);
    await app.expectSelection([a]);
  });

  await test.step('When I zoom in, then the visible rectangle is binned again: fewer spikes in view, still drawn', async () => {
    const all = await drift.spikesInView();
    expect(all).toBeGreaterThan(0);
    const { x, y } = await drift.at([0.5, 0.5]);
    await app.page.mouse.move(x, y);
    for (let k = 0; k < 4; k++) await app.page.mouse.wheel(0, -300);
    await expect.poll(() => drift.spikesInView(), { timeout: 15_000 }).toBeLessThan(all!);
    expect((await drift.pixelStats()).nonBackground).toBeGreaterThan(500);
    const out = join(screenshotDir, 'DriftView-zoomed.png');
    await drift.screenshot(out);
    await testInfo.attach('DriftView, zoomed in', { path: out, contentType: 'image/png' });
  });
});

test.describe("phy's template dataset", () => {
  test.skip(!hasPhyData, phyDataSkipReason);

  test('DriftView uses template positions (no spike_positions.npy) and draws', async ({ page }, testInfo) => {
    const root = mkdtempSync(join(tmpdir(), 'spikedock-e2e-drift-'));
    const folder = join(root, 'template');
    cpSync(join(phyDataDir, 'template'), folder, { recursive: true });
    const server = await startServer(folder, [], { SPIKEDOCK_USER_DATA: join(root, 'user-data') });
    try {
      const app = new AppPage(page);
      await app.open(server.url);
      const drift = app.driftView;
      await drift.activate();
      await drift.waitState('ready', 90_000);
      await expect.poll(() => drift.depthSource(), { timeout: 30_000 }).toBe('template_positions');
      const out = join(screenshotDir, 'DriftView-phy-template.png');
      await drift.screenshot(out);
      await testInfo.attach("DriftView, phy's template dataset", { path: out, contentType: 'image/png' });
      expect((await drift.pixelStats()).nonBackground).toBeGreaterThan(1000);
      await expect.poll(async () => (await drift.colourRegion(FIRST)).count).toBeGreaterThan(0);
    } finally {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
