import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetOpenError, invertMatrix, openTemplateDataset } from '../../../../src/core/dataset/kilosort';
import { sharedSpikeColumns, type Dataset } from '../../../../src/core/dataset/Dataset';
import { encodeNpy } from '../../../../src/core/formats/npy';
import { NodeFileSystem } from '../../../../src/main/io/NodeFileSystem';
import {
  N_CHANNELS,
  N_CHANNELS_DAT,
  N_SAMPLES_TPL,
  N_SPIKES,
  N_TEMPLATES,
  RAW_SAMPLES,
  SAMPLE_RATE,
  defaultFiles,
  encodeNpyFortran,
  makeTemplateFolder,
  templateOf,
  templateValue,
  timeOf,
} from '../../../helpers/templateFolder';
import type { FileContent } from '../../../helpers/templateFolder';

function open(overrides: Record<string, FileContent> = {}, opts?: { shared?: boolean }): Dataset {
  return openTemplateDataset(new NodeFileSystem(), makeTemplateFolder(overrides), opts);
}

function openError(overrides: Record<string, FileContent>): DatasetOpenError {
  try {
    open(overrides).close();
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetOpenError);
    return e as DatasetOpenError;
  }
  throw new Error('expected the open to fail');
}

const codes = (ds: Dataset): string[] => ds.diagnostics.map((d) => d.code);
const diag = (ds: Dataset, code: string) => ds.diagnostics.find((d) => d.code === code);

function snapshot(dir: string): string {
  return readdirSync(dir)
    .sort()
    .map((n) => `${n}:${statSync(join(dir, n)).size}:${statSync(join(dir, n)).mtimeMs}`)
    .join('\n');
}

describe('openTemplateDataset: a complete folder', () => {
  it('loads the per-spike columns, channels, templates and raw data', () => {
    const ds = open();
    expect(ds.format).toBe('template');
    expect(ds.nSpikes).toBe(N_SPIKES);
    expect(ds.nTemplates).toBe(N_TEMPLATES);
    expect(ds.nChannels).toBe(N_CHANNELS);
    expect(ds.sampleRate).toBe(SAMPLE_RATE);
    expect(ds.spikeTimes).toBeInstanceOf(Uint32Array);
    expect(ds.spikeTemplates).toBeInstanceOf(Uint16Array);
    expect(ds.spikeTimes[7]).toBe(timeOf(7));
    expect(ds.spikeTemplates![7]).toBe(templateOf(7));
    expect(ds.spikeClusters[7]).toBe(templateOf(7) + 10);
    expect(ds.amplitudes).toBeInstanceOf(Float32Array);
    expect(ds.amplitudes![50]).toBeCloseTo(1.5, 6);
    expect(Array.from(ds.channelMap)).toEqual([0, 1, 2, 4]);
    expect(Array.from(ds.channelPositions)).toEqual([0, 0, 0, 20, 16, 40, 16, 60]);
    expect(Array.from(ds.channelShanks)).toEqual([0, 0, 1, 1]);
    expect(Array.from(ds.channelProbes)).toEqual([0, 0, 0, 0]);
    expect(ds.similarTemplates!.length).toBe(N_TEMPLATES * N_TEMPLATES);
    expect(ds.whiteningMatInv![0]).toBe(2);
    expect(ds.clusterGroups.get(10)).toBe('good');
    expect(ds.clusterGroups.get(12)).toBe('noise');
    expect(ds.raw).not.toBeNull();
    expect(ds.raw!.nSamples).toBe(RAW_SAMPLES);
    expect(ds.raw!.nChannelsDat).toBe(N_CHANNELS_DAT);
    expect(ds.duration).toBe(RAW_SAMPLES / SAMPLE_RATE);
    expect(ds.diagnostics).toEqual([]);
    ds.close();
  });

  it('backs the per-spike columns with SharedArrayBuffers by default, and not when asked', () => {
    const ds = open();
    for (const a of [ds.spikeTimes, ds.spikeClusters, ds.spikeTemplates!, ds.amplitudes!]) expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    ds.close();
    const plain = open({}, { shared: false });
    expect(plain.spikeTimes.buffer).toBeInstanceOf(ArrayBuffer);
    plain.close();
  });

  it('reads templates lazily, one template per call, with dense channels', () => {
    const ds = open();
    const t = ds.templates!.getTemplate(3);
    expect(t.data.length).toBe(N_SAMPLES_TPL * N_CHANNELS);
    expect(t.data[2 * N_CHANNELS + 1]).toBe(templateValue(3, 2, 1));
    expect(Array.from(t.channels)).toEqual([0, 1, 2, 3]);
    expect(() => ds.templates!.getTemplate(N_TEMPLATES)).toThrow(RangeError);
    ds.close();
  });

  it('reads the raw data window by window', () => {
    const ds = open();
    const w = ds.raw!.read(1, 3, [0, 5]);
    expect(Array.from(w)).toEqual([(6 % 1000) - 500, (11 % 1000) - 500, (12 % 1000) - 500, (17 % 1000) - 500]);
    ds.close();
  });

  it('never writes into the folder', () => {
    const dir = makeTemplateFolder({ 'spike_clusters.npy': null, 'whitening_mat_inv.npy': null, 'whitening_mat.npy': encodeNpy([1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 4, 0, 0, 0, 0, 8], 'float64', [4, 4]) });
    const before = snapshot(dir);
    const ds = openTemplateDataset(new NodeFileSystem(), dir);
    ds.templates!.getTemplate(0);
    ds.close();
    expect(snapshot(dir)).toBe(before);
  });
});

describe('openTemplateDataset: layouts sorters write', () => {
  it('accepts (N, 1) columns and Fortran-order arrays (MATLAB)', () => {
    const f = defaultFiles();
    const n = N_SPIKES;
    const tpl = new Float32Array(N_TEMPLATES * N_SAMPLES_TPL * N_CHANNELS);
    for (let t = 0; t < N_TEMPLATES; t++)
      for (let s = 0; s < N_SAMPLES_TPL; s++) for (let c = 0; c < N_CHANNELS; c++) tpl[(t * N_SAMPLES_TPL + s) * N_CHANNELS + c] = templateValue(t, s, c);
    const ds = open({
      'spike_times.npy': encodeNpyFortran(Array.from({ length: n }, (_, i) => timeOf(i)), 'uint64', [n, 1]),
      'spike_templates.npy': encodeNpyFortran(Array.from({ length: n }, (_, i) => templateOf(i)), 'uint32', [n, 1]),
      'spike_clusters.npy': encodeNpy(Array.from({ length: n }, (_, i) => templateOf(i)), 'uint32', [n, 1]),
      'amplitudes.npy': encodeNpyFortran(Array.from({ length: n }, () => 2), 'float64', [n, 1]),
      'channel_positions.npy': encodeNpyFortran([0, 0, 0, 20, 16, 40, 16, 60], 'float64', [N_CHANNELS, 2]),
      'templates.npy': encodeNpyFortran(tpl, 'float32', [N_TEMPLATES, N_SAMPLES_TPL, N_CHANNELS]),
    });
    expect(f['spike_times.npy']).toBeDefined();
    expect(ds.spikeTimes[99]).toBe(timeOf(99));
    expect(ds.spikeTemplates![99]).toBe(templateOf(99));
    expect(Array.from(ds.channelPositions)).toEqual([0, 0, 0, 20, 16, 40, 16, 60]);
    const t = ds.templates!.getTemplate(4);
    for (let s = 0; s < N_SAMPLES_TPL; s++) for (let c = 0; c < N_CHANNELS; c++) expect(t.data[s * N_CHANNELS + c]).toBe(templateValue(4, s, c));
    ds.close();
  });

  it('copies spike_templates when spike_clusters.npy is missing (in memory only)', () => {
    const ds = open({ 'spike_clusters.npy': null });
    expect(Array.from(ds.spikeClusters)).toEqual(Array.from(ds.spikeTemplates!));
    expect(ds.spikeClusters.buffer).not.toBe(ds.spikeTemplates!.buffer);
    expect(diag(ds, 'spikeClusters.missing')?.severity).toBe('info');
    ds.close();
  });

  it('uses template_ind.npy for sparse templates', () => {
    const nc = 2;
    const tpl = Array.from({ length: N_TEMPLATES * N_SAMPLES_TPL * nc }, (_, k) => k);
    const ind = Array.from({ length: N_TEMPLATES * nc }, (_, k) => (k % 2 === 0 ? k % N_CHANNELS : -1));
    const ds = open({ 'templates.npy': encodeNpy(tpl, 'float32', [N_TEMPLATES, N_SAMPLES_TPL, nc]), 'template_ind.npy': encodeNpy(ind, 'int64', [N_TEMPLATES, nc]) });
    const t = ds.templates!.getTemplate(1);
    expect(ds.templates!.nChannelsLoc).toBe(2);
    expect(Array.from(t.channels)).toEqual([2, -1]);
    expect(t.data[0]).toBe(N_SAMPLES_TPL * nc);
    ds.close();
  });

  it('reads PC features lazily: float64 pc_feature_ind, unsorted spike-id subset, transposed to (n, channels, pcs)', () => {
    const nPcs = 3;
    const nc = 2;
    const ids = [40, 3, 17, 90];
    const rows = ids.length;
    // pc_features[r, p, c] = r * 100 + p * 10 + c
    const pcf = Array.from({ length: rows * nPcs * nc }, (_, k) => {
      const r = Math.floor(k / (nPcs * nc));
      const p = Math.floor((k % (nPcs * nc)) / nc);
      const c = k % nc;
      return r * 100 + p * 10 + c;
    });
    const ind = Array.from({ length: N_TEMPLATES * nc }, (_, k) => (Math.floor(k / nc) + (k % nc)) % N_CHANNELS);
    const ds = open({
      'pc_features.npy': encodeNpyFortran(pcf, 'float32', [rows, nPcs, nc]),
      'pc_feature_ind.npy': encodeNpy(ind, 'float64', [N_TEMPLATES, nc]),
      'pc_feature_spike_ids.npy': encodeNpy(ids, 'int64'),
    });
    const f = ds.features!;
    expect(f.nPcs).toBe(nPcs);
    expect(f.nChannelsLoc).toBe(nc);
    expect(Array.from(f.spikeIds!)).toEqual([3, 17, 40, 90]);
    const got = f.read([17, 40]);
    // spike 17 is row 2, spike 40 is row 0; data[(i, c, p)]
    expect(got.data[0 * nc * nPcs + 1 * nPcs + 2]).toBe(2 * 100 + 2 * 10 + 1);
    expect(got.data[1 * nc * nPcs + 0 * nPcs + 1]).toBe(0 * 100 + 1 * 10 + 0);
    const t17 = templateOf(17);
    expect(Array.from(got.channels.subarray(0, nc))).toEqual([t17 % N_CHANNELS, (t17 + 1) % N_CHANNELS]);
    expect(() => f.read([5])).toThrow(/no feature row/);
    ds.close();
  });

  it('reads template features with their template ids', () => {
    const ntf = 3;
    const tf = Array.from({ length: N_SPIKES * ntf }, (_, k) => k);
    const tfi = Array.from({ length: N_TEMPLATES * ntf }, (_, k) => (k + 1) % N_TEMPLATES);
    const ds = open({ 'template_features.npy': encodeNpy(tf, 'float32', [N_SPIKES, ntf]), 'template_feature_ind.npy': encodeNpy(tfi, 'float64', [N_TEMPLATES, ntf]) });
    const f = ds.templateFeatures!;
    expect(f.nPcs).toBe(1);
    expect(f.nChannelsLoc).toBe(ntf);
    expect(f.spikeIds).toBeNull();
    const got = f.read([6]);
    expect(Array.from(got.data)).toEqual([18, 19, 20]);
    const t = templateOf(6);
    expect(Array.from(got.channels)).toEqual([0, 1, 2].map((j) => (t * ntf + j + 1) % N_TEMPLATES));
    ds.close();
  });

  it('turns Kilosort 4 spike_<name>.npy files into spike attributes, skipping the known columns', () => {
    const pos = Array.from({ length: N_SPIKES * 2 }, (_, k) => k / 2);
    const ds = open({
      'spike_positions.npy': encodeNpy(pos, 'float32', [N_SPIKES, 2]),
      'spike_detection_templates.npy': encodeNpy(Array.from({ length: N_SPIKES }, (_, i) => i % 3), 'int32', [N_SPIKES, 1]),
      'spike_times_reordered.npy': encodeNpy(Array.from({ length: N_SPIKES }, (_, i) => i), 'int64'),
      'spike_short.npy': encodeNpy([1, 2, 3], 'int32'),
      'templates_ind.npy': encodeNpy([0], 'int32'),
      'ops.npy': encodeNpy([0], 'int32'),
      'kept_spikes.npy': encodeNpy(Array.from({ length: N_SPIKES }, () => 1), 'bool'),
    });
    expect(ds.spikeAttributes.map((a) => a.name).sort()).toEqual(['detection_templates', 'positions']);
    const p = ds.spikeAttributes.find((a) => a.name === 'positions')!;
    expect(p.nColumns).toBe(2);
    expect(Array.from(p.read([3, 4]))).toEqual([3, 3.5, 4, 4.5]);
    expect(diag(ds, 'lengths.mismatch')?.file).toMatch(/spike_short\.npy$/);
    // KS4's templates_ind.npy (with "s") is not phylib's template_ind.npy: templates stay dense.
    expect(Array.from(ds.templates!.getTemplate(0).channels)).toEqual([0, 1, 2, 3]);
    ds.close();
  });

  it('reads every cluster table except cluster_info, csv before tsv, later wins', () => {
    const ds = open({
      'cluster_group.tsv': 'cluster_id\tgroup\n10\tgood\n',
      'cluster_groups.csv': 'cluster_id,group\n10,noise\n11,mua\n',
      'cluster_KSLabel.tsv': 'cluster_id\tKSLabel\n10\tgood\n11\tmua\n',
      'cluster_ContamPct.tsv': 'cluster_id\tContamPct\n10\t3.5\n11\t100.0\n',
      'cluster_info.tsv': 'cluster_id\tch\tgroup\tExtra\n10\t1\tmua\t5\n',
      'notes.csv': 'a,b\n1,2\n',
    });
    expect(ds.clusterGroups.get(10)).toBe('good');
    expect(ds.clusterGroups.has(11)).toBe(false);
    const names = ds.clusterColumns.map((c) => c.name).sort();
    expect(names).toEqual(['ContamPct', 'KSLabel']);
    expect(ds.clusterColumns.find((c) => c.name === 'ContamPct')!.values.get(10)).toBe(3.5);
    expect(diag(ds, 'tsv.skipped')?.file).toMatch(/notes\.csv$/);
    ds.close();
  });

  it('accepts the ALF names (spike times in seconds)', () => {
    const f = defaultFiles();
    const secs = Array.from({ length: N_SPIKES }, (_, i) => timeOf(i) / SAMPLE_RATE);
    const ds = open({
      'spike_times.npy': null,
      'spike_templates.npy': null,
      'spike_clusters.npy': null,
      'channel_map.npy': null,
      'channel_positions.npy': null,
      'amplitudes.npy': null,
      'spikes.times.npy': encodeNpy(secs, 'float64'),
      'spikes.templates.npy': f['spike_templates.npy'],
      'spikes.clusters.npy': f['spike_clusters.npy'],
      'spikes.amps.npy': f['amplitudes.npy'],
      'channels.rawInd.npy': f['channel_map.npy'],
      'channels.localCoordinates.npy': f['channel_positions.npy'],
    });
    expect(ds.spikeTimes[42]).toBe(timeOf(42));
    expect(ds.spikeClusters[42]).toBe(templateOf(42) + 10);
    expect(ds.amplitudes).not.toBeNull();
    expect(ds.nChannels).toBe(N_CHANNELS);
    ds.close();
  });

  it('replaces duplicate channel positions by a linear layout', () => {
    const ds = open({ 'channel_positions.npy': encodeNpy([0, 0, 0, 0, 1, 1, 2, 2], 'float32', [4, 2]) });
    expect(Array.from(ds.channelPositions)).toEqual([0, 0, 0, 20, 0, 40, 0, 60]);
    expect(diag(ds, 'channelPositions.duplicate')?.severity).toBe('warning');
    ds.close();
  });
});

describe('openTemplateDataset: whitening', () => {
  it('computes the inverse of whitening_mat.npy in memory when whitening_mat_inv.npy is missing', () => {
    const w = [2, 1, 0, 0, 1, 3, 0, 0, 0, 0, 4, 1, 0, 0, 1, 5];
    const ds = open({ 'whitening_mat_inv.npy': null, 'whitening_mat.npy': encodeNpy(w, 'float64', [4, 4]) });
    const inv = ds.whiteningMatInv!;
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += w[i * 4 + k] * inv[k * 4 + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    expect(diag(ds, 'whitening.computed')?.severity).toBe('info');
    ds.close();
  });

  it('uses identity when neither matrix exists, and for a singular whitening matrix', () => {
    const none = open({ 'whitening_mat_inv.npy': null });
    expect(Array.from(none.whiteningMatInv!)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    none.close();
    const singular = open({ 'whitening_mat_inv.npy': null, 'whitening_mat.npy': encodeNpy(new Array(16).fill(1), 'float64', [4, 4]) });
    expect(singular.whiteningMatInv![5]).toBe(1);
    expect(diag(singular, 'whitening.singular')?.severity).toBe('warning');
    singular.close();
  });

  it('invertMatrix returns null for a singular matrix', () => {
    expect(invertMatrix([1, 2, 2, 4], 2)).toBeNull();
    expect(Array.from(invertMatrix([0, 1, 1, 0], 2)!)).toEqual([0, 1, 1, 0]);
  });
});

describe('openTemplateDataset: raw data (dat_path)', () => {
  const rawBytes = (samples: number): Uint8Array => new Uint8Array(new Int16Array(samples * N_CHANNELS_DAT).map((_, i) => i).buffer);
  const params = (datPath: string, extra = ''): string => `dat_path = ${datPath}\nn_channels_dat = ${N_CHANNELS_DAT}\ndtype = 'int16'\noffset = 0\nsample_rate = ${SAMPLE_RATE}\n${extra}`;

  it('concatenates a list of files', () => {
    const ds = open({ 'params.py': params("['a.dat', 'sub/b.dat']"), 'a.dat': rawBytes(100), 'sub/b.dat': rawBytes(50), 'rec.dat': null });
    expect(ds.raw!.nSamples).toBe(150);
    expect(ds.raw!.files.map((f) => f.split('/').pop())).toEqual(['a.dat', 'b.dat']);
    // The spikes run past the 150 raw samples: the duration is the last spike's, said once.
    expect(ds.duration).toBe(timeOf(N_SPIKES - 1) / SAMPLE_RATE);
    expect(ds.diagnostics.filter((d) => d.code === 'raw.short')).toMatchObject([{ severity: 'warning', message: expect.stringContaining('a.dat, ') }]);
    ds.close();
  });

  it('finds a file named by an absolute path from another machine next to params.py (Windows and POSIX)', () => {
    for (const p of ["r'C:\\Users\\lab\\data\\rec.dat'", "'D:/sorting/rec.dat'", "'/mnt/cluster/user/rec.dat'"]) {
      const ds = open({ 'params.py': params(p) });
      expect(ds.raw?.nSamples).toBe(RAW_SAMPLES);
      expect(diag(ds, 'raw.relocated')?.message).toMatch(/using rec\.dat found next to params\.py/);
      ds.close();
    }
  });

  it('opens without raw data for [] (info) and for a missing file (warning), saying what it disables', () => {
    const empty = open({ 'params.py': params('[]') });
    expect(empty.raw).toBeNull();
    expect(diag(empty, 'raw.none')).toMatchObject({ severity: 'info', disables: ['raw', 'waveforms', 'traces'] });
    expect(empty.duration).toBe(timeOf(N_SPIKES - 1) / SAMPLE_RATE);
    empty.close();
    const missing = open({ 'rec.dat': null });
    expect(missing.raw).toBeNull();
    const d = diag(missing, 'raw.missing')!;
    expect(d.severity).toBe('warning');
    expect(d.message).toMatch(/rec\.dat not found.*waveforms and traces/);
    expect(d.disables).toEqual(['raw', 'waveforms', 'traces']);
    missing.close();
    const noKey = open({ 'params.py': `n_channels_dat = 6\ndtype = 'int16'\nsample_rate = ${SAMPLE_RATE}\n` });
    expect(noKey.raw).toBeNull();
    expect(diag(noKey, 'raw.none')?.message).toMatch(/no dat_path/);
    noKey.close();
  });

  it('takes the gain from a SpikeGLX .meta beside a .bin', () => {
    const meta = ['imAiRangeMax=0.6', 'imAiRangeMin=-0.6', 'imMaxInt=512', 'imSampRate=1000', `nSavedChans=${N_CHANNELS_DAT}`, 'snsApLfSy=5,0,1', 'typeThis=imec', 'imDatPrb_type=0', '~imroTbl=(0,5)(0 0 0 500 250 1)(1 0 0 500 250 1)(2 0 0 500 250 1)(3 0 0 500 250 1)(4 0 0 500 250 1)'].join('\n');
    const ds = open({ 'params.py': params("'rec.ap.bin'"), 'rec.ap.bin': rawBytes(10), 'rec.ap.meta': meta + '\n', 'rec.dat': null });
    expect(ds.raw!.unit).toBe('µV');
    expect(ds.raw!.gain).toBeCloseTo(2.34375, 6);
    ds.close();
  });

  it('reports a raw file whose size is not a whole number of samples', () => {
    const bytes = rawBytes(10);
    const ds = open({ 'rec.dat': bytes.subarray(0, bytes.length - 2) });
    expect(diag(ds, 'raw.sizeMismatch')?.severity).toBe('warning');
    expect(ds.raw!.nSamples).toBe(9);
    ds.close();
  });

  it('disables raw data when channel_map points past n_channels_dat', () => {
    const ds = open({ 'channel_map.npy': encodeNpy([0, 1, 2, 6], 'int32') });
    expect(ds.raw).toBeNull();
    expect(diag(ds, 'channelMap.outOfRange')).toMatchObject({ severity: 'error', disables: ['raw', 'waveforms', 'traces'] });
    ds.close();
  });
});

describe('openTemplateDataset: problems', () => {
  it('zeroes all-NaN templates and warns once', () => {
    const tpl = new Float32Array(N_TEMPLATES * N_SAMPLES_TPL * N_CHANNELS).fill(1);
    tpl.fill(NaN, 2 * N_SAMPLES_TPL * N_CHANNELS, 3 * N_SAMPLES_TPL * N_CHANNELS);
    for (const enc of [encodeNpy, encodeNpyFortran]) {
      const ds = open({ 'templates.npy': enc(tpl, 'float32', [N_TEMPLATES, N_SAMPLES_TPL, N_CHANNELS]) });
      expect(Array.from(ds.templates!.getTemplate(2).data).every((v) => v === 0)).toBe(true);
      expect(ds.templates!.getTemplate(1).data[0]).toBe(1);
      expect(diag(ds, 'templates.allNaN')).toMatchObject({ severity: 'warning' });
      expect(diag(ds, 'templates.allNaN')!.message).toMatch(/1 template is all NaN \(2\)/);
      ds.close();
    }
  });

  it('disables templates and similarity when spike_templates refers past templates.npy', () => {
    const ds = open({ 'spike_templates.npy': encodeNpy(Array.from({ length: N_SPIKES }, (_, i) => (i === 30 ? 7 : templateOf(i))), 'int32') });
    expect(ds.templates).toBeNull();
    expect(ds.similarTemplates).toBeNull();
    const d = diag(ds, 'templates.outOfRange')!;
    expect(d).toMatchObject({ severity: 'error', disables: ['templates', 'similarity'] });
    expect(d.message).toMatch(/spike 30 has template 7 but templates\.npy has 5 templates/);
    ds.close();
  });

  it('is fatal for decreasing spike times, naming the first bad index', () => {
    const t = Array.from({ length: N_SPIKES }, (_, i) => timeOf(i));
    t[57] = 3;
    const e = openError({ 'spike_times.npy': encodeNpy(t, 'int64') });
    expect(e.code).toBe('spikeTimes.decreasing');
    expect(e.message).toMatch(/spike_times\.npy: spike times must be non-decreasing, but spike 57/);
  });

  it('is fatal for a missing required file, naming it', () => {
    for (const name of ['spike_times.npy', 'spike_templates.npy', 'channel_map.npy', 'channel_positions.npy', 'params.py']) {
      const e = openError({ [name]: null });
      expect(e.code).toBe('file.missing');
      expect(e.message).toContain(`${name} not found`);
      expect(e.diagnostics.at(-1)!.severity).toBe('fatal');
    }
  });

  it('is fatal for required per-spike files whose length differs, an error for optional ones', () => {
    const short = (name: string, dtype: 'int32' | 'float64') => encodeNpy(Array.from({ length: N_SPIKES - 1 }, (_, i) => templateOf(i)), dtype);
    const e = openError({ 'spike_templates.npy': short('t', 'int32') });
    expect(e.code).toBe('lengths.mismatch');
    expect(e.message).toMatch(/spike_templates\.npy: has 99 entries but spike_times\.npy has 100/);
    expect(openError({ 'spike_clusters.npy': short('c', 'int32') }).code).toBe('lengths.mismatch');
    const ds = open({ 'amplitudes.npy': short('a', 'float64') });
    expect(ds.amplitudes).toBeNull();
    expect(diag(ds, 'lengths.mismatch')).toMatchObject({ severity: 'error', disables: ['amplitudes'] });
    ds.close();
  });

  it('disables PC features whose rows do not match the spikes', () => {
    const ds = open({ 'pc_features.npy': encodeNpy(new Array(10 * 3 * 4).fill(0), 'float32', [10, 3, 4]) });
    expect(ds.features).toBeNull();
    const d = diag(ds, 'lengths.mismatch')!;
    expect(d.disables).toEqual(['features']);
    expect(d.message).toMatch(/has 10 rows but there are 100 spikes/);
    ds.close();
  });

  it('is fatal for a truncated or malformed required .npy, an error for an optional one', () => {
    const good = defaultFiles()['spike_times.npy'] as Uint8Array;
    const trunc = openError({ 'spike_times.npy': good.subarray(0, good.length - 8) });
    expect(trunc.code).toBe('npy.truncated');
    expect(trunc.file).toMatch(/spike_times\.npy$/);
    const bad = openError({ 'spike_templates.npy': 'not a numpy file at all' });
    expect(bad.code).toBe('npy.badMagic');
    expect(bad.message).toMatch(/spike_templates\.npy: not a \.npy file/);
    const amps = defaultFiles()['amplitudes.npy'] as Uint8Array;
    const ds = open({ 'amplitudes.npy': amps.subarray(0, 30), 'templates.npy': 'garbage, not a numpy array' });
    expect(ds.amplitudes).toBeNull();
    expect(ds.templates).toBeNull();
    expect(ds.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code).sort()).toEqual(['npy.badMagic', 'npy.truncated']);
    ds.close();
  });

  it('handles params.py oddities', () => {
    expect(openError({ 'params.py': 'import os\nos.remove("x")\n' }).code).toBe('params.syntax');
    expect(openError({ 'params.py': "dat_path = 'rec.dat'\nsample_rate = 'fast'\nn_channels_dat = 6\n" }).message).toMatch(/sample_rate must be a positive number/);
    const noRate = open({ 'params.py': "dat_path = 'rec.dat'\nn_channels_dat = 6\ndtype = 'int16'\n" });
    expect(noRate.sampleRate).toBe(1);
    expect(diag(noRate, 'params.sampleRate')?.severity).toBe('warning');
    noRate.close();
    const upper = open({ 'params.py': `# Kilosort output\nDAT_PATH = "rec.dat"  # comment\nN_CHANNELS_DAT = 6\nDTYPE = "<i2"\nOFFSET = 0\nSAMPLE_RATE = 1e3\n` });
    expect(upper.raw?.nSamples).toBe(RAW_SAMPLES);
    upper.close();
    const noNc = open({ 'params.py': `dat_path = 'rec.dat'\ndtype = 'int16'\nsample_rate = 1000\n` });
    expect(noNc.raw).toBeNull();
    expect(diag(noNc, 'params.n_channels_dat')?.severity).toBe('error');
    noNc.close();
    const badDtype = open({ 'params.py': `dat_path = 'rec.dat'\nn_channels_dat = 6\ndtype = 'int17'\nsample_rate = 1000\n` });
    expect(badDtype.raw).toBeNull();
    expect(diag(badDtype, 'params.dtype')?.message).toMatch(/int17/);
    badDtype.close();
    const badPath = open({ 'params.py': `dat_path = 5\nn_channels_dat = 6\nsample_rate = 1000\n` });
    expect(diag(badPath, 'params.datPath')?.severity).toBe('warning');
    badPath.close();
  });

  it('is fatal for a folder that does not exist or is a file', () => {
    const fs = new NodeFileSystem();
    const dir = makeTemplateFolder();
    expect(() => openTemplateDataset(fs, join(dir, 'nope'))).toThrow(/no such folder/);
    expect(() => openTemplateDataset(fs, join(dir, 'params.py'))).toThrow(/not a folder/);
  });

  it('carries every diagnostic in the error', () => {
    const dir = makeTemplateFolder({ 'rec.dat': null });
    writeFileSync(join(dir, 'spike_templates.npy'), 'x');
    try {
      openTemplateDataset(new NodeFileSystem(), dir);
      throw new Error('expected a failure');
    } catch (e) {
      const err = e as DatasetOpenError;
      expect(err.diagnostics.map((d) => d.severity)).toContain('fatal');
      expect(err.describe()).toMatch(/fatal \[npy\.truncated\]/);
    }
  });
});

describe('diagnostics are typed', () => {
  it('every diagnostic names its file', () => {
    const ds = open({ 'rec.dat': null, 'spike_clusters.npy': null, 'whitening_mat_inv.npy': null });
    // Clusters are then the templates (0–4): cluster_group.tsv's rows for 10–12 name no cluster.
    expect(codes(ds).sort()).toEqual(['raw.missing', 'spikeClusters.missing', 'tsv.rejectedRows']);
    for (const d of ds.diagnostics) expect(d.file).toMatch(/^\//);
    ds.close();
  });
});

describe('openTemplateDataset with columns another thread opened (issue 16: one shared copy)', () => {
  it('takes the given shared columns as they are and reads the rest of the folder', () => {
    const dir = makeTemplateFolder();
    const fs = new NodeFileSystem();
    const first = openTemplateDataset(fs, dir, { shared: true });
    const columns = sharedSpikeColumns(first)!;
    expect(columns).not.toBeNull();
    // The files changed on disk since: the given columns win, so they are not read again.
    writeFileSync(join(dir, 'spike_times.npy'), encodeNpy([1, 2, 3], 'int64'));
    writeFileSync(join(dir, 'amplitudes.npy'), encodeNpy([0], 'float32'));
    const second = openTemplateDataset(fs, dir, { shared: true, columns });
    try {
      expect(second.spikeTimes).toBe(first.spikeTimes);
      expect(second.spikeTemplates).toBe(first.spikeTemplates);
      expect(second.spikeClusters).toBe(first.spikeClusters);
      expect(second.amplitudes).toBe(first.amplitudes);
      expect(second.spikeClustersLayout).toEqual(first.spikeClustersLayout);
      expect(second.nSpikes).toBe(N_SPIKES);
      expect(second.nTemplates).toBe(N_TEMPLATES);
      expect(second.templates!.getTemplate(2).data).toEqual(first.templates!.getTemplate(2).data);
      expect(second.duration).toBe(first.duration);
    } finally {
      first.close();
      second.close();
    }
  });

  it('shares only SharedArrayBuffer-backed columns', () => {
    const ds = open({}, { shared: false });
    expect(sharedSpikeColumns(ds)).toBeNull();
    ds.close();
  });
});
