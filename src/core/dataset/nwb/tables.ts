/**
 * DynamicTables of an NWB file as the NWB reader needs them: finding the Units tables and
 * ElectricalSeries, ragged columns through their index, 1-d columns, and the electrodes table.
 *
 * Followed: hdmf-common-schema `common/table.yaml` (DynamicTable: `colnames` attribute, `id`
 * ElementIdentifiers (integers); VectorData; VectorIndex: "The first vector is at
 * VectorData[0:VectorIndex[0]]. The second vector is at VectorData[VectorIndex[0]:VectorIndex[1]]",
 * i.e. exclusive end offsets; DynamicTableRegion: 0-based rows of the table in its `table`
 * attribute), nwb-schema `core/nwb.misc.yaml` (Units), `core/nwb.ecephys.yaml` (ElectrodesTable:
 * `x`, `y`, `z`, `rel_x`, `rel_y`, `group` (object reference), `group_name`),
 * `core/nwb.file.yaml` (`/general/extracellular_ephys/electrodes`).
 */
import { attrString, attrStrings, type Hdf5Reader } from '../../formats/hdf5';
import type { NumericArray } from '../../formats/npy';
import type { DiagnosticLog } from '../DiagnosticLog';
import { LINEAR_PITCH_UM, useLinearIfDuplicate } from '../kilosort/channels';

/** Where pynwb writes the electrodes table. */
export const ELECTRODES_PATH = '/general/extracellular_ephys/electrodes';

/** Units columns that are not ClusterView columns (read for what they are, or not in this slice). */
export const UNITS_RESERVED = new Set([
  'id',
  'spike_times',
  'spike_times_index',
  'obs_intervals',
  'obs_intervals_index',
  'electrodes',
  'electrodes_index',
  'electrode_group',
  'waveform_mean',
  'waveform_sd',
  'waveforms',
  'waveforms_index',
  'waveforms_index_index',
]);

/** The `neurodata_type` attribute of a group or dataset, or undefined. */
export function neurodataType(h5: Hdf5Reader, path: string): string | undefined {
  return attrString(h5.attr(path, 'neurodata_type'));
}

/**
 * Groups of a neurodata type among `parents`' children, each parent's children sorted by name
 * (deterministic whatever the file's link order).
 */
export function childrenOfType(h5: Hdf5Reader, parents: string[], types: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const p of parents) {
    if (h5.kind(p) !== 'group') continue;
    for (const k of h5.keys(p).slice().sort()) {
      const path = `${p === '/' ? '' : p}/${k}`;
      if (h5.kind(path) === 'group' && types.has(neurodataType(h5, path) ?? '')) out.push(path);
    }
  }
  return out;
}

/** Every Units table: `/units` first, then those in processing modules (`/processing/<module>/<name>`), sorted. */
export function findUnitsTables(h5: Hdf5Reader): string[] {
  const found: string[] = [];
  if (h5.kind('/units') === 'group') found.push('/units');
  const modules = h5.keys('/processing').slice().sort().map((m) => `/processing/${m}`);
  for (const p of childrenOfType(h5, modules, new Set(['Units']))) found.push(p);
  return found;
}

/** Every ElectricalSeries under `/acquisition`, sorted by name (SpikeEventSeries excluded). */
export function findElectricalSeries(h5: Hdf5Reader): string[] {
  return childrenOfType(h5, ['/acquisition'], new Set(['ElectricalSeries']));
}

/** A ragged column: every row's values are `values[ends[i - 1] .. ends[i])` (ends[-1] = 0). */
export interface Ragged {
  values: NumericArray;
  /** (nRows,) exclusive end offsets. */
  ends: Float64Array;
}

/**
 * A ragged column (`<col>` with `<col>_index`) of a table, checked: the index is end offsets
 * (VectorIndex: non-decreasing, within the data), or — NWB 2.0 beta, written by MatNWB in
 * 2018 — region references into the data, each row's values being its region's. Returns a
 * message instead when it is neither.
 */
export function raggedColumn(h5: Hdf5Reader, table: string, column: string, nRows: number): Ragged | string {
  const p = `${table}/${column}_index`;
  const dataPath = `${table}/${column}`;
  const info = h5.info(p);
  if (!info) return `${p} not found`;
  if (info.shape[0] !== nRows) return `${p} has ${info.shape[0]} rows but the table has ${nRows}`;
  if (info.dtype === 'regionref') {
    const rows = h5.readRegions(p);
    const ends = new Float64Array(nRows);
    let n = 0;
    rows.forEach((r, i) => (ends[i] = n += r.length));
    const values = new Float64Array(n);
    rows.forEach((r, i) => values.set(r, i ? ends[i - 1] : 0));
    return { values, ends };
  }
  const values = h5.read(dataPath);
  const ends = Float64Array.from(h5.read(p));
  let prev = 0;
  for (let i = 0; i < ends.length; i++) {
    if (!(ends[i] >= prev) || ends[i] > values.length) return `${p}: row ${i} ends at ${ends[i]} (previous end ${prev}, ${values.length} values in ${dataPath})`;
    prev = ends[i];
  }
  return { values, ends };
}

/**
 * A 1-d column with one value per row (numbers, or text), or null when the column is anything
 * else (ragged, n-d, references, compound).
 */
export function readRowColumn(h5: Hdf5Reader, table: string, name: string, nRows: number): Array<string | number> | NumericArray | null {
  const p = `${table}/${name}`;
  if (h5.kind(`${p}_index`) === 'dataset') return null;
  const info = h5.info(p);
  if (!info || info.shape.length !== 1 || info.shape[0] !== nRows) return null;
  try {
    if (info.dtype === 'string') return h5.readStrings(p);
    if (info.dtype === 'other') return null;
    return h5.read(p);
  } catch {
    return null;
  }
}

/** The channels of the electrodes table. */
export interface NwbChannels {
  nChannels: number;
  /** (nChannels, 2) µm. */
  channelPositions: Float32Array;
  channelShanks: Int32Array;
  /** The `group_name` of each shank index. */
  shankNames: string[];
}

/**
 * Channels from the electrodes table: positions from `rel_x`/`rel_y` (position on the probe,
 * what a probe view needs), else `x`/`y` (brain coordinates, said), else a linear layout
 * (warned); shanks from `group_name` in order of first appearance. Without an electrodes table,
 * `fallbackCount` channels in a linear layout (warned).
 */
export function readElectrodes(h5: Hdf5Reader, file: string, log: DiagnosticLog, fallbackCount: number): NwbChannels {
  const linear = (n: number): Float32Array => {
    const out = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) out[2 * i + 1] = i * LINEAR_PITCH_UM;
    return out;
  };
  if (h5.kind(ELECTRODES_PATH) !== 'group' || h5.kind(`${ELECTRODES_PATH}/id`) !== 'dataset') {
    const n = Math.max(1, fallbackCount);
    log.add('warning', file, 'nwb.noElectrodes', `${ELECTRODES_PATH} not found: ${n} channel${n === 1 ? '' : 's'} in a linear layout (${LINEAR_PITCH_UM} µm pitch)`);
    return { nChannels: n, channelPositions: linear(n), channelShanks: new Int32Array(n), shankNames: [] };
  }
  const nChannels = h5.info(`${ELECTRODES_PATH}/id`)!.shape[0] ?? 0;
  const num = (name: string): NumericArray | null => {
    const v = readRowColumn(h5, ELECTRODES_PATH, name, nChannels);
    return v && ArrayBuffer.isView(v) ? v : null;
  };
  let channelPositions: Float32Array | null = null;
  for (const [xs, ys, what] of [
    ['rel_x', 'rel_y', 'rel_x/rel_y (position on the probe)'],
    ['x', 'y', 'x/y (brain coordinates: rel_x/rel_y, the position on the probe, are absent)'],
  ] as const) {
    const x = num(xs);
    const y = num(ys);
    if (!x || !y) continue;
    let finite = true;
    for (let i = 0; i < nChannels && finite; i++) finite = Number.isFinite(x[i]) && Number.isFinite(y[i]);
    if (!finite) continue;
    channelPositions = new Float32Array(nChannels * 2);
    for (let i = 0; i < nChannels; i++) [channelPositions[2 * i], channelPositions[2 * i + 1]] = [x[i], y[i]];
    log.add('info', file, 'nwb.positions', `channel positions from ${ELECTRODES_PATH} ${what}`);
    useLinearIfDuplicate(channelPositions, nChannels, file, log);
    break;
  }
  if (!channelPositions) {
    log.add('warning', file, 'nwb.positions', `${ELECTRODES_PATH} has no finite rel_x/rel_y nor x/y: using a linear layout (${LINEAR_PITCH_UM} µm pitch)`);
    channelPositions = linear(nChannels);
  }
  const names = readRowColumn(h5, ELECTRODES_PATH, 'group_name', nChannels);
  const shankNames: string[] = [];
  const channelShanks = new Int32Array(nChannels);
  if (Array.isArray(names)) {
    for (let i = 0; i < nChannels; i++) {
      const g = String(names[i]);
      let k = shankNames.indexOf(g);
      if (k < 0) k = shankNames.push(g) - 1;
      channelShanks[i] = k;
    }
  }
  return { nChannels, channelPositions, channelShanks, shankNames };
}

/** A DynamicTable's column names: its `colnames` attribute, else its datasets (sorted). */
export function colnames(h5: Hdf5Reader, table: string): string[] {
  const listed = attrStrings(h5.attr(table, 'colnames'));
  if (listed) return listed;
  return h5.keys(table).filter((k) => h5.kind(`${table}/${k}`) === 'dataset').sort();
}
