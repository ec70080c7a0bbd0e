/**
 * The one owner of writing NWB 2.7.0 HDF5 files through h5wasm (the generator's `sorting.nwb`
 * and `spikedock export --format nwb`), laid out as pynwb 2.x writes them: every typed group or
 * dataset carries `neurodata_type`, `namespace` (`core` or `hdmf-common`) and `object_id` (a
 * UUID); the root adds `nwb_version`; text is variable-length UTF-8; DynamicTables carry
 * `colnames` and `description`, their VectorIndex a `target` and their DynamicTableRegion a
 * `table` object reference (nwb-schema `core/nwb.file.yaml`, `nwb.misc.yaml`, `nwb.ecephys.yaml`;
 * hdmf-common-schema `common/table.yaml`). Not written: `/specifications` (the cached schema;
 * readers that need it, such as pynwb, take the schema they ship).
 */
import { createHash } from 'node:crypto';

/** The NWB schema version written. */
export const NWB_VERSION = '2.7.0';

type H5 = typeof import('h5wasm/node').default;
export type H5Group = InstanceType<H5['Group']>;
type H5Entity = H5Group | InstanceType<H5['Dataset']>;
type H5Data = Parameters<H5Group['create_dataset']>[0]['data'];
/** An HDF5 object reference (to a group or dataset). */
export type H5Ref = ReturnType<H5Group['create_reference']>;

/** A 1-d column of a DynamicTable: text, float64 or int64 values, one per row. */
export interface NwbColumn {
  name: string;
  description: string;
  values: string[] | Float64Array | BigInt64Array;
}

/** A column written by its own code (e.g. a 3-d `waveform_mean`), named in `colnames`. */
export interface NwbCustomColumn {
  name: string;
  write(table: H5Group, writer: NwbWriter): void;
}

/** What {@link NwbWriter.create} needs for the NWBFile's required fields. */
export interface NwbFileInfo {
  identifier: string;
  sessionDescription: string;
  /** ISO 8601 time, for `session_start_time`, `timestamps_reference_time` and `file_create_date`. */
  startTime: string;
  /** Seed of deterministic object ids (same seed, same file); random ids when absent. */
  objectIdSeed?: string;
}

/** An NWB file being written; `close()` when done. */
export class NwbWriter {
  private counter = 0;

  private constructor(
    readonly file: InstanceType<H5['File']>,
    private readonly seed: string,
  ) {}

  /** Creates (replaces) `path` with the NWBFile's required datasets and groups. */
  static async create(path: string, info: NwbFileInfo): Promise<NwbWriter> {
    // Imported here: compiling h5wasm's WebAssembly would slow every command that never needs it.
    const h5wasm = (await import('h5wasm/node')).default;
    await h5wasm.ready;
    const w = new NwbWriter(new h5wasm.File(path, 'w'), info.objectIdSeed ?? `${Date.now()}:${Math.random()}`);
    const f = w.file;
    try {
      w.typed(f, 'NWBFile', 'core', { nwb_version: NWB_VERSION });
      f.create_dataset({ name: 'file_create_date', data: [info.startTime] });
      f.create_dataset({ name: 'identifier', data: info.identifier });
      f.create_dataset({ name: 'session_description', data: info.sessionDescription });
      f.create_dataset({ name: 'session_start_time', data: info.startTime });
      f.create_dataset({ name: 'timestamps_reference_time', data: info.startTime });
      for (const g of ['acquisition', 'analysis', 'processing', 'stimulus', 'stimulus/presentation', 'stimulus/templates', 'general', 'general/devices', 'general/extracellular_ephys']) f.create_group(g);
    } catch (e) {
      f.close();
      throw e;
    }
    return w;
  }

  /** A UUID-shaped object id: a hash of the seed and a counter. */
  objectId(): string {
    const h = createHash('sha256').update(`${this.seed}:${this.counter++}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** Marks `e` as an NWB / hdmf-common type (`namespace`, `neurodata_type`, `object_id`, extra attributes). */
  typed(e: H5Entity, type: string, namespace: 'core' | 'hdmf-common', extra: Record<string, string | number> = {}): void {
    e.create_attribute('namespace', namespace);
    e.create_attribute('neurodata_type', type);
    e.create_attribute('object_id', this.objectId());
    for (const [k, v] of Object.entries(extra)) e.create_attribute(k, v);
  }

  /** A typed dataset of a table (`VectorData` unless said) with its `description`. */
  vector(g: H5Group, name: string, data: H5Data, description: string, type = 'VectorData', dtype?: string, shape?: number[]) {
    const d = g.create_dataset({ name, data, ...(dtype ? { dtype } : {}), ...(shape ? { shape } : {}) });
    this.typed(d, type, 'hdmf-common', { description });
    return d;
  }

  /**
   * `/general/devices/probe`, one ElectrodeGroup per shank (`shank<s>`) and the electrodes table
   * (x, y, z, location, group, group_name, rel_x, rel_y). Returns the table's reference.
   * @param positions (nChannels, 2) x, y in µm, C order
   * @param shanks (nChannels,) shank of each channel
   */
  writeElectrodes(positions: ArrayLike<number>, shanks: ArrayLike<number>, deviceDescription: string): H5Ref {
    const f = this.file;
    const nC = shanks.length;
    const device = f.create_group('general/devices/probe');
    this.typed(device, 'Device', 'core', { description: deviceDescription });
    const ecephys = f.get('general/extracellular_ephys') as H5Group;
    const groupRef = new Map<number, H5Ref>();
    for (const s of [...new Set(Array.from(shanks))].sort((a, b) => a - b)) {
      const g = ecephys.create_group(`shank${s}`);
      this.typed(g, 'ElectrodeGroup', 'core', { description: `shank ${s}`, location: 'unknown' });
      g.create_soft_link('/general/devices/probe', 'device');
      groupRef.set(s, g.create_reference());
    }
    const el = ecephys.create_group('electrodes');
    this.typed(el, 'DynamicTable', 'hdmf-common', { description: 'metadata about extracellular electrodes' });
    el.create_attribute('colnames', ['x', 'y', 'z', 'location', 'group', 'group_name', 'rel_x', 'rel_y']);
    const x = Float64Array.from({ length: nC }, (_, c) => positions[2 * c]);
    const y = Float64Array.from({ length: nC }, (_, c) => positions[2 * c + 1]);
    this.vector(el, 'id', BigInt64Array.from({ length: nC }, (_, c) => BigInt(c)), '', 'ElementIdentifiers');
    this.vector(el, 'x', x, 'the x coordinate of the channel location');
    this.vector(el, 'y', y, 'the y coordinate of the channel location (depth)');
    this.vector(el, 'z', new Float64Array(nC), 'the z coordinate of the channel location');
    this.vector(el, 'location', Array.from({ length: nC }, () => 'unknown'), 'the location of channel within the subject e.g. brain region');
    this.vector(el, 'group', Array.from(shanks, (s) => groupRef.get(s)!), 'a reference to the ElectrodeGroup this electrode is a part of');
    this.vector(el, 'group_name', Array.from(shanks, (s) => `shank${s}`), 'the name of the ElectrodeGroup this electrode is a part of');
    this.vector(el, 'rel_x', x, 'the x coordinate within the electrode group');
    this.vector(el, 'rel_y', y, 'the y coordinate within the electrode group');
    return el.create_reference();
  }

  /**
   * `/units`: ids, `spike_times` (s) ragged through `spike_times_index` (end offsets), each
   * unit's `electrodes` (rows of the electrodes table) when given, then `columns` in order.
   * @param spikeTimes (nSpikes,) seconds, unit after unit
   * @param ends (nUnits,) exclusive end of each unit's times in `spikeTimes`
   */
  writeUnits(u: { description: string; unitIds: ArrayLike<number>; spikeTimes: Float64Array; ends: Int32Array; sampleRate: number; electrodes?: { table: H5Ref; channels: number[][] }; columns: Array<NwbColumn | NwbCustomColumn> }): H5Group {
    const units = this.file.create_group('units');
    this.typed(units, 'Units', 'core', { description: u.description });
    units.create_attribute('colnames', ['spike_times', ...(u.electrodes ? ['electrodes'] : []), ...u.columns.map((c) => c.name)]);
    this.vector(units, 'id', BigInt64Array.from(u.unitIds, (id) => BigInt(id)), '', 'ElementIdentifiers');
    const st = this.vector(units, 'spike_times', u.spikeTimes, 'the spike times for each unit in seconds');
    st.create_attribute('resolution', 1 / u.sampleRate);
    this.vector(units, 'spike_times_index', u.ends, 'Index for VectorData spike_times', 'VectorIndex').create_attribute('target', st.create_reference());
    if (u.electrodes) {
      const elecEnds = new Int32Array(u.electrodes.channels.length);
      u.electrodes.channels.forEach((c, i) => (elecEnds[i] = (i ? elecEnds[i - 1] : 0) + c.length));
      const elec = this.vector(units, 'electrodes', BigInt64Array.from(u.electrodes.channels.flat(), (c) => BigInt(c)), 'the electrodes that each unit came from', 'DynamicTableRegion');
      elec.create_attribute('table', u.electrodes.table);
      this.vector(units, 'electrodes_index', elecEnds, 'Index for VectorData electrodes', 'VectorIndex').create_attribute('target', elec.create_reference());
    }
    for (const c of u.columns) {
      if ('write' in c) c.write(units, this);
      else this.vector(units, c.name, c.values, c.description);
    }
    return units;
  }

  close(): void {
    this.file.close();
  }
}

/**
 * Groups spike times by unit for {@link NwbWriter.writeUnits}: `times` in seconds, unit after
 * unit, each unit's spikes in their order (time order when the input is), and the end offsets.
 * @param samples (nSpikes,) spike times in samples
 * @param unitIndex (nSpikes,) row of each spike's unit
 */
export function raggedSpikeTimes(samples: ArrayLike<number>, unitIndex: Int32Array, nUnits: number, sampleRate: number): { times: Float64Array; ends: Int32Array } {
  const n = unitIndex.length;
  const ends = new Int32Array(nUnits);
  for (let i = 0; i < n; i++) ends[unitIndex[i]]++;
  for (let u = 1; u < nUnits; u++) ends[u] += ends[u - 1];
  const fill = Int32Array.from({ length: nUnits }, (_, u) => (u ? ends[u - 1] : 0));
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) times[fill[unitIndex[i]]++] = samples[i] / sampleRate;
  return { times, ends };
}
