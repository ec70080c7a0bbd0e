/** `pc_features.npy` and `template_features.npy` as lazy {@link FeatureSource}s. */
import type { Feature } from '../../diagnostics';
import type { NpyFile } from '../../formats/npy';
import type { FeatureSource } from '../Dataset';
import { closeSource } from '../rawData';
import { shapeText, type TemplateFolderReader } from './folder';

/**
 * Per-spike features from an `.npy` of shape (nRows, nPcs, nChannelsLoc) (`pc_features.npy`,
 * transposed on read to (n, nChannelsLoc, nPcs) as phylib does) or (nRows, nColumns)
 * (`template_features.npy`, nPcs = 1). Rows are read on demand, never the whole file.
 */
export class NpyFeatureSource implements FeatureSource {
  readonly nPcs: number;
  readonly nChannelsLoc: number;
  /** Row of each entry of `spikeIds` (ascending spike ids), when the file holds a subset. */
  private readonly rowOf: Int32Array | null;

  constructor(
    private readonly npy: NpyFile,
    readonly spikeIds: Int32Array | null,
    rowOf: Int32Array | null,
    /** (nTemplates, nChannelsLoc) column → channel (or template) index, or null for 0..n-1. */
    private readonly ind: Int32Array | null,
    private readonly spikeTemplates: Int32Array,
  ) {
    const s = npy.header.shape;
    this.nPcs = s.length === 3 ? s[1] : 1;
    this.nChannelsLoc = s.length === 3 ? s[2] : s[1];
    this.rowOf = rowOf;
  }

  private rowsFor(spikeIds: ArrayLike<number>): ArrayLike<number> {
    if (!this.spikeIds) return spikeIds;
    const ids = this.spikeIds;
    const rows = new Int32Array(spikeIds.length);
    for (let k = 0; k < spikeIds.length; k++) {
      const s = spikeIds[k];
      let lo = 0;
      let hi = ids.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ids[mid] < s) lo = mid + 1;
        else hi = mid;
      }
      if (ids.length === 0 || ids[lo] !== s) throw new RangeError(`spike ${s} has no feature row (features exist for a subset of ${ids.length} spikes)`);
      rows[k] = this.rowOf ? this.rowOf[lo] : lo;
    }
    return rows;
  }

  read(spikeIds: ArrayLike<number>): { data: Float32Array; channels: Int32Array } {
    const n = spikeIds.length;
    const rows = this.rowsFor(spikeIds);
    const raw = this.npy.readRowsAt(rows, { as: 'float32' }) as Float32Array;
    const nc = this.nChannelsLoc;
    const np = this.nPcs;
    let data = raw;
    if (np > 1) {
      // (n, nPcs, nc) → (n, nc, nPcs)
      data = new Float32Array(raw.length);
      for (let i = 0; i < n; i++) {
        const base = i * np * nc;
        for (let p = 0; p < np; p++) for (let c = 0; c < nc; c++) data[base + c * np + p] = raw[base + p * nc + c];
      }
    }
    const channels = new Int32Array(n * nc);
    for (let i = 0; i < n; i++) {
      if (this.ind) {
        const t = this.spikeTemplates[spikeIds[i]];
        channels.set(this.ind.subarray(t * nc, (t + 1) * nc), i * nc);
      } else {
        for (let c = 0; c < nc; c++) channels[i * nc + c] = c;
      }
    }
    return { data, channels };
  }
}

export interface FeatureFiles {
  data: string;
  ind: string;
  ids: string;
  feature: Feature;
  nSpikes: number;
  spikeTemplates: Int32Array;
  tMax: number;
  /** Number of valid index values (channels, or templates for template features). */
  nIndex: number;
  indexWhat: string;
}

/** Validates a features file with its index and spike-id subset and returns the lazy source. */
export function openFeatures(r: TemplateFolderReader, f: FeatureFiles): FeatureSource | null {
  const log = r.log;
  const disables: Feature[] = [f.feature];
  const o = r.open([f.data], false, disables);
  if (!o) return null;
  const { npy, file } = o;
  const drop = (code: string, where: string, message: string): null => {
    log.add('error', where, code, `${message}; ${f.feature === 'features' ? 'PC features' : 'template features'} disabled`, disables);
    closeSource(npy.source);
    return null;
  };
  const s = npy.header.shape;
  if (s.length !== 2 && s.length !== 3) return drop('npy.shape', file, `expected 2 or 3 dimensions but got ${shapeText(npy)}`);
  const nRows = s[0];
  const nc = s.length === 3 ? s[2] : s[1];

  let spikeIds: Int32Array | null = null;
  let rowOf: Int32Array | null = null;
  if (r.names.includes(f.ids)) {
    const c = r.column([f.ids], false, 'int32', { n: nRows, of: f.data }, disables);
    if (!c) return drop('features.ids', r.path(f.ids), `${f.ids} is unusable`);
    const ids = c.data as Int32Array;
    let sorted = true;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= f.nSpikes) return drop('features.idsOutOfRange', c.file, `spike id ${ids[i]} at row ${i} is not in [0, ${f.nSpikes})`);
      if (i && ids[i] <= ids[i - 1]) sorted = false;
    }
    if (sorted) {
      spikeIds = ids;
    } else {
      const order = Array.from(ids.keys()).sort((a, b) => ids[a] - ids[b]);
      spikeIds = new Int32Array(order.length);
      rowOf = new Int32Array(order.length);
      for (let k = 0; k < order.length; k++) {
        spikeIds[k] = ids[order[k]];
        rowOf[k] = order[k];
        if (k && spikeIds[k] === spikeIds[k - 1]) return drop('features.idsDuplicate', c.file, `spike ${spikeIds[k]} appears twice`);
      }
    }
  } else if (nRows !== f.nSpikes) {
    return drop('lengths.mismatch', file, `has ${nRows} rows but there are ${f.nSpikes} spikes (and no ${f.ids} to say which spikes they are)`);
  }

  let ind: Int32Array | null = null;
  if (r.names.includes(f.ind)) {
    const ti = r.read([f.ind], false, 'int32', disables);
    if (!ti) return drop('features.ind', r.path(f.ind), `${f.ind} is unreadable`);
    const si = ti.npy.header.shape;
    if (si.length !== 2 || si[1] !== nc) return drop('lengths.mismatch', ti.file, `expected (n_templates, ${nc}) to match ${f.data} but got ${shapeText(ti.npy)}`);
    if (f.tMax >= si[0]) return drop('templates.outOfRange', ti.file, `has ${si[0]} rows but spike_templates.npy refers to template ${f.tMax}`);
    ind = ti.data as Int32Array;
    for (let i = 0; i < ind.length; i++) {
      if (ind[i] < -1 || ind[i] >= f.nIndex) return drop('features.indOutOfRange', ti.file, `value ${ind[i]} is not one of the ${f.nIndex} ${f.indexWhat}`);
    }
  } else if (nc !== f.nIndex) {
    return drop('file.missing', r.path(f.ind), `${f.ind} not found and ${f.data} has ${nc} columns, not one per ${f.indexWhat.replace(/s$/, '')} (${f.nIndex})`);
  }
  return new NpyFeatureSource(r.keep(npy), spikeIds, rowOf, ind, f.spikeTemplates);
}

/** `pc_features.npy` and `template_features.npy` with their index and spike-id files. */
export function readFeatures(
  r: TemplateFolderReader,
  spikeTemplates: Int32Array,
  tMax: number,
  nChannels: number,
  nTemplates: number,
): { features: FeatureSource | null; templateFeatures: FeatureSource | null } {
  const nSpikes = spikeTemplates.length;
  const features = openFeatures(r, {
    data: 'pc_features.npy',
    ind: 'pc_feature_ind.npy',
    ids: 'pc_feature_spike_ids.npy',
    feature: 'features',
    nSpikes,
    spikeTemplates,
    tMax,
    nIndex: nChannels,
    indexWhat: 'channels',
  });
  const templateFeatures = openFeatures(r, {
    data: 'template_features.npy',
    ind: 'template_feature_ind.npy',
    ids: 'template_feature_spike_ids.npy',
    feature: 'templateFeatures',
    nSpikes,
    spikeTemplates,
    tMax,
    nIndex: nTemplates,
    indexWhat: 'templates',
  });
  return { features, templateFeatures };
}
