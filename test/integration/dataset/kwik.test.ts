/**
 * The Kwik loader on real HDF5 files written with h5wasm in temp folders: several channel groups
 * and clusterings, group names, features + masks, raw data, several recordings, and the broken
 * files a curator may bring.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetOpenError } from '../../../src/core/dataset/kwik';
import type { Dataset } from '../../../src/core/dataset/Dataset';
import { openDataset } from '../../../src/main/openDataset';
import { H5wasmReader } from '../../../src/main/io/H5wasmReader';

type H5Group = InstanceType<typeof h5wasm.Group>;

interface GroupSpec {
  id: number;
  channels: number[];
  times: number[];
  recording?: number[];
  clusterings: Record<string, number[]>;
  /** clustering → cluster id → group id */
  groups?: Record<string, Record<number, number>>;
  positions?: boolean;
}

interface KwikSpec {
  version?: number | null;
  groups: GroupSpec[];
  nFeatures?: number;
  sampleRate?: number;
  nChannelsDat?: number;
  recordings?: Array<{ datPath?: string; startSample?: number }>;
  kwx?: boolean;
  /** Rows of features_masks (default: all spikes). */
  kwxRows?: number;
}

function group(f: H5Group, path: string): H5Group {
  let g = f;
  for (const part of path.split('/').filter(Boolean)) {
    g = (g.keys().includes(part) ? g.get(part) : g.create_group(part)) as H5Group;
  }
  return g;
}

/** Feature value of spike i, channel c, feature p (the mask of (i, c) is ((i + c) % 2)). */
const featureOf = (i: number, c: number, p: number): number => i * 100 + c * 10 + p;

function writeKwik(dir: string, name: string, spec: KwikSpec): string {
  const path = join(dir, `${name}.kwik`);
  const f = new h5wasm.File(path, 'w');
  if (spec.version !== null) f.create_attribute('kwik_version', spec.version ?? 2);
  const sd = group(f, '/application_data/spikedetekt');
  sd.create_attribute('sample_rate', spec.sampleRate ?? 1000);
  sd.create_attribute('n_channels', spec.nChannelsDat ?? 8);
  sd.create_attribute('dtype', 'int16');
  sd.create_attribute('n_features_per_channel', spec.nFeatures ?? 3);
  for (const g of spec.groups) {
    const G = `/channel_groups/${g.id}`;
    const cg = group(f, G);
    cg.create_attribute('channel_order', new Int32Array(g.channels));
    for (const [k, ch] of g.channels.entries()) {
      const c = group(f, `${G}/channels/${ch}`);
      c.create_attribute('name', String(ch));
      if (g.positions !== false) c.create_attribute('position', new Float32Array([k * 2, ch * 10]));
    }
    const sp = group(f, `${G}/spikes`);
    sp.create_dataset({ name: 'time_samples', data: BigUint64Array.from(g.times.map(BigInt)) });
    sp.create_dataset({ name: 'recording', data: new Int32Array(g.recording ?? g.times.map(() => 0)) });
    const cl = group(f, `${G}/spikes/clusters`);
    for (const [c, ids] of Object.entries(g.clusterings)) {
      cl.create_dataset({ name: c, data: new Int32Array(ids) });
      const names = ['Noise', 'MUA', 'Good', 'Unsorted'];
      for (let k = 0; k < 4; k++) group(f, `${G}/cluster_groups/${c}/${k}`).create_attribute('name', names[k]);
      for (const id of new Set(ids)) group(f, `${G}/clusters/${c}/${id}`).create_attribute('cluster_group', g.groups?.[c]?.[id] ?? 3);
    }
  }
  for (const [r, rec] of (spec.recordings ?? [{ datPath: `${name}.dat` }]).entries()) {
    const R = group(f, `/recordings/${r}`);
    R.create_attribute('sample_rate', spec.sampleRate ?? 1000);
    R.create_attribute('start_sample', rec.startSample ?? 0);
    const raw = group(f, `/recordings/${r}/raw`);
    if (rec.datPath) raw.create_attribute('dat_path', rec.datPath);
  }
  f.close();
  if (spec.kwx !== false) {
    const x = new h5wasm.File(join(dir, `${name}.kwx`), 'w');
    const nf = spec.nFeatures ?? 3;
    for (const g of spec.groups) {
      const n = spec.kwxRows ?? g.times.length;
      const nc = g.channels.length;
      const fm = new Float32Array(n * nc * nf * 2);
      for (let i = 0; i < n; i++)
        for (let c = 0; c < nc; c++)
          for (let p = 0; p < nf; p++) {
            fm[((i * nc + c) * nf + p) * 2] = featureOf(i, c, p);
            fm[((i * nc + c) * nf + p) * 2 + 1] = (i + c) % 2;
          }
      group(x, `/channel_groups/${g.id}`).create_dataset({ name: 'features_masks', data: fm, shape: [n, nc * nf, 2] });
    }
    x.close();
  }
  return path;
}

const TIMES = [5, 9, 9, 40, 77, 120];
const TWO_GROUPS: KwikSpec = {
  groups: [
    { id: 0, channels: [3, 1, 2], times: TIMES, clusterings: { main: [0, 2, 2, 5, 0, 5], original: [1, 1, 1, 1, 1, 1] }, groups: { main: { 0: 0, 2: 2, 5: 1 } } },
    { id: 1, channels: [4, 5, 6, 7], times: [1, 2, 3], clusterings: { main: [7, 7, 8] } },
  ],
  nChannelsDat: 8,
};

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'spikedock-kwik-'));
}

async function openError(path: string, opts?: Parameters<typeof openDataset>[1]): Promise<DatasetOpenError> {
  try {
    (await openDataset(path, opts)).close();
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetOpenError);
    return e as DatasetOpenError;
  }
  throw new Error('expected the open to fail');
}

beforeAll(async () => {
  await H5wasmReader.opener();
});

describe('openKwikDataset on generated files', () => {
  it('opens the first channel group and the main clustering by default', async () => {
    const dir = tempDir();
    const ds = await openDataset(writeKwik(dir, 'x', TWO_GROUPS));
    expect(ds.kwik).toEqual({ channelGroup: 0, channelGroups: [0, 1], clustering: 'main', clusterings: ['main', 'original'] });
    expect(ds.nSpikes).toBe(6);
    expect(Array.from(ds.spikeTimes)).toEqual(TIMES);
    expect(Array.from(ds.spikeClusters)).toEqual([0, 2, 2, 5, 0, 5]);
    expect(Array.from(ds.channelMap)).toEqual([3, 1, 2]);
    expect(Array.from(ds.channelPositions)).toEqual([0, 30, 2, 10, 4, 20]);
    expect(ds.clusterGroups).toEqual(new Map([[0, 'noise'], [2, 'good'], [5, 'mua']]));
    expect(ds.sampleRate).toBe(1000);
    expect(ds.params.n_features_per_channel).toBe(3);
    expect(ds.spikeTemplates).toBeNull();
    expect(ds.spikeTimes.buffer).toBeInstanceOf(SharedArrayBuffer);
    ds.close();
  });

  it('selects another channel group and clustering', async () => {
    const dir = tempDir();
    const path = writeKwik(dir, 'x', TWO_GROUPS);
    const g1 = await openDataset(path, { channelGroup: 1 });
    expect(g1.nSpikes).toBe(3);
    expect(g1.nChannels).toBe(4);
    expect(Array.from(g1.channelShanks)).toEqual([1, 1, 1, 1]);
    expect(g1.kwik!.clusterings).toEqual(['main']);
    expect(g1.features!.nChannelsLoc).toBe(4);
    g1.close();
    const orig = await openDataset(path, { clustering: 'original' });
    expect(Array.from(orig.spikeClusters)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(orig.clusterGroups.get(1)).toBe('unsorted');
    orig.close();
    const e = await openError(path, { channelGroup: 4 });
    expect(e.code).toBe('kwik.channelGroup');
    expect(e.message).toMatch(/channel group 4 not found \(the file has channel groups 0, 1\)/);
    expect((await openError(path, { clustering: 'final' })).message).toMatch(/clustering 'final' not found \(the file has 'main', 'original'\)/);
  });

  it('reads features and masks for runs and scattered spikes', async () => {
    const dir = tempDir();
    const ds = await openDataset(writeKwik(dir, 'x', TWO_GROUPS));
    const f = ds.features!;
    expect([f.nChannelsLoc, f.nPcs]).toEqual([3, 3]);
    const got = f.read([1, 2, 5]);
    for (const [k, i] of [1, 2, 5].entries())
      for (let c = 0; c < 3; c++) {
        for (let p = 0; p < 3; p++) expect(got.data[(k * 3 + c) * 3 + p]).toBe(featureOf(i, c, p));
        expect(got.masks![k * 3 + c]).toBe((i + c) % 2);
      }
    expect(() => f.read([6])).toThrow(RangeError);
    ds.close();
  });

  it('opens the raw data named by dat_path, relocated when absolute from another machine', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'rec.dat'), new Uint8Array(8 * 2 * 500));
    const ds = await openDataset(writeKwik(dir, 'x', { ...TWO_GROUPS, recordings: [{ datPath: 'C:\\klusta\\rec.dat' }] }));
    expect(ds.raw!.nSamples).toBe(500);
    expect(ds.raw!.nChannelsDat).toBe(8);
    expect(ds.duration).toBe(0.5);
    expect(ds.diagnostics.map((d) => d.code)).toEqual(['raw.relocated']);
    ds.close();
  });

  it('adds each recording start_sample to its spikes', async () => {
    const dir = tempDir();
    const spec: KwikSpec = {
      groups: [{ id: 0, channels: [0, 1], times: [10, 20, 5, 6], recording: [0, 0, 1, 1], clusterings: { main: [0, 0, 1, 1] } }],
      recordings: [{ startSample: 0 }, { startSample: 1000 }],
    };
    const ds = await openDataset(writeKwik(dir, 'x', spec));
    expect(Array.from(ds.spikeTimes)).toEqual([10, 20, 1005, 1006]);
    ds.close();
  });

  it('uses a linear layout when channel positions are missing', async () => {
    const dir = tempDir();
    const ds = await openDataset(writeKwik(dir, 'x', { groups: [{ id: 0, channels: [0, 1, 2], times: [1, 2], clusterings: { main: [0, 0] }, positions: false }] }));
    expect(Array.from(ds.channelPositions)).toEqual([0, 0, 0, 20, 0, 40]);
    expect(ds.diagnostics.find((d) => d.code === 'kwik.channelPositions')?.severity).toBe('warning');
    ds.close();
  });
});

describe('broken Kwik inputs', () => {
  it('a missing .kwx disables only the features', async () => {
    const dir = tempDir();
    const ds = await openDataset(writeKwik(dir, 'x', { ...TWO_GROUPS, kwx: false }));
    expect(ds.features).toBeNull();
    expect(ds.nSpikes).toBe(6);
    const d = ds.diagnostics.find((x) => x.code === 'kwik.kwxMissing')!;
    expect(d).toMatchObject({ severity: 'warning', disables: ['features'] });
    expect(d.message).toMatch(/x\.kwx not found next to x\.kwik/);
    ds.close();
  });

  it('a .kwx with the wrong number of rows is an error that disables the features', async () => {
    const dir = tempDir();
    const ds = await openDataset(writeKwik(dir, 'x', { ...TWO_GROUPS, kwxRows: 4 }));
    expect(ds.features).toBeNull();
    expect(ds.diagnostics.find((x) => x.code === 'lengths.mismatch')?.message).toMatch(/has 4 rows but the \.kwik has 6 spikes/);
    ds.close();
  });

  it('a corrupt .kwx is an error that disables the features', async () => {
    const dir = tempDir();
    const path = writeKwik(dir, 'x', TWO_GROUPS);
    writeFileSync(join(dir, 'x.kwx'), 'garbage bytes, not HDF5');
    const ds = await openDataset(path);
    expect(ds.features).toBeNull();
    expect(ds.diagnostics.find((x) => x.code === 'hdf5.notHdf5')).toMatchObject({ severity: 'error', disables: ['features'] });
    ds.close();
  });

  it('garbage or truncated .kwik files are fatal with one clear message', async () => {
    const dir = tempDir();
    const garbage = join(dir, 'garbage.kwik');
    writeFileSync(garbage, new Uint8Array(4096).map((_, i) => (i * 7919) % 251));
    const e = await openError(garbage);
    expect(e.code).toBe('hdf5.notHdf5');
    expect(e.message).toBe(`${garbage}: not an HDF5 file (no HDF5 signature): the file is corrupt or not a Kwik file`);
    const good = writeKwik(dir, 'ok', TWO_GROUPS);
    const bytes = (await import('node:fs')).readFileSync(good);
    const trunc = join(dir, 'trunc.kwik');
    writeFileSync(trunc, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const t = await openError(trunc);
    expect(t.code).toBe('hdf5.corrupt');
    expect(t.message).toMatch(/trunc\.kwik: unreadable HDF5 file \(truncated file/);
    expect(t.message).not.toMatch(/HDF5-DIAG|#00/);
  });

  it('an HDF5 file that is not Kwik, or of another version, is fatal', async () => {
    const dir = tempDir();
    expect((await openError(writeKwik(dir, 'a', { ...TWO_GROUPS, version: null }))).message).toMatch(/not a Kwik file: the HDF5 root has no kwik_version attribute/);
    expect((await openError(writeKwik(dir, 'b', { ...TWO_GROUPS, version: 3 }))).message).toMatch(/unsupported kwik_version 3/);
  });

  it('decreasing spike times are fatal', async () => {
    const dir = tempDir();
    const e = await openError(writeKwik(dir, 'x', { groups: [{ id: 0, channels: [0], times: [5, 4], clusterings: { main: [0, 0] } }] }));
    expect(e.code).toBe('spikeTimes.decreasing');
    expect(e.message).toMatch(/spike 1 \(4 samples\) comes before spike 0 \(5 samples\)/);
  });

  it('a clustering whose length differs from the spikes is fatal', async () => {
    const dir = tempDir();
    const e = await openError(writeKwik(dir, 'x', { groups: [{ id: 0, channels: [0], times: [1, 2, 3], clusterings: { main: [0, 0] } }] }));
    expect(e.code).toBe('lengths.mismatch');
    expect(e.message).toMatch(/clusters\/main has 2 entries but .*time_samples has 3/);
  });

  it('paths with spaces and non-ASCII characters open', async () => {
    const dir = join(tempDir(), 'sortings été 2024');
    (await import('node:fs')).mkdirSync(dir);
    const ds: Dataset = await openDataset(writeKwik(dir, 'souris n°3', TWO_GROUPS));
    expect(ds.nSpikes).toBe(6);
    expect(ds.features).not.toBeNull();
    ds.close();
  });
});
