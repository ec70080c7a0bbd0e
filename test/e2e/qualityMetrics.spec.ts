/**
 * Live quality metrics in ClusterView (#13): the metric columns fill in as the backend computes
 * them, a filter on a metric filters the rows, sorting works on a metric, and a hidden metric
 * column can be shown from the header's context menu. Screenshot of ClusterView to
 * test-results/screenshots/clusterview-metrics.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, screenshotDir } from './fixtures';

const DEFAULT_SHOWN = ['presence_ratio', 'isi_violations_ratio', 'amplitude_cutoff', 'snr'];

test('ClusterView: metric columns fill in, filter and sort on a metric, show a hidden column', async ({ app }, testInfo) => {
  const cv = app.clusterView;
  const total = await app.clusterCount();

  await test.step('Given the dataset is open, then the default metric columns are shown and fill in', async () => {
    const headers = (await cv.grid.getByRole('columnheader').allTextContents()).map((h) => h.replace(/[▲▼]/g, '').trim());
    for (const name of DEFAULT_SHOWN) expect(headers).toContain(name);
    expect(headers).not.toContain('half_width');
    await expect(cv.grid.getByRole('columnheader', { name: 'snr' })).toHaveAttribute('title', /MAD noise.*compute_snrs/);
    // Every rendered row gets its snr and isi_violations_ratio (numbers), none left "computing".
    await expect.poll(async () => (await cv.column('snr')).filter((v) => !/^-?\d/.test(v)).length, { timeout: 60_000 }).toBe(0);
    expect((await cv.column('isi_violations_ratio')).every((v) => /^\d/.test(v))).toBe(true);
    await expect(cv.grid.locator('.ct-cell.computing')).toHaveCount(0);
  });

  await test.step('When I sort by snr, then the rows are in snr order', async () => {
    await cv.sortBy('snr');
    await expect.poll(async () => (await cv.grid.getByRole('columnheader', { name: /^snr/ }).getAttribute('aria-sort')) ?? '').toMatch(/ascending|descending/);
    const sorting = await cv.grid.getByRole('columnheader', { name: /^snr/ }).getAttribute('aria-sort');
    const values = (await cv.column('snr')).map(Number);
    const sorted = [...values].sort((a, b) => (sorting === 'ascending' ? a - b : b - a));
    expect(values).toEqual(sorted);
  });

  await test.step('When I filter on a metric, then only the clusters that pass are listed', async () => {
    const values = (await cv.column('snr')).map(Number).sort((a, b) => a - b);
    const threshold = values[Math.floor(values.length / 2)];
    await cv.filter(`snr > ${threshold} && isi_violations_ratio >= 0`);
    await expect.poll(async () => (await cv.counts()).shown).toBeLessThan(total);
    const shown = (await cv.column('snr')).map(Number);
    expect(shown.length).toBeGreaterThan(0);
    for (const v of shown) expect(v).toBeGreaterThan(threshold);
    await expect(cv.statusLine).not.toContainText('filter:');
  });

  await test.step('When I show half_width from the header context menu, then its column appears and is filled', async () => {
    await cv.grid.getByRole('columnheader', { name: 'snr' }).click({ button: 'right' });
    const menu = cv.root.getByRole('menu', { name: 'Metric columns' });
    await expect(menu).toBeVisible();
    await menu.getByRole('menuitemcheckbox', { name: 'half_width' }).click();
    await app.page.keyboard.press('Escape');
    await expect(menu).toHaveCount(0);
    await expect(cv.grid.getByRole('columnheader', { name: 'half_width' })).toBeVisible();
    const widths = await cv.column('half_width');
    expect(widths.length).toBeGreaterThan(0);
    expect(widths.every((v) => /^\d/.test(v))).toBe(true);
  });

  await test.step('Then the ClusterView looks right (screenshot)', async () => {
    await cv.filter('');
    await app.viewsSettled();
    mkdirSync(screenshotDir, { recursive: true });
    // The id and group columns, then the metric columns (ClusterView is ~350 px wide: they scroll).
    for (const [name, left] of [['clusterview-metrics', 0], ['clusterview-metrics-scrolled', 10_000]] as const) {
      await cv.grid.locator('.ct-scroll').evaluate((el, x) => (el.scrollLeft = x), left);
      const out = join(screenshotDir, `${name}.png`);
      await cv.root.screenshot({ path: out });
      await testInfo.attach(name, { path: out, contentType: 'image/png' });
    }
  });
});
