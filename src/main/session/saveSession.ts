/**
 * Saving a session as phy-compatible files (phy-features.md §1.6, §3.3, §3.4), every file atomic
 * (temp file, fsync, rename, fsync folder):
 * - template folders: `spike_clusters.npy` (in the sorter's dtype and shape — uint32/int32/int64,
 *   (N,) or (N, 1) — else int32 (N,)), `cluster_group.tsv` with one row for
 *   every cluster (`unsorted` included), `cluster_<label>.tsv` for the curator's labels, and
 *   `cluster_group.rejected.tsv` holding the rows of the sorter's `cluster_group.tsv` that could
 *   not be used (wrong header, bad or negative id, cluster with no spike), as written;
 * - Kwik: the clustering and groups written into the `.kwik` (after a one-time `.kwik.bak`);
 * - both: `cluster_info.tsv` (`cluster_id`, then the other fields in Python `sorted()` order,
 *   the quality metrics among them under SpikeInterface's names — `nan` where a metric is
 *   undefined, empty for a cluster whose metrics are not computed yet) and `curation.json` (always one SpikeInterface curation format v2 object, see curationFormat.ts).
 * The sorter's files are never modified: the original `spike_clusters.npy` and
 * `cluster_group.tsv` are backed up once into the state folder before the first save, and
 * nothing writes `templates.npy` or `whitening_mat_inv.npy`.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Dataset, SpikeClustersLayout } from '../../core/dataset/Dataset';
import { encodeNpy, encodeNpyHeader } from '../../core/formats/npy';
import { formatClusterField, formatTable, type CellValue } from '../../core/formats/tsv';
import type { ClusterLabels } from '../../core/session/ClusterLabels';
import type { ClusterMeta } from '../../core/session/ClusterMeta';
import type { ClusterMetrics } from '../../core/session/ClusterMetrics';
import { datasetSiCuration } from '../../core/session/curationFormat';
import { copyFileAtomicSync, writeFileAtomicSync } from '../io/durableFs';
import { writeKwikClustering } from './kwikWriter';

/** Everything a save reads. */
/** SpikeInterface's curation file: written by every save, read by the review queue for merge proposals. */
export const CURATION_JSON = 'curation.json';

/** In the state folder: the hash of the `curation.json` our last save wrote. */
const CURATION_JSON_WRITTEN = 'curation-json-written.sha256';

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Before a save replaces `curation.json`, a file there that our last save did not write (one
 * SpikeInterface or a colleague wrote: its proposals are already in the review queue, but the
 * file is the user's) is copied to `<stateDir>/curation-<hash>.json`, so nothing is lost.
 * Returns the copy's path, or null when there was nothing to keep.
 */
export function keepForeignCurationJson(file: string, stateDir: string): string | null {
  if (!fs.existsSync(file)) return null;
  const bytes = fs.readFileSync(file);
  const hash = sha256(bytes);
  const marker = path.join(stateDir, CURATION_JSON_WRITTEN);
  const ours = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').trim() : null;
  if (ours === hash) return null;
  const copy = path.join(stateDir, `curation-${hash.slice(0, 12)}.json`);
  if (!fs.existsSync(copy)) copyFileAtomicSync(file, copy);
  return copy;
}

export interface SaveContext {
  dataset: Dataset;
  labels: ClusterLabels;
  meta: ClusterMeta;
  metrics: ClusterMetrics;
  /** Folder of the journal and the backups. */
  stateDir: string;
  /** (nSpikes,) the journal's base assignment, and its hash. */
  base: Int32Array;
  baseHash: string;
  /**
   * The live quality metrics (the app's QualityService): a cluster's row (metric name → value,
   * null = NaN), undefined while it is not computed. Absent: cluster_info.tsv has no metric columns.
   */
  quality?: QualitySource;
  /** (nSpikes,) the live assignment flattened (`labels.flatAssignment()`), when the caller has it already. */
  flat?: Int32Array;
}

/** Quality metric columns of cluster_info.tsv and each cluster's values. */
export interface QualitySource {
  /** Metric (and `*_source`) column names. */
  names: readonly string[];
  row(clusterId: number): Readonly<Record<string, number | string | null>> | undefined;
}

/** `.npy` bytes of an int32 1-D array without copying 40 MB when the host is little endian. */
export function int32NpyChunks(a: Int32Array): Uint8Array[] {
  if (os.endianness() === 'LE') return [encodeNpyHeader('int32', [a.length]), new Uint8Array(a.buffer, a.byteOffset, a.byteLength)];
  return [encodeNpy(a, 'int32')];
}

/**
 * `.npy` bytes of the assignment in the sorter's layout of `spike_clusters.npy` (dtype and
 * shape, see `SpikeClustersLayout`): int32 / uint32 / int64 / uint64, `(N,)` or `(N, 1)`;
 * anything else, or no sorter file, is written as phy writes it, int32 `(N,)`. Cluster ids are
 * ≥ 0, so on a little-endian host the int32 bytes are the uint32 bytes and the low words of
 * the 64-bit ones: no per-spike conversion for 32-bit layouts.
 */
export function spikeClustersNpyChunks(a: Int32Array, layout: SpikeClustersLayout | null | undefined): Uint8Array[] {
  const n = a.length;
  const dtype = layout && ['int32', 'uint32', 'int64', 'uint64'].includes(layout.dtype) ? layout.dtype : 'int32';
  const shape = layout && layout.shape.length === 2 && layout.shape[1] === 1 ? [n, 1] : [n];
  if (os.endianness() !== 'LE') return [encodeNpy(a, dtype, shape)];
  const head = encodeNpyHeader(dtype, shape);
  if (dtype === 'int32' || dtype === 'uint32') return [head, new Uint8Array(a.buffer, a.byteOffset, a.byteLength)];
  const wide = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) wide[2 * i] = a[i];
  return [head, new Uint8Array(wide.buffer)];
}

/** Base assignment file of a journal (kept so the undo history can be rebuilt after saves). */
export function baseFileName(baseHash: string): string {
  return `base-${baseHash}.npy`;
}

/** cluster_info.tsv columns: `cluster_id`, then every other field in Python `sorted()` (code point) order. */
export function clusterInfoColumns(format: Dataset['format'], labelColumns: readonly string[], qualityColumns: readonly string[] = []): string[] {
  const live = format === 'kwik' ? ['ch', 'depth', 'fr', 'group', 'n_spikes'] : ['amp', 'ch', 'depth', 'fr', 'group', 'n_spikes', 'sh'];
  const fields = [...new Set([...live, ...labelColumns, ...qualityColumns])].filter((f) => f !== 'cluster_id' && f !== 'is_masked');
  fields.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ['cluster_id', ...fields];
}

/**
 * Writes `cluster_group.tsv` (one row per cluster, `unsorted` included), the rows of the sorter's
 * file the session could not use as `cluster_group.rejected.tsv`, and `cluster_<field>.tsv` for
 * each of the curator's fields, into `dir`. Returns the paths written.
 */
export function writeClusterGroupFiles(dir: string, dataset: Pick<Dataset, 'rejectedGroupRows'>, ids: readonly number[], meta: ClusterMeta): string[] {
  const written: string[] = [];
  const cg = path.join(dir, 'cluster_group.tsv');
  writeFileAtomicSync(cg, [formatClusterField('group', ids.map((id) => [id, meta.group(id) ?? 'unsorted']))]);
  written.push(cg);
  // Rows of the sorter's cluster_group.tsv the session could not use would be lost by the
  // rewrite above: keep them, as written, under their original header.
  const rejected = dataset.rejectedGroupRows;
  if (rejected && rejected.rows.length) {
    const side = path.join(dir, 'cluster_group.rejected.tsv');
    writeFileAtomicSync(side, [[rejected.header, ...rejected.rows.map((r) => r.text)].join('\n') + '\n']);
    written.push(side);
  }
  for (const field of [...meta.userFields].sort()) {
    const f = path.join(dir, `cluster_${field}.tsv`);
    writeFileAtomicSync(f, [formatClusterField(field, ids.map((id) => [id, meta.get(field, id)]))]);
    written.push(f);
  }
  return written;
}

/** Writes `cluster_info.tsv` into `dir` (see the module comment); returns its path. */
export function writeClusterInfo(dir: string, format: Dataset['format'], ids: readonly number[], meta: ClusterMeta, metrics: ClusterMetrics, quality?: QualitySource): string {
  metrics.precompute();
  // A sorter's label column of the same name as a metric (e.g. its own `snr`) keeps its values.
  const qualityColumns = quality ? quality.names.filter((n) => !meta.labelColumns().includes(n)) : [];
  const columns = clusterInfoColumns(format, meta.labelColumns(), qualityColumns);
  const rows = ids.map((id) => {
    const m = metrics.metrics(id);
    const row: Record<string, CellValue | null> = { cluster_id: id, amp: m.amp, ch: m.ch, depth: m.depth, fr: m.fr, group: meta.group(id) ?? 'unsorted', n_spikes: m.nSpikes, sh: m.sh };
    const q = quality?.row(id);
    // null in a computed row is an undefined metric (NaN): written `nan`, as pandas reads it.
    if (q) for (const n of qualityColumns) row[n] = q[n] ?? NaN;
    for (const f of meta.labelColumns()) row[f] = meta.get(f, id);
    return row;
  });
  const info = path.join(dir, 'cluster_info.tsv');
  writeFileAtomicSync(info, [formatTable(columns, rows)]);
  return info;
}

/** What a save wrote. */
export interface SavedFiles {
  /** Paths written (backups excluded). */
  files: string[];
  /** Why `curation.json` was not written (the sorting's unit ids cannot name the units one to one); null when it was. */
  curationJsonSkipped: string | null;
}

/** Writes the session's files. */
export async function saveSession(ctx: SaveContext): Promise<SavedFiles> {
  const { dataset, labels, meta, metrics, stateDir } = ctx;
  const dir = dataset.dir;
  // The flat spike_clusters every output is written from (the session keeps spike → segment → cluster).
  const flat = ctx.flat ?? labels.flatAssignment();
  const written: string[] = [];
  fs.mkdirSync(stateDir, { recursive: true });
  // The journal's base, once: the undo history is rebuilt from it when the dataset is reopened.
  const baseFile = path.join(stateDir, baseFileName(ctx.baseHash));
  if (!fs.existsSync(baseFile)) writeFileAtomicSync(baseFile, int32NpyChunks(ctx.base));
  const ids = labels.clusterIds();
  const groupOf = (id: number) => meta.group(id);
  // An analyzer's or NWB file's save writes the phy files beside its own (never over or into
  // them: SpikeInterface's files have other names, the .nwb is not opened for writing); they are
  // read back on the next open.
  if (dataset.format === 'template' || dataset.format === 'analyzer' || dataset.format === 'nwb') {
    // One-time byte-exact backups of the sorter's files that a save replaces.
    for (const name of ['spike_clusters.npy', 'cluster_group.tsv']) {
      const src = path.join(dir, name);
      const bak = path.join(stateDir, `${name}.orig`);
      if (fs.existsSync(src) && !fs.existsSync(bak)) copyFileAtomicSync(src, bak);
    }
    const sc = path.join(dir, 'spike_clusters.npy');
    writeFileAtomicSync(sc, spikeClustersNpyChunks(flat, dataset.spikeClustersLayout));
    written.push(sc);
    written.push(...writeClusterGroupFiles(dir, dataset, ids, meta));
  } else {
    const k = dataset.kwik;
    if (!k) throw new Error(`${dataset.path}: Kwik dataset without a channel group and clustering`);
    await writeKwikClustering(dataset.path, {
      channelGroup: k.channelGroup,
      clustering: k.clustering,
      spikeClusters: flat,
      groups: ids.map((id) => [id, groupOf(id)]),
    });
    written.push(dataset.path);
  }
  written.push(writeClusterInfo(dir, dataset.format, ids, meta, metrics, ctx.quality));
  // SpikeInterface's curation.json, in the sorting's own unit ids (an analyzer's or NWB file's
  // string or negative ids included); not written when the ids cannot name the units one to one.
  const si = datasetSiCuration(dataset, ctx.base, flat, groupOf);
  if (typeof si !== 'string') {
    const cj = path.join(dir, CURATION_JSON);
    keepForeignCurationJson(cj, ctx.stateDir);
    const text = JSON.stringify(si) + '\n';
    writeFileAtomicSync(cj, [text]);
    writeFileAtomicSync(path.join(ctx.stateDir, CURATION_JSON_WRITTEN), [sha256(text) + '\n']);
    written.push(cj);
  }
  return { files: written, curationJsonSkipped: typeof si === 'string' ? si : null };
}
