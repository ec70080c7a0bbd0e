/** `pc_features.npy` and `template_features.npy` as lazy {@link FeatureSource}s. */
import type { Feature } from '../../diagnostics';
import type { NpyFile } from '../../formats/npy';
import type { FeatureSource, SpikeTemplateIds } from '../Dataset';
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
    private readonly spikeTemplates: SpikeTemplateIds,
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
  spikeTemplates: SpikeTemplateIds;
  tMax: number;
  /** Number of valid index values (channels, or templates for template features). */
  nIndex: number;
  indexWhat: string;
}

/** Validates a features file with its index and spike-id subset and returns the lazy source. */
export function openFeatures(r: TemplateFolderReader, f: FeatureFiles): FeatureSource | null {
  const disables: Feature[] = [f.feature];
  const o = r.open([f.data], false, disables);
  if (!o) return null;
  const { npy, file } = o;
  const drop = (p: Problem): null => {
    r.log.add('error', p.where, p.code, `${p.message}; ${f.feature === 'features' ? 'PC features' : 'template features'} disabled`, disables);
    closeSource(npy.source);
    return null;
  };
  const s = npy.header.shape;
  if (s.length !== 2 && s.length !== 3) return drop({ code: 'npy.shape', where: file, message: `expected 2 or 3 dimensions but got ${shapeText(npy)}` });
  const nRows = s[0];
  const nc = s.length === 3 ? s[2] : s[1];
  const ids = readFeatureSpikeIds(r, f, nRows, file);
  if ('code' in ids) return drop(ids);
  const ind = readFeatureInd(r, f, nc);
  if (ind && 'code' in ind) return drop(ind);
  return new NpyFeatureSource(r.keep(npy), ids.spikeIds, ids.rowOf, ind, f.spikeTemplates);
}

/** Why a features file is unusable: reported by `openFeatures`, which disables the feature. */
interface Problem {
  code: string;
  where: string;
  message: string;
}

/**
 * The spike of each feature row (`*_spike_ids.npy`), ascending, with the row of each when the
 * file lists them out of order; both null when the file has one row per spike.
 */
function readFeatureSpikeIds(r: TemplateFolderReader, f: FeatureFiles, nRows: number, file: string): { spikeIds: Int32Array | null; rowOf: Int32Array | null } | Problem {
  if (!r.names.includes(f.ids)) {
    if (nRows !== f.nSpikes) return { code: 'lengths.mismatch', where: file, message: `has ${nRows} rows but there are ${f.nSpikes} spikes (and no ${f.ids} to say which spikes they are)` };
    return { spikeIds: null, rowOf: null };
  }
  const c = r.column([f.ids], false, 'int32', { n: nRows, of: f.data }, [f.feature]);
  if (!c) return { code: 'features.ids', where: r.path(f.ids), message: `${f.ids} is unusable` };
  const ids = c.data as Int32Array;
  let sorted = true;
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] < 0 || ids[i] >= f.nSpikes) return { code: 'features.idsOutOfRange', where: c.file, message: `spike id ${ids[i]} at row ${i} is not in [0, ${f.nSpikes})` };
    if (i && ids[i] <= ids[i - 1]) sorted = false;
  }
  if (sorted) return { spikeIds: ids, rowOf: null };
  const order = Array.from(ids.keys()).sort((a, b) => ids[a] - ids[b]);
  const spikeIds = new Int32Array(order.length);
  const rowOf = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) {
    spikeIds[k] = ids[order[k]];
    rowOf[k] = order[k];
    if (k && spikeIds[k] === spikeIds[k - 1]) return { code: 'features.idsDuplicate', where: c.file, message: `spike ${spikeIds[k]} appears twice` };
  }
  return { spikeIds, rowOf };
}

/**
 * The channel (or template) of each feature column per template (`*_feature_ind.npy`), or null
 * when the file has one column per channel (template) and no index.
 */
function readFeatureInd(r: TemplateFolderReader, f: FeatureFiles, nc: number): Int32Array | null | Problem {
  if (!r.names.includes(f.ind)) {
    if (nc !== f.nIndex) return { code: 'file.missing', where: r.path(f.ind), message: `${f.ind} not found and ${f.data} has ${nc} columns, not one per ${f.indexWhat.replace(/s$/, '')} (${f.nIndex})` };
    return null;
  }
  const ti = r.read([f.ind], false, 'int32', [f.feature]);
  if (!ti) return { code: 'features.ind', where: r.path(f.ind), message: `${f.ind} is unreadable` };
  const si = ti.npy.header.shape;
  if (si.length !== 2 || si[1] !== nc) return { code: 'lengths.mismatch', where: ti.file, message: `expected (n_templates, ${nc}) to match ${f.data} but got ${shapeText(ti.npy)}` };
  if (f.tMax >= si[0]) return { code: 'templates.outOfRange', where: ti.file, message: `has ${si[0]} rows but spike_templates.npy refers to template ${f.tMax}` };
  const ind = ti.data as Int32Array;
  for (let i = 0; i < ind.length; i++) {
    if (ind[i] < -1 || ind[i] >= f.nIndex) return { code: 'features.indOutOfRange', where: ti.file, message: `value ${ind[i]} is not one of the ${f.nIndex} ${f.indexWhat}` };
  }
  return ind;
}

/** `pc_features.npy` and `template_features.npy` with their index and spike-id files. */
export function readFeatures(
  r: TemplateFolderReader,
  spikeTemplates: SpikeTemplateIds,
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
