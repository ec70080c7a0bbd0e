/**
 * ClusterScatterView's phy bindings and colour schemes in a real browser: `:csx n_spikes` puts
 * n_spikes on x (axis title and status line), a non-numeric column is refused with a toast,
 * the lasso still selects under the new binding, and shift+wheel cycles the colour scheme.
 */
import { test, expect } from './fixtures';

test('ClusterScatterView: :csx binds x to a column, shift+wheel cycles the colour scheme', async ({ app }, testInfo) => {
  const scatter = app.clusterScatterView;

  await test.step('Given ClusterScatterView in front, then its axes are amp and depth (phy defaults)', async () => {
    await scatter.activate();
    await scatter.waitState('ready');
    await expect(scatter.statusLine).toContainText('x: amp, y: depth, size: fr (log); colours: random');
    await expect.poll(() => scatter.axisTitles()).toEqual(expect.arrayContaining(['amp', 'depth']));
  });

  await test.step('When I type :csx n_spikes, then x is n_spikes', async () => {
    await app.snippet(':csx n_spikes');
    await expect(scatter.statusLine).toContainText('x: n_spikes, y: depth');
    await expect.poll(() => scatter.axisTitles()).toEqual(expect.arrayContaining(['n_spikes', 'depth']));
  });

  await test.step('When I type :csy group, then a toast says it is not numeric and y stays depth', async () => {
    await app.snippet(':csy group');
    await expect(app.toasts().filter({ hasText: "'group' is not a numeric column" })).toHaveCount(1);
    await expect(scatter.statusLine).toContainText('x: n_spikes, y: depth');
  });

  await test.step('When I lasso the whole plot under the new binding, then every cluster is selected', async () => {
    const total = await app.clusterCount();
    await scatter.lassoSelectAll();
    await expect.poll(async () => (await app.selection()).length).toBe(total);
    await app.snippet(':c 2');
    await app.expectSelection([2]);
  });

  await test.step('When I shift+wheel over the plot, then the colour scheme moves to group, then depth', async () => {
    await scatter.nextColourScheme();
    expect(await scatter.colourScheme()).toBe('group');
    await scatter.nextColourScheme();
    expect(await scatter.colourScheme()).toBe('depth');
    const out = testInfo.outputPath('ClusterScatterView-depth-scheme.png');
    await scatter.screenshot(out);
    await testInfo.attach('ClusterScatterView, colour scheme depth', { path: out, contentType: 'image/png' });
  });
});
