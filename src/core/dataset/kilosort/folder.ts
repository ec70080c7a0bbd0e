/**
 * The folder walk of the template loader: which file names phylib reads (and their ALF
 * alternatives), and {@link TemplateFolderReader}, which opens and validates `.npy` files and
 * records every problem in one {@link DiagnosticLog}.
 */
import type { Feature } from '../../diagnostics';
import type { ByteSource } from '../../formats/ByteSource';
import type { FileSystem } from '../../formats/FileSystem';
import { NpyFile } from '../../formats/npy';
import type { NpyDtype, NumericArray, NpyTarget } from '../../formats/npy';
import { DiagnosticLog } from '../DiagnosticLog';
import { closeSource } from '../rawData';
import { readColumn } from '../readColumn';
import type { ColumnStats, ColumnTarget } from '../readColumn';

/**
 * Files phylib reads, with their ALF alternatives (International Brain Lab naming:
 * `object.attribute[.extra].npy`). The first name present wins.
 */
export const FILES = {
  spikeTimes: ['spike_times.npy'],
  spikeTimesAlfSamples: ['spikes.samples'],
  spikeTimesAlfSeconds: ['spikes.times'],
  spikeTemplates: ['spike_templates.npy', 'spikes.templates'],
  spikeClusters: ['spike_clusters.npy', 'spikes.clusters'],
  amplitudes: ['amplitudes.npy', 'spikes.amps'],
  channelMap: ['channel_map.npy', 'channels.rawInd'],
  channelPositions: ['channel_positions.npy', 'channels.localCoordinates'],
  channelShanks: ['channel_shanks.npy', 'channels.shanks'],
  channelProbes: ['channel_probe.npy', 'channels.probes'],
  templates: ['templates.npy', 'templates.waveforms'],
  templateInd: ['template_ind.npy', 'templates.waveformsChannels'],
} as const;

/** Finds a file by its phy name or an ALF stem (`spikes.times` matches `spikes.times[.x].npy`). */
export function findName(names: readonly string[], candidates: readonly string[]): string | null {
  for (const c of candidates) {
    if (c.endsWith('.npy')) {
      if (names.includes(c)) return c;
      continue;
    }
    const prefix = c + '.';
    const hits = names.filter((n) => n.endsWith('.npy') && (n === c + '.npy' || (n.startsWith(prefix) && !n.slice(prefix.length).startsWith('.')))).sort();
    if (hits.length) return hits[0];
  }
  return null;
}

/** The length of a 1-D column stored as `(N,)`, `(N, 1)` or `(1, N)`, or -1 for any other shape. */
export function columnLength(npy: NpyFile): number {
  const s = npy.header.shape;
  if (s.length === 1) return s[0];
  if (s.length === 2 && s[1] === 1) return s[0];
  if (s.length === 2 && s[0] === 1) return s[1];
  return -1;
}

export function shapeText(npy: NpyFile): string {
  const s = npy.header.shape;
  return s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A fresh {@link ColumnStats} for {@link readColumn} to fill. */
export function newStats(kind: ColumnStats['kind']): ColumnStats {
  return { kind, min: Infinity, max: -Infinity, nonDecreasing: true };
}

/** [min, max] of filled stats, as {@link range} gives it ([0, -1] when empty). */
export function statsRange(stats: ColumnStats, n: number): [number, number] {
  return n === 0 ? [0, -1] : [stats.min, stats.max];
}

/** Min and max of an int column (one pass; [0, -1] when empty). */
export function range(a: Int32Array): [number, number] {
  if (a.length === 0) return [0, -1];
  let lo = a[0];
  let hi = a[0];
  for (let i = 1; i < a.length; i++) {
    const v = a[i];
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Options of {@link TemplateFolderReader}: readers of several folders of one dataset share a log and the kept sources. */
export interface FolderReaderOptions {
  log?: DiagnosticLog;
  kept?: ByteSource[];
  /** What the folder should be, for the `folder.notFolder` message. */
  expected?: string;
}

/** The loader's state while it walks the folder. */
export class TemplateFolderReader {
  readonly log: DiagnosticLog;
  readonly names: string[];
  /** Sources kept open for lazy reads (closed by `Dataset.close`). */
  readonly kept: ByteSource[];

  constructor(
    readonly fs: FileSystem,
    readonly dir: string,
    readonly shared: boolean,
    opts: FolderReaderOptions = {},
  ) {
    this.log = opts.log ?? new DiagnosticLog();
    this.kept = opts.kept ?? [];
    const st = fs.stat(dir);
    if (!st) this.log.fatal(dir, 'folder.missing', 'no such folder');
    if (!st.isDirectory) this.log.fatal(dir, 'folder.notFolder', `not a folder (expected ${opts.expected ?? 'a Kilosort/phy folder with params.py'})`);
    const names = fs.list(dir);
    if (!names) this.log.fatal(dir, 'folder.unreadable', 'the folder cannot be listed (permission denied or unreadable)');
    this.names = names.slice().sort();
  }

  /** A reader of a sub-folder sharing this reader's log and kept sources. */
  sub(name: string, expected?: string): TemplateFolderReader {
    return new TemplateFolderReader(this.fs, this.path(name), this.shared, { log: this.log, kept: this.kept, expected });
  }

  path(name: string): string {
    return this.fs.join(this.dir, name);
  }

  find(candidates: readonly string[]): string | null {
    return findName(this.names, candidates);
  }

  /**
   * Opens an `.npy` header. A required file that is missing or broken is fatal; an optional one
   * is reported (`error`, disabling `disables`) and null is returned. Missing optional files
   * return null silently.
   */
  open(candidates: readonly string[], required: false | string, disables: Feature[] = []): { npy: NpyFile; file: string } | null {
    const name = this.find(candidates);
    if (!name) {
      if (required) this.log.fatal(this.path(candidates[0]), 'file.missing', `${candidates[0]} not found (required: ${required})`);
      return null;
    }
    const file = this.path(name);
    let src: ByteSource | null = null;
    try {
      src = this.fs.open(file);
      return { npy: NpyFile.open(src), file };
    } catch (e) {
      closeSource(src);
      if (required) this.log.fatalFrom(e, file);
      this.log.from(e, file, 'error', disables);
      return null;
    }
  }

  /** Reads a whole array, closing the file after; reports like `open`. */
  read(candidates: readonly string[], required: false | string, as: NpyTarget, disables: Feature[] = [], shared = false): { data: NumericArray; npy: NpyFile; file: string } | null {
    const o = this.open(candidates, required, disables);
    if (!o) return null;
    try {
      return { data: o.npy.read({ as, shared }), npy: o.npy, file: o.file };
    } catch (e) {
      if (required) this.log.fatalFrom(e, o.file);
      this.log.from(e, o.file, 'error', disables);
      return null;
    } finally {
      closeSource(o.npy.source);
    }
  }

  /**
   * Reads a per-spike or per-channel column ((N,), (N, 1) or (1, N)) of the expected length
   * (`expect` = -1 for any). A wrong shape or length is fatal for a required file, else an
   * `error` that disables `disables`.
   */
  column(
    candidates: readonly string[],
    required: false | string,
    as: ColumnTarget,
    expect: { n: number; of: string },
    disables: Feature[] = [],
    shared = false,
    stats?: ColumnStats,
  ): { data: NumericArray; file: string; dtype: NpyDtype; shape: number[] } | null {
    const o = this.open(candidates, required, disables);
    if (!o) return null;
    const { npy, file } = o;
    const bad = (code: string, message: string): null => {
      closeSource(npy.source);
      if (required) this.log.fatal(file, code, message);
      this.log.add('error', file, code, message, disables);
      return null;
    };
    const n = columnLength(npy);
    if (n < 0) return bad('npy.shape', `expected a 1-D array, got shape ${shapeText(npy)}`);
    if (expect.n >= 0 && n !== expect.n) {
      const what = disables.length ? `; ${disables.join(', ')} disabled` : '';
      return bad('lengths.mismatch', `has ${n} entries but ${expect.of} has ${expect.n}${what}`);
    }
    try {
      return { data: readColumn(npy, as, shared, stats), file, dtype: npy.header.dtype, shape: npy.header.shape.slice() };
    } catch (e) {
      if (required) this.log.fatalFrom(e, file);
      this.log.from(e, file, 'error', disables);
      return null;
    } finally {
      closeSource(npy.source);
    }
  }

  /** Keeps an opened npy's source for lazy reads. */
  keep(npy: NpyFile): NpyFile {
    this.kept.push(npy.source);
    return npy;
  }
}
