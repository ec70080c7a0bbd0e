/** `templates.npy` (+ `template_ind.npy`) as a lazy {@link TemplateSource}. */
import type { Feature } from '../../diagnostics';
import { HOST_LE } from '../../formats/npyDtype';
import type { NpyFile } from '../../formats/npy';
import type { SpikeTemplateIds, TemplateSource } from '../Dataset';
import { closeSource } from '../rawData';
import { FILES, plural, shapeText, type TemplateFolderReader } from './folder';

/**
 * Templates read one at a time from `templates.npy` ((nTemplates, nSamples, nChannelsLoc),
 * C or Fortran order). NaNs (all-NaN templates are common in Kilosort 2 output) read as 0.
 */
export class NpyTemplateSource implements TemplateSource {
  readonly nTemplates: number;
  readonly nSamples: number;
  readonly nChannelsLoc: number;

  constructor(
    private readonly npy: NpyFile,
    /** (nTemplates, nChannelsLoc) channel of each column (-1 unused), or null when dense. */
    private readonly ind: Int32Array | null,
  ) {
    [this.nTemplates, this.nSamples, this.nChannelsLoc] = npy.header.shape;
  }

  getTemplate(templateId: number): { data: Float32Array; channels: Int32Array } {
    if (!(Number.isInteger(templateId) && templateId >= 0 && templateId < this.nTemplates)) {
      throw new RangeError(`template ${templateId} out of range (${this.nTemplates} templates)`);
    }
    const data = readTemplateRow(this.npy, templateId);
    for (let i = 0; i < data.length; i++) if (data[i] !== data[i]) data[i] = 0;
    const nc = this.nChannelsLoc;
    const channels = new Int32Array(nc);
    if (this.ind) channels.set(this.ind.subarray(templateId * nc, (templateId + 1) * nc));
    else for (let c = 0; c < nc; c++) channels[c] = c;
    return { data, channels };
  }
}


/**
 * Row `t` of a C-order float32 little-endian array read straight into its result (one `pread`,
 * no page-cache pages, no decode): all templates are read at open for the cluster table, and
 * 1 MB cache pages plus a decoded copy cost ≈ 2× the file in transient memory. Other layouts
 * go through {@link NpyFile.readRowsAt}.
 */
export function readTemplateRow(npy: NpyFile, t: number): Float32Array {
  const h = npy.header;
  const src = npy.source;
  if (!(src.readInto && HOST_LE && h.dtype === 'float32' && h.littleEndian && (!h.fortranOrder || npy.rowSize === 1))) {
    return npy.readRowsAt([t], { as: 'float32' }) as Float32Array;
  }
  const out = new Float32Array(npy.rowSize);
  src.readInto(h.dataOffset + t * npy.rowSize * 4, new Uint8Array(out.buffer));
  return out;
}

/** Validates `templates.npy` (+ `template_ind.npy`) and returns the lazy source, or null. */
export function openTemplates(r: TemplateFolderReader, npy: NpyFile, file: string, nChannels: number): NpyTemplateSource | null {
  const log = r.log;
  const disables: Feature[] = ['templates'];
  const [nT, nS, nC] = npy.header.shape;
  const drop = (code: string, f: string, message: string): null => {
    log.add('error', f, code, `${message}; templates disabled`, disables);
    closeSource(npy.source);
    return null;
  };
  let ind: Int32Array | null = null;
  const indName = r.find(FILES.templateInd);
  if (indName) {
    const ti = r.read(FILES.templateInd, false, 'int32', disables);
    if (!ti) return drop('templates.ind', r.path(indName), 'template_ind.npy is unreadable');
    const s = ti.npy.header.shape;
    if (s.length !== 2 || s[0] !== nT || s[1] !== nC) {
      return drop('lengths.mismatch', ti.file, `expected (${nT}, ${nC}) to match templates.npy but got ${shapeText(ti.npy)}`);
    }
    ind = ti.data as Int32Array;
    for (let i = 0; i < ind.length; i++) {
      if (ind[i] < -1 || ind[i] >= nChannels) return drop('templates.channelOutOfRange', ti.file, `channel ${ind[i]} is not one of the ${nChannels} channels of channel_map.npy`);
    }
  } else if (nC !== nChannels) {
    return drop('lengths.mismatch', file, `dense templates must have one column per channel (${nChannels}) but templates.npy has ${nC} and there is no template_ind.npy`);
  }
  // phylib zeroes all-NaN templates in place; we never write, so they read as zeros (any NaN
  // does) and are reported once here. Checking the first sample of each template first keeps
  // this to nT small reads instead of a scan of the whole (often >100 MB) file.
  const allNaN: number[] = [];
  const per = nS * nC;
  if (per > 0) {
    for (let t = 0; t < nT; t++) {
      const first = firstElement(npy, t);
      if (first === first) continue;
      const tplData = npy.readRowsAt([t], { as: 'float32' });
      let all = true;
      for (let i = 0; i < tplData.length && all; i++) if (tplData[i] === tplData[i]) all = false;
      if (all) allNaN.push(t);
    }
  }
  if (allNaN.length) {
    const list = allNaN.length > 10 ? `${allNaN.slice(0, 10).join(', ')}, …` : allNaN.join(', ');
    log.add('warning', file, 'templates.allNaN', `${plural(allNaN.length, 'template')} ${allNaN.length === 1 ? 'is' : 'are'} all NaN (${list}); shown as zeros`);
  }
  return new NpyTemplateSource(r.keep(npy), ind);
}

/**
 * Element (t, 0, 0) of a 3-D array: one small read in either order (straight from the file when
 * the source can, so nT checks do not pull every 1 MB cache page of the file).
 */
export function firstElement(npy: NpyFile, t: number): number {
  const h = npy.header;
  const offset = h.fortranOrder ? h.dataOffset + t * h.itemSize : h.dataOffset + t * npy.rowSize * h.itemSize;
  let bytes: Uint8Array;
  if (npy.source.readInto) {
    bytes = new Uint8Array(h.itemSize);
    npy.source.readInto(offset, bytes);
  } else bytes = npy.source.read(offset, h.itemSize);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (h.dtype) {
    case 'float32':
      return dv.getFloat32(0, h.littleEndian);
    case 'float64':
      return dv.getFloat64(0, h.littleEndian);
    default:
      return 0;
  }
}

/** The templates of a folder, their similarity matrix and how many templates there are. */
export interface Templates {
  templates: NpyTemplateSource | null;
  similarTemplates: Float32Array | null;
  /** From `templates.npy`, else `similar_templates.npy`, else the largest template id + 1. */
  nTemplates: number;
}

/**
 * `templates.npy` and `similar_templates.npy`, each checked against the template ids of
 * `spike_templates` (`tMax`); a bad file disables templates and/or similarity only.
 */
export function readTemplates(r: TemplateFolderReader, spikeTemplates: SpikeTemplateIds, tMax: number, nChannels: number): Templates {
  const { log } = r;
  const tplDisables: Feature[] = ['templates', 'similarity'];
  let templates: NpyTemplateSource | null = null;
  let nTemplates = -1;
  let templatesOutOfRange = false;
  const tpl = r.open(FILES.templates, false, tplDisables);
  if (tpl) {
    const s = tpl.npy.header.shape;
    if (s.length !== 3) {
      log.add('error', tpl.file, 'npy.shape', `expected (n_templates, n_samples, n_channels) but got ${shapeText(tpl.npy)}; templates disabled`, tplDisables);
      closeSource(tpl.npy.source);
    } else if (tMax >= s[0]) {
      nTemplates = s[0];
      let i = 0;
      while (spikeTemplates[i] < s[0]) i++;
      log.add('error', tpl.file, 'templates.outOfRange', `spike ${i} has template ${spikeTemplates[i]} but templates.npy has ${s[0]} templates (ids 0–${s[0] - 1}); templates and similarity disabled`, tplDisables);
      closeSource(tpl.npy.source);
      templatesOutOfRange = true;
    } else {
      nTemplates = s[0];
      templates = openTemplates(r, tpl.npy, tpl.file, nChannels);
    }
  }
  const sim = templatesOutOfRange ? null : readSimilarity(r, nTemplates, tMax);
  if (sim && nTemplates < 0) nTemplates = sim.n;
  if (nTemplates < 0) nTemplates = tMax + 1;
  return { templates, similarTemplates: sim ? sim.data : null, nTemplates };
}

/** `similar_templates.npy`, (n, n) with n = `nTemplates` when known (≥ 0), else its own size. */
function readSimilarity(r: TemplateFolderReader, nTemplates: number, tMax: number): { data: Float32Array; n: number } | null {
  const sim = r.read(['similar_templates.npy'], false, 'float32', ['similarity']);
  if (!sim) return null;
  const s = sim.npy.header.shape;
  const n = nTemplates >= 0 ? nTemplates : s[0];
  if (s.length !== 2 || s[0] !== s[1] || s[0] !== n) {
    r.log.add('error', sim.file, 'npy.shape', `expected (${n}, ${n}) (one row and column per template) but got ${shapeText(sim.npy)}; similarity disabled`, ['similarity']);
    return null;
  }
  if (tMax >= n) {
    r.log.add('error', sim.file, 'templates.outOfRange', `spike_templates.npy refers to template ${tMax} but similar_templates.npy has ${n} rows; similarity disabled`, ['similarity']);
    return null;
  }
  return { data: sim.data as Float32Array, n };
}
