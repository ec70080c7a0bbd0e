import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryByteSource } from '../../../src/core/formats/ByteSource';
import { NpyFile, type NpyDtype } from '../../../src/core/formats/npy';
import { parseParams } from '../../../src/core/formats/params';
import { parseClusterTable } from '../../../src/core/formats/tsv';
import type { GroundTruth } from '../../../src/core/generate/groundTruth';
import { generateDataset, type GenerateSummary } from '../../../src/main/generate/generateDataset';
import { command } from '../../../src/main/commands/generate';
import { UserError } from '../../../src/main/commands/types';
import { openDataset } from '../../../src/main/openDataset';

let root: string;
let dir: string;
let summary: GenerateSummary;
const progress: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'spikedock-generate-'));
  dir = path.join(root, 'small');
  summary = await generateDataset(dir, { preset: 'small', seed: 5, onProgress: (m) => progress.push(m) });
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function npy(name: string): NpyFile {
  const file = path.join(dir, name);
  return NpyFile.open(new MemoryByteSource(new Uint8Array(readFileSync(file)), file));
}

function expectNpy(name: string, dtype: NpyDtype, shape: number[]): NpyFile {
  const f = npy(name);
  expect({ name, dtype: f.header.dtype, shape: f.header.shape, fortran: f.header.fortranOrder }).toEqual({ name, dtype, shape, fortran: false });
  return f;
}

describe('generateDataset (small)', () => {
  it('writes every file of a phy template folder, with ground truth and raw data', () => {
    expect(summary.files).toEqual([...readdirSync(dir)].sort());
    expect(summary.files).toEqual(
      [
        'amplitudes.npy',
        'channel_map.npy',
        'channel_positions.npy',
        'channel_shanks.npy',
        'cluster_Amplitude.tsv',
        'cluster_ContamPct.tsv',
        'cluster_KSLabel.tsv',
        'cluster_group.tsv',
        'ground_truth.json',
        'ground_truth_units.npy',
        'params.py',
        'pc_feature_ind.npy',
        'pc_features.npy',
        'recording.dat',
        'similar_templates.npy',
        'spike_clusters.npy',
        'spike_positions.npy',
        'spike_templates.npy',
        'spike_times.npy',
        'template_feature_ind.npy',
        'template_features.npy',
        'templates.npy',
        'whitening_mat.npy',
        'whitening_mat_inv.npy',
      ].sort(),
    );
    expect(summary.preset).toBe('small');
    expect(summary.seed).toBe(5);
    expect(summary.nChannels).toBe(32);
    expect(summary.nChannelsDat).toBe(34);
    expect(summary.duration).toBe(60);
    expect(summary.rawSeconds).toBe(60);
    expect(summary.nSpikes).toBeGreaterThan(30_000);
    expect(summary.nSpikes).toBeLessThan(60_000);
    expect(summary.nClusters).toBeGreaterThanOrEqual(20);
    expect(summary.nClusters).toBeLessThanOrEqual(30);
    expect(progress.length).toBeGreaterThan(3);
  });

  it('every .npy reads back with consistent shapes and dtypes', () => {
    const n = summary.nSpikes;
    const nT = summary.nTemplates;
    const nC = summary.nChannels;
    const times = expectNpy('spike_times.npy', 'uint64', [n]).read();
    let unsorted = 0;
    for (let i = 1; i < n; i++) if (times[i] < times[i - 1]) unsorted++;
    expect(unsorted).toBe(0);
    const templates = expectNpy('spike_templates.npy', 'uint32', [n]).read();
    const clusters = expectNpy('spike_clusters.npy', 'int32', [n]).read();
    expectNpy('amplitudes.npy', 'float32', [n]);
    const gtUnits = expectNpy('ground_truth_units.npy', 'int32', [n]).read();
    expectNpy('templates.npy', 'float32', [nT, 82, nC]);
    expectNpy('whitening_mat.npy', 'float64', [nC, nC]);
    expectNpy('whitening_mat_inv.npy', 'float64', [nC, nC]);
    expectNpy('similar_templates.npy', 'float32', [nT, nT]);
    expectNpy('pc_features.npy', 'float32', [n, 3, 32]);
    const pcInd = expectNpy('pc_feature_ind.npy', 'uint32', [nT, 32]).read();
    expectNpy('template_features.npy', 'float32', [n, 16]);
    const tfInd = expectNpy('template_feature_ind.npy', 'uint32', [nT, 16]).read();
    const map = expectNpy('channel_map.npy', 'int32', [nC]).read();
    expectNpy('channel_positions.npy', 'float32', [nC, 2]);
    const shanks = expectNpy('channel_shanks.npy', 'int32', [nC]).read();
    expectNpy('spike_positions.npy', 'float32', [n, 2]);

    expect(Math.max(...templates)).toBeLessThan(nT);
    expect(Math.max(...pcInd)).toBeLessThan(nC);
    expect(Math.max(...tfInd)).toBeLessThan(nT);
    expect(new Set(map).size).toBe(nC);
    expect(Math.max(...map)).toBeLessThan(summary.nChannelsDat);
    expect(new Set(shanks)).toEqual(new Set([0, 1]));
    expect(new Set(clusters).size).toBe(summary.nClusters);
    expect(Math.min(...gtUnits)).toBe(-1);

    // whitening_mat × whitening_mat_inv = identity.
    const w = npy('whitening_mat.npy').read();
    const wi = npy('whitening_mat_inv.npy').read();
    for (let i = 0; i < nC; i++) {
      for (let j = 0; j < nC; j++) {
        let s = 0;
        for (let k = 0; k < nC; k++) s += w[i * nC + k] * wi[k * nC + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
    // Templates are dense with zeros away from the unit.
    const t0 = npy('templates.npy').readRows(0, 1);
    let zeros = 0;
    for (const v of t0) if (v === 0) zeros++;
    expect(zeros).toBeGreaterThan(0);
  });

  it('params.py points to the raw file, whose size matches', () => {
    const params = parseParams(readFileSync(path.join(dir, 'params.py'), 'utf8'), 'params.py');
    expect(params).toEqual({ dat_path: 'recording.dat', n_channels_dat: 34, dtype: 'int16', offset: 0, sample_rate: 30000, hp_filtered: false });
    expect(statSync(path.join(dir, 'recording.dat')).size).toBe(60 * 30000 * 34 * 2);
  });

  it('cluster tables cover every cluster; cluster_group labels only a few', () => {
    const clusters = new Set(npy('spike_clusters.npy').read());
    for (const [file, field] of [
      ['cluster_KSLabel.tsv', 'KSLabel'],
      ['cluster_ContamPct.tsv', 'ContamPct'],
      ['cluster_Amplitude.tsv', 'Amplitude'],
    ] as const) {
      const t = parseClusterTable(readFileSync(path.join(dir, file), 'utf8'), file);
      expect(new Set(t.fields.get(field)!.keys())).toEqual(clusters);
    }
    const labels = parseClusterTable(readFileSync(path.join(dir, 'cluster_KSLabel.tsv'), 'utf8'), 'KSLabel').fields.get('KSLabel')!;
    expect(new Set(labels.values())).toEqual(new Set(['good', 'mua']));
    const groups = parseClusterTable(readFileSync(path.join(dir, 'cluster_group.tsv'), 'utf8'), 'group').fields.get('group')!;
    expect(groups.size).toBeGreaterThanOrEqual(3);
    expect(groups.size).toBeLessThan(clusters.size / 3);
    for (const id of groups.keys()) expect(clusters.has(id)).toBe(true);
  });

  it('ground truth agrees with the written spikes', () => {
    const gt = JSON.parse(readFileSync(path.join(dir, 'ground_truth.json'), 'utf8')) as GroundTruth;
    expect(gt.preset).toBe('small');
    expect(gt.seed).toBe(5);
    expect(gt.version).toBeGreaterThanOrEqual(1);
    expect(gt.nSpikes).toBe(summary.nSpikes);
    const clusters = npy('spike_clusters.npy').read();
    const units = npy('ground_truth_units.npy').read();
    const counts = new Map<string, number>();
    for (let i = 0; i < clusters.length; i++) {
      const k = `${clusters[i]}:${units[i]}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const c of gt.clusters) {
      for (const u of c.units) expect(counts.get(`${c.id}:${u.unit}`)).toBe(u.nSpikes);
      expect(counts.get(`${c.id}:-1`) ?? 0).toBe(c.noiseSpikes);
    }
    expect(gt.overSplits.length).toBeGreaterThan(0);
    expect(gt.merged.length).toBeGreaterThan(0);
    expect(gt.contaminated.length).toBeGreaterThan(0);
    expect(gt.mua.length).toBeGreaterThan(0);
    expect(gt.noise.length).toBeGreaterThan(0);
    for (const u of gt.units) expect(u.clusterIds.length).toBeGreaterThan(0);
  });

  it("opens in spikedock's own template-folder loader without errors", async () => {
    const ds = await openDataset(dir, { shared: false });
    try {
      expect(ds.diagnostics.filter((d) => d.severity === 'fatal' || d.severity === 'error')).toEqual([]);
      expect(ds.format).toBe('template');
      expect(ds.nSpikes).toBe(summary.nSpikes);
      expect(ds.nTemplates).toBe(summary.nTemplates);
      expect(ds.nChannels).toBe(32);
      expect(ds.sampleRate).toBe(30000);
      expect(ds.raw?.nChannelsDat).toBe(34);
      expect(ds.features).toBeTruthy();
      expect(ds.templateFeatures).toBeTruthy();
      expect(ds.spikeAttributes.map((a) => a.name)).toContain('positions');
      expect(ds.clusterGroups.size).toBeGreaterThanOrEqual(3);
    } finally {
      ds.close();
    }
  });

  it('is deterministic: the same seed writes the same bytes', async () => {
    const again = path.join(root, 'again');
    const s = await generateDataset(again, { preset: 'small', seed: 5, raw: false });
    expect(s.files).not.toContain('recording.dat');
    for (const f of ['spike_times.npy', 'spike_clusters.npy', 'amplitudes.npy', 'templates.npy', 'pc_features.npy', 'ground_truth.json', 'cluster_group.tsv']) {
      expect(Buffer.compare(readFileSync(path.join(dir, f)), readFileSync(path.join(again, f))), f).toBe(0);
    }
    rmSync(again, { recursive: true, force: true });
  });

  it('writes a partial raw file with --raw-seconds, and removes a stale one with --no-raw', async () => {
    const out = path.join(root, 'partial');
    const s = await generateDataset(out, { preset: 'small', rawSeconds: 2.5 });
    expect(s.rawSeconds).toBe(2.5);
    expect(statSync(path.join(out, 'recording.dat')).size).toBe(2.5 * 30000 * 34 * 2);
    expect(readFileSync(path.join(out, 'params.py'), 'utf8')).toContain("dat_path = 'recording.dat'");
    const s2 = await generateDataset(out, { preset: 'small', raw: false });
    expect(s2.rawSeconds).toBe(0);
    expect(readdirSync(out)).not.toContain('recording.dat');
    rmSync(out, { recursive: true, force: true });
  });

  it('refuses to overwrite a sorting it did not write', async () => {
    const sorting = path.join(root, 'sorting');
    mkdirSync(sorting);
    writeFileSync(path.join(sorting, 'params.py'), "dat_path = 'x.bin'\n");
    await expect(generateDataset(sorting, { preset: 'small', raw: false })).rejects.toThrow(/refusing to overwrite/);
    expect(readdirSync(sorting)).toEqual(['params.py']);
  });
});

describe('spikedock generate (command)', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), readStdin: async () => '' } };
  };

  it('rejects bad arguments with a user error', async () => {
    const { io: cli } = io();
    await expect(command.run([path.join(root, 'x')], cli)).rejects.toThrow(UserError);
    await expect(command.run([path.join(root, 'x'), '--preset', 'huge'], cli)).rejects.toThrow(/unknown preset 'huge'/);
    await expect(command.run([path.join(root, 'x'), '--preset', 'small', '--seed', '-3'], cli)).rejects.toThrow(/--seed/);
    await expect(command.run([path.join(root, 'x'), '--preset', 'small', '--raw-seconds', 'abc'], cli)).rejects.toThrow(/--raw-seconds/);
    await expect(command.run([path.join(root, 'x'), '--preset', 'small', '--bogus'], cli)).rejects.toThrow(/unknown option --bogus/);
  });

  it('generates and prints a JSON summary', async () => {
    const { io: cli, out, err } = io();
    const target = path.join(root, 'cli');
    const code = await command.run([target, '--preset', 'small', '--seed', '9', '--no-raw', '--json', '--quiet'], cli);
    expect(code).toBe(0);
    expect(err).toEqual([]);
    const s = JSON.parse(out.join('')) as GenerateSummary;
    expect(s.seed).toBe(9);
    expect(s.rawSeconds).toBe(0);
    expect(s.files).not.toContain('recording.dat');
    rmSync(target, { recursive: true, force: true });
  });
});
