/**
 * The two published phy-data datasets (phy-features §3.7), opened through `openDataset` and
 * described by `spikedock info` (text and --json), from copies in temp folders.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/core/dataset/Dataset';
import { clusterSpikeCounts } from '../../../src/core/dataset/datasetInfo';
import { main } from '../../../src/main/cli';
import type { CliIo } from '../../../src/main/commands/types';
import { openDataset, resolveDatasetPath } from '../../../src/main/openDataset';
import { copyPhyData, hasPhyData, phyDataSkipReason } from '../../helpers/phyData';

if (!hasPhyData) console.warn(`skipping phy-data dataset tests: ${phyDataSkipReason}`);

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => '' };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe.skipIf(!hasPhyData)('phy-data template folder', () => {
  let dir = '';
  let ds: Dataset;
  beforeAll(async () => {
    dir = copyPhyData('template');
    ds = await openDataset(dir);
  });
  afterAll(() => ds?.close());

  it('has the published counts', () => {
    expect(ds.format).toBe('template');
    expect(ds.nSpikes).toBe(314);
    expect(ds.nTemplates).toBe(64);
    expect(ds.nChannels).toBe(32);
    expect(new Set(ds.channelShanks).size).toBe(2);
    expect(ds.sampleRate).toBe(25000);
    expect(Array.from(ds.channelMap.subarray(0, 3))).toEqual([7, 9, 11]);
    expect(ds.clusterGroups.get(4)).toBe('good');
    expect(clusterSpikeCounts(ds.spikeClusters).ids.length).toBe(62);
    expect(Array.from(ds.spikeClusters)).toEqual(Array.from(ds.spikeTemplates!));
  });

  it('opens without raw data (sim_binary.dat is absent) and says so', () => {
    expect(ds.raw).toBeNull();
    const d = ds.diagnostics.find((x) => x.code === 'raw.missing')!;
    expect(d.severity).toBe('warning');
    expect(d.message).toMatch(/sim_binary\.dat not found/);
    expect(d.disables).toEqual(['raw', 'waveforms', 'traces']);
    expect(ds.diagnostics.filter((x) => x.severity === 'error' || x.severity === 'fatal')).toEqual([]);
    expect(ds.duration).toBeCloseTo(ds.spikeTimes[313] / 25000, 9);
  });

  it('reads Fortran-order templates, float64 pc_feature_ind and the feature subsets lazily', () => {
    const t = ds.templates!;
    expect([t.nTemplates, t.nSamples, t.nChannelsLoc]).toEqual([64, 82, 32]);
    const tpl = t.getTemplate(4);
    expect(tpl.data.length).toBe(82 * 32);
    expect(tpl.data.some((v) => v !== 0)).toBe(true);
    const f = ds.features!;
    expect([f.nPcs, f.nChannelsLoc]).toEqual([3, 12]);
    const ids = f.spikeIds ? Array.from(f.spikeIds.subarray(0, 5)) : [0, 1, 2, 3, 4];
    const got = f.read(ids);
    expect(got.data.length).toBe(ids.length * 12 * 3);
    expect(Array.from(got.channels).every((c) => c >= 0 && c < 32)).toBe(true);
    const tf = ds.templateFeatures!;
    expect(tf.nChannelsLoc).toBe(16);
    expect(tf.read(tf.spikeIds ? [tf.spikeIds[0]] : [0]).data.length).toBe(16);
    expect(ds.similarTemplates!.length).toBe(64 * 64);
    expect(ds.whiteningMatInv!.length).toBe(32 * 32);
  });

  it('resolves the folder and its params.py alike', () => {
    expect(resolveDatasetPath(dir)).toEqual({ kind: 'template', path: dir, dir });
    expect(resolveDatasetPath(join(dir, 'params.py'))).toEqual({ kind: 'template', path: dir, dir });
  });

  it('spikedock info prints the summary and the diagnostics', async () => {
    const r = await run(['info', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/format\s+template/);
    expect(r.stdout).toMatch(/n_spikes\s+314\n/);
    expect(r.stdout).toMatch(/n_templates\s+64\n/);
    expect(r.stdout).toMatch(/n_channels\s+32 \(2 shanks\)/);
    expect(r.stdout).toMatch(/sample_rate\s+25000 Hz/);
    expect(r.stdout).toMatch(/groups\s+good 1, mua 0, noise 0, unlabelled 61/);
    expect(r.stdout).toMatch(/raw data\s+none \(raw\.missing\)/);
    expect(r.stdout).toMatch(/\n {4}warning \[raw\.missing\] .*sim_binary\.dat/);
  });

  it('spikedock info --json', async () => {
    const r = await run(['info', join(dir, 'params.py'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ format: 'template', n_spikes: 314, n_clusters: 62, n_templates: 64, n_channels: 32, n_shanks: 2, sample_rate: 25000 });
    expect(j.raw.present).toBe(false);
    expect(j.groups).toEqual({ good: 1, mua: 0, noise: 0, unlabelled: 61, other: 0 });
    expect(j.diagnostics.map((d: { code: string }) => d.code)).toEqual(['raw.missing']);
  });
});

describe.skipIf(!hasPhyData)('phy-data kwik file', () => {
  let dir = '';
  let ds: Dataset;
  beforeAll(async () => {
    dir = copyPhyData('kwik');
    ds = await openDataset(join(dir, 'hybrid_10sec.kwik'));
  });
  afterAll(() => ds?.close());

  it('has the published counts', () => {
    expect(ds.format).toBe('kwik');
    expect(ds.nSpikes).toBe(1653);
    expect(ds.nChannels).toBe(32);
    expect(ds.sampleRate).toBe(20000);
    expect(ds.nTemplates).toBe(0);
    expect(ds.templates).toBeNull();
    const { ids } = clusterSpikeCounts(ds.spikeClusters);
    expect(Array.from(ids)).toEqual([0, ...Array.from({ length: 16 }, (_, i) => i + 2)]);
    expect(ds.kwik).toEqual({ channelGroup: 0, channelGroups: [0], clustering: 'main', clusterings: ['main', 'original'] });
    expect([...ds.clusterGroups.values()].every((g) => g === 'unsorted')).toBe(true);
    expect(ds.clusterGroups.size).toBe(17);
    expect(Array.from(ds.channelPositions.subarray(0, 4))).toEqual([35, 310, -34, 300]);
    expect(ds.spikeTimes[0]).toBe(35);
  });

  it('reads features and masks from the .kwx lazily', () => {
    const f = ds.features!;
    expect([f.nChannelsLoc, f.nPcs]).toEqual([32, 3]);
    expect(f.spikeIds).toBeNull();
    const got = f.read([0, 1, 1652]);
    expect(got.data.length).toBe(3 * 32 * 3);
    expect(got.masks!.length).toBe(3 * 32);
    expect(got.data[0]).toBeCloseTo(-179.9919, 3);
    expect(got.masks!.every((m) => m >= 0 && m <= 1)).toBe(true);
    expect(Array.from(got.channels.subarray(0, 3))).toEqual([0, 1, 2]);
  });

  it('opens without raw data (hybrid_10sec.dat is absent) and says so', () => {
    expect(ds.raw).toBeNull();
    const message = ds.diagnostics.find((d) => d.code === 'raw.missing')?.message;
    expect(message).toMatch(/hybrid_10sec\.dat not found/);
    // A Kwik file has no templates: the message must not promise them.
    expect(message).toMatch(/\(features and curation still work\)/);
    expect(message).not.toMatch(/templates/);
  });

  it('opens the other clustering', async () => {
    const other = await openDataset(join(dir, 'hybrid_10sec.kwik'), { clustering: 'original' });
    expect(other.kwik!.clustering).toBe('original');
    expect(other.nSpikes).toBe(1653);
    other.close();
  });

  it('resolves a folder holding one .kwik', () => {
    expect(resolveDatasetPath(dir)).toEqual({ kind: 'kwik', path: join(dir, 'hybrid_10sec.kwik'), dir });
  });

  it('spikedock info prints the summary', async () => {
    const r = await run(['info', join(dir, 'hybrid_10sec.kwik')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/format\s+kwik/);
    expect(r.stdout).toMatch(/n_spikes\s+1653\n/);
    expect(r.stdout).toMatch(/n_clusters\s+17\n/);
    expect(r.stdout).toMatch(/n_channels\s+32 \(1 shank\)/);
    expect(r.stdout).toMatch(/sample_rate\s+20000 Hz/);
    expect(r.stdout).toMatch(/groups\s+good 0, mua 0, noise 0, unlabelled 17/);
    expect(r.stdout).toMatch(/clustering\s+main \(of main, original\)/);
    expect(r.stdout).toMatch(/channel group\s+0 \(the only one\)\n/);
  });

  it('spikedock info --json with --clustering', async () => {
    const r = await run(['info', join(dir, 'hybrid_10sec.kwik'), '--json', '--clustering', 'original', '--channel-group', '0']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ format: 'kwik', n_spikes: 1653, n_channels: 32, sample_rate: 20000, has_features: true });
    expect(j.kwik).toEqual({ channel_group: 0, channel_groups: [0], clustering: 'original', clusterings: ['main', 'original'] });
  });

  it('spikedock info fails in one line for an unknown clustering', async () => {
    const r = await run(['info', join(dir, 'hybrid_10sec.kwik'), '--clustering', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/clustering 'nope' not found \(the file has 'main', 'original'\)/);
  });
});
