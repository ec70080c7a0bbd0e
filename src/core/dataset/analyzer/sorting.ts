/**
 * The sorting of an analyzer: `sorting/` is a SpikeInterface `NumpyFolderSorting`
 * (spikeinterface `core/sortingfolder.py`, `NumpyFolderSorting.write_sorting`):
 * `numpysorting_info.json` = `{"sampling_frequency", "unit_ids", "num_segments"}` and `spikes.npy`,
 * the spike vector (`sorting.to_spike_vector()`: records `sample_index`, `unit_index`,
 * `segment_index`, all `<i8` — `minimum_spike_dtype` in `core/base.py` — sorted by segment then
 * sample), `properties/<name>.npy` (unit properties: cluster columns), `provenance.json` and
 * `si_folder.json` (not needed here).
 */
import { NpyFile } from '../../formats/npy';
import { NpyStructuredFile } from '../../formats/npyStructured';
import { isStringNpy, readNpyStrings } from '../../formats/npyText';
import { compactSpikeTimes, type ClusterColumn, type SpikeTimes } from '../Dataset';
import { closeSource } from '../rawData';
import { checkSorted } from '../kilosort/spikeColumns';
import type { TemplateFolderReader } from '../kilosort/folder';
import { readJsonFile } from './json';

/** The sorting as the app needs it. */
export interface AnalyzerSorting {
  sampleRate: number;
  /** Unit ids as written. */
  unitIds: Array<string | number>;
  /** (nUnits,) cluster id of each unit index. */
  unitClusterIds: Int32Array;
  idsMapped: boolean;
  /** (nSpikes,) samples, non-decreasing. */
  spikeTimes: SpikeTimes;
  /** (nSpikes,) unit index of each spike (the analyzer's templates are per unit). */
  unitIndex: Int32Array;
  /** `sorting/spikes.npy`. */
  spikesFile: string;
}

/** Largest cluster id kept as is (the app's ids are int32; new ones count up from the largest). */
const MAX_KEPT_ID = 2 ** 30;

/**
 * Cluster ids for unit ids: the ids themselves when every one is a distinct non-negative
 * integer (below 2^30, leaving room for new clusters), else the unit indices.
 */
export function clusterIdsForUnits(unitIds: ReadonlyArray<string | number>): { unitClusterIds: Int32Array; idsMapped: boolean } {
  const asIs = unitIds.every((u) => typeof u === 'number' && Number.isInteger(u) && u >= 0 && u < MAX_KEPT_ID) && new Set(unitIds).size === unitIds.length;
  return { unitClusterIds: Int32Array.from(unitIds, (u, i) => (asIs ? (u as number) : i)), idsMapped: !asIs };
}

/** Reads `sorting/` (fatal when missing or broken: nothing can be curated without it). */
export function readAnalyzerSorting(root: TemplateFolderReader): AnalyzerSorting {
  const { log } = root;
  if (!root.names.includes('sorting')) log.fatal(root.path('sorting'), 'file.missing', 'the analyzer has no sorting/ folder (SpikeInterface NumpyFolderSorting): nothing to curate');
  const s = root.sub('sorting', 'the sorting folder of a SortingAnalyzer');
  const infoName = 'numpysorting_info.json';
  const infoFile = s.path(infoName);
  const info = readJsonFile(s, infoName, 'sampling_frequency, unit_ids and num_segments of the sorting')!;
  const sampleRate = info.sampling_frequency;
  if (typeof sampleRate !== 'number' || !(sampleRate > 0)) log.fatal(infoFile, 'analyzer.sampleRate', `sampling_frequency must be a positive number of Hz (got ${JSON.stringify(sampleRate)})`);
  const ids = info.unit_ids;
  if (!Array.isArray(ids) || !ids.every((u) => typeof u === 'string' || typeof u === 'number')) {
    log.fatal(infoFile, 'analyzer.unitIds', `unit_ids must be a list of strings or numbers (got ${JSON.stringify(ids)?.slice(0, 80)})`);
  }
  const unitIds = ids as Array<string | number>;
  const nSeg = info.num_segments;
  if (nSeg !== 1) {
    const dir = root.dir;
    if (typeof nSeg === 'number' && Number.isInteger(nSeg) && nSeg > 1) {
      log.fatal(dir, 'analyzer.multiSegment', `the analyzer has ${nSeg} segments; spikedock opens single-segment analyzers only (concatenate the segments in SpikeInterface, e.g. si.concatenate_recordings and the sorting's counterpart, and create the analyzer again)`);
    }
    log.fatal(infoFile, 'analyzer.segments', `num_segments must be a positive integer (got ${JSON.stringify(nSeg)})`);
  }
  const { unitClusterIds, idsMapped } = clusterIdsForUnits(unitIds);

  const spikesName = 'spikes.npy';
  const spikesFile = s.path(spikesName);
  if (!s.names.includes(spikesName)) log.fatal(spikesFile, 'file.missing', 'spikes.npy not found (required: the spike vector — every spike\'s sample, unit and segment)');
  let npy: NpyStructuredFile | null = null;
  let src = null;
  try {
    src = root.fs.open(spikesFile);
    npy = NpyStructuredFile.open(src);
    for (const f of ['sample_index', 'unit_index']) {
      if (!npy.field(f)) log.fatal(spikesFile, 'analyzer.spikeVector', `the spike vector has no '${f}' field (fields: ${npy.header.fields.map((x) => x.name).join(', ')})`);
    }
    const [spikeTimes, unitIndex] = npy.readFields(
      [
        { name: 'sample_index', as: 'float64' },
        { name: 'unit_index', as: 'int32' },
      ],
      { shared: root.shared },
    ) as [Float64Array, Int32Array];
    const n = unitIds.length;
    for (let i = 0; i < unitIndex.length; i++) {
      const u = unitIndex[i];
      if (u < 0 || u >= n) log.fatal(spikesFile, 'analyzer.unitIndex', `spike ${i} has unit_index ${u} but the sorting has ${n} units (indices 0–${n - 1})`);
    }
    checkSorted(spikeTimes, spikesFile, log);
    return { sampleRate: sampleRate as number, unitIds, unitClusterIds, idsMapped, spikeTimes: compactSpikeTimes(spikeTimes, root.shared), unitIndex, spikesFile };
  } catch (e) {
    return log.fatalFrom(e, spikesFile);
  } finally {
    closeSource(src);
  }
}

/** Values of `quality` that are cluster groups (SpikeInterface names phy's `group` column `quality`). */
const GROUPS = new Set(['good', 'mua', 'noise', 'unsorted']);

/**
 * A `quality` column (cluster id → value) as cluster groups when every value is a phy group
 * (case-insensitive), else null. The groups, not a column: a column would go stale as soon as a
 * cluster is relabelled. `unsorted` is phy's "no group yet": left out, as phy's
 * `cluster_group.tsv` leaves it out.
 */
export function qualityGroups(values: ReadonlyMap<number, string | number>): Map<number, string> | null {
  if (!values.size || ![...values.values()].every((v) => GROUPS.has(String(v).toLowerCase()))) return null;
  return new Map([...values].map(([id, v]): [number, string] => [id, String(v).toLowerCase()]).filter(([, g]) => g !== 'unsorted'));
}

/**
 * `sorting/properties/<name>.npy` (one value per unit, numbers or fixed-width strings: spikeinterface
 * `core/base.py` `save_metadata_to_folder`) as cluster columns. A `quality` property whose values
 * are phy groups (SpikeInterface's name for phy's `group`, e.g. a sorting read from a curated phy
 * folder) gives the cluster groups instead. Python object arrays and non-per-unit arrays are listed
 * in one info line and skipped.
 */
export function readSortingProperties(
  root: TemplateFolderReader,
  unitClusterIds: Int32Array,
): { columns: ClusterColumn[]; groups: Map<number, string> | null } {
  const columns: ClusterColumn[] = [];
  let groups: Map<number, string> | null = null;
  const dir = root.fs.join(root.path('sorting'), 'properties');
  const names = (root.fs.list(dir) ?? []).filter((n) => n.endsWith('.npy')).sort();
  const n = unitClusterIds.length;
  const skipped: string[] = [];
  for (const name of names) {
    const file = root.fs.join(dir, name);
    const prop = name.slice(0, -4);
    let src = null;
    let values: Array<string | number> | null = null;
    try {
      src = root.fs.open(file);
      if (isStringNpy(src)) values = readNpyStrings(src);
      else {
        const npy = NpyFile.open(src);
        if (npy.header.shape.length === 1) values = Array.from(npy.read({ as: 'float64' }));
      }
    } catch {
      values = null;
    } finally {
      closeSource(src);
    }
    if (!values || values.length !== n) {
      skipped.push(prop);
      continue;
    }
    const map = new Map<number, string | number>();
    values.forEach((v, u) => {
      if (v !== '' && !(typeof v === 'number' && Number.isNaN(v))) map.set(unitClusterIds[u], v);
    });
    const g = prop === 'quality' ? qualityGroups(map) : null;
    if (g) {
      groups = g;
      continue;
    }
    columns.push({ name: prop, file, values: map });
  }
  if (skipped.length) {
    root.log.add('info', dir, 'analyzer.properties', `unit properties not shown (Python object arrays, or not one value per unit): ${skipped.join(', ')}`);
  }
  return { columns, groups };
}
