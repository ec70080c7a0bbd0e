/**
 * An NWB file (written by `generate --format nwb`) opened the way a user opens it: `spikedock
 * info` prints what it prints for the phy folder of the same seed; the compute stack (real worker
 * pool, which reads the ElectricalSeries through h5wasm itself) serves the views that have their
 * data; a curation is saved beside the .nwb and comes back on the next open.
 */
import * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendHost } from '../../../src/main/BackendHost';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { openDataset } from '../../../src/main/openDataset';
import { SessionService } from '../../../src/main/session/SessionService';
import { runCli } from '../../helpers/runCli';
import { generatedComputeFixture, largestClusters, type ComputeFixture } from '../../helpers/computeFixture';

const run = runCli;

describe('spikedock info on an NWB file', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'spikedock-nwb-info-'));
    expect((await run('generate', join(tmp, 'phy'), '--preset', 'small', '--seed', '3', '--raw-seconds', '2', '--quiet')).code).toBe(0);
    const gen = await run('generate', join(tmp, 'nwb'), '--preset', 'small', '--seed', '3', '--raw-seconds', '2', '--quiet', '--format', 'nwb');
    expect(gen.code).toBe(0);
    expect(gen.stdout).toMatch(/NWB file \(sorting\.nwb\), preset small, seed 3/);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('prints the counts, rate, channels and groups it prints for the phy folder', async () => {
    const phy = JSON.parse((await run('info', join(tmp, 'phy'), '--json')).stdout) as Record<string, unknown>;
    const nwb = JSON.parse((await run('info', join(tmp, 'nwb', 'sorting.nwb'), '--json')).stdout) as Record<string, unknown>;
    expect(nwb.format).toBe('nwb');
    for (const k of ['n_spikes', 'n_clusters', 'n_channels', 'n_shanks', 'sample_rate', 'duration', 'groups', 'has_templates']) expect([k, nwb[k]]).toEqual([k, phy[k]]);
    expect(nwb.nwb).toMatchObject({ nwb_version: '2.7.0', units: '/units', electrical_series: '/acquisition/ElectricalSeries', rate_source: 'rate', unit_ids_mapped: false });
    expect((nwb.raw as { present: boolean }).present).toBe(true);
    expect(nwb.cluster_columns).toEqual(['KSLabel', 'ContamPct', 'Amplitude', 'firing_rate', 'isi_violations_count']);

    // The folder holding it opens it too.
    const text = (await run('info', join(tmp, 'nwb'))).stdout;
    const phyText = (await run('info', join(tmp, 'phy'))).stdout;
    const row = (t: string, k: string) => t.split('\n').find((l) => l.trimStart().startsWith(k + ' '))?.trim().replace(/\s+/g, ' ');
    for (const k of ['n_spikes', 'n_clusters', 'n_channels', 'sample_rate', 'groups']) expect(row(text, k)).toBe(row(phyText, k));
    expect(row(text, 'format')).toBe('format nwb (NWB 2.x HDF5, Units table)');
    expect(row(text, 'nwb')).toBe('nwb 2.7.0; units /units; raw /acquisition/ElectricalSeries (rate from rate)');
  });

  it('refuses a file that is not HDF5 in one line naming it', async () => {
    const bad = join(tmp, 'bad.nwb');
    fs.writeFileSync(bad, 'not an HDF5 file');
    const r = await run('info', bad);
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(bad);
  });
});

describe('the views on an NWB file (real worker pool)', () => {
  let fx: ComputeFixture;
  beforeAll(async () => {
    fx = await generatedComputeFixture({ preset: 'small', seed: 2, rawSeconds: 5, format: 'nwb' });
  });
  afterAll(async () => fx?.dispose());

  it('serves templates, raw waveforms and traces (read by the workers through h5wasm), amplitudes and correlograms', async () => {
    const { svc, dataset } = fx;
    expect(dataset.format).toBe('nwb');
    const ids = largestClusters(fx.labels, 2);
    const t = await svc.templates({ clusterIds: ids });
    expect(t.source).toBe('templates');
    expect(t.clusters[0].data.some((v) => v !== 0)).toBe(true);
    const w = await svc.waveforms({ clusterIds: [ids[0]], kind: 'waveforms', nSpikes: 10, filter: false });
    expect(w.source).toBe('raw');
    expect(w.unit).toBe('µV');
    const c = w.clusters[0];
    expect(c.spikeIds.length).toBeGreaterThan(0);
    expect(c.data.some((v) => v !== 0)).toBe(true);
    // The traces the workers read equal the samples main reads through its own HDF5 handle.
    const tr = await svc.traces({ t0: 1, t1: 1.01, filter: false });
    expect(tr.channelIds.length).toBe(dataset.nChannels);
    expect(tr.mode).toBe('samples');
    const s0 = Math.floor(1 * dataset.sampleRate);
    const direct = dataset.raw!.read(s0, s0 + tr.nTimes, dataset.channelMap);
    // Unfiltered traces are shown less each channel's median: the same samples up to one offset per channel.
    const nCh = dataset.nChannels;
    for (let ch = 0; ch < 4; ch++) {
      const offset = tr.data[ch] - direct[ch] * dataset.raw!.gain;
      for (let s = 1; s < tr.nTimes; s++) expect(tr.data[s * nCh + ch] - direct[s * nCh + ch] * dataset.raw!.gain).toBeCloseTo(offset, 3);
    }
    const a = await svc.amplitudes({ clusterIds: ids, kind: 'raw', nSpikes: 50 });
    expect(a.clusters[0].spikeIds.length).toBeGreaterThan(0);
    const cc = await svc.correlograms({ clusterIds: ids });
    expect(cc).toBeTruthy();
    const f = await svc.features({ clusterIds: ids });
    expect(f.clusters.every((x) => x.spikeIds.length === 0)).toBe(true);
  });
});

describe('the backend of spikedock serve on an NWB file', () => {
  it('opens it, sums it up for the window, and its assistant worker (which opens the file itself) computes the metrics and suggestions', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'spikedock-nwb-host-'));
    const host = new BackendHost({ userDataDir: join(tmp, 'user'), autosaveSeconds: 0 });
    try {
      const dir = join(tmp, 'nwb');
      await generateDataset(dir, { preset: 'small', seed: 5, rawSeconds: 1, format: 'nwb' });
      const summary = await host.openDataset(join(dir, 'sorting.nwb'));
      expect(summary).toMatchObject({ format: 'nwb', path: join(dir, 'sorting.nwb'), hasRaw: true, hasFeatures: false, nClusters: summary.nTemplates });
      const o = host.current!;
      await o.quality.idle();
      await o.suggestions.whenReady();
      const done = o.quality.snapshot();
      expect(done.computed).toBe(done.total);
      expect(done.rows.filter((r) => typeof r.snr === 'number').length).toBeGreaterThan(done.total / 2);
    } finally {
      await host.dispose();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('saving a curation of an NWB file', () => {
  it('writes the phy files beside the .nwb, never into it, and reopens with the curation', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'spikedock-nwb-save-'));
    try {
      const dir = join(tmp, 'nwb');
      await generateDataset(dir, { preset: 'small', seed: 4, raw: false, format: 'nwb' });
      const file = join(dir, 'sorting.nwb');
      const bytes = fs.readFileSync(file);
      const before = fs.readdirSync(dir).sort();
      const ds = await openDataset(file);
      const s = await SessionService.open(ds, { autosaveSeconds: 0 });
      let merged: number;
      const [a, b] = ds.nwb!.unitIds;
      try {
        merged = (await s.merge([a, b])).added[0];
        await s.label([merged], 'group', 'good');
        await s.save();
      } finally {
        await s.close();
        ds.close();
      }
      expect(fs.readFileSync(file).equals(bytes)).toBe(true);
      const added = fs.readdirSync(dir).filter((f) => !before.includes(f) && f !== '.spikedock').sort();
      expect(added).toEqual(['cluster_group.tsv', 'cluster_info.tsv', 'curation.json', 'spike_clusters.npy']);
      // Without the journal, the saved files alone give the curation back.
      rmSync(join(dir, '.spikedock'), { recursive: true, force: true });
      const again = await openDataset(dir);
      try {
        expect(again.spikeClusters.includes(a)).toBe(false);
        expect(again.spikeClusters.includes(merged)).toBe(true);
        expect(again.clusterGroups.get(merged)).toBe('good');
      } finally {
        again.close();
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
