/**
 * The streaming generator (the chronic preset's path) at test scale: what it writes is what the
 * reader reads back, it equals the in-memory writer's output byte for byte, and spike times past
 * 2^31 and 2^32 samples survive the write and `spikedock info`.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryByteSource } from '../../../src/core/formats/ByteSource';
import { NpyFile } from '../../../src/core/formats/npy';
import type { GroundTruth } from '../../../src/core/generate/groundTruth';
import { openDataset } from '../../../src/main/openDataset';
import { runCli } from '../../helpers/runCli';

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'spikedock-chronic-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function npy(dir: string, name: string): NpyFile {
  const file = path.join(dir, name);
  return NpyFile.open(new MemoryByteSource(new Uint8Array(readFileSync(file)), file));
}

/** The spike times of `spike_times.npy` as exact numbers (int64/uint64 read word by word). */
function spikeTimes(dir: string): { dtype: string; times: number[] } {
  const f = npy(dir, 'spike_times.npy');
  const bytes = readFileSync(path.join(dir, 'spike_times.npy'));
  const data = bytes.subarray(f.header.dataOffset);
  const words = new Uint32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  const times: number[] = [];
  for (let i = 0; i < words.length; i += 2) times.push(words[i + 1] * 2 ** 32 + words[i]);
  return { dtype: f.header.dtype, times };
}

async function generate(dir: string, ...args: string[]): Promise<void> {
  const r = await runCli('generate', dir, '--quiet', '--json', ...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

describe('generate --preset chronic (scaled down)', () => {
  let dir: string;
  let truth: GroundTruth;

  beforeAll(async () => {
    dir = path.join(root, 'chronic');
    await generate(dir, '--preset', 'chronic', '--hours', '0.05', '--spikes', '40000', '--clusters', '25');
    truth = JSON.parse(readFileSync(path.join(dir, 'ground_truth.json'), 'utf8')) as GroundTruth;
  });

  it('writes a phy folder whose spikes per cluster are the ground truth’s, sorted in time, times int64', () => {
    expect(truth.preset).toBe('chronic');
    expect(truth.duration).toBe(180);
    const { dtype, times } = spikeTimes(dir);
    expect(dtype).toBe('int64');
    expect(times.length).toBe(truth.nSpikes);
    expect(truth.nSpikes).toBeGreaterThan(30000);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    const clusters = npy(dir, 'spike_clusters.npy');
    expect(clusters.header.shape).toEqual([truth.nSpikes]);
    const perCluster = new Map<number, number>();
    for (const c of clusters.read() as Int32Array) perCluster.set(c, (perCluster.get(c) ?? 0) + 1);
    expect(Object.fromEntries(perCluster)).toEqual(Object.fromEntries(truth.clusters.map((c) => [c.id, c.nSpikes])));
    const units = npy(dir, 'ground_truth_units.npy').read() as Int32Array;
    expect(units.length).toBe(truth.nSpikes);
    const noise = units.filter((u) => u < 0).length;
    expect(noise).toBe(truth.clusters.reduce((s, c) => s + c.noiseSpikes, 0));
  });

  it('writes pc_features in Kilosort’s layout on 3 channels', () => {
    const pc = npy(dir, 'pc_features.npy');
    const ind = npy(dir, 'pc_feature_ind.npy');
    expect(pc.header.dtype).toBe('float32');
    expect(pc.header.shape).toEqual([truth.nSpikes, 3, 3]);
    expect(ind.header.dtype).toBe('uint32');
    expect(ind.header.shape).toEqual([truth.nTemplates, 3]);
    const values = pc.read() as Float32Array;
    expect(values.every(Number.isFinite)).toBe(true);
    const channels = ind.read() as Uint32Array;
    expect(channels.every((c) => c < truth.nChannels)).toBe(true);
  });

  it('opens with the reader: the same spikes, clusters and features', async () => {
    const ds = await openDataset(dir, { shared: false });
    try {
      expect(ds.diagnostics.filter((d) => d.severity === 'fatal' || d.severity === 'error')).toEqual([]);
      expect(ds.nSpikes).toBe(truth.nSpikes);
      expect(ds.nTemplates).toBe(truth.nTemplates);
      expect([...ds.spikeTimes]).toEqual(spikeTimes(dir).times);
      const info = JSON.parse((await runCli('info', dir, '--json')).stdout) as { n_spikes: number; n_clusters: number; has_features: boolean };
      expect(info).toMatchObject({ n_spikes: truth.nSpikes, n_clusters: truth.nClusters, has_features: true });
    } finally {
      ds.close();
    }
  });

  it('is the in-memory writer’s output byte for byte when a small preset is streamed', async () => {
    const a = path.join(root, 'small-memory');
    const b = path.join(root, 'small-stream');
    await generate(a, '--preset', 'small', '--seed', '4', '--raw-seconds', '5');
    await generate(b, '--preset', 'small', '--seed', '4', '--raw-seconds', '5', '--stream');
    const files = readdirSync(a).sort();
    expect(readdirSync(b).sort()).toEqual(files);
    expect(files).toContain('recording.dat');
    const differ = files.filter((f) => !readFileSync(path.join(a, f)).equals(readFileSync(path.join(b, f))));
    expect(differ).toEqual([]);
  });
});

describe('generate --no-pc-features', () => {
  it('writes no pc_features.npy / pc_feature_ind.npy, and info says features are absent', async () => {
    const dir = path.join(root, 'nofeatures');
    await generate(dir, '--preset', 'chronic', '--hours', '0.02', '--spikes', '8000', '--clusters', '10', '--no-pc-features');
    const files = readdirSync(dir);
    expect(files).not.toContain('pc_features.npy');
    expect(files).not.toContain('pc_feature_ind.npy');
    expect(files).toContain('spike_times.npy');
    const info = await runCli('info', dir, '--json');
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ has_features: false });
  });
});

describe('a 40 h recording (past 2^32 samples)', () => {
  it('keeps spike times past 2^31 and 2^32 exact through the write and the reader', async () => {
    const dir = path.join(root, 'fortyhours');
    await generate(dir, '--preset', 'chronic', '--hours', '40', '--spikes', '3000', '--clusters', '8', '--no-pc-features');
    const truth = JSON.parse(readFileSync(path.join(dir, 'ground_truth.json'), 'utf8')) as GroundTruth;
    expect(truth.nSamples).toBe(40 * 3600 * 30000);
    const { times } = spikeTimes(dir);
    expect(times.length).toBe(truth.nSpikes);
    expect(times.some((t) => t > 2 ** 31 && t < 2 ** 32)).toBe(true);
    expect(times.some((t) => t > 2 ** 32)).toBe(true);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    expect(times[times.length - 1]).toBeLessThan(truth.nSamples);

    const ds = await openDataset(dir, { shared: false });
    try {
      expect([...ds.spikeTimes]).toEqual(times);
      expect(ds.duration).toBeGreaterThan(2 ** 32 / 30000);
    } finally {
      ds.close();
    }
    const info = JSON.parse((await runCli('info', dir, '--json')).stdout) as { n_spikes: number; duration: number };
    expect(info.n_spikes).toBe(truth.nSpikes);
    expect(info.duration).toBeCloseTo(times[times.length - 1] / 30000, 3);
  });

  it('is refused by the in-memory writer with a message naming the streaming path', async () => {
    const r = await runCli('generate', path.join(root, 'refused'), '--quiet', '--preset', 'small', '--hours', '40', '--spikes', '1000');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--stream');
  });
});
