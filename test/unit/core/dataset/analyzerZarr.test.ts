/**
 * SortingAnalyzers saved with `format="zarr"` (written by `generate --format analyzer-zarr`),
 * checked against the `binary_folder` analyzer and the phy folder generated from the same seed:
 * the Zarr path must read the same spikes, templates, amplitudes, features, locations and
 * columns, through the same reader.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnalyzerDataset, openZarrAnalyzerDataset } from '../../../../src/core/dataset/analyzer';
import { clusterSpikeCounts } from '../../../../src/core/dataset/datasetInfo';
import type { Dataset } from '../../../../src/core/dataset/Dataset';
import { DatasetOpenError } from '../../../../src/core/dataset/DatasetOpenError';
import type { ZarrStore } from '../../../../src/core/formats/zarr';
import { ZARR_STORE, generateDataset } from '../../../../src/main/generate/generateDataset';
import { FolderZarrStore } from '../../../../src/main/io/FolderZarrStore';
import { NodeFileSystem } from '../../../../src/main/io/NodeFileSystem';
import { openDataset, resolveDatasetPath } from '../../../../src/main/openDataset';
import { UserError } from '../../../../src/main/UserError';

const SEED = 7;
let tmp: string;
let phyDir: string;
let binDir: string;
let zarrDir: string;
let strDir: string;
const opened: Dataset[] = [];

const store = (dir: string) => join(dir, ZARR_STORE);

async function openZarr(dir: string, s: ZarrStore = new FolderZarrStore(store(dir))): Promise<Dataset> {
  const ds = await openZarrAnalyzerDataset(new NodeFileSystem(), s, store(dir), { shared: false });
  opened.push(ds);
  return ds;
}

/** A copy of the generated Zarr analyzer folder, changed by `edit`. */
function variant(edit: (zarr: string) => void): string {
  const dir = mkdtempSync(join(tmp, 'variant-'));
  cpSync(zarrDir, dir, { recursive: true });
  edit(store(dir));
  return dir;
}

/** Removes a group or array from the store and from its consolidated metadata. */
function removeNode(zarr: string, node: string): void {
  rmSync(join(zarr, node), { recursive: true, force: true });
  const file = join(zarr, '.zmetadata');
  const z = JSON.parse(readFileSync(file, 'utf8')) as { metadata: Record<string, unknown> };
  for (const k of Object.keys(z.metadata)) if (k.startsWith(`${node}/`)) delete z.metadata[k];
  writeFileSync(file, JSON.stringify(z));
}

/** A store held in memory with no listing: what a remote (HTTP) store offers. */
class MapStore implements ZarrStore {
  readonly name = 'memory://analyzer.zarr';
  constructor(private readonly map: Map<string, Uint8Array>) {}
  async get(key: `/${string}`): Promise<Uint8Array | undefined> {
    return this.map.get(key);
  }
  static async of(dir: string): Promise<MapStore> {
    const map = new Map<string, Uint8Array>();
    for (const f of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (f.isFile()) map.set(`/${relative(dir, join(f.parentPath, f.name)).split('\\').join('/')}`, new Uint8Array(await readFile(join(f.parentPath, f.name))));
    }
    return new MapStore(map);
  }
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'spikedock-analyzer-zarr-'));
  phyDir = join(tmp, 'phy');
  binDir = join(tmp, 'binary');
  zarrDir = join(tmp, 'zarr');
  strDir = join(tmp, 'zarr-str');
  await generateDataset(phyDir, { preset: 'small', seed: SEED, raw: false });
  await generateDataset(binDir, { preset: 'small', seed: SEED, rawSeconds: 1, format: 'analyzer' });
  await generateDataset(zarrDir, { preset: 'small', seed: SEED, rawSeconds: 1, format: 'analyzer-zarr' });
  await generateDataset(strDir, { preset: 'small', seed: SEED, raw: false, format: 'analyzer-zarr', stringUnitIds: true });
}, 180_000);

afterAll(() => {
  for (const d of opened) d.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('SortingAnalyzer zarr', () => {
  it('reads what the binary_folder of the same seed holds: spikes, templates, amplitudes, features, locations, columns, raw', async () => {
    const bin = openAnalyzerDataset(new NodeFileSystem(), binDir, { shared: false });
    opened.push(bin);
    const phy = await openDataset(phyDir, { shared: false });
    opened.push(phy);
    const z = await openZarr(zarrDir);
    expect(z.format).toBe('analyzer');
    expect(z.analyzer!.storage).toBe('zarr');
    expect(z.path).toBe(store(zarrDir));
    // A save writes beside the store, never into it.
    expect(z.dir).toBe(zarrDir);
    expect(z.nSpikes).toBe(phy.nSpikes);
    expect(z.spikeTimes).toEqual(bin.spikeTimes);
    expect(z.spikeTimes).toEqual(phy.spikeTimes);
    const a = clusterSpikeCounts(z.spikeClusters);
    const p = clusterSpikeCounts(phy.spikeClusters);
    expect(Array.from(a.ids)).toEqual(Array.from(p.ids));
    expect(Array.from(a.counts)).toEqual(Array.from(p.counts));
    expect(z.analyzer!.unitIds).toEqual(bin.analyzer!.unitIds);
    expect(z.sampleRate).toBe(bin.sampleRate);
    expect(z.duration).toBe(bin.duration);
    expect(z.channelPositions).toEqual(bin.channelPositions);
    expect(z.channelShanks).toEqual(bin.channelShanks);
    expect(z.analyzer!.extensions).toEqual(bin.analyzer!.extensions);
    for (let u = 0; u < z.nTemplates; u += 5) expect(z.templates!.getTemplate(u)).toEqual(bin.templates!.getTemplate(u));
    expect(z.similarTemplates).toEqual(bin.similarTemplates);
    expect(z.amplitudes).toEqual(bin.amplitudes);
    expect(z.analyzer!.noiseLevels).toEqual(bin.analyzer!.noiseLevels);
    expect(z.features!.spikeIds).toEqual(bin.features!.spikeIds);
    const some = bin.features!.spikeIds!.slice(0, 20);
    expect(z.features!.read(some)).toEqual(bin.features!.read(some));
    expect(z.analyzer!.workerFiles.features!.ind).toEqual(bin.analyzer!.workerFiles.features!.ind);
    expect(z.spikeAttributes[0].read([0, 1, 500])).toEqual(bin.spikeAttributes[0].read([0, 1, 500]));
    // A dataframe's columns come back in the group's (sorted) key order, as SpikeInterface's load_data reads them.
    expect(z.clusterColumns.map((c) => c.name).sort()).toEqual(bin.clusterColumns.map((c) => c.name).sort());
    for (const c of z.clusterColumns) expect([c.name, [...c.values]]).toEqual([c.name, [...bin.clusterColumns.find((b) => b.name === c.name)!.values]]);
    expect([...z.clusterGroups].sort()).toEqual([...bin.clusterGroups].sort());
    expect([...z.clusterGroups].sort()).toEqual([...phy.clusterGroups].sort());
    // recording.json names ../recording.dat (relative to the store, as SpikeInterface writes it).
    expect(z.raw!.files).toEqual([join(zarrDir, 'recording.dat')]);
    const cols = Array.from({ length: z.nChannels }, (_, c) => c);
    expect(z.raw!.read(100, 200, cols)).toEqual(bin.raw!.read(100, 200, cols));
    // Worker threads get the decoded files they read, in memory, by the paths the specs name.
    const mem = z.analyzer!.memoryFiles!;
    expect([...mem.keys()].sort()).toEqual(
      [z.analyzer!.workerFiles.templates!, z.analyzer!.workerFiles.features!.file, z.analyzer!.workerFiles.features!.spikeIdsFile, z.spikeAttributes[0].file].sort(),
    );
    expect(z.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.code)).toEqual(bin.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.code));
  });

  it('maps string unit ids (a <U array) to cluster ids with the unit_id column, metrics keyed by them', async () => {
    const z = await openZarr(strDir);
    const a = z.analyzer!;
    expect(a.idsMapped).toBe(true);
    const bin = opened.find((d) => d.analyzer?.storage === 'binary_folder')!;
    expect(a.unitIds).toEqual(bin.analyzer!.unitIds.map((u) => `u${u}`));
    const counts = clusterSpikeCounts(z.spikeClusters);
    expect(Array.from(counts.ids)).toEqual(Array.from({ length: a.unitIds.length }, (_, i) => i));
    expect(z.clusterColumns.find((c) => c.name === 'unit_id')!.values.get(4)).toBe(a.unitIds[4]);
    expect(z.clusterColumns.find((c) => c.name === 'num_spikes')!.values.get(3)).toBe(counts.counts[3]);
    expect(z.raw).toBeNull();
    expect(z.diagnostics.find((d) => d.code === 'raw.none')).toBeTruthy();
  });

  it('a missing extension disables only what needs it, naming it; an undecodable array names the array', async () => {
    const noAmps = await openZarr(variant((zarr) => removeNode(zarr, 'extensions/spike_amplitudes')));
    expect(noAmps.amplitudes).toBeNull();
    expect(noAmps.templates).not.toBeNull();
    expect(noAmps.features).not.toBeNull();
    const d = noAmps.diagnostics.find((x) => x.code === 'analyzer.noExtension' && x.message.includes('spike_amplitudes'))!;
    expect(d.disables).toEqual(['amplitudes']);

    const broken = await openZarr(variant((zarr) => writeFileSync(join(zarr, 'extensions/templates/average/0.0.0'), 'not blosc')));
    expect(broken.templates).toBeNull();
    expect(broken.amplitudes).not.toBeNull();
    const e = broken.diagnostics.find((x) => x.code === 'zarr.decode')!;
    expect(e.severity).toBe('error');
    expect(e.disables).toEqual(['templates']);
    expect(e.file).toBe(join(broken.path, 'extensions/templates/average'));
    expect(e.message).toMatch(/cannot be decoded .*; the templates extension's average is not read/);

    const unfinished = await openZarr(
      variant((zarr) => {
        const file = join(zarr, '.zmetadata');
        const z = JSON.parse(readFileSync(file, 'utf8')) as { metadata: Record<string, { run_info: { run_completed: boolean } }> };
        z.metadata['extensions/principal_components/.zattrs'].run_info.run_completed = false;
        writeFileSync(file, JSON.stringify(z));
      }),
    );
    expect(unfinished.features).toBeNull();
    expect(unfinished.diagnostics.find((x) => x.disables?.includes('features'))!.message).toMatch(/principal_components extension was not run to completion/);
  });

  it('reads a store without .zmetadata by listing it, and a store with no listing through .zmetadata only', async () => {
    const walked = await openZarr(variant((zarr) => rmSync(join(zarr, '.zmetadata'))));
    expect(walked.nSpikes).toBe(opened[0].nSpikes);
    expect(walked.templates).not.toBeNull();
    expect(walked.features).not.toBeNull();
    const remote = await openZarr(zarrDir, await MapStore.of(store(zarrDir)));
    expect(remote.spikeTimes).toEqual(walked.spikeTimes);
    expect(remote.amplitudes).toEqual(walked.amplitudes);
  });

  it('refuses a multi-segment analyzer and a store that is not an analyzer, naming it', async () => {
    const multi = variant((zarr) => {
      const file = join(zarr, '.zmetadata');
      const z = JSON.parse(readFileSync(file, 'utf8')) as { metadata: Record<string, Record<string, unknown>> };
      z.metadata['sorting/.zattrs'].num_segments = 2;
      writeFileSync(file, JSON.stringify(z));
    });
    await expect(openZarr(multi)).rejects.toThrow(DatasetOpenError);
    await expect(openZarr(multi)).rejects.toThrow(/2 segments; spikedock opens single-segment analyzers only/);
    const plain = join(tmp, 'plain');
    mkdirSync(join(plain, ZARR_STORE), { recursive: true });
    writeFileSync(join(plain, ZARR_STORE, '.zgroup'), '{"zarr_format": 2}');
    await expect(openZarr(plain)).rejects.toThrow(/has no spikeinterface_info attribute: not a SpikeInterface SortingAnalyzer/);
    const v3 = join(tmp, 'v3');
    mkdirSync(join(v3, ZARR_STORE), { recursive: true });
    writeFileSync(join(v3, ZARR_STORE, 'zarr.json'), '{"zarr_format": 3, "node_type": "group"}');
    await expect(openZarr(v3)).rejects.toThrow(/a Zarr v3 store/);
  });

  it('is found by resolveDatasetPath (the store, or a folder holding one) and opened by openDataset', async () => {
    expect(resolveDatasetPath(store(zarrDir))).toEqual({ kind: 'analyzer', path: store(zarrDir), dir: zarrDir, zarr: true });
    expect(resolveDatasetPath(zarrDir)).toEqual({ kind: 'analyzer', path: store(zarrDir), dir: zarrDir, zarr: true });
    expect(() => resolveDatasetPath(join(tmp, 'plain', ZARR_STORE))).toThrow(UserError);
    expect(() => resolveDatasetPath(join(tmp, 'plain', ZARR_STORE))).toThrow(/a Zarr store that is not a SpikeInterface SortingAnalyzer/);
    const ds = await openDataset(zarrDir, { shared: true });
    opened.push(ds);
    expect(ds.analyzer!.storage).toBe('zarr');
    // Shared: worker threads read the decoded files without a copy.
    expect(ds.analyzer!.memoryFiles!.get(ds.analyzer!.workerFiles.templates!)!.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  const zarrPython = (() => {
    try {
      execFileSync('/usr/bin/python3', ['-c', 'import zarr, numcodecs'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!zarrPython)(`is read by zarr-python (Debian python3-zarr) with the values our reader sees${zarrPython ? '' : ' — skipped: /usr/bin/python3 has no zarr'}`, async () => {
    const z = opened.find((d) => d.analyzer?.storage === 'zarr' && d.path === store(zarrDir))!;
    const script = `
import json, sys, zarr
r = zarr.open_consolidated(sys.argv[1], mode="r")
sp = r["sorting/spikes"]
out = {
  "attrs": sorted(r.attrs.keys()),
  "n": int(sp["sample_index"].shape[0]),
  "first": [int(v) for v in sp["sample_index"][:5]],
  "units": [int(v) for v in sp["unit_index"][-5:]],
  "compressor": sp["sample_index"].compressor.get_config(),
  "filters": [f.get_config()["id"] for f in sp["sample_index"].filters],
  "unit_ids": [str(u) for u in r["sorting/unit_ids"][:]],
  "loc": [float(v) for v in r["extensions/spike_locations/spike_locations"][:2]["y"]],
  "recording": r["recording"][0]["class"],
  "df": r["extensions/quality_metrics/metrics"].attrs["dataframe"],
  "t0": [float(v) for v in r["extensions/templates/average"][0, 40, :3]],
}
print(json.dumps(out))
`;
    const out = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, z.path], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(out.attrs).toEqual(['settings', 'spikeinterface_info']);
    expect(out.n).toBe(z.nSpikes);
    expect(out.first).toEqual(Array.from(z.spikeTimes.slice(0, 5)));
    expect(out.units).toEqual(Array.from(z.spikeTemplates!.slice(-5)));
    expect(out.compressor).toMatchObject({ id: 'blosc', cname: 'zstd', clevel: 5, shuffle: 2 });
    expect(out.filters).toEqual(['delta']);
    expect(out.unit_ids).toEqual(z.analyzer!.unitIds.map(String));
    expect(out.loc).toEqual(Array.from(z.spikeAttributes[0].read([0, 1]).filter((_, i) => i % 2 === 1), (v) => expect.closeTo(v, 3)));
    expect(out.recording).toBe('spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor');
    expect(out.df).toBe(true);
    const t = z.templates!.getTemplate(0);
    expect(out.t0).toEqual(Array.from(t.data.slice(40 * z.nChannels, 40 * z.nChannels + 3), (v) => expect.closeTo(v, 5)));
  });

  it('leaves nothing of the generator scratch behind', () => {
    expect(existsSync(join(zarrDir, '.analyzer-binary'))).toBe(false);
  });
});
