/**
 * The extensions of an analyzer that the views use. Each one is a folder
 * `extensions/<name>/` holding `params.json`, `info.json`, `run_info.json` and its data, one file
 * per data item: `.npy` for arrays, `.csv` for dataframes (`to_csv(index=True)`: the first column
 * is the unit id), `.json` for dicts (spikeinterface `core/sortinganalyzer.py`,
 * `AnalyzerExtension._save_data` / `load_data`). Data items read here:
 *
 * | extension | file | shape |
 * |---|---|---|
 * | `templates` (`core/analyzer_extension_core.py` `ComputeTemplates`) | `average.npy` | (nUnits, nSamples, nChannels), dense (zeros outside the sparsity) |
 * | `template_similarity` (`postprocessing/template_similarity.py`) | `similarity.npy` | (nUnits, nUnits) |
 * | `noise_levels` (`core/analyzer_extension_core.py` `ComputeNoiseLevels`) | `noise_levels.npy` | (nChannels,) |
 * | `spike_amplitudes` (`postprocessing/spike_amplitudes.py`) | `amplitudes.npy` | (nSpikes,) µV at each spike's template peak channel |
 * | `principal_components` (`postprocessing/principal_component.py`) | `pca_projection.npy` | (nSampled, nPcs, nLoc) for the `by_channel_*` modes, (nSampled, nPcs) for `concatenated`; rows are the spikes of `random_spikes/random_spikes_indices.npy`; with a sparse analyzer column j of unit u is its j-th channel of `sparsity_mask.npy` |
 * | `spike_locations` (`postprocessing/spike_locations.py`) | `spike_locations.npy` | (nSpikes,) records `x`, `y`[, `z`, `alpha`] |
 * | `quality_metrics`, `template_metrics` (`core/analyzer_extension_core.py` `BaseMetricExtension`) | `metrics.csv` | one row per unit |
 *
 * A missing extension disables only what needs it; an `analyzer.noExtension` info names it and
 * what it would give.
 */
import type { Feature } from '../../diagnostics';
import { parseTable, type CellValue } from '../../formats/tsv';
import { NpyStructuredFile } from '../../formats/npyStructured';
import type { ClusterColumn, FeatureSource, SpikeAttribute } from '../Dataset';
import { errorText } from '../DiagnosticLog';
import { NpyFeatureSource } from '../kilosort/features';
import { plural, shapeText, type TemplateFolderReader } from '../kilosort/folder';
import { NpyTemplateSource, openTemplates } from '../kilosort/templates';
import { closeSource } from '../rawData';
import { readJsonFile } from './json';

/** The extension folders of an analyzer, each opened on demand with a reader sharing the log. */
export class AnalyzerExtensions {
  readonly names: string[];
  private readonly dir: TemplateFolderReader | null;

  constructor(private readonly root: TemplateFolderReader) {
    this.dir = root.names.includes('extensions') ? root.sub('extensions', 'the extensions folder of a SortingAnalyzer') : null;
    this.names = this.dir ? this.dir.names.filter((n) => !n.startsWith('.') && !n.startsWith('._')) : [];
  }

  /**
   * The reader of extension `name`, or null (with an `analyzer.noExtension` info saying what is
   * lost) when it is absent or was not run to completion.
   */
  open(name: string, what: string, disables: Feature[]): TemplateFolderReader | null {
    const where = this.root.path(`extensions/${name}`);
    if (!this.dir || !this.names.includes(name)) {
      this.root.log.add('info', where, 'analyzer.noExtension', `no ${name} extension: ${what} (compute it in SpikeInterface with analyzer.compute("${name}"))`, disables);
      return null;
    }
    const r = this.dir.sub(name, `the ${name} extension folder`);
    const run = readJsonFile(r, 'run_info.json', false);
    if (run && run.run_completed === false) {
      this.root.log.add('info', where, 'analyzer.noExtension', `the ${name} extension was not run to completion (run_info.json): ${what}`, disables);
      return null;
    }
    return r;
  }
}

/** `templates/average.npy` as a lazy template source (one template per unit), or null. */
export function readAnalyzerTemplates(ext: AnalyzerExtensions, nUnits: number, nChannels: number): { templates: NpyTemplateSource | null; file: string | null } {
  const disables: Feature[] = ['templates'];
  const r = ext.open('templates', 'TemplateView and template waveforms are unavailable', disables);
  if (!r) return { templates: null, file: null };
  // SpikeInterface's own order when it needs a template (`_compute_main_channel_backwards_compatibility`).
  const o = r.open(['average.npy', 'median.npy'], false, disables);
  if (!o) {
    if (!r.find(['average.npy', 'median.npy'])) r.log.add('info', r.path('average.npy'), 'file.missing', `the templates extension has no average.npy or median.npy (operators: ${r.names.filter((n) => n.endsWith('.npy')).join(', ') || 'none'}); templates disabled`, disables);
    return { templates: null, file: null };
  }
  const s = o.npy.header.shape;
  if (s.length !== 3 || s[0] !== nUnits || s[2] !== nChannels) {
    r.log.add('error', o.file, 'lengths.mismatch', `expected (${nUnits}, n_samples, ${nChannels}) (one template per unit, one column per channel) but got ${shapeText(o.npy)}; templates disabled`, disables);
    closeSource(o.npy.source);
    return { templates: null, file: null };
  }
  const templates = openTemplates(r, o.npy, o.file, nChannels);
  return { templates, file: templates ? o.file : null };
}

/** `template_similarity/similarity.npy` as (nUnits, nUnits) float32, or null. */
export function readAnalyzerSimilarity(ext: AnalyzerExtensions, nUnits: number): Float32Array | null {
  const disables: Feature[] = ['similarity'];
  const r = ext.open('template_similarity', "the sorter's template similarity is unavailable", disables);
  if (!r) return null;
  const sim = r.read(['similarity.npy'], false, 'float32', disables);
  if (!sim) return null;
  const s = sim.npy.header.shape;
  if (s.length !== 2 || s[0] !== nUnits || s[1] !== nUnits) {
    r.log.add('error', sim.file, 'npy.shape', `expected (${nUnits}, ${nUnits}) (one row and column per unit) but got ${shapeText(sim.npy)}; similarity disabled`, disables);
    return null;
  }
  return sim.data as Float32Array;
}

/** `noise_levels/noise_levels.npy` as (nChannels,) float32 (SpikeInterface's snr divides by it), or null. */
export function readAnalyzerNoiseLevels(ext: AnalyzerExtensions, nChannels: number): Float32Array | null {
  const r = ext.open('noise_levels', 'snr without the recording is unavailable', []);
  if (!r) return null;
  const c = r.column(['noise_levels.npy'], false, 'float32', { n: nChannels, of: 'recording_info/recording_attributes.json' }, []);
  return c ? (c.data as Float32Array) : null;
}

/** `spike_amplitudes/amplitudes.npy` as (nSpikes,) float32, or null. */
export function readAnalyzerAmplitudes(ext: AnalyzerExtensions, nSpikes: number, shared: boolean): Float32Array | null {
  const disables: Feature[] = ['amplitudes'];
  const r = ext.open('spike_amplitudes', 'AmplitudeView has no amplitudes of every spike', disables);
  if (!r) return null;
  const c = r.column(['amplitudes.npy'], false, 'float32', { n: nSpikes, of: 'sorting/spikes.npy' }, disables, shared);
  return c ? (c.data as Float32Array) : null;
}

/**
 * The channel of each column of a unit's sparse rows: (nUnits, nLoc), unit u's channels of
 * `sparsity_mask.npy` in ascending order (SpikeInterface `ChannelSparsity.unit_id_to_channel_indices`),
 * then -1; null with a reason when the mask is unusable.
 */
export function sparseChannelIndex(mask: Uint8Array, nUnits: number, nChannels: number, nLoc: number): Int32Array | string {
  const ind = new Int32Array(nUnits * nLoc).fill(-1);
  for (let u = 0; u < nUnits; u++) {
    let k = 0;
    for (let c = 0; c < nChannels; c++) {
      if (!mask[u * nChannels + c]) continue;
      if (k >= nLoc) return `unit index ${u} has more than ${nLoc} channels in sparsity_mask.npy`;
      ind[u * nLoc + k++] = c;
    }
  }
  return ind;
}

/** PC features of the sampled spikes, with what worker threads need to read them. */
export interface AnalyzerFeatures {
  features: FeatureSource;
  file: string;
  spikeIdsFile: string;
  /** (nUnits, nLoc) channel of each column. */
  ind: Int32Array;
}

/**
 * `principal_components/pca_projection.npy` (by-channel modes) over the spikes of
 * `random_spikes/random_spikes_indices.npy`, or null.
 */
export function readAnalyzerFeatures(
  root: TemplateFolderReader,
  ext: AnalyzerExtensions,
  unitIndex: Int32Array,
  nUnits: number,
  nChannels: number,
): AnalyzerFeatures | null {
  const disables: Feature[] = ['features'];
  const r = ext.open('principal_components', 'FeatureView has no PC features', disables);
  if (!r) return null;
  const params = readJsonFile(r, 'params.json', false, disables);
  const mode = typeof params?.mode === 'string' ? params.mode : 'by_channel_local';
  const o = r.open(['pca_projection.npy'], false, disables);
  if (!o) {
    if (!r.names.includes('pca_projection.npy')) r.log.add('error', r.path('pca_projection.npy'), 'file.missing', 'the principal_components extension has no pca_projection.npy; PC features disabled', disables);
    return null;
  }
  const { npy, file } = o;
  const drop = (code: string, where: string, message: string): null => {
    r.log.add(code === 'analyzer.pcaConcatenated' ? 'info' : 'error', where, code, `${message}; PC features disabled`, disables);
    closeSource(npy.source);
    return null;
  };
  const s = npy.header.shape;
  if (mode === 'concatenated' || s.length === 2) return drop('analyzer.pcaConcatenated', file, `mode "${mode}" projects all channels together, so there are no per-channel features for FeatureView (compute principal_components with mode="by_channel_local")`);
  if (s.length !== 3) return drop('npy.shape', file, `expected (n_spikes, n_components, n_channels) but got ${shapeText(npy)}`);
  const [nRows, , nLoc] = s;
  const rsName = 'random_spikes_indices.npy';
  const rsFile = root.path(`extensions/random_spikes/${rsName}`);
  if (!ext.names.includes('random_spikes')) return drop('file.missing', rsFile, 'the random_spikes extension (which spikes the projections are of) is missing');
  const rs = ext.open('random_spikes', 'which spikes have PC features is unknown', disables);
  const ids = rs ? rs.column([rsName], false, 'int32', { n: nRows, of: 'pca_projection.npy' }, disables) : null;
  if (!ids) return drop('file.missing', rsFile, `${rsName} is missing or unusable`);
  const spikeIds = ids.data as Int32Array;
  const nSpikes = unitIndex.length;
  for (let i = 0; i < spikeIds.length; i++) {
    if (spikeIds[i] < 0 || spikeIds[i] >= nSpikes) return drop('features.idsOutOfRange', ids.file, `spike index ${spikeIds[i]} at row ${i} is not in [0, ${nSpikes})`);
    if (i && spikeIds[i] <= spikeIds[i - 1]) return drop('features.ids', ids.file, `spike indices must be strictly increasing (row ${i})`);
  }
  let ind: Int32Array | null = null;
  const maskRead = root.names.includes('sparsity_mask.npy') ? root.read(['sparsity_mask.npy'], false, 'native', disables) : null;
  if (maskRead) {
    const ms = maskRead.npy.header.shape;
    if (ms.length !== 2 || ms[0] !== nUnits || ms[1] !== nChannels) return drop('lengths.mismatch', maskRead.file, `expected (${nUnits}, ${nChannels}) but got ${shapeText(maskRead.npy)}`);
    const sparse = sparseChannelIndex(maskRead.data as Uint8Array, nUnits, nChannels, nLoc);
    if (typeof sparse === 'string') return drop('lengths.mismatch', maskRead.file, sparse);
    ind = sparse;
  } else if (nLoc !== nChannels) {
    return drop('lengths.mismatch', file, `has ${nLoc} channel columns but the analyzer has ${nChannels} channels and no sparsity_mask.npy`);
  }
  const features = new NpyFeatureSource(r.keep(npy), spikeIds, null, ind, unitIndex);
  const dense = new Int32Array(nUnits * nLoc);
  for (let u = 0; u < nUnits; u++) for (let c = 0; c < nLoc; c++) dense[u * nLoc + c] = c;
  return { features, file, spikeIdsFile: ids.file, ind: ind ?? dense };
}

/** `spike_locations/spike_locations.npy` as the `locations` spike attribute (x, y µm), or null. */
export function readAnalyzerSpikeLocations(ext: AnalyzerExtensions, nSpikes: number): SpikeAttribute | null {
  const disables: Feature[] = ['spikeAttributes'];
  const r = ext.open('spike_locations', 'no per-spike locations', disables);
  if (!r) return null;
  const name = 'spike_locations.npy';
  const file = r.path(name);
  if (!r.names.includes(name)) {
    r.log.add('error', file, 'file.missing', `${name} not found; spike locations disabled`, disables);
    return null;
  }
  let src = null;
  try {
    src = r.fs.open(file);
    const npy = NpyStructuredFile.open(src);
    if (npy.length !== nSpikes || !npy.field('x') || !npy.field('y')) {
      r.log.add('error', file, 'lengths.mismatch', `expected ${nSpikes} records with fields x, y but got ${npy.length} with ${npy.header.fields.map((f) => f.name).join(', ')}; spike locations disabled`, disables);
      closeSource(src);
      return null;
    }
    r.kept.push(src);
    return { name: 'locations', file, nColumns: 2, fields: ['x', 'y'], read: (spikeIds) => npy.readRowsAt(spikeIds, ['x', 'y'], 'float32') as Float32Array };
  } catch (e) {
    closeSource(src);
    r.log.from(e, file, 'error', disables, '; spike locations disabled');
    return null;
  }
}

/**
 * `quality_metrics/metrics.csv` and `template_metrics/metrics.csv` as cluster columns (the first
 * column, pandas' index, is the unit id). Rows of unknown units are reported and skipped.
 */
export function readAnalyzerMetrics(ext: AnalyzerExtensions, unitIds: ReadonlyArray<string | number>, unitClusterIds: Int32Array): ClusterColumn[] {
  const byId = new Map<string, number>();
  unitIds.forEach((u, i) => byId.set(String(u), unitClusterIds[i]));
  const out = new Map<string, ClusterColumn>();
  for (const name of ['quality_metrics', 'template_metrics']) {
    const r = ext.open(name, `no ${name.replace('_', ' ')} columns in ClusterView`, []);
    if (!r) continue;
    const csv = 'metrics.csv';
    const file = r.path(csv);
    if (!r.names.includes(csv)) {
      r.log.add('warning', file, 'file.missing', `the ${name} extension has no ${csv}; its columns are not shown`);
      continue;
    }
    let table;
    try {
      // pandas writes the unnamed index as an empty first header cell, which phylib's table rules refuse.
      table = parseTable(r.fs.readText(file).replace(/^(\uFEFF?)([,\t])/, '$1unit_id$2'), file);
    } catch (e) {
      r.log.add('warning', file, 'tsv.skipped', `${errorText(e, file)}; its columns are not shown`);
      continue;
    }
    const [idColumn, ...columns] = table.columns;
    const unknown: string[] = [];
    const values = new Map<string, Map<number, CellValue>>(columns.map((c) => [c, new Map()]));
    table.rows.forEach((row, i) => {
      // The id as written (pandas writes it unquoted): "01" must not become 1.
      const raw = table.source[i].text.split(table.header.includes('\t') ? '\t' : ',')[0].trim().replace(/^"(.*)"$/, '$1');
      const id = byId.get(raw) ?? byId.get(String(row[idColumn]));
      if (id === undefined) {
        unknown.push(raw);
        return;
      }
      for (const c of columns) if (row[c] !== undefined) values.get(c)!.set(id, row[c]);
    });
    if (unknown.length) r.log.add('warning', file, 'tsv.badRow', `${plural(unknown.length, 'row')} of units the sorting does not have (${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}) ignored`);
    for (const c of columns) out.set(c, { name: c, file, values: values.get(c)! });
  }
  return [...out.values()];
}
