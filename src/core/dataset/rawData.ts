/**
 * Finds and opens the raw recording a sorting output points to (`params.py` `dat_path`, or a
 * Kwik `/recordings/<r>/raw` `dat_path`), the way a curator's folders really look:
 * - a path relative to the dataset folder, a list of files (concatenated in time), or an
 *   absolute path written on another machine (POSIX or Windows) — then the file with the same
 *   name next to the dataset is used;
 * - `[]`, `None` or a missing key → no raw data (an `info` diagnostic);
 * - a file that is not there → no raw data (a `warning` naming the file);
 * - a `.npy` recording; a SpikeGLX `.meta` beside a `.bin` gives the gain in µV.
 *
 * Without raw data the dataset still opens: only waveforms and traces read from the recording
 * are disabled (templates, features, amplitudes and curation keep working).
 */
import type { Feature } from '../diagnostics';
import type { FileSystem } from '../formats/FileSystem';
import { anyBasename, isAbsoluteAnyOs, pathSegments } from '../formats/FileSystem';
import type { ByteSource } from '../formats/ByteSource';
import { parseDtype } from '../formats/npy';
import { createNpyRawRecording, createRawRecording } from '../formats/raw';
import { parseSpikeGlxMeta } from '../formats/spikeglx';
import type { RawRecording } from './Dataset';
import type { DiagnosticLog } from './DiagnosticLog';
import { errorCode, errorText } from './DiagnosticLog';

/** What raw data disables when it is absent or unusable. */
export const RAW_FEATURES: Feature[] = ['raw', 'waveforms', 'traces'];

/** What a dataset without raw data loses, and what it keeps (`still` lists the latter). */
const whatItMeans = (still: string) => `waveforms and traces from the recording are unavailable (${still} still work)`;

export interface RawDataRequest {
  /** The value as written (`dat_path`): a string, a list of strings, `[]`, null or undefined. */
  datPath: unknown;
  /** Folder that holds the dataset (relative paths are relative to it). */
  dir: string;
  /** The file that names the raw data (params.py or the .kwik), for diagnostics. */
  origin: string;
  /** NumPy dtype name of the samples (`int16`). */
  dtype: unknown;
  /** Header bytes before the first sample. */
  offset: unknown;
  /** Interleaved channels in the file. */
  nChannelsDat: unknown;
  /** Hz. */
  sampleRate: number;
  /**
   * What still works without the raw data, for the diagnostics (default "templates, features
   * and curation"); a Kwik file has no templates, so it must not promise them.
   */
  stillWorks?: string;
  /** Known gain of the samples (a SpikeGLX `.meta` beside the file overrides it). */
  gain?: number;
  /** Unit of `gain` × sample (`µV`). */
  unit?: string;
}

/** Where a raw file was found: `path` as opened, and whether it was relocated next to the dataset. */
interface Located {
  written: string;
  path: string | null;
  relocated: boolean;
}

function locate(fs: FileSystem, dir: string, written: string): Located {
  const isFile = (p: string): boolean => {
    const st = fs.stat(p);
    return !!st && !st.isDirectory;
  };
  const beside = fs.join(dir, anyBasename(written));
  if (isAbsoluteAnyOs(written)) {
    // An absolute path from this machine, else the same file name next to params.py (the
    // recording was copied along with the sorting output, often from Windows to Linux).
    // A Windows path means nothing on a POSIX host (it would resolve against the working folder).
    const hostIsWindows = /^[A-Za-z]:/.test(fs.resolve('.'));
    if ((hostIsWindows || written.startsWith('/')) && isFile(written)) return { written, path: written, relocated: false };
    if (isFile(beside)) return { written, path: beside, relocated: true };
    return { written, path: null, relocated: false };
  }
  const rel = fs.join(dir, ...pathSegments(written));
  if (isFile(rel)) return { written, path: rel, relocated: false };
  if (isFile(beside)) return { written, path: beside, relocated: true };
  return { written, path: null, relocated: false };
}

/** The list of files named by `dat_path`, or null when it names none; a bad type is reported. */
function datPaths(v: unknown, origin: string, log: DiagnosticLog, whatItLoses: string): string[] | null {
  if (v === undefined || v === null) {
    log.add('info', origin, 'raw.none', `no dat_path given: opened without raw data; ${whatItLoses}`, RAW_FEATURES);
    return null;
  }
  const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : null;
  if (!list || !list.every((x) => typeof x === 'string')) {
    log.add('warning', origin, 'params.datPath', `dat_path must be a string or a list of strings (got ${JSON.stringify(v)}): opened without raw data; ${whatItLoses}`, RAW_FEATURES);
    return null;
  }
  const files = (list as string[]).map((s) => s.trim()).filter((s) => s.length > 0);
  if (files.length === 0) {
    log.add('info', origin, 'raw.none', `dat_path is empty: opened without raw data; ${whatItLoses}`, RAW_FEATURES);
    return null;
  }
  return files;
}

/** A positive integer parameter, or null with an error diagnostic. */
function positiveInt(v: unknown, name: string, origin: string, log: DiagnosticLog, whatItLoses: string): number | null {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  log.add('error', origin, `params.${name}`, `${name} must be a positive integer (got ${JSON.stringify(v ?? null)}): raw data cannot be read; ${whatItLoses}`, RAW_FEATURES);
  return null;
}

/** Closes a source if its implementation holds a handle (Node files do). */
export function closeSource(s: ByteSource | null | undefined): void {
  (s as { close?: () => void } | null | undefined)?.close?.();
}

/**
 * Locates and opens the raw recording. Returns null (after reporting why) when there is none
 * or it cannot be used; never throws for a problem of the raw data itself.
 */
export function openRawData(fs: FileSystem, req: RawDataRequest, log: DiagnosticLog): { recording: RawRecording; sources: ByteSource[] } | null {
  const whatItLoses = whatItMeans(req.stillWorks ?? 'templates, features and curation');
  const files = datPaths(req.datPath, req.origin, log, whatItLoses);
  if (!files) return null;
  const found = files.map((f) => locate(fs, req.dir, f));
  const missing = found.filter((f) => f.path === null);
  if (missing.length) {
    const names = missing.map((m) => anyBasename(m.written)).join(', ');
    const where = missing.length === 1 ? fs.join(req.dir, anyBasename(missing[0].written)) : '';
    const written = missing.map((m) => m.written);
    const also = written.some((w) => w !== anyBasename(w)) ? `, also looked next to ${anyBasename(req.origin)}` : '';
    log.add(
      'warning',
      where || req.origin,
      'raw.missing',
      `raw data ${names} not found (dat_path ${JSON.stringify(written.length === 1 ? written[0] : written)}${also}): opened without raw data; ${whatItLoses}`,
      RAW_FEATURES,
    );
    return null;
  }
  for (const f of found) {
    if (f.relocated) log.add('info', f.path!, 'raw.relocated', `dat_path ${JSON.stringify(f.written)} does not exist here; using ${anyBasename(f.written)} found next to ${anyBasename(req.origin)}`);
  }
  const paths = found.map((f) => f.path!);
  const sources: ByteSource[] = [];
  const fail = (e: unknown, file: string): null => {
    for (const s of sources) closeSource(s);
    log.add('error', file, errorCode(e), `${errorText(e, file)}: raw data cannot be read; ${whatItLoses}`, RAW_FEATURES);
    return null;
  };
  try {
    for (const p of paths) sources.push(fs.open(p));
  } catch (e) {
    return fail(e, paths[sources.length]);
  }

  if (paths.length === 1 && /\.npy$/i.test(paths[0])) {
    try {
      const { recording, diagnostics } = createNpyRawRecording(sources[0], { sampleRate: req.sampleRate });
      log.list.push(...diagnostics);
      return { recording, sources };
    } catch (e) {
      return fail(e, paths[0]);
    }
  }

  const nChannelsDat = positiveInt(req.nChannelsDat, 'n_channels_dat', req.origin, log, whatItLoses);
  if (nChannelsDat === null) {
    for (const s of sources) closeSource(s);
    return null;
  }
  const dtypeName = req.dtype === undefined || req.dtype === null ? 'int16' : req.dtype;
  const dt = typeof dtypeName === 'string' ? parseDtype(dtypeName) : null;
  if (!dt || typeof dtypeName !== 'string') {
    for (const s of sources) closeSource(s);
    log.add('error', req.origin, 'params.dtype', `dtype ${JSON.stringify(dtypeName)} is not a numeric NumPy dtype: raw data cannot be read; ${whatItLoses}`, RAW_FEATURES);
    return null;
  }
  const offset = req.offset === undefined || req.offset === null ? 0 : req.offset;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    for (const s of sources) closeSource(s);
    log.add('error', req.origin, 'params.offset', `offset must be a non-negative integer number of bytes (got ${JSON.stringify(offset)}): raw data cannot be read; ${whatItLoses}`, RAW_FEATURES);
    return null;
  }
  // A SpikeGLX recording carries its gain (and channel count) in `<name>.meta` beside the `.bin`.
  let gain: number | undefined = req.gain;
  let unit: string | undefined = req.gain !== undefined ? req.unit : undefined;
  const meta = paths[0].replace(/\.bin$/i, '.meta');
  if (meta !== paths[0]) {
    const st = fs.stat(meta);
    if (st && !st.isDirectory) {
      try {
        const m = parseSpikeGlxMeta(fs.readText(meta), meta);
        if (m.gainUvPerBit !== undefined && Number.isFinite(m.gainUvPerBit) && m.gainUvPerBit > 0) {
          gain = m.gainUvPerBit;
          unit = 'µV';
        }
        if (m.nSavedChans !== undefined && m.nSavedChans !== nChannelsDat) {
          log.add('warning', meta, 'raw.metaChannels', `the .meta file says ${m.nSavedChans} saved channels but params.py says n_channels_dat = ${nChannelsDat}; using params.py`);
        }
        if (m.sampleRate !== undefined && Math.abs(m.sampleRate - req.sampleRate) > 1) {
          log.add('warning', meta, 'raw.metaSampleRate', `the .meta file says ${m.sampleRate} Hz but params.py says sample_rate = ${req.sampleRate} Hz; using params.py`);
        }
      } catch (e) {
        log.add('warning', meta, 'raw.meta', `${errorText(e, meta)}: gain unknown, traces shown in raw units`);
      }
    }
  }

  try {
    const { recording, diagnostics } = createRawRecording({ sources, dtype: dtypeName, offset, nChannelsDat, sampleRate: req.sampleRate, gain, unit });
    log.list.push(...diagnostics);
    // A file shorter than its header or empty leaves a hole in the concatenation: do not
    // show traces that would be misaligned with the spike times.
    if (diagnostics.some((d) => d.severity === 'error' || d.severity === 'fatal')) {
      for (const s of sources) closeSource(s);
      return null;
    }
    return { recording, sources };
  } catch (e) {
    return fail(e, paths[0]);
  }
}

/**
 * The recording's duration in seconds — the one definition every time-based consumer follows
 * (metrics `fr`, firing-rate histograms, the amplitude and raster time axes, correlogram
 * baselines, `spikedock info`): the larger of the raw data's length and the last spike's time.
 *
 * Why the larger: raw data often covers only part of the recording (a 300 s excerpt of a 2 h
 * sort); taking its length made `fr` 24× too high and cut every time axis at 300 s. When the
 * spikes run past the end of the raw data this is said once (a `raw.short` warning naming the
 * raw file and both durations); traces and waveforms then exist only for the raw data's span.
 *
 * `spikeTimes` (nSpikes,) non-decreasing samples; `sampleRate` in Hz.
 */
export function recordingDuration(raw: RawRecording | null, spikeTimes: ArrayLike<number>, sampleRate: number, log: DiagnosticLog): number {
  const n = spikeTimes.length;
  const spikesEnd = n ? spikeTimes[n - 1] / sampleRate : 0;
  if (!raw) return spikesEnd;
  const rawEnd = raw.nSamples / raw.sampleRate;
  if (n && spikeTimes[n - 1] >= raw.nSamples) {
    const file = raw.files.length === 1 ? raw.files[0] : raw.files.join(', ');
    log.add(
      'warning',
      raw.files[0] ?? '',
      'raw.short',
      `${file} holds ${rawEnd.toFixed(3)} s of raw data but spikes run to ${spikesEnd.toFixed(3)} s: the recording's duration is taken from the spikes (${spikesEnd.toFixed(3)} s); traces and waveforms from the recording exist only for the first ${rawEnd.toFixed(3)} s`,
    );
  }
  return Math.max(rawEnd, spikesEnd);
}
