/**
 * Curating what the ecosystem writes, end to end in a real browser (issue #15, decision 0012,
 * slice 6): a SpikeInterface analyzer with string unit ids (`generate --format analyzer
 * --string-unit-ids`) and an NWB file (`generate --format nwb`), each served with `spikedock
 * serve <input>`. In each: ClusterView lists the units (the analyzer's original ids in the
 * `unit_id` column), the views the input has data for draw the best/similar pair, then a merge, a
 * lasso split in AmplitudeView, good/mua/noise labels, undo/redo and a save; on disk the phy files
 * are written beside the input (the analyzer's own files and the `.nwb` are byte-for-byte
 * unchanged), `curation.json` speaks the sorting's own unit ids, and a fresh `serve` of the same
 * input shows the curated clusters, and File → Import SpikeInterface curation… applies a
 * colleague's file as an undoable action. The start screen opens each input from its path.
 * Screenshots: `analyzer-open.png`, `nwb-open.png`
 * (test-results/screenshots, or docs/screenshots with `npm run screenshots`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Page } from 'playwright/test';
import { MemoryByteSource } from '../../src/core/formats/ByteSource';
import { readNpy } from '../../src/core/formats/npy';
import { expect, generateDataset, screenshotDir, startServer, test, type Server } from './fixtures';
import { AppPage } from './pages/AppPage';
import type { PlotViewPage } from './pages/PlotViewPage';

interface Input {
  name: 'analyzer' | 'nwb';
  generateArgs: string[];
  /** What `serve` is given: the analyzer folder, or the `.nwb` file. */
  servePath(root: string): string;
  /** The folder the phy files are written to (beside the input). */
  phyDir(root: string): string;
  /** The input's own files, which no save may change. */
  ownFiles(root: string): string[];
  /** Unit id of each cluster id of the sorter (cluster id = unit index for mapped ids). */
  unitIds(root: string): Array<string | number>;
  /** Views the input has data for: each must draw the pair. */
  views: Array<keyof AppPage & ('waveformView' | 'templateView' | 'correlogramView' | 'amplitudeView' | 'featureView' | 'traceView')>;
  /** Views the input lacks the data for: each must say so (state "empty"), not fail. */
  emptyViews: Array<'featureView'>;
  /**
   * How a cluster is split: a lasso in AmplitudeView then `k` (template amplitudes: an analyzer's
   * `spike_amplitudes`), or Edit → Remove duplicate spikes then `k` (spike times only: an NWB
   * file has no per-spike amplitudes, and raw amplitudes cannot be lassoed over all spikes).
   */
  split: 'lasso' | 'duplicates';
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

const INPUTS: Input[] = [
  {
    name: 'analyzer',
    generateArgs: ['--format', 'analyzer', '--string-unit-ids'],
    servePath: (root) => join(root, 'analyzer'),
    phyDir: (root) => join(root, 'analyzer'),
    ownFiles: (root) => filesUnder(join(root, 'analyzer')),
    unitIds: (root) => (JSON.parse(readFileSync(join(root, 'analyzer', 'sorting', 'numpysorting_info.json'), 'utf8')) as { unit_ids: string[] }).unit_ids,
    views: ['waveformView', 'templateView', 'correlogramView', 'amplitudeView', 'featureView', 'traceView'],
    emptyViews: [],
    split: 'lasso',
  },
  {
    name: 'nwb',
    generateArgs: ['--format', 'nwb'],
    servePath: (root) => join(root, 'nwb', 'sorting.nwb'),
    phyDir: (root) => join(root, 'nwb'),
    ownFiles: (root) => [join(root, 'nwb', 'sorting.nwb')],
    // The generated NWB file's `id`s are the phy folder's cluster ids (integers): kept as cluster ids.
    unitIds: () => [],
    views: ['waveformView', 'templateView', 'correlogramView', 'amplitudeView', 'traceView'],
    emptyViews: ['featureView'],
    split: 'duplicates',
  },
];

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function spikeClusters(dir: string): Int32Array {
  const bytes = readFileSync(join(dir, 'spike_clusters.npy'));
  return readNpy(new MemoryByteSource(new Uint8Array(bytes), 'spike_clusters.npy'), { as: 'int32' }).data as Int32Array;
}

function groups(dir: string): Map<number, string> {
  const lines = readFileSync(join(dir, 'cluster_group.tsv'), 'utf8').trim().split('\n').slice(1);
  return new Map(lines.map((l) => l.split('\t')).map(([id, g]) => [Number(id), g]));
}

function countOf(a: Int32Array, id: number): number {
  let n = 0;
  for (const v of a) if (v === id) n++;
  return n;
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** Opens a served URL in a page that records uncaught errors. */
async function openApp(page: Page, server: Server): Promise<AppPage> {
  const app = new AppPage(page);
  await app.open(server.url);
  return app;
}

for (const input of INPUTS) {
  test(`${input.name}: open, views, merge, split, label, undo/redo, save beside the input, curation.json in unit ids, reopen`, async ({ page }, testInfo) => {
    testInfo.setTimeout(300_000);
    const root = mkdtempSync(join(tmpdir(), `spikedock-e2e-${input.name}-`));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    let server: Server | null = null;
    try {
      generateDataset(join(root, input.name), 'small', input.generateArgs);
      const hashes = new Map(input.ownFiles(root).map((f) => [f, sha256(f)]));
      const generated = new Set(filesUnder(input.phyDir(root)));
      const unitIds = input.unitIds(root);
      const unitOf = (clusterId: number): string | number => (unitIds.length ? unitIds[clusterId] : clusterId);
      server = await startServer(input.servePath(root), [], { SPIKEDOCK_USER_DATA: join(root, 'user-data') });
      const app = await openApp(page, server);
      const total = await app.clusterCount();

      await test.step('Given the input is open, then ClusterView lists its units (with their own ids for an analyzer)', async () => {
        expect(total).toBe(28);
        const ids = await app.clusterView.visibleIds();
        expect(ids.length).toBeGreaterThan(5);
        if (unitIds.length) {
          const shown = await app.clusterView.column('unit_id');
          expect(shown).toEqual(ids.map((id) => String(unitOf(id))));
          expect(shown.every((u) => /^u\d+$/.test(u))).toBe(true);
        }
      });

      let best = -1;
      let similar = -1;
      await test.step('When I press space, then the views the input has data for draw the best/similar pair', async () => {
        await app.press('Space');
        await expect.poll(async () => (await app.selection()).length).toBe(2);
        [best, similar] = await app.selection();
        for (const name of input.views) {
          const view = app[name] as PlotViewPage;
          await view.activate();
          await view.waitState('ready');
          const stats = await view.pixelStats();
          expect(stats.nonBackground, `${view.type} draws the pair`).toBeGreaterThan(500);
        }
        for (const name of input.emptyViews) {
          const view = app[name] as PlotViewPage;
          await view.activate();
          await view.waitState('empty');
          await expect(view.placeholder).toBeVisible();
        }
        await app.waveformView.activate();
        await app.viewsSettled();
        await shoot(page, `${input.name}-open`);
      });

      let merged = -1;
      await test.step('When I press g, then the pair is merged into a new cluster', async () => {
        await app.press('g');
        await app.idle();
        await expect.poll(() => app.clusterCount()).toBe(total - 1);
        await expect.poll(async () => (await app.selection()).length).toBe(1);
        [merged] = await app.selection();
        expect(merged).toBeGreaterThanOrEqual(total);
      });

      const labelled: Record<'good' | 'mua' | 'noise', number> = { good: -1, mua: -1, noise: -1 };
      await test.step('When I press alt+g, alt+m, alt+n, then three clusters get good, mua and noise (the wizard moves on after each)', async () => {
        for (const [key, group] of [['Alt+g', 'good'], ['Alt+m', 'mua'], ['Alt+n', 'noise']] as const) {
          const [current] = await app.selection();
          await app.press(key);
          await app.idle();
          await expect(app.clusterView.row(current)).toHaveAttribute('data-group', group);
          await expect.poll(async () => (await app.selection())[0]).not.toBe(current);
          labelled[group] = current;
        }
        expect(labelled.good).toBe(merged);
      });

      let splitFrom = -1;
      await test.step(`When I split a cluster (${input.split === 'lasso' ? 'a lasso over the middle of the recording in AmplitudeView' : 'Edit → Remove duplicate spikes'}) and press k, then it is split in two`, async () => {
        if (input.split === 'lasso') {
          [splitFrom] = await app.selection();
          const view = app.amplitudeView;
          await view.activate();
          await view.waitState('ready');
          await view.lasso([
            [0.2, 0.01],
            [0.5, 0.01],
            [0.5, 0.99],
            [0.2, 0.99],
          ]);
          await view.split();
        } else {
          // The generator's multi-unit cluster: several units firing independently leave spikes ≤ 0.2 ms apart.
          const truth = JSON.parse(readFileSync(join(root, input.name, 'ground_truth.json'), 'utf8')) as { mua: Array<{ cluster: number }> };
          splitFrom = truth.mua[0].cluster;
          await app.snippet(`:c ${splitFrom}`);
          await app.expectSelection([splitFrom]);
          const view = app.correlogramView;
          await view.activate();
          await view.waitState('ready');
          await expect.poll(async () => (await view.duplicateCounts())[0] ?? 0).toBeGreaterThan(0);
          await app.menu('Edit', 'Remove duplicate spikes');
          await expect(app.status.locator('[data-status="proposal"]')).toHaveAttribute('data-kind', 'duplicates');
          await app.press('k');
        }
        await app.idle();
        await expect.poll(() => app.clusterCount()).toBe(total);
        await expect(app.lastAction()).toContainText('plit');
        expect([merged, labelled.mua, labelled.noise]).not.toContain(splitFrom);
      });

      await test.step('When I undo the split and the noise label, then both are gone; redo brings both back', async () => {
        await app.press('Control+z');
        await app.idle();
        await expect.poll(() => app.clusterCount()).toBe(total - 1);
        await app.press('Control+z');
        await app.idle();
        await expect(app.clusterView.row(labelled.noise)).not.toHaveAttribute('data-group', 'noise');
        await app.press('Control+Shift+z');
        await app.idle();
        await expect(app.clusterView.row(labelled.noise)).toHaveAttribute('data-group', 'noise');
        await app.press('Control+y');
        await app.idle();
        await expect.poll(() => app.clusterCount()).toBe(total);
      });

      await test.step('When I press ctrl+s, then the save says what it wrote and the window is clean', async () => {
        await app.press('Control+s');
        await app.idle();
        await expect(app.dirty()).toHaveAttribute('data-dirty', 'false', { timeout: 30_000 });
        await expect(app.toasts().filter({ hasText: 'curation.json' })).toBeVisible();
      });

      const dir = input.phyDir(root);
      let after: Int32Array = new Int32Array(0);
      await test.step('Then the phy files are beside the input, and the input itself is unchanged', async () => {
        for (const f of ['spike_clusters.npy', 'cluster_group.tsv', 'cluster_info.tsv', 'curation.json']) expect(existsSync(join(dir, f)), f).toBe(true);
        for (const [f, h] of hashes) expect(sha256(f), `${relative(root, f)} is unchanged`).toBe(h);
        const added = filesUnder(dir).filter((f) => !generated.has(f) && !f.startsWith(join(dir, '.spikedock')));
        // Only phy's own file names at the top of the folder: nothing inside the analyzer's sub-folders.
        for (const f of added) expect(relative(dir, f), 'written beside the input, not into its sub-folders').toMatch(/^(spike_clusters\.npy|cluster_[a-z_]+\.tsv|curation\.json)$/);
        after = spikeClusters(dir);
        const g = groups(dir);
        expect(g.get(merged)).toBe('good');
        expect(g.get(labelled.mua)).toBe('mua');
        expect(g.get(labelled.noise)).toBe('noise');
        expect(countOf(after, best) + countOf(after, similar) + countOf(after, splitFrom)).toBe(0);
        expect(new Set(after).size).toBe(total);
      });

      await test.step('Then curation.json names the sorting\'s own unit ids (strings for the analyzer)', async () => {
        const cj = JSON.parse(readFileSync(join(dir, 'curation.json'), 'utf8')) as {
          format_version: string;
          unit_ids: Array<string | number>;
          merges: Array<{ unit_ids: Array<string | number>; new_unit_id: string | number }>;
          splits: Array<{ unit_id: string | number; indices: number[][]; new_unit_ids: Array<string | number> }>;
          manual_labels: Array<{ unit_id: string | number; labels: Record<string, string[]> }>;
        };
        expect(cj.format_version).toBe('2');
        if (unitIds.length) expect(cj.unit_ids).toEqual(unitIds);
        expect(cj.merges.map((m) => [...m.unit_ids].sort())).toEqual([[unitOf(best), unitOf(similar)].sort()]);
        const splitUnit = splitFrom === merged ? null : unitOf(splitFrom);
        if (splitUnit !== null) {
          expect(cj.splits.map((s) => s.unit_id)).toEqual([splitUnit]);
          expect(cj.splits[0].indices.flat().length).toBeGreaterThan(0);
        }
        const quality = new Map(cj.manual_labels.filter((l) => l.labels.quality).map((l) => [l.unit_id, l.labels.quality[0]]));
        // SpikeInterface labels the units a curation starts from: the merged pair's units are good.
        expect(quality.get(unitOf(best))).toBe('good');
        expect(quality.get(unitOf(similar))).toBe('good');
        expect(quality.get(unitOf(labelled.mua))).toBe('mua');
        expect(quality.get(unitOf(labelled.noise))).toBe('noise');
        if (unitIds.length) for (const u of [...cj.manual_labels.map((l) => l.unit_id), ...cj.merges.flatMap((m) => [...m.unit_ids, m.new_unit_id])]) expect(typeof u).toBe('string');
      });

      await test.step('When the input is served again, then the window shows the curated clusters', async () => {
        await server!.stop();
        server = await startServer(input.servePath(root), [], { SPIKEDOCK_USER_DATA: join(root, 'user-data') });
        await app.open(server.url);
        await expect.poll(() => app.clusterCount()).toBe(total);
        await app.snippet(`:c ${merged}`);
        await app.expectSelection([merged]);
        await expect(app.clusterView.row(merged)).toHaveAttribute('data-group', 'good');
        await expect(app.dirty()).toHaveAttribute('data-dirty', 'false');
      });

      await test.step('When I import a SpikeInterface curation (File menu) naming a unit and a merged-away unit, then the label is applied, the other skipped with the reason, and ctrl+z undoes it', async () => {
        const file = join(root, 'colleague-curation.json');
        const target = labelled.mua;
        writeFileSync(
          file,
          JSON.stringify({
            format_version: '2',
            unit_ids: [unitOf(target), unitOf(best)],
            label_definitions: { quality: { label_options: ['good', 'mua', 'noise'], exclusive: true } },
            manual_labels: [
              { unit_id: unitOf(target), labels: { quality: ['noise'] } },
              { unit_id: unitOf(best), labels: { quality: ['good'] } },
            ],
          }),
        );
        await app.menu('File', 'Import SpikeInterface curation…');
        const prompt = page.getByRole('dialog', { name: /Import a SpikeInterface curation/ });
        await expect(prompt.getByRole('textbox')).toHaveValue(join(dir, 'curation.json'));
        await prompt.getByRole('textbox').fill(file);
        await prompt.getByRole('textbox').press('Enter');
        await app.idle();
        const toast = app.toasts().filter({ hasText: 'applied from' });
        await expect(toast).toContainText(`1 action applied from ${file}`);
        await expect(toast).toContainText(`1 skipped: manual_labels[1]: unit ${JSON.stringify(unitOf(best))} is no cluster of this dataset; skipped`);
        await expect(app.clusterView.row(target)).toHaveAttribute('data-group', 'noise');
        await app.press('Control+z');
        await app.idle();
        await expect(app.clusterView.row(target)).toHaveAttribute('data-group', 'mua');
      });
      expect(errors, 'uncaught errors in the page').toEqual([]);
    } finally {
      await server?.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
}

test('the start screen opens an analyzer folder, a .nwb file and a folder holding one .nwb', async ({ page }) => {
  const root = mkdtempSync(join(tmpdir(), 'spikedock-e2e-start-'));
  try {
    generateDataset(join(root, 'analyzer'), 'small', ['--format', 'analyzer', '--no-raw']);
    generateDataset(join(root, 'nwb'), 'small', ['--format', 'nwb', '--no-raw']);
    for (const path of [join(root, 'analyzer'), join(root, 'nwb', 'sorting.nwb'), join(root, 'nwb')]) {
      await test.step(`When I type ${relative(root, path)} on the start screen and press Open, then its 28 units are listed`, async () => {
        const server = await startServer(null, [], { SPIKEDOCK_USER_DATA: join(root, 'user-data') });
        try {
          await page.goto(server.url);
          const start = page.locator('[data-view="StartScreen"]');
          await expect(start).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
          await start.getByRole('textbox', { name: 'Dataset path' }).fill(path);
          await start.getByRole('button', { name: 'Open' }).click();
          const app = new AppPage(page);
          await app.clusterView.expectReady();
          await expect.poll(() => app.clusterCount()).toBe(28);
        } finally {
          await server.stop();
        }
      });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
