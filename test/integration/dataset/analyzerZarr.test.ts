/**
 * A SpikeInterface SortingAnalyzer saved with `format="zarr"` (written by `generate --format
 * analyzer-zarr`) opened the way a user opens it: `spikedock info` prints what it prints for the
 * phy folder of the same seed; the real worker pool serves templates, PC features, amplitudes
 * and spike locations decoded from the store (in memory, SharedArrayBuffer); the serve backend
 * opens it; a curation is saved beside the store, never into it, and comes back on reopen.
 */
import * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftDensity, spikePositionsAttribute } from '../../../src/core/compute/drift';
import { siCurationProblems, type SiCurationModel, type SiUnitId } from '../../../src/core/session/curationFormat';
import { BackendHost } from '../../../src/main/BackendHost';
import { ZARR_STORE, generateDataset } from '../../../src/main/generate/generateDataset';
import { openDataset } from '../../../src/main/openDataset';
import { SessionService } from '../../../src/main/session/SessionService';
import { runCli } from '../../helpers/runCli';
import { generatedComputeFixture, largestClusters, type ComputeFixture } from '../../helpers/computeFixture';

const run = runCli;

describe('spikedock info on a Zarr analyzer', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'spikedock-zarr-info-'));
    expect((await run('generate', join(tmp, 'phy'), '--preset', 'small', '--seed', '3', '--no-raw', '--quiet')).code).toBe(0);
    const gen = await run('generate', join(tmp, 'zarr'), '--preset', 'small', '--seed', '3', '--no-raw', '--quiet', '--format', 'analyzer-zarr');
    expect(gen.code).toBe(0);
    expect(gen.stdout).toMatch(/SpikeInterface analyzer \(zarr, sorting_analyzer\.zarr\), preset small, seed 3/);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('prints the counts, rate, channels and views it prints for the phy folder, and format zarr', async () => {
    const phy = JSON.parse((await run('info', join(tmp, 'phy'), '--json')).stdout) as Record<string, unknown>;
    const an = JSON.parse((await run('info', join(tmp, 'zarr'), '--json')).stdout) as Record<string, unknown>;
    expect(an.format).toBe('analyzer');
    for (const k of ['n_spikes', 'n_clusters', 'n_channels', 'n_shanks', 'sample_rate', 'groups', 'has_templates', 'has_features']) expect([k, an[k]]).toEqual([k, phy[k]]);
    expect(an.analyzer).toMatchObject({ spikeinterface_version: '0.105.0', storage: 'zarr', unit_ids_mapped: false });
    const text = (await run('info', join(tmp, 'zarr', ZARR_STORE))).stdout;
    const phyText = (await run('info', join(tmp, 'phy'))).stdout;
    const row = (t: string, k: string) => t.split('\n').find((l) => l.trimStart().startsWith(k + ' '))?.trim();
    for (const k of ['n_spikes', 'n_clusters', 'n_channels', 'sample_rate', 'groups']) expect(row(text, k)).toBe(row(phyText, k));
    expect(row(text, 'format')).toBe('format            analyzer (SpikeInterface SortingAnalyzer, zarr)');
    expect(row(text, 'available')).toBe('available         templates, features, amplitudes, similarity');
  });

  it('says in one line, naming the store, when it is not an analyzer', async () => {
    const dir = join(tmp, 'plain.zarr');
    fs.mkdirSync(dir);
    fs.writeFileSync(join(dir, '.zgroup'), '{"zarr_format": 2}');
    const r = await run('info', dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${dir}: a Zarr store that is not a SpikeInterface SortingAnalyzer`);
  });
});

describe('the views on a Zarr analyzer (real worker pool)', () => {
  let fx: ComputeFixture;
  beforeAll(async () => {
    fx = await generatedComputeFixture({ preset: 'small', seed: 2, rawSeconds: 5, format: 'analyzer-zarr', stringUnitIds: true });
  });
  afterAll(async () => fx?.dispose());

  it('serves templates, PC features, amplitudes (decoded in memory), raw waveforms, traces and correlograms', async () => {
    const { svc, dataset } = fx;
    expect(dataset.analyzer!.storage).toBe('zarr');
    const ids = largestClusters(fx.labels, 2);
    const t = await svc.templates({ clusterIds: ids });
    expect(t.source).toBe('templates');
    // average.npy exists only in memory (no such file under the store): the worker read the decoded bytes.
    expect(fs.existsSync(dataset.analyzer!.workerFiles.templates!)).toBe(false);
    expect(t.clusters[0].data.some((v) => v !== 0)).toBe(true);
    const f = await svc.features({ clusterIds: ids });
    expect(f.nPcs).toBe(3);
    const sampled = new Set(dataset.features!.spikeIds!);
    expect(f.clusters[0].spikeIds.length).toBeGreaterThan(0);
    expect(Array.from(f.clusters[0].spikeIds).every((s) => sampled.has(s))).toBe(true);
    expect(f.clusters[0].features.some((v) => v !== 0 && !Number.isNaN(v))).toBe(true);
    const a = await svc.amplitudes({ clusterIds: ids, kind: 'template' });
    expect(a.clusters[0].amplitudes[0]).toBe(dataset.amplitudes![a.clusters[0].spikeIds[0]]);
    const w = await svc.waveforms({ clusterIds: [ids[0]], kind: 'waveforms', nSpikes: 10 });
    expect(w.source).toBe('raw');
    const tr = await svc.traces({ t0: 1, t1: 1.01 });
    expect(tr.channelIds.length).toBe(dataset.nChannels);
    expect(await svc.correlograms({ clusterIds: ids })).toBeTruthy();
  });

  it('DriftView takes depths from spike_locations, read by the worker from memory', async () => {
    const { svc, dataset } = fx;
    const r = await svc.drift({ nTimeBins: 100, nDepthBins: 50 });
    expect(r.source).toBe('spike_positions');
    const attr = spikePositionsAttribute(dataset.spikeAttributes)!;
    expect(dataset.analyzer!.memoryFiles!.has(attr.file)).toBe(true);
    const xy = attr.read(Int32Array.from({ length: dataset.nSpikes }, (_, i) => i));
    const y = new Float32Array(dataset.nSpikes);
    for (let i = 0; i < y.length; i++) y[i] = xy[2 * i + 1];
    expect(Array.from(r.counts)).toEqual(Array.from(driftDensity(dataset.spikeTimes, y, dataset.sampleRate, r).counts));
  });
});

describe('the backend of spikedock serve on a Zarr analyzer', () => {
  it('opens it and sums it up for the window', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'spikedock-zarr-host-'));
    const host = new BackendHost({ userDataDir: join(tmp, 'user'), autosaveSeconds: 0 });
    try {
      const dir = join(tmp, 'an');
      await generateDataset(dir, { preset: 'small', seed: 5, raw: false, format: 'analyzer-zarr' });
      const summary = await host.openDataset(join(dir, ZARR_STORE));
      expect(summary).toMatchObject({ format: 'analyzer', path: join(dir, ZARR_STORE), hasRaw: false, hasFeatures: true, nClusters: summary.nTemplates });
      expect(summary.amplitudeKinds).toContain('template');
      expect(summary.spikeAttributes).toEqual(['locations']);
    } finally {
      await host.dispose();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('saving a curation of a Zarr analyzer', () => {
  it('writes the phy files and curation.json beside the store, never into it, and reopens with the curation', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'spikedock-zarr-save-'));
    try {
      const dir = join(tmp, 'an');
      await generateDataset(dir, { preset: 'small', seed: 4, raw: false, format: 'analyzer-zarr', stringUnitIds: true });
      const storeDir = join(dir, ZARR_STORE);
      const storeFiles = () => fs.readdirSync(storeDir, { recursive: true }).map(String).sort();
      const snapshot = () => storeFiles().map((f) => [f, fs.statSync(join(storeDir, f)).isFile() ? fs.readFileSync(join(storeDir, f)).toString('base64') : 'dir']);
      const before = snapshot();
      const beside = fs.readdirSync(dir).sort();
      const ds = await openDataset(dir);
      expect(ds.dir).toBe(dir);
      const s = await SessionService.open(ds, { autosaveSeconds: 0 });
      let merged: number;
      const third = ds.analyzer!.unitIds[2];
      try {
        merged = (await s.merge([0, 1])).added[0];
        await s.label([merged], 'group', 'good');
        await s.save();
      } finally {
        await s.close();
        ds.close();
      }
      expect(snapshot()).toEqual(before);
      expect(fs.readdirSync(dir).filter((f) => !beside.includes(f) && f !== '.spikedock').sort()).toEqual(['cluster_group.tsv', 'cluster_info.tsv', 'curation.json', 'spike_clusters.npy']);
      const curation = JSON.parse(fs.readFileSync(join(dir, 'curation.json'), 'utf8')) as SiCurationModel<SiUnitId>;
      expect(siCurationProblems(curation)).toEqual([]);
      expect(curation.unit_ids).toEqual(ds.analyzer!.unitIds);
      expect(curation.merges).toEqual([{ unit_ids: ds.analyzer!.unitIds.slice(0, 2), new_unit_id: 'merge0' }]);
      // Without the journal, the saved files beside the store give the curation back.
      rmSync(join(dir, '.spikedock'), { recursive: true, force: true });
      const again = await openDataset(storeDir);
      try {
        expect(again.spikeClusters.includes(0)).toBe(false);
        expect(again.spikeClusters.includes(merged)).toBe(true);
        expect(again.clusterGroups.get(merged)).toBe('good');
        expect(again.clusterColumns.find((c) => c.name === 'unit_id')!.values.get(2)).toBe(third);
      } finally {
        again.close();
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
