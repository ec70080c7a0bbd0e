/**
 * The merge preview (issue #13 item 5) in a real browser on a generated `small` dataset, judged
 * by its ground truth: two clusters of an over-split unit selected → CorrelogramView's merged row
 * and the status line say the merge keeps the refractory dip; two different units → it worsens
 * contamination; `g` → the merged cluster is selected and the preview is gone (one cluster).
 * A screenshot of CorrelogramView with the merged row goes to test-results/screenshots.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, screenshotDir } from './fixtures';
import type { GroundTruth } from '../../src/core/generate/groundTruth';

test('merge preview: merged row and status line before g, gone after', async ({ app, datasetFolder }, testInfo) => {
  const gt = JSON.parse(readFileSync(join(datasetFolder, 'ground_truth.json'), 'utf8')) as GroundTruth;
  const overSplit = gt.overSplits.find((o) => o.clusters.length === 2)!.clusters;
  const singles = gt.clusters.filter((c) => c.kind === 'single' && c.units.length === 1 && c.noiseSpikes === 0).sort((a, b) => b.nSpikes - a.nSpikes);
  const twoUnits = [singles[0].id, singles.find((c) => c.units[0].unit !== singles[0].units[0].unit)!.id];
  const view = app.correlogramView;

  await test.step('Given CorrelogramView in front', async () => {
    await view.activate();
  });

  await test.step(`When I select the two clusters of an over-split unit (${overSplit.join(', ')}), then the merged row and the status line say the merge keeps the refractory dip`, async () => {
    await app.snippet(`:c ${overSplit.join(' ')}`);
    await app.expectSelection(overSplit);
    await expect(app.mergePreview()).toContainText(`merge ${overSplit.join('+')}: rp_contamination `);
    await expect(app.mergePreview()).toContainText('keeps the refractory dip');
    await expect(app.mergePreview()).toHaveAttribute('data-verdict', 'keeps');
    await view.waitState('ready');
    await expect.poll(() => view.mergeVerdict()).toBe('keeps the refractory dip');
    expect(await view.mergedReadout()).not.toBeNull();
    // The two clusters' own readouts are still there, and the merged one is not mistaken for one.
    expect(await view.violationReadout()).toHaveLength(2);
    // The default layout's CorrelogramView is too short for the metrics table: the status line has the gist.
    expect((await view.mergeTable()).size).toBe(0);
    await app.viewsSettled();
    mkdirSync(screenshotDir, { recursive: true });
    const png = await view.screenshot(join(screenshotDir, 'CorrelogramView-merge-preview.png'));
    await testInfo.attach('CorrelogramView-merge-preview.png', { body: png, contentType: 'image/png' });
    await app.page.screenshot({ path: join(screenshotDir, 'window-merge-preview.png') });
  });

  await test.step(`When I select two different units (${twoUnits.join(', ')}), then both say the merge worsens contamination`, async () => {
    await app.snippet(`:c ${twoUnits.join(' ')}`);
    await app.expectSelection(twoUnits);
    await expect(app.mergePreview()).toHaveAttribute('data-verdict', 'worsens');
    await expect(app.mergePreview()).toContainText(/— worsens contamination \(0 → 0\.\d+\)$/);
    await expect.poll(() => view.mergeVerdict()).toBe('worsens contamination');
    await app.viewsSettled();
    const png = await view.screenshot(join(screenshotDir, 'CorrelogramView-merge-preview-worsens.png'));
    await testInfo.attach('CorrelogramView-merge-preview-worsens.png', { body: png, contentType: 'image/png' });
    // Maximised, as a curator looks at it closely.
    const stack = app.page.locator('.lm_stack').filter({ has: app.page.locator('.lm_tab', { hasText: 'CorrelogramView' }) });
    await stack.locator('.lm_maximise').click();
    await app.viewsSettled();
    await expect.poll(() => view.mergeVerdict()).toBe('worsens contamination');
    await expect.poll(async () => [...(await view.mergeTable()).keys()]).toEqual(['merged', ...twoUnits.map(String)]);
    const table = await view.mergeTable();
    const count = (k: string, m: string) => Number(table.get(k)![m].replace(/,/g, ''));
    expect(count('merged', 'num_spikes')).toBe(count(String(twoUnits[0]), 'num_spikes') + count(String(twoUnits[1]), 'num_spikes'));
    expect(count('merged', 'rp_violations')).toBeGreaterThan(count(String(twoUnits[0]), 'rp_violations') + count(String(twoUnits[1]), 'rp_violations'));
    for (const m of ['rp_contamination', 'isi_violations_ratio', 'isi_violations_count', 'firing_rate', 'presence_ratio', 'amplitude_cutoff']) expect(table.get('merged')![m]).toMatch(/^[\d.,e+-]+$|^NaN$/);
    const big = await view.screenshot(join(screenshotDir, 'CorrelogramView-merge-preview-maximised.png'));
    await testInfo.attach('CorrelogramView-merge-preview-maximised.png', { body: big, contentType: 'image/png' });
    await stack.locator('.lm_maximise').click();
  });

  await test.step('When I turn the merged row off, then it is gone from the view (the status line stays)', async () => {
    await view.toggleMerged();
    await expect.poll(() => view.mergedReadout()).toBeNull();
    await expect(app.mergePreview()).toHaveCount(1);
    await view.toggleMerged();
    await expect.poll(() => view.mergedReadout()).not.toBeNull();
  });

  await test.step('When I press g on the over-split pair, then the merged cluster is selected and there is no preview for one cluster', async () => {
    await app.snippet(`:c ${overSplit.join(' ')}`);
    await app.expectSelection(overSplit);
    await expect(app.mergePreview()).toHaveAttribute('data-verdict', 'keeps');
    await app.press('g');
    await app.idle();
    await expect.poll(async () => (await app.selection()).length).toBe(1);
    const [merged] = await app.selection();
    expect(merged).toBeGreaterThan(Math.max(...gt.clusters.map((c) => c.id)));
    await expect(app.mergePreview()).toHaveCount(0);
    await view.waitState('ready');
    await expect.poll(() => view.violationReadout()).toHaveLength(1);
    expect(await view.mergedReadout()).toBeNull();
    expect(await view.mergeVerdict()).toBeNull();
  });
});
