/**
 * A SpikeInterface SortingAnalyzer (written by `generate --format analyzer`) opened the way a
 * user opens it: `spikedock info` prints what it prints for the phy folder of the same seed; the
 * compute stack (real worker pool) serves the views that have their data; a curation is saved
 * beside the analyzer's files and comes back on the next open.
 */
import * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftDensity, spikePositionsAttribute } from '../../../src/core/compute/drift';
import { siCurationProblems, type SiCurationModel, type SiUnitId } from '../../../src/core/session/curationFormat';
import { BackendHost } from '../../../src/main/BackendHost';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { openDataset } from '../../../src/main/openDataset';
import { SessionService } from '../../../src/main/session/SessionService';
import { runCli } from '../../helpers/runCli';
import { generatedComputeFixture, largestClusters, type ComputeFixture } from '../../helpers/computeFixture';

const run = runCli;

describe('spikedock info on an analyzer', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'spikedock-analyzer-info-'));
    const gen = await run('generate', join(tmp, 'phy'), '--preset', 'small', '--seed', '3', '--no-raw', '--quiet');
    expect(gen.code).toBe(0);
    const genA = await run('generate', join(tmp, 'analyzer'), '--preset', 'small', '--seed', '3', '--no-raw', '--quiet', '--format', 'analyzer');
    expect(genA.code).toBe(0);
    expect(genA.stdout).toMatch(/SpikeInterface analyzer \(binary_folder\), preset small, seed 3/);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('prints the counts, rate, channels and views it prints for the phy folder', async () => {
    const phy = JSON.parse((await run('info', join(tmp, 'phy'), '--json')).stdout) as Record<string, unknown>;
    const an = JSON.parse((await run('info', join(tmp, 'analyzer'), '--json')).stdout) as Record<string, unknown>;
    expect(an.format).toBe('analyzer');
    for (const k of ['n_spikes', 'n_clusters', 'n_channels', 'n_shanks', 'sample_rate', 'groups', 'has_templates', 'has_features']) expect([k, an[k]]).toEqual([k, phy[k]]);
    expect(an.duration as number).toBeGreaterThanOrEqual(phy.duration as number);
    expect(an.analyzer).toMatchObject({ spikeinterface_version: '0.105.0', storage: 'binary_folder', unit_ids_mapped: false });
    expect(an.cluster_columns).toEqual(['Amplitude', 'ContamPct', 'KSLabel', 'original_cluster_id', 'num_spikes', 'firing_rate', 'isi_violations_count', 'rp_contamination']);

    const text = (await run('info', join(tmp, 'analyzer'))).stdout;
    const phyText = (await run('info', join(tmp, 'phy'))).stdout;
    const row = (t: string, k: string) => t.split('\n').find((l) => l.trimStart().startsWith(k + ' '))?.trim();
    for (const k of ['n_spikes', 'n_clusters', 'n_channels', 'sample_rate', 'groups']) expect(row(text, k)).toBe(row(phyText, k));
    expect(row(text, 'format')).toMatch(/analyzer \(SpikeInterface SortingAnalyzer, binary_folder\)/);
    expect(row(text, 'available')).toBe('available         templates, features, amplitudes, similarity');
  });

  it("computes SpikeInterface's snr from the templates and noise_levels when there is no recording", async () => {
    const r = await run('metrics', join(tmp, 'analyzer'), '--metrics', 'snr,amplitude_median', '--json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ snr: number; snr_source: string; amplitude_median: number }>;
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      expect(row.snr_source).toBe('templates');
      expect(row.snr).toBeGreaterThan(1);
    }
    // SpikeInterface's amplitudes are signed peak values (mostly negative spikes), so is their median.
    expect(rows.filter((row) => row.amplitude_median < 0).length).toBeGreaterThan(rows.length / 2);
  });

  it('refuses a multi-segment analyzer in one line naming the folder', async () => {
    const dir = join(tmp, 'analyzer');
    const info = join(dir, 'sorting/numpysorting_info.json');
    const before = fs.readFileSync(info, 'utf8');
    try {
      fs.writeFileSync(info, before.replace('"num_segments": 1', '"num_segments": 3'));
      const r = await run('info', dir);
      expect(r.code).toBe(1);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(dir);
      expect(lines[0]).toMatch(/3 segments; spikedock opens single-segment analyzers only/);
    } finally {
      fs.writeFileSync(info, before);
    }
  });
});

describe('the views on an analyzer (real worker pool)', () => {
  let fx: ComputeFixture;
  beforeAll(async () => {
    fx = await generatedComputeFixture({ preset: 'small', seed: 2, rawSeconds: 5, format: 'analyzer', stringUnitIds: true });
  });
  afterAll(async () => fx?.dispose());

  it('serves templates, PC features, amplitudes, raw waveforms, traces and correlograms', async () => {
    const { svc, dataset } = fx;
    expect(dataset.format).toBe('analyzer');
    const ids = largestClusters(fx.labels, 2);
    const t = await svc.templates({ clusterIds: ids });
    expect(t.source).toBe('templates');
    expect(t.clusters[0].data.some((v) => v !== 0)).toBe(true);
    const f = await svc.features({ clusterIds: ids });
    expect(f.nPcs).toBe(3);
    expect(f.clusters[0].spikeIds.length).toBeGreaterThan(0);
    // Only sampled spikes (random_spikes) have features.
    const sampled = new Set(dataset.features!.spikeIds!);
    expect(Array.from(f.clusters[0].spikeIds).every((s) => sampled.has(s))).toBe(true);
    expect(f.clusters[0].features.some((v) => v !== 0 && !Number.isNaN(v))).toBe(true);
    const a = await svc.amplitudes({ clusterIds: ids, kind: 'template' });
    expect(a.clusters[0].amplitudes[0]).toBe(dataset.amplitudes![a.clusters[0].spikeIds[0]]);
    const w = await svc.waveforms({ clusterIds: [ids[0]], kind: 'waveforms', nSpikes: 10 });
    expect(w.source).toBe('raw');
    const tr = await svc.traces({ t0: 1, t1: 1.01 });
    expect(tr.channelIds.length).toBe(dataset.nChannels);
    const cc = await svc.correlograms({ clusterIds: ids });
    expect(cc).toBeTruthy();
  });

  it('DriftView takes depths from spike_locations (read by field in the worker)', async () => {
    const { svc, dataset } = fx;
    const r = await svc.drift({ nTimeBins: 100, nDepthBins: 50 });
    expect(r.source).toBe('spike_positions');
    expect(r.nSpikes).toBe(dataset.nSpikes);
    const attr = spikePositionsAttribute(dataset.spikeAttributes)!;
    expect(attr.name).toBe('locations');
    const all = Int32Array.from({ length: dataset.nSpikes }, (_, i) => i);
    const xy = attr.read(all);
    const y = new Float32Array(dataset.nSpikes);
    for (let i = 0; i < y.length; i++) y[i] = xy[2 * i + 1];
    // The worker read the same depths as the attribute: the same image, bin for bin.
    expect(Array.from(r.counts)).toEqual(Array.from(driftDensity(dataset.spikeTimes, y, dataset.sampleRate, r).counts));
  });
});

describe('the backend of spikedock serve on an analyzer', () => {
  it('opens it and sums it up for the window', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'spikedock-analyzer-host-'));
    const host = new BackendHost({ userDataDir: join(tmp, 'user'), autosaveSeconds: 0 });
    try {
      const dir = join(tmp, 'an');
      await generateDataset(dir, { preset: 'small', seed: 5, raw: false, format: 'analyzer' });
      const summary = await host.openDataset(dir);
      expect(summary).toMatchObject({ format: 'analyzer', path: dir, hasRaw: false, hasFeatures: true, nClusters: summary.nTemplates });
      expect(summary.amplitudeKinds).toContain('template');
      expect(summary.spikeAttributes).toEqual(['locations']);
    } finally {
      await host.dispose();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('saving a curation of an analyzer', () => {
  it('writes the phy files beside the analyzer\'s own, never over them, and reopens with the curation', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'spikedock-analyzer-save-'));
    try {
      const dir = join(tmp, 'an');
      await generateDataset(dir, { preset: 'small', seed: 4, raw: false, format: 'analyzer', stringUnitIds: true });
      const siFiles = () => fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => !f.startsWith('.spikedock')).sort();
      const spikes = fs.readFileSync(join(dir, 'sorting/spikes.npy'));
      const before = siFiles();
      const ds = await openDataset(dir);
      const s = await SessionService.open(ds, { autosaveSeconds: 0 });
      let merged: number;
      const third = ds.analyzer!.unitIds[2];
      try {
        merged = (await s.merge([0, 1])).added[0];
        await s.label([merged], 'group', 'good');
        expect((await s.save()).curationJsonSkipped).toBeUndefined();
      } finally {
        await s.close();
        ds.close();
      }
      expect(fs.readFileSync(join(dir, 'sorting/spikes.npy')).equals(spikes)).toBe(true);
      const added = siFiles().filter((f) => !before.includes(f));
      expect(added).toEqual(['cluster_group.tsv', 'cluster_info.tsv', 'curation.json', 'spike_clusters.npy']);
      // SpikeInterface's curation file names the analyzer's own (string) unit ids.
      const curation = JSON.parse(fs.readFileSync(join(dir, 'curation.json'), 'utf8')) as SiCurationModel<SiUnitId>;
      expect(siCurationProblems(curation)).toEqual([]);
      expect(curation.unit_ids).toEqual(ds.analyzer!.unitIds);
      expect(curation.merges).toEqual([{ unit_ids: ds.analyzer!.unitIds.slice(0, 2), new_unit_id: 'merge0' }]);
      expect(curation.spikedock_cluster_ids).toEqual({ merge0: merged });
      expect(curation.manual_labels.filter((l) => l.labels.quality?.[0] === 'good').map((l) => l.unit_id)).toEqual(expect.arrayContaining(ds.analyzer!.unitIds.slice(0, 2)));
      const info = fs.readFileSync(join(dir, 'cluster_info.tsv'), 'utf8');
      expect(info.split('\n')[0].split('\t')).toContain('unit_id');
      // Without the journal, the saved files alone give the curation back.
      rmSync(join(dir, '.spikedock'), { recursive: true, force: true });
      const again = await openDataset(dir);
      try {
        expect(again.spikeClusters.includes(0)).toBe(false);
        expect(again.spikeClusters.includes(merged)).toBe(true);
        expect(again.clusterGroups.get(merged)).toBe('good');
        expect(again.clusterColumns.find((c) => c.name === 'unit_id')!.values.get(2)).toBe(third);
        // A save over that base cannot state the curation in the sorter's units: the save says why.
        const s2 = await SessionService.open(again, { autosaveSeconds: 0 });
        try {
          await s2.label([2], 'group', 'mua');
          const r = await s2.save();
          expect(r.files.map((f) => f.split('/').pop())).not.toContain('curation.json');
          expect(r.curationJsonSkipped).toBe(`cluster ${merged} of the session's base is no unit of the sorting (a save read back without its journal): the curation cannot be stated against the sorter's units`);
        } finally {
          await s2.close();
        }
      } finally {
        again.close();
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
