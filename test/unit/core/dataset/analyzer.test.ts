/**
 * The SpikeInterface SortingAnalyzer reader on analyzers written by our generator
 * (`generate --format analyzer`), checked against the phy folder generated from the same seed.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnalyzerDataset } from '../../../../src/core/dataset/analyzer';
import { clusterIdsForUnits } from '../../../../src/core/dataset/analyzer/sorting';
import { sparseChannelIndex } from '../../../../src/core/dataset/analyzer/extensions';
import { parsePythonJson } from '../../../../src/core/dataset/analyzer/json';
import { clusterSpikeCounts } from '../../../../src/core/dataset/datasetInfo';
import type { Dataset } from '../../../../src/core/dataset/Dataset';
import { DatasetOpenError } from '../../../../src/core/dataset/DatasetOpenError';
import { MemoryByteSource } from '../../../../src/core/formats/ByteSource';
import { NpyFile, encodeNpy, encodeNpyHeaderDescr } from '../../../../src/core/formats/npy';
import { generateDataset } from '../../../../src/main/generate/generateDataset';
import { NodeFileSystem } from '../../../../src/main/io/NodeFileSystem';
import { openDataset, resolveDatasetPath } from '../../../../src/main/openDataset';
import { UserError } from '../../../../src/main/UserError';

const SEED = 7;
let tmp: string;
let phyDir: string;
let anDir: string;
let strDir: string;
const opened: Dataset[] = [];

function open(dir: string): Dataset {
  const ds = openAnalyzerDataset(new NodeFileSystem(), dir, { shared: false });
  opened.push(ds);
  return ds;
}

/** A copy of the generated analyzer, changed by `edit`, in a fresh folder. */
function variant(edit: (dir: string) => void, from = anDir): string {
  const dir = mkdtempSync(join(tmp, 'variant-'));
  cpSync(from, dir, { recursive: true });
  edit(dir);
  return dir;
}

function editJson(file: string, edit: (j: Record<string, unknown>) => void): void {
  const j = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(j);
  writeFileSync(file, JSON.stringify(j));
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'spikedock-analyzer-'));
  phyDir = join(tmp, 'phy');
  anDir = join(tmp, 'analyzer');
  strDir = join(tmp, 'analyzer-str');
  await generateDataset(phyDir, { preset: 'small', seed: SEED, rawSeconds: 1 });
  await generateDataset(anDir, { preset: 'small', seed: SEED, rawSeconds: 1, format: 'analyzer' });
  await generateDataset(strDir, { preset: 'small', seed: SEED, raw: false, format: 'analyzer', stringUnitIds: true });
}, 120_000);

afterAll(() => {
  for (const d of opened) d.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('SortingAnalyzer binary_folder', () => {
  it('holds the phy folder\'s spikes: same times, same spike count per unit', async () => {
    const phy = await openDataset(phyDir, { shared: false });
    opened.push(phy);
    const an = open(anDir);
    expect(an.format).toBe('analyzer');
    expect(an.nSpikes).toBe(phy.nSpikes);
    expect(an.spikeTimes).toEqual(phy.spikeTimes);
    const a = clusterSpikeCounts(an.spikeClusters);
    const p = clusterSpikeCounts(phy.spikeClusters);
    expect(Array.from(a.ids)).toEqual(Array.from(p.ids));
    expect(Array.from(a.counts)).toEqual(Array.from(p.counts));
    expect(an.analyzer!.idsMapped).toBe(false);
    expect(an.analyzer!.unitIds).toEqual(Array.from(p.ids));
    expect(an.sampleRate).toBe(phy.sampleRate);
    // The analyzer knows the recording's length (recording_attributes num_samples); phy only the last spike.
    expect(an.duration).toBe(60);
    expect(an.duration).toBeGreaterThanOrEqual(phy.duration);
    expect(an.nChannels).toBe(phy.nChannels);
    expect(an.channelPositions).toEqual(phy.channelPositions);
    expect(an.channelShanks).toEqual(phy.channelShanks);
    // The sorting's `quality` property is phy's group column: the same groups.
    expect([...an.clusterGroups].sort()).toEqual([...phy.clusterGroups].sort());
    for (const name of ['KSLabel', 'ContamPct', 'Amplitude']) {
      expect([name, [...an.clusterColumns.find((c) => c.name === name)!.values].sort()]).toEqual([name, [...phy.clusterColumns.find((c) => c.name === name)!.values].sort()]);
    }
    // The raw file holds the analyzer's channels in order: phy's mapped columns, sample for sample.
    expect(an.raw!.nSamples).toBe(phy.raw!.nSamples);
    const cols = Array.from({ length: an.nChannels }, (_, c) => c);
    expect(an.raw!.read(1000, 1100, cols)).toEqual(phy.raw!.read(1000, 1100, phy.channelMap));
  });

  it('reads every extension the views use, lazily where large', () => {
    const an = open(anDir);
    const nUnits = an.analyzer!.unitIds.length;
    expect(an.nTemplates).toBe(nUnits);
    expect(an.spikeTemplates!.length).toBe(an.nSpikes);
    expect(an.templates!.nTemplates).toBe(nUnits);
    expect(an.templates!.nSamples).toBe(82);
    expect(an.templates!.nChannelsLoc).toBe(an.nChannels);
    const t = an.templates!.getTemplate(0);
    expect(t.data.some((v) => v !== 0)).toBe(true);
    expect(an.similarTemplates!.length).toBe(nUnits * nUnits);
    expect(an.similarTemplates![0]).toBe(1);
    expect(an.amplitudes!.length).toBe(an.nSpikes);
    expect(an.analyzer!.noiseLevels!.length).toBe(an.nChannels);
    // PC features exist for the sampled spikes only, on each unit's sparse channels.
    const f = an.features!;
    expect(f.nPcs).toBe(3);
    const ids = f.spikeIds!;
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(an.nSpikes);
    const some = ids.slice(0, 5);
    const rows = f.read(some);
    expect(rows.data.length).toBe(5 * f.nChannelsLoc * 3);
    const mask = new Set<number>();
    for (let c = 0; c < f.nChannelsLoc; c++) if (rows.channels[c] >= 0) mask.add(rows.channels[c]);
    expect(mask.size).toBeGreaterThan(0);
    expect(an.spikeAttributes.map((a) => a.name)).toEqual(['locations']);
    expect(an.spikeAttributes[0].read([0, 1]).length).toBe(4);
    // Unit properties (as SpikeInterface's phy reader names the phy tables), then quality metrics.
    expect(an.clusterColumns.map((c) => c.name)).toEqual(['Amplitude', 'ContamPct', 'KSLabel', 'original_cluster_id', 'num_spikes', 'firing_rate', 'isi_violations_count', 'rp_contamination']);
    const counts = clusterSpikeCounts(an.spikeClusters);
    const numSpikes = an.clusterColumns.find((c) => c.name === 'num_spikes')!.values;
    for (let i = 0; i < counts.ids.length; i++) expect(numSpikes.get(counts.ids[i])).toBe(counts.counts[i]);
    expect(an.analyzer!.workerFiles.templates).toMatch(/extensions[\\/]templates[\\/]average\.npy$/);
    expect(an.analyzer!.workerFiles.features!.ind.length).toBe(nUnits * f.nChannelsLoc);
    // Only 1 s of raw data was written: said once, nothing else is wrong.
    expect(an.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.code)).toEqual(['raw.short']);
  });

  it('maps string unit ids to cluster ids and shows the original id beside them', () => {
    const an = open(strDir);
    const phyCounts = clusterSpikeCounts(open(anDir).spikeClusters);
    const a = an.analyzer!;
    expect(a.idsMapped).toBe(true);
    expect(a.unitIds).toEqual(Array.from(phyCounts.ids, (id) => `u${id}`));
    const counts = clusterSpikeCounts(an.spikeClusters);
    expect(Array.from(counts.ids)).toEqual(Array.from({ length: a.unitIds.length }, (_, i) => i));
    expect(Array.from(counts.counts)).toEqual(Array.from(phyCounts.counts));
    const unitId = an.clusterColumns.find((c) => c.name === 'unit_id')!;
    expect(unitId.values.get(0)).toBe(a.unitIds[0]);
    expect(unitId.values.get(a.unitIds.length - 1)).toBe(a.unitIds[a.unitIds.length - 1]);
    // metrics.csv rows are keyed by the string ids and land on the mapped clusters.
    const numSpikes = an.clusterColumns.find((c) => c.name === 'num_spikes')!.values;
    expect(numSpikes.get(3)).toBe(counts.counts[3]);
    expect(an.raw).toBeNull();
    expect(an.diagnostics.find((d) => d.code === 'raw.none')?.message).toMatch(/without its recording \(no recording\.json\)/);
  });

  it('a missing extension disables only what needs it, naming it', () => {
    const noAmps = open(variant((d) => rmSync(join(d, 'extensions/spike_amplitudes'), { recursive: true })));
    expect(noAmps.amplitudes).toBeNull();
    expect(noAmps.templates).not.toBeNull();
    expect(noAmps.features).not.toBeNull();
    expect(noAmps.similarTemplates).not.toBeNull();
    const d = noAmps.diagnostics.find((x) => x.code === 'analyzer.noExtension' && x.message.includes('spike_amplitudes'))!;
    expect(d.disables).toEqual(['amplitudes']);
    expect(d.message).toMatch(/no spike_amplitudes extension: AmplitudeView has no amplitudes of every spike \(compute it in SpikeInterface with analyzer\.compute\("spike_amplitudes"\)\)/);

    const noPcs = open(variant((d) => rmSync(join(d, 'extensions/random_spikes'), { recursive: true })));
    expect(noPcs.features).toBeNull();
    expect(noPcs.amplitudes).not.toBeNull();
    expect(noPcs.diagnostics.find((x) => x.disables?.includes('features'))!.message).toMatch(/random_spikes extension .* is missing; PC features disabled/);

    const median = open(variant((d) => renameSync(join(d, 'extensions/templates/average.npy'), join(d, 'extensions/templates/median.npy'))));
    expect(median.templates!.nTemplates).toBe(noAmps.templates!.nTemplates);

    const unfinished = open(variant((d) => editJson(join(d, 'extensions/templates/run_info.json'), (j) => (j.run_completed = false))));
    expect(unfinished.templates).toBeNull();
    expect(unfinished.diagnostics.find((x) => x.disables?.includes('templates'))!.message).toMatch(/templates extension was not run to completion/);
  });

  it('reads float64 templates (SpikeInterface averages in float64) like float32 ones', () => {
    const file = join(anDir, 'extensions/templates/average.npy');
    const npy = NpyFile.open(new MemoryByteSource(new Uint8Array(readFileSync(file)), file));
    const f64 = open(variant((d) => writeFileSync(join(d, 'extensions/templates/average.npy'), encodeNpy(npy.read({ as: 'float64' }), 'float64', npy.header.shape))));
    expect(f64.templates!.getTemplate(3)).toEqual(open(anDir).templates!.getTemplate(3));
  });

  it('disables PC features of a sparse projection without its sparsity mask, saying why', () => {
    const ds = open(variant((d) => rmSync(join(d, 'sparsity_mask.npy'))));
    expect(ds.features).toBeNull();
    expect(ds.templates).not.toBeNull();
    expect(ds.diagnostics.find((x) => x.disables?.includes('features'))!.message).toMatch(/has \d+ channel columns but the analyzer has 32 channels and no sparsity_mask\.npy; PC features disabled/);
  });

  it('reads PC features of a concatenated PCA as absent, saying why', () => {
    const ds = open(variant((d) => editJson(join(d, 'extensions/principal_components/params.json'), (j) => (j.mode = 'concatenated'))));
    expect(ds.features).toBeNull();
    expect(ds.diagnostics.find((x) => x.code === 'analyzer.pcaConcatenated')!.message).toMatch(/no per-channel features/);
  });

  it('refuses a multi-segment analyzer, naming the folder', () => {
    const dir = variant((d) => editJson(join(d, 'sorting/numpysorting_info.json'), (j) => (j.num_segments = 2)));
    let err: unknown;
    try {
      open(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatasetOpenError);
    expect((err as Error).message).toContain(dir);
    expect((err as Error).message).toMatch(/has 2 segments; spikedock opens single-segment analyzers only/);
  });

  it('reads a BinaryFolderRecording and says plainly when the recording is not a binary file', () => {
    const folderRec = variant((d) => {
      mkdirSync(join(d, 'rec'));
      cpSync(join(d, 'recording.dat'), join(d, 'rec', 'traces_cached_seg0.raw'));
      rmSync(join(d, 'recording.dat'));
      const inner = JSON.parse(readFileSync(join(d, 'recording.json'), 'utf8')) as { kwargs: { file_paths: string[] } };
      inner.kwargs.file_paths = ['traces_cached_seg0.raw'];
      writeFileSync(join(d, 'rec', 'binary.json'), JSON.stringify(inner));
      writeFileSync(join(d, 'recording.json'), JSON.stringify({ class: 'spikeinterface.core.binaryfolder.BinaryFolderRecording', module: 'spikeinterface', kwargs: { folder_path: 'rec' }, relative_paths: true }));
    });
    const ds = open(folderRec);
    expect(ds.raw!.files[0]).toMatch(/rec[\\/]traces_cached_seg0\.raw$/);

    const pickled = open(
      variant((d) => {
        rmSync(join(d, 'recording.json'));
        writeFileSync(join(d, 'recording.pickle'), Buffer.from([0x80, 0x04, 0x2e]));
      }),
    );
    expect(pickled.raw).toBeNull();
    expect(pickled.diagnostics.find((x) => x.code === 'analyzer.recordingPickle')!.message).toMatch(/saved as a Python pickle \(recording\.pickle\), which spikedock does not read: opened without raw data/);

    const glx = { class: 'spikeinterface.extractors.neoextractors.spikeglx.SpikeGLXRecordingExtractor', kwargs: { folder_path: '/data/run_g0', stream_id: 'imec0.ap' } };
    const filtered = open(variant((d) => writeFileSync(join(d, 'recording.json'), JSON.stringify({ class: 'spikeinterface.preprocessing.filter.BandpassFilterRecording', kwargs: { recording: glx } }))));
    expect(filtered.raw).toBeNull();
    expect(filtered.diagnostics.find((x) => x.code === 'analyzer.recording')!.message).toMatch(
      /the recording is a SpikeGLXRecordingExtractor under BandpassFilter, not a flat binary file .*templates, features, amplitudes and curation still work/,
    );
  });

  it('lists unit properties it cannot show (Python object arrays) in one info line', () => {
    const ds = open(
      variant((d) => {
        const head = encodeNpyHeaderDescr("'|O'", [3]);
        writeFileSync(join(d, 'sorting/properties/notes.npy'), Buffer.concat([head, Buffer.from([0x80, 0x04, 0x2e])]));
        writeFileSync(join(d, 'sorting/properties/short.npy'), encodeNpy([1, 2], 'int32'));
      }),
    );
    expect(ds.diagnostics.find((x) => x.code === 'analyzer.properties')!.message).toBe('unit properties not shown (Python object arrays, or not one value per unit): notes, short');
    expect(ds.clusterColumns.map((c) => c.name)).toContain('KSLabel');
  });

  it('reads the binary file under channel-preserving preprocessing and a channel slice, saying what is not applied', () => {
    const phy = open(anDir);
    // The phy folder's recording.dat has 34 columns in a shuffled order: the analyzer's channels
    // are a slice of it, by channel id, under a filter and a common reference.
    const phyDat = join(phyDir, 'recording.dat');
    const params = readFileSync(join(phyDir, 'params.py'), 'utf8');
    const nDat = Number(/n_channels_dat = (\d+)/.exec(params)![1]);
    const cm = join(phyDir, 'channel_map.npy');
    const map = Array.from(NpyFile.open(new MemoryByteSource(new Uint8Array(readFileSync(cm)), cm)).read({ as: 'int32' }));
    const binary = { class: 'spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor', kwargs: { file_paths: [phyDat], sampling_frequency: 30000, num_channels: nDat, dtype: '<i2', channel_ids: Array.from({ length: nDat }, (_, k) => `ch${k}`), time_axis: 0, file_offset: 0 }, relative_paths: false };
    const chain = {
      class: 'spikeinterface.preprocessing.common_reference.CommonReferenceRecording',
      kwargs: { recording: { class: 'spikeinterface.core.channelslice.ChannelSliceRecording', kwargs: { parent_recording: { class: 'spikeinterface.preprocessing.filter.BandpassFilterRecording', kwargs: { recording: binary } }, channel_ids: map.map((k) => `ch${k}`), renamed_channel_ids: null } } },
      relative_paths: false,
    };
    const ds = open(variant((d) => writeFileSync(join(d, 'recording.json'), JSON.stringify(chain))));
    expect(Array.from(ds.channelMap)).toEqual(map);
    expect(ds.raw!.nChannelsDat).toBe(nDat);
    const cols = Array.from({ length: ds.nChannels }, (_, c) => c);
    expect(ds.raw!.read(2000, 2050, ds.channelMap)).toEqual(phy.raw!.read(2000, 2050, cols));
    expect(ds.diagnostics.find((x) => x.code === 'analyzer.preprocessing')!.message).toBe("traces and waveforms are read from recording.dat as recorded: SpikeInterface's preprocessing (CommonReference → BandpassFilter) is not applied");
  });

  it('uses the recording attributes\' locations when probegroup.json is absent', () => {
    const ds = open(variant((d) => rmSync(join(d, 'recording_info/probegroup.json'))));
    expect(ds.channelPositions).toEqual(open(anDir).channelPositions);
  });
});

describe('analyzer detection', () => {
  it('finds an analyzer by spikeinterface_info.json or a Zarr store\'s attributes, and refuses non-analyzer folders', () => {
    expect(resolveDatasetPath(anDir)).toEqual({ kind: 'analyzer', path: anDir, dir: anDir });
    expect(resolveDatasetPath(join(anDir, 'spikeinterface_info.json')).kind).toBe('analyzer');
    const zarr = join(tmp, 'an.zarr');
    mkdirSync(zarr);
    writeFileSync(join(zarr, '.zattrs'), JSON.stringify({ spikeinterface_info: { object: 'SortingAnalyzer', version: '0.105.0' } }));
    // Zarr analyzers are opened as such (analyzerZarr.test.ts); the binary reader refuses them.
    expect(resolveDatasetPath(zarr)).toEqual({ kind: 'analyzer', path: zarr, dir: tmp, zarr: true });
    expect(() => open(zarr)).toThrow(/a Zarr store, not a binary_folder/);
    const other = join(tmp, 'other.zarr');
    mkdirSync(other);
    writeFileSync(join(other, '.zgroup'), '{"zarr_format": 2}');
    expect(() => resolveDatasetPath(other)).toThrow(UserError);
    expect(() => resolveDatasetPath(other)).toThrow(`${other}: a Zarr store that is not a SpikeInterface SortingAnalyzer`);
    const rec = join(tmp, 'rec');
    mkdirSync(rec);
    writeFileSync(join(rec, 'spikeinterface_info.json'), JSON.stringify({ object: 'BinaryFolderRecording' }));
    expect(() => resolveDatasetPath(rec)).toThrow(/a SpikeInterface "BinaryFolderRecording" folder, not a SortingAnalyzer/);
  });
});

describe('analyzer pieces', () => {
  it('keeps distinct non-negative integer unit ids, else maps to indices', () => {
    expect(clusterIdsForUnits([0, 3, 7])).toEqual({ unitClusterIds: Int32Array.from([0, 3, 7]), idsMapped: false });
    expect(clusterIdsForUnits(['a', 'b'])).toEqual({ unitClusterIds: Int32Array.from([0, 1]), idsMapped: true });
    expect(clusterIdsForUnits([-1, 2]).idsMapped).toBe(true);
    expect(clusterIdsForUnits(['0', '1']).idsMapped).toBe(true);
  });

  it('builds the sparse channel index of a sparsity mask', () => {
    const mask = Uint8Array.from([1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1]);
    expect(Array.from(sparseChannelIndex(mask, 3, 4, 2) as Int32Array)).toEqual([0, 1, 1, 2, 3, -1]);
    expect(sparseChannelIndex(mask, 3, 4, 1)).toMatch(/unit index 0 has more than 1 channels/);
  });

  it('reads Python JSON with NaN and Infinity', () => {
    expect(parsePythonJson('{"a": NaN, "b": [Infinity, -Infinity], "c": "NaN"}')).toEqual({ a: null, b: [null, null], c: 'NaN' });
  });
});
