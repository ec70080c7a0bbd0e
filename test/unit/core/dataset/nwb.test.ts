/**
 * The NWB Units reader on files written by our generator (`generate --format nwb`, and
 * `writeNwb` directly for variants), checked against the phy folder generated from the same seed.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NWB_DEFAULT_RATE, openNwbDataset } from '../../../../src/core/dataset/nwb';
import { clusterSpikeCounts } from '../../../../src/core/dataset/datasetInfo';
import type { Dataset } from '../../../../src/core/dataset/Dataset';
import { DatasetOpenError } from '../../../../src/core/dataset/DatasetOpenError';
import type { Hdf5Opener } from '../../../../src/core/formats/hdf5';
import { buildDataset, type GeneratedDataset } from '../../../../src/core/generate/buildDataset';
import { PRESETS } from '../../../../src/core/generate/presets';
import { generateDataset } from '../../../../src/main/generate/generateDataset';
import { unitAverages } from '../../../../src/main/generate/generateAnalyzer';
import { NWB_FILE, writeNwb } from '../../../../src/main/generate/generateNwb';
import { H5wasmReader } from '../../../../src/main/io/H5wasmReader';
import { NodeFileSystem } from '../../../../src/main/io/NodeFileSystem';
import { openDataset, resolveDatasetPath } from '../../../../src/main/openDataset';
import { UserError } from '../../../../src/main/UserError';

const SEED = 7;
let tmp: string;
let phyDir: string;
let nwbDir: string;
let nwbFile: string;
let phy: Dataset;
let model: GeneratedDataset;
let h5: Hdf5Opener;
const opened: Dataset[] = [];

function open(file: string): Dataset {
  const ds = openNwbDataset(new NodeFileSystem(), h5, file, { shared: false });
  opened.push(ds);
  return ds;
}

/** A variant written by `writeNwb` into its own folder. */
async function variant(name: string, opts: Partial<Parameters<typeof writeNwb>[2]>): Promise<string> {
  const dir = join(tmp, name);
  mkdirSync(dir);
  const file = join(dir, NWB_FILE);
  await writeNwb(file, model, { rawSeconds: 0, ...opts });
  return file;
}

/** A copy of the generated file edited with h5wasm. */
async function edited(name: string, edit: (f: InstanceType<typeof import('h5wasm/node').default.File>) => void): Promise<string> {
  const dir = join(tmp, name);
  mkdirSync(dir);
  const file = join(dir, NWB_FILE);
  copyFileSync(nwbFile, file);
  const h5wasm = (await import('h5wasm/node')).default;
  await h5wasm.ready;
  const f = new h5wasm.File(file, 'a');
  try {
    edit(f);
  } finally {
    f.close();
  }
  return file;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'spikedock-nwb-'));
  phyDir = join(tmp, 'phy');
  nwbDir = join(tmp, 'nwb');
  await generateDataset(phyDir, { preset: 'small', seed: SEED, rawSeconds: 1 });
  await generateDataset(nwbDir, { preset: 'small', seed: SEED, rawSeconds: 1, format: 'nwb' });
  nwbFile = join(nwbDir, NWB_FILE);
  phy = await openDataset(phyDir, { shared: false });
  opened.push(phy);
  model = buildDataset(PRESETS.small, SEED);
  h5 = await H5wasmReader.opener();
}, 120_000);

afterAll(() => {
  for (const d of opened) d.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('NWB Units (HDF5)', () => {
  it("holds the phy folder's spikes: same count per unit, times within 1 sample", () => {
    const ds = open(nwbFile);
    expect(ds.format).toBe('nwb');
    expect(ds.nSpikes).toBe(phy.nSpikes);
    const a = clusterSpikeCounts(ds.spikeClusters);
    const p = clusterSpikeCounts(phy.spikeClusters);
    expect(Array.from(a.ids)).toEqual(Array.from(p.ids));
    expect(Array.from(a.counts)).toEqual(Array.from(p.counts));
    let worst = 0;
    for (let i = 0; i < ds.nSpikes; i++) worst = Math.max(worst, Math.abs(ds.spikeTimes[i] - phy.spikeTimes[i]));
    expect(worst).toBeLessThanOrEqual(1);
    for (let i = 1; i < ds.nSpikes; i++) expect(ds.spikeTimes[i]).toBeGreaterThanOrEqual(ds.spikeTimes[i - 1]);
    expect(ds.sampleRate).toBe(phy.sampleRate);
    expect(ds.nwb!.idsMapped).toBe(false);
    expect(ds.nwb!.unitIds).toEqual(Array.from(p.ids));
    expect(ds.nwb!.rateSource).toBe('rate');
    expect(ds.nwb!.electricalSeries).toBe('/acquisition/ElectricalSeries');
  });

  it('reads the electrodes, the Units columns, the quality groups and waveform_mean', () => {
    const ds = open(nwbFile);
    expect(ds.nChannels).toBe(phy.nChannels);
    expect(Array.from(ds.channelPositions)).toEqual(Array.from(phy.channelPositions));
    expect(Array.from(ds.channelShanks)).toEqual(Array.from(phy.channelShanks));
    expect(ds.diagnostics.find((d) => d.code === 'nwb.positions')!.message).toMatch(/rel_x\/rel_y/);
    expect(ds.clusterColumns.map((c) => c.name)).toEqual(['KSLabel', 'ContamPct', 'Amplitude', 'firing_rate', 'isi_violations_count']);
    const phyKs = phy.clusterColumns.find((c) => c.name === 'KSLabel')!;
    expect([...ds.clusterColumns[0].values]).toEqual([...phyKs.values].sort((x, y) => x[0] - y[0]));
    expect([...ds.clusterGroups].sort()).toEqual([...phy.clusterGroups].sort());
    // waveform_mean: every unit's average over all electrodes, in volts (the generator's ×1e-6).
    const t = ds.templates!;
    expect(t.nTemplates).toBe(ds.nwb!.unitIds.length);
    expect(t.nChannelsLoc).toBe(ds.nChannels);
    const unitIndex = Int32Array.from(model.spikes.clusters, (c) => ds.nwb!.unitIds.indexOf(c));
    const avg = unitAverages(model, unitIndex, t.nTemplates);
    const row = t.nSamples * t.nChannelsLoc;
    const got = t.getTemplate(3);
    expect(got.data.length).toBe(row);
    for (let k = 0; k < row; k += 97) expect(got.data[k]).toBeCloseTo(avg.unitTemplates[3 * row + k], 4);
    // Each spike's template is its unit.
    for (let i = 0; i < ds.nSpikes; i += 101) expect(ds.nwb!.unitClusterIds[ds.spikeTemplates![i]]).toBe(ds.spikeClusters[i]);
  });

  it('reads the ElectricalSeries lazily: the same samples as the phy folder\'s recording.dat, in µV', () => {
    const ds = open(nwbFile);
    const raw = ds.raw!;
    expect(raw.hdf5Dataset).toBe('/acquisition/ElectricalSeries/data');
    expect(raw.nSamples).toBe(phy.raw!.nSamples);
    expect(raw.unit).toBe('µV');
    expect(raw.gain).toBe(1);
    const cols = Array.from(ds.channelMap.slice(0, 8));
    const phyCols = Array.from(phy.channelMap.slice(0, 8));
    expect(Array.from(raw.read(12_345, 12_400, cols))).toEqual(Array.from(phy.raw!.read(12_345, 12_400, phyCols)));
  });

  it('without an ElectricalSeries: raw views off with a message naming the file; spikes at the file-less 30 kHz default', async () => {
    const ds = open(await variant('noraw', {}));
    expect(ds.raw).toBeNull();
    const d = ds.diagnostics.find((x) => x.code === 'nwb.noElectricalSeries')!;
    expect(d.file).toMatch(/noraw\/sorting\.nwb$/);
    expect(d.message).toMatch(/^sorting\.nwb has no ElectricalSeries in \/acquisition/);
    expect(d.message).toMatch(/30000 Hz/);
    expect(d.disables).toEqual(['raw', 'waveforms', 'traces']);
    expect(ds.sampleRate).toBe(NWB_DEFAULT_RATE);
    expect(ds.templates).not.toBeNull();
    expect(ds.nSpikes).toBe(phy.nSpikes);
  });

  it('without waveform_mean: opens, templates off with a message', async () => {
    const ds = open(await variant('nowf', { waveformMean: 'none' }));
    expect(ds.templates).toBeNull();
    expect(ds.spikeTemplates).toBeNull();
    expect(ds.nTemplates).toBe(0);
    const d = ds.diagnostics.find((x) => x.code === 'nwb.noTemplates')!;
    expect(d.message).toMatch(/^sorting\.nwb: \/units\/waveform_mean not found/);
    expect(d.disables).toEqual(['templates', 'similarity']);
    expect(ds.nSpikes).toBe(phy.nSpikes);
  });

  it('reads waveform_mean over each unit\'s own electrodes, and a 2-d one on its first electrode', async () => {
    const unitIndex = Int32Array.from(model.spikes.clusters, (c) => model.clusters.findIndex((x) => x.id === c));
    const avg = unitAverages(model, unitIndex, model.clusters.length);
    const k = Math.min(...avg.sparseChannels.map((c) => c.length));
    const nC = model.probe.nChannels;
    for (const [layout, nLoc] of [['unit', k], ['single', 1]] as const) {
      const ds = open(await variant(`wf-${layout}`, { waveformMean: layout }));
      const t = ds.templates!;
      expect([layout, t.nChannelsLoc]).toEqual([layout, nLoc]);
      const u = 5;
      const got = t.getTemplate(u);
      expect(Array.from(got.channels)).toEqual(avg.sparseChannels[u].slice(0, nLoc));
      for (let s = 0; s < t.nSamples; s += 7) {
        for (let j = 0; j < nLoc; j++) expect(got.data[s * nLoc + j]).toBeCloseTo(avg.unitTemplates[(u * t.nSamples + s) * nC + got.channels[j]], 4);
      }
    }
  });

  it('maps irregular unit ids (negative, repeated) to unit indices with a unit_id column', async () => {
    const ids = model.clusters.map((c, i) => (i === 0 ? -5 : i === 1 ? 7 : i === 2 ? 7 : c.id + 100));
    const ds = open(await variant('ids', { unitIds: ids }));
    expect(ds.nwb!.idsMapped).toBe(true);
    expect(Array.from(ds.nwb!.unitClusterIds)).toEqual(ids.map((_, i) => i));
    const col = ds.clusterColumns.find((c) => c.name === 'unit_id')!;
    expect(ds.clusterColumns[0]).toBe(col);
    expect([...col.values.values()]).toEqual(ids);
    const counts = clusterSpikeCounts(ds.spikeClusters);
    const p = clusterSpikeCounts(phy.spikeClusters);
    expect(Array.from(counts.counts)).toEqual(Array.from(p.counts));
  });

  it('keeps distinct non-negative ids that are not 0..n-1 as cluster ids', async () => {
    const ids = model.clusters.map((c) => c.id * 3 + 11);
    const ds = open(await variant('sparseids', { unitIds: ids }));
    expect(ds.nwb!.idsMapped).toBe(false);
    expect(Array.from(clusterSpikeCounts(ds.spikeClusters).ids)).toEqual(ids);
  });

  it('takes the rate from timestamps when the series has no rate, and counts spikes from its first timestamp', async () => {
    // A minimal file as a hand-written NWB might be: no electrodes table, a series with timestamps.
    const h5wasm = (await import('h5wasm/node')).default;
    const file = join(tmp, 'timestamps.nwb');
    const f = new h5wasm.File(file, 'w');
    f.create_attribute('neurodata_type', 'NWBFile');
    f.create_attribute('nwb_version', '2.7.0');
    const u = f.create_group('units');
    u.create_attribute('neurodata_type', 'Units');
    u.create_attribute('colnames', ['spike_times', 'label']);
    u.create_dataset({ name: 'id', data: BigInt64Array.from([4n, 9n]) });
    u.create_dataset({ name: 'spike_times', data: Float64Array.from([5.01, 5.05, 5.02]) });
    u.create_dataset({ name: 'spike_times_index', data: Int32Array.from([2, 3]) });
    u.create_dataset({ name: 'label', data: ['pyramidal', ''] });
    const es = f.create_group('acquisition').create_group('es');
    es.create_attribute('neurodata_type', 'ElectricalSeries');
    es.create_dataset({ name: 'data', data: Float32Array.from({ length: 200 }, (_, i) => i), shape: [100, 2] }).create_attribute('conversion', 1e-3);
    es.create_dataset({ name: 'timestamps', data: Float64Array.from({ length: 100 }, (_, i) => 5 + i / 1000) });
    f.close();
    const ds = open(file);
    expect(ds.sampleRate).toBeCloseTo(1000, 6);
    expect(ds.nwb!.rateSource).toBe('timestamps');
    expect(ds.nwb!.t0).toBe(5);
    expect(Array.from(ds.spikeTimes)).toEqual([10, 20, 50]);
    expect(Array.from(ds.spikeClusters)).toEqual([4, 9, 4]);
    expect(ds.clusterColumns.find((c) => c.name === 'label')!.values).toEqual(new Map([[4, 'pyramidal']]));
    expect(ds.diagnostics.find((d) => d.code === 'nwb.noElectrodes')!.message).toMatch(/2 channels in a linear layout/);
    expect(ds.diagnostics.find((d) => d.code === 'nwb.rateFromTimestamps')).toBeTruthy();
    // No electrodes region: the data's columns are the channels, in order; conversion 1e-3 V → 1000 µV.
    expect(ds.raw!.gain).toBe(1000);
    expect(Array.from(ds.raw!.read(3, 5, [1, 0]))).toEqual([7, 6, 9, 8]);
  });

  it('merges the units\' trains in time, ties in unit order, below and beyond 2^32 samples (radix and key sort)', async () => {
    const h5wasm = (await import('h5wasm/node')).default;
    // No ElectricalSeries: 30 kHz. 150 000 s is 4.5e9 samples, past the radix sort's uint32 keys.
    for (const offset of [0, 150_000]) {
      const file = join(tmp, `ties-${offset}.nwb`);
      const f = new h5wasm.File(file, 'w');
      f.create_attribute('neurodata_type', 'NWBFile');
      f.create_attribute('nwb_version', '2.7.0');
      const u = f.create_group('units');
      u.create_attribute('neurodata_type', 'Units');
      u.create_attribute('colnames', ['spike_times']);
      u.create_dataset({ name: 'id', data: BigInt64Array.from([4n, 9n, 2n]) });
      u.create_dataset({ name: 'spike_times', data: Float64Array.from([0.5, 2, 0.5, 1, 0.25, 0.5].map((t) => t + offset)) });
      u.create_dataset({ name: 'spike_times_index', data: Int32Array.from([2, 4, 6]) });
      f.close();
      const ds = open(file);
      const base = offset * 30_000;
      expect(Array.from(ds.spikeTimes)).toEqual([7500, 15000, 15000, 15000, 30000, 60000].map((s) => s + base));
      expect(Array.from(ds.spikeClusters)).toEqual([2, 4, 9, 2, 9, 4]);
    }
  });

  it('reads the first Units table and ElectricalSeries and lists the others', async () => {
    const file = await edited('several', (f) => {
      const m = f.create_group('processing/ecephys');
      m.create_attribute('neurodata_type', 'ProcessingModule');
      f.create_hard_link('/units', '/processing/ecephys/curated_units');
      f.create_hard_link('/acquisition/ElectricalSeries', '/acquisition/ElectricalSeriesLFP');
    });
    const ds = open(file);
    expect(ds.nwb!.units).toBe('/units');
    expect(ds.nwb!.otherUnits).toEqual(['/processing/ecephys/curated_units']);
    expect(ds.nwb!.electricalSeries).toBe('/acquisition/ElectricalSeries');
    expect(ds.nwb!.otherSeries).toEqual(['/acquisition/ElectricalSeriesLFP']);
    expect(ds.diagnostics.find((d) => d.code === 'nwb.otherUnits')!.message).toMatch(/reading \/units; not read: \/processing\/ecephys\/curated_units \(choosing one on open comes later\)/);
  });

  it('refuses an HDF5 file that is not NWB, and an NWB file without Units, naming the file', async () => {
    const notNwb = await edited('notnwb', (f) => {
      f.delete_attribute('neurodata_type');
      f.delete_attribute('nwb_version');
    });
    expect(() => open(notNwb)).toThrow(DatasetOpenError);
    expect(() => open(notNwb)).toThrow(/notnwb\/sorting\.nwb: not an NWB file/);
    const h5wasm = (await import('h5wasm/node')).default;
    const noUnits = join(tmp, 'nounits.nwb');
    const f = new h5wasm.File(noUnits, 'w');
    f.create_attribute('neurodata_type', 'NWBFile');
    f.create_attribute('nwb_version', '2.7.0');
    f.create_group('acquisition');
    f.close();
    expect(() => open(noUnits)).toThrow(/nounits\.nwb: the NWB file has no Units table/);
    writeFileSync(join(tmp, 'fake.nwb'), 'not hdf5');
    expect(() => open(join(tmp, 'fake.nwb'))).toThrow(/fake\.nwb: not an HDF5 file/);
  });

  it('does not read back saved phy files of a folder shared with another .nwb, saying so', () => {
    const dir = join(tmp, 'shared-folder');
    mkdirSync(dir);
    copyFileSync(nwbFile, join(dir, 'a.nwb'));
    copyFileSync(nwbFile, join(dir, 'b.nwb'));
    writeFileSync(join(dir, 'spike_clusters.npy'), 'saved for a.nwb');
    const ds = open(join(dir, 'b.nwb'));
    expect(ds.nSpikes).toBe(phy.nSpikes);
    expect(ds.diagnostics.find((d) => d.code === 'nwb.sharedFolder')!.message).toMatch(/also holds a\.nwb: the saved phy files beside them .* are not read back/);
  });

  it('is found from the file or its folder; a folder with two .nwb files is refused', () => {
    expect(resolveDatasetPath(nwbFile)).toEqual({ kind: 'nwb', path: nwbFile, dir: nwbDir });
    expect(resolveDatasetPath(nwbDir)).toEqual({ kind: 'nwb', path: nwbFile, dir: nwbDir });
    const two = join(tmp, 'two');
    mkdirSync(two);
    writeFileSync(join(two, 'a.nwb'), '');
    writeFileSync(join(two, 'b.nwb'), '');
    expect(() => resolveDatasetPath(two)).toThrow(UserError);
    expect(() => resolveDatasetPath(two)).toThrow(/several \.nwb files \(a\.nwb, b\.nwb\); give the one to open/);
  });
});

describe('a real NWB file written by MatNWB (NWB 2.0b)', () => {
  // NeurodataWithoutBorders/matnwb `ecephys_tutorial.nwb` at e7401f8e (BSD 2-Clause; see
  // test/fixtures/nwb/README.md), read from a temp copy.
  const FIXTURE = join(__dirname, '../../../fixtures/nwb/matnwb-ecephys-tutorial-2.0b.nwb');

  it('reads its Units table through the region-reference index, and says what it cannot use', () => {
    const dir = join(tmp, 'matnwb');
    mkdirSync(dir);
    const file = join(dir, 'ecephys_tutorial.nwb');
    copyFileSync(FIXTURE, file);
    const ds = open(file);
    expect(ds.nwb!.version).toBe('2.0b');
    expect(ds.nwb!.unitIds).toEqual([1, 2, 3]);
    expect(ds.nwb!.idsMapped).toBe(false);
    expect(ds.sampleRate).toBe(200);
    expect(ds.nwb!.rateSource).toBe('rate');
    // spike_times [0.1 0.21 0.5 0.61 | 0.34 0.36 0.66 0.69 | 0.4 0.43] s at 200 Hz, merged in time.
    expect(Array.from(ds.spikeTimes)).toEqual([20, 42, 68, 72, 80, 86, 100, 122, 132, 138]);
    expect(Array.from(ds.spikeClusters)).toEqual([1, 1, 2, 2, 3, 3, 1, 1, 2, 2]);
    expect(ds.nChannels).toBe(10);
    expect(ds.diagnostics.find((d) => d.code === 'nwb.positions')!.severity).toBe('warning');
    // Its ElectricalSeries' electrodes region is MatNWB's old 2-value form: raw off, said, naming the dataset.
    expect(ds.raw).toBeNull();
    expect(ds.diagnostics.find((d) => d.code === 'nwb.raw')!.message).toMatch(/^ecephys_tutorial\.nwb: \/acquisition\/ECoG\/data: its electrodes region has 2 rows but data has 10 channels/);
    expect(ds.templates).toBeNull();
  });
});

/** A Python with h5py: the PATH's python3, else the system one (Debian's python3-h5py). */
function pythonWithH5py(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    if (spawnSync(py, ['-c', 'import h5py'], { encoding: 'utf8' }).status === 0) return py;
  }
  return null;
}
const PY_H5PY = pythonWithH5py();

describe.skipIf(!PY_H5PY)('the generated file read by h5py (skipped: no python3 with h5py installed)', () => {
  it('has the NWB attributes, references and layout pynwb writes', () => {
    const script = [
      'import h5py, json, sys',
      'f = h5py.File(sys.argv[1], "r")',
      'u = f["units"]',
      'ends = u["spike_times_index"][()].tolist()',
      'el = f["general/extracellular_ephys/electrodes"]',
      'es = f["acquisition/ElectricalSeries"]',
      'out = {',
      '  "root": {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in f.attrs.items()},',
      '  "units_type": u.attrs["neurodata_type"], "colnames": [str(c) for c in u.attrs["colnames"]],',
      '  "ids": u["id"][()].tolist(), "ends": ends, "times_dtype": str(u["spike_times"].dtype),',
      '  "index_target": f[u["spike_times_index"].attrs["target"]].name,',
      '  "region_table": f[u["electrodes"].attrs["table"]].name,',
      '  "group0": f[el["group"][0]].name, "group_name0": el["group_name"][0].decode(),',
      '  "wf_shape": list(u["waveform_mean"].shape),',
      '  "es_shape": list(es["data"].shape), "es_compression": es["data"].compression, "es_chunks": list(es["data"].chunks),',
      '  "rate": float(es["starting_time"].attrs["rate"]), "conversion": float(es["data"].attrs["conversion"]),',
      '}',
      'print(json.dumps(out))',
    ].join('\n');
    const r = spawnSync(PY_H5PY!, ['-c', script, nwbFile], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out.root).toMatchObject({ namespace: 'core', neurodata_type: 'NWBFile', nwb_version: '2.7.0' });
    expect((out.root as Record<string, string>).object_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(out.units_type).toBe('Units');
    expect(out.colnames).toEqual(['spike_times', 'electrodes', 'waveform_mean', 'quality', 'KSLabel', 'ContamPct', 'Amplitude', 'firing_rate', 'isi_violations_count']);
    const p = clusterSpikeCounts(phy.spikeClusters);
    expect(out.ids).toEqual(Array.from(p.ids));
    expect((out.ends as number[]).map((e, i, a) => e - (i ? a[i - 1] : 0))).toEqual(Array.from(p.counts));
    expect(out).toMatchObject({
      times_dtype: 'float64',
      index_target: '/units/spike_times',
      region_table: '/general/extracellular_ephys/electrodes',
      group0: '/general/extracellular_ephys/shank0',
      group_name0: 'shank0',
      wf_shape: [p.ids.length, 82, phy.nChannels],
      es_shape: [30_000, phy.nChannels],
      es_compression: 'gzip',
      es_chunks: [8000, phy.nChannels],
      rate: 30_000,
    });
    expect(out.conversion).toBeCloseTo(1e-6, 12);
  });
});
