/**
 * The clean-up tools (#14) in a real browser on a generated `small` dataset: the amplitude
 * threshold (AmplitudeView alt + right-drag), Remove outliers… and Remove duplicate spikes each
 * show their proposal (status bar summary, the parts in the views), `k` commits it as one split,
 * ctrl+z restores the cluster. A screenshot of each preview goes to test-results/screenshots.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright/test';
import { test, expect, screenshotDir } from './fixtures';
import type { AppPage } from './pages/AppPage';

/** A 1-d .npy column as numbers (little-endian ints and floats: what the generator writes). */
function readNpy(file: string): number[] {
  const b = readFileSync(file);
  const headerLen = b.readUInt16LE(8);
  const header = b.subarray(10, 10 + headerLen).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)![1];
  const data = b.subarray(10 + headerLen);
  const size = Number(descr.slice(2));
  const n = data.length / size;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * size;
    if (descr === '<i8' || descr === '<u8') out.push(Number(data.readBigInt64LE(o)));
    else if (descr === '<i4') out.push(data.readInt32LE(o));
    else if (descr === '<u4') out.push(data.readUInt32LE(o));
    else if (descr === '<f4') out.push(data.readFloatLE(o));
    else if (descr === '<f8') out.push(data.readDoubleLE(o));
    else throw new Error(`${file}: dtype ${descr} not read here`);
  }
  return out;
}

const proposal = (app: AppPage): Locator => app.status.locator('[data-status="proposal"]');

async function shoot(app: AppPage, view: { screenshot(path: string): Promise<Buffer> }, name: string): Promise<void> {
  await app.viewsSettled();
  mkdirSync(screenshotDir, { recursive: true });
  await view.screenshot(join(screenshotDir, name));
}

/** `k` commits the proposal as one split (one more cluster), ctrl+z gives the cluster back. */
async function commitThenUndo(app: AppPage, before: number): Promise<void> {
  await app.press('k');
  await app.idle();
  await expect(proposal(app)).toHaveCount(0);
  await expect.poll(() => app.clusterCount()).toBe(before + 1);
  await app.press('Control+z');
  await app.idle();
  await expect.poll(() => app.clusterCount()).toBe(before);
}

test.describe('clean-up tools', () => {
  let clusters: number[];
  let times: number[];
  let largest: number;

  test.beforeEach(({ datasetFolder }) => {
    clusters = readNpy(join(datasetFolder, 'spike_clusters.npy'));
    times = readNpy(join(datasetFolder, 'spike_times.npy'));
    const counts = new Map<number, number>();
    for (const c of clusters) counts.set(c, (counts.get(c) ?? 0) + 1);
    largest = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)!)[0];
  });

  test('amplitude threshold: alt + right-drag previews the spikes below, k splits, undo restores', async ({ app }) => {
    const before = await app.clusterCount();
    await app.snippet(`:c ${largest}`);
    await app.expectSelection([largest]);
    const view = app.amplitudeView;
    await view.activate();
    await view.waitState('ready');
    await test.step('When I alt + right-drag a line across AmplitudeView, then the spikes below it are proposed as their own part', async () => {
      await view.dragThreshold([0.3, 0.4], [0.5, 0.55]);
      await expect(proposal(app)).toHaveAttribute('data-kind', 'amplitudeThreshold');
      await expect(proposal(app)).toContainText(new RegExp(`^${largest}: [\\d,]+ of [\\d,]+ spikes below [\\d.]+ \\(template amplitude\\) — k accept · esc cancel$`));
      await expect(view.statusLine).toContainText(/threshold [\d.]+ \(k splits\)/);
      await view.waitState('ready');
      await shoot(app, view, 'cleanup-threshold-AmplitudeView.png');
      await shoot(app, app.waveformView, 'cleanup-threshold-WaveformView.png');
    });
    await test.step('When I press k, then the cluster is split in two; ctrl+z brings it back', async () => {
      await commitThenUndo(app, before);
      await app.expectSelection([largest]);
    });
  });

  test('remove outliers: the far spikes previewed (labelled noise), k splits them off, undo restores', async ({ app }) => {
    const before = await app.clusterCount();
    await app.snippet(`:c ${largest}`);
    await app.expectSelection([largest]);
    // 99 % rather than the default 99.9 %: the generator's clusters are nearly Gaussian (2 outliers
    // of 4,366 spikes at 99.9 %), and the screenshot should show the part.
    await app.snippet(':outliers 0.99');
    await expect(proposal(app)).toHaveAttribute('data-kind', 'outliers', { timeout: 60_000 });
    await expect(proposal(app)).toContainText(new RegExp(`^${largest}: [\\d,]+ outliers of [\\d,]+ spikes \\(Mahalanobis D² > 26\\.22, χ² 99 %, 12 dims\\) → noise`));
    await app.featureView.activate();
    await shoot(app, app.featureView, 'cleanup-outliers-FeatureView.png');
    await shoot(app, app.amplitudeView, 'cleanup-outliers-AmplitudeView.png');
    await commitThenUndo(app, before);
  });

  test('remove duplicate spikes: the count beside the ACG, the duplicates previewed, k splits them off, undo restores', async ({ app }) => {
    // A cluster with double detections: ISIs ≤ 6 samples (0.2 ms at 30 kHz).
    const byCluster = new Map<number, number[]>();
    clusters.forEach((c, i) => byCluster.set(c, [...(byCluster.get(c) ?? []), times[i]]));
    const dupOf = (t: number[]) => t.filter((x, i) => i > 0 && x - t[i - 1] <= 6).length;
    const [c, n] = [...byCluster.entries()].map(([id, t]) => [id, dupOf(t)] as const).sort((a, b) => b[1] - a[1])[0];
    expect(n).toBeGreaterThan(0);
    const before = await app.clusterCount();
    await app.snippet(`:c ${c}`);
    await app.expectSelection([c]);
    const view = app.correlogramView;
    await view.activate();
    await view.waitState('ready');
    await expect.poll(() => view.duplicateCounts()).toEqual([n]);
    await shoot(app, view, 'cleanup-duplicates-count-CorrelogramView.png');
    await app.menu('Edit', 'Remove duplicate spikes');
    await expect(proposal(app)).toHaveAttribute('data-kind', 'duplicates');
    await expect(proposal(app)).toContainText(`${c}: ${n} duplicate spikes (≤ 0.2 ms (6 samples) after the previous one)`);
    // The parts' ACGs: keep_first leaves the kept part none (only triplets leave a pair among the duplicates).
    await expect.poll(async () => (await view.duplicateCounts()).reduce((a, b) => a + b, 0)).toBeLessThan(n);
    await shoot(app, view, 'cleanup-duplicates-CorrelogramView.png');
    await commitThenUndo(app, before);
  });
});
