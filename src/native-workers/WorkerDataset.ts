/**
 * What one worker thread keeps per dataset (keyed by `DatasetHandle.id`): readers it opened
 * itself (raw recording, template and PC-feature files) and template summaries. Opening is lazy
 * and happens once per thread; the handle's shared columns are used in place.
 */
import type { DatasetHandle } from '../shared/tasks/tasks';
import { CANCELLED_MESSAGE } from '../shared/tasks/tasks';
import type { RawRecording } from '../core/dataset/Dataset';
import { createNpyRawRecording, createRawRecording, createRowsRawRecording } from '../core/formats/raw';
import { NpyFile } from '../core/formats/npy';
import { MemoryByteSource, type ByteSource } from '../core/formats/ByteSource';
import { NpyStructuredFile } from '../core/formats/npyStructured';
import { displayHighpass, type FilterCoefficients } from '../core/compute/filter';
import { templateInfo, unwhitenTemplate, type TemplateInfo } from '../core/compute/templates';
import { indexOfSorted } from '../core/search';
import { WorkerFileSource } from './WorkerFileSource';
import { openHdf5Rows, type Hdf5Rows } from './WorkerHdf5';

/** Cooperative cancellation: handlers call `check()` between chunks of work. */
export class CancelToken {
  constructor(private readonly flag: Int32Array | null) {}

  get cancelled(): boolean {
    return this.flag !== null && Atomics.load(this.flag, 0) !== 0;
  }

  /** Throws when the caller aborted (the pool drops the result anyway; this frees the thread). */
  check(): void {
    if (this.cancelled) throw new Error(CANCELLED_MESSAGE);
  }
}

/** Lazily opened PC-feature reader: spike id → rows of (nPcs, nLoc) and their channels. */
export interface FeatureReader {
  nPcs: number;
  nLoc: number;
  /** Features of spikes as (n, nLoc, nPcs) float32 and channels (n, nLoc); missing spikes are NaN rows. */
  read(spikeIds: Int32Array): { data: Float32Array; channels: Int32Array };
}

export class WorkerDataset {
  private rawRec: RawRecording | null | undefined;
  private templatesNpy: NpyFile | null | undefined;
  private templateInd: Int32Array | null = null;
  private featureReader: FeatureReader | null | undefined;
  private readonly infos = new Map<number, TemplateInfo>();
  private readonly sources: WorkerFileSource[] = [];
  private hdf5: Hdf5Rows | null = null;
  private hp: FilterCoefficients | null = null;
  private readonly featureRows = new Map<string, { n: number; rows: { data: Float32Array; channels: Int32Array } }>();

  constructor(readonly handle: DatasetHandle) {}

  /** The display high-pass filter at the dataset's sample rate. */
  get highpass(): FilterCoefficients {
    return (this.hp ??= displayHighpass(this.handle.sampleRate));
  }

  private open(path: string): ByteSource {
    const mem = this.handle.memoryFiles?.get(path);
    if (mem) return new MemoryByteSource(mem, path);
    const s = new WorkerFileSource(path);
    this.sources.push(s);
    return s;
  }

  get raw(): RawRecording | null {
    if (this.rawRec === undefined) {
      const spec = this.handle.raw;
      if (!spec) this.rawRec = null;
      else if (spec.hdf5Dataset) {
        // An NWB ElectricalSeries: row windows through h5wasm (loaded by the worker before the task).
        const rows = (this.hdf5 = openHdf5Rows(spec.files[0], spec.hdf5Dataset, spec.remote));
        this.rawRec = createRowsRawRecording({
          file: spec.files[0],
          readRows: (s, e, c0, c1) => rows.readRows(s, e, c0, c1),
          nSamples: rows.nRows,
          nChannelsDat: rows.nColumns,
          dtype: spec.dtype,
          sampleRate: spec.sampleRate,
          gain: spec.gain,
          unit: spec.unit,
          hdf5Dataset: spec.hdf5Dataset,
        });
      } else if (spec.files.length === 1 && spec.files[0].toLowerCase().endsWith('.npy')) {
        this.rawRec = createNpyRawRecording(this.open(spec.files[0]), { sampleRate: spec.sampleRate, gain: spec.gain, unit: spec.unit }).recording;
      } else {
        this.rawRec = createRawRecording({
          sources: spec.files.map((f) => this.open(f)),
          dtype: spec.dtype,
          offset: spec.offset,
          nChannelsDat: spec.nChannelsDat,
          sampleRate: spec.sampleRate,
          gain: spec.gain,
          unit: spec.unit,
        }).recording;
      }
    }
    return this.rawRec;
  }

  /** Summary (peak channel, unwhitened peak-to-peak) of a template, cached. */
  templateInfo(templateId: number): TemplateInfo {
    const hit = this.infos.get(templateId);
    if (hit) return hit;
    const t = this.template(templateId);
    const info = t ? templateInfo(t.unwhitened, t.channels, t.nSamples) : { peakChannel: -1, amplitude: 0 };
    this.infos.set(templateId, info);
    return info;
  }

  /** One unwhitened template: (nSamples, nLoc) float32 and its channels, or null. */
  template(templateId: number): { unwhitened: Float32Array; channels: Int32Array; nSamples: number } | null {
    if (this.templatesNpy === undefined) {
      const spec = this.handle.templates;
      this.templatesNpy = spec ? NpyFile.open(this.open(spec.file)) : null;
      if (spec?.indFile) this.templateInd = NpyFile.open(this.open(spec.indFile)).read({ as: 'int32' }) as Int32Array;
    }
    const npy = this.templatesNpy;
    if (!npy || templateId < 0 || templateId >= npy.length) return null;
    const [, nSamples, nLoc] = npy.header.shape;
    const data = npy.readRows(templateId, templateId + 1, { as: 'float32' }) as Float32Array;
    let channels: Int32Array;
    if (this.templateInd) channels = this.templateInd.slice(templateId * nLoc, (templateId + 1) * nLoc);
    else channels = Int32Array.from({ length: nLoc }, (_, c) => c);
    const h = this.handle;
    return { unwhitened: unwhitenTemplate(data, channels, nSamples, h.whiteningMatInv, h.nChannels), channels, nSamples };
  }

  /** An `.npy` file of the dataset opened by this thread (closed with it). */
  openNpy(path: string): NpyFile {
    return NpyFile.open(this.open(path));
  }

  /** A structured `.npy` of the dataset (SpikeInterface's `spike_locations.npy`), closed with it. */
  openStructuredNpy(path: string): NpyStructuredFile {
    return NpyStructuredFile.open(this.open(path));
  }

  /**
   * Feature rows of a fixed spike set named by `key` (read once per thread, then kept; at most
   * a few sets, the oldest dropped): the background candidates every features request shows.
   */
  cachedFeatureRows(key: string, spikeIds: Int32Array): { data: Float32Array; channels: Int32Array } {
    const hit = this.featureRows.get(key);
    if (hit && hit.n === spikeIds.length) return hit.rows;
    const reader = this.features;
    if (!reader) throw new Error('no PC features for this dataset');
    const rows = reader.read(spikeIds);
    this.featureRows.set(key, { n: spikeIds.length, rows });
    while (this.featureRows.size > 4) this.featureRows.delete(this.featureRows.keys().next().value as string);
    return rows;
  }

  get features(): FeatureReader | null {
    if (this.featureReader === undefined) {
      const spec = this.handle.features;
      const spikeTemplates = this.handle.spikeTemplates;
      if (!spec || !spikeTemplates) this.featureReader = null;
      else {
        const npy = NpyFile.open(this.open(spec.file));
        const ind = spec.ind ?? (NpyFile.open(this.open(spec.indFile)).read({ as: 'int32' }) as Int32Array);
        const rowIds = spec.spikeIdsFile ? (NpyFile.open(this.open(spec.spikeIdsFile)).read({ as: 'int32' }) as Int32Array) : null;
        const [, nPcs, nLoc] = npy.header.shape;
        this.featureReader = {
          nPcs,
          nLoc,
          read(spikeIds) {
            const n = spikeIds.length;
            const rows = new Int32Array(n);
            for (let k = 0; k < n; k++) rows[k] = rowIds ? indexOfSorted(rowIds, spikeIds[k]) : spikeIds[k];
            const present = Array.from(rows).filter((r) => r >= 0);
            const raw = present.length ? (npy.readRowsAt(present, { as: 'float32' }) as Float32Array) : new Float32Array(0);
            const data = new Float32Array(n * nLoc * nPcs).fill(NaN);
            const channels = new Int32Array(n * nLoc).fill(-1);
            let p = 0;
            for (let k = 0; k < n; k++) {
              if (rows[k] < 0) continue;
              // File rows are (nPcs, nLoc); output rows (nLoc, nPcs).
              const src = p * nPcs * nLoc;
              for (let pc = 0; pc < nPcs; pc++) for (let c = 0; c < nLoc; c++) data[(k * nLoc + c) * nPcs + pc] = raw[src + pc * nLoc + c];
              const t = spikeTemplates[spikeIds[k]];
              for (let c = 0; c < nLoc; c++) channels[k * nLoc + c] = ind[t * nLoc + c];
              p++;
            }
            return { data, channels };
          },
        };
      }
    }
    return this.featureReader;
  }

  close(): void {
    for (const s of this.sources) s.close();
    this.sources.length = 0;
    this.hdf5?.close();
    this.hdf5 = null;
  }
}

/** Per-thread registry of datasets seen in task handles (bounded: the oldest is closed). */
export class WorkerDatasets {
  private readonly map = new Map<string, WorkerDataset>();

  constructor(private readonly max = 4) {}

  get(handle: DatasetHandle): WorkerDataset {
    let ds = this.map.get(handle.id);
    if (!ds) {
      ds = new WorkerDataset(handle);
      this.map.set(handle.id, ds);
      while (this.map.size > this.max) {
        const [oldId, old] = this.map.entries().next().value as [string, WorkerDataset];
        old.close();
        this.map.delete(oldId);
      }
    }
    return ds;
  }
}
