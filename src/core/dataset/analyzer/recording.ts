/**
 * The analyzer's recording, when it is a flat binary file spikedock can read in place.
 * `recording.json` is the recording's provenance (spikeinterface `core/base.py`
 * `BaseExtractor.to_dict` / `dump_to_json(relative_to=folder)`: `{"class", "module", "version",
 * "kwargs", "annotations", "properties", "relative_paths"}`; with `relative_paths` the file paths
 * are relative to the analyzer folder). Two classes are read:
 * - `spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor`: kwargs
 *   `file_paths` (one per segment), `num_channels`, `dtype` (`<i2`), `time_axis` (0 = samples ×
 *   channels), `file_offset`, `gain_to_uV`, `offset_to_uV` (`core/binaryrecordingextractor.py`);
 * - `spikeinterface.core.binaryfolder.BinaryFolderRecording`: kwargs `folder_path`, whose
 *   `binary.json` is a `BinaryRecordingExtractor` dict with paths relative to that folder
 *   (`core/binaryfolder.py`).
 * Anything else (a preprocessing chain, `recording.pickle`, no recording at all) means no raw
 * data, said in one diagnostic; templates, features and curation keep working.
 */
import { isAbsoluteAnyOs, pathSegments, type FileSystem } from '../../formats/FileSystem';
import type { ByteSource } from '../../formats/ByteSource';
import type { RawRecording } from '../Dataset';
import type { DiagnosticLog } from '../DiagnosticLog';
import { RAW_FEATURES, openRawData } from '../rawData';
import { parsePythonJson, type JsonObject } from './json';

const STILL_WORKS = 'templates, features, amplitudes and curation';

/** The raw recording of the analyzer, or null after saying why there is none. */
export function openAnalyzerRecording(
  fs: FileSystem,
  dir: string,
  names: readonly string[],
  nChannels: number,
  sampleRate: number,
  log: DiagnosticLog,
): { recording: RawRecording; sources: ByteSource[]; params: JsonObject } | null {
  const lose = `waveforms and traces from the recording are unavailable (${STILL_WORKS} still work)`;
  const none = (severity: 'info' | 'warning', file: string, code: string, why: string): null => {
    log.add(severity, file, code, `${why}: opened without raw data; ${lose}`, RAW_FEATURES);
    return null;
  };
  const jsonFile = fs.join(dir, 'recording.json');
  if (!names.includes('recording.json')) {
    if (names.includes('recording.pickle')) return none('info', fs.join(dir, 'recording.pickle'), 'analyzer.recordingPickle', 'the recording is saved as a Python pickle (recording.pickle), which spikedock does not read');
    return none('info', dir, 'raw.none', 'the analyzer was saved without its recording (no recording.json)');
  }
  let d: JsonObject;
  try {
    d = parsePythonJson(fs.readText(jsonFile)) as JsonObject;
  } catch (e) {
    return none('warning', jsonFile, 'json.syntax', `recording.json is not readable as JSON (${(e as Error).message})`);
  }
  let cls = String(d?.class ?? '');
  let kwargs = (d?.kwargs ?? {}) as JsonObject;
  let base = dir;
  let origin = jsonFile;
  if (cls.endsWith('.BinaryFolderRecording')) {
    const fp = kwargs.folder_path;
    if (typeof fp !== 'string') return none('warning', jsonFile, 'analyzer.recording', 'BinaryFolderRecording without a folder_path');
    const folder = d?.relative_paths === true || !isAbsoluteAnyOs(fp) ? fs.join(dir, ...pathSegments(fp)) : fp;
    const binJson = fs.join(folder, 'binary.json');
    if (!fs.stat(binJson)) return none('warning', binJson, 'raw.missing', `the recording folder ${fp} (binary.json) is not there`);
    try {
      const inner = parsePythonJson(fs.readText(binJson)) as JsonObject;
      cls = String(inner?.class ?? '');
      kwargs = (inner?.kwargs ?? {}) as JsonObject;
      base = folder;
      origin = binJson;
    } catch (e) {
      return none('warning', binJson, 'json.syntax', `binary.json is not readable as JSON (${(e as Error).message})`);
    }
  }
  if (!cls.endsWith('.BinaryRecordingExtractor')) {
    const short = cls.split('.').pop() || 'an unknown class';
    return none('info', jsonFile, 'analyzer.recording', `the recording is a ${short}, not a flat binary file spikedock reads in place (only BinaryRecordingExtractor and BinaryFolderRecording are read)`);
  }
  const paths = Array.isArray(kwargs.file_paths) ? kwargs.file_paths : typeof kwargs.file_paths === 'string' ? [kwargs.file_paths] : null;
  if (!paths || paths.length === 0) return none('warning', origin, 'analyzer.recording', 'the binary recording names no file_paths');
  if (paths.length > 1) return none('warning', origin, 'analyzer.recording', `the binary recording has ${paths.length} segments (file_paths); one is read`);
  if ((kwargs.time_axis ?? 0) !== 0) return none('warning', origin, 'analyzer.recording', `time_axis is ${JSON.stringify(kwargs.time_axis)}: only time-major files (time_axis 0) are read`);
  if (kwargs.num_channels !== nChannels) return none('warning', origin, 'analyzer.recording', `the binary recording has ${JSON.stringify(kwargs.num_channels)} channels but the analyzer has ${nChannels}`);
  const gain = uniformGain(kwargs.gain_to_uV, kwargs.offset_to_uV, nChannels);
  if (gain === 'varies') log.add('info', origin, 'analyzer.gain', 'gain_to_uV differs between channels (or offset_to_uV is not zero): traces are shown in raw units');
  const opened = openRawData(
    fs,
    {
      // Relative paths are relative to the folder the JSON was written for; an absolute one
      // from another machine is looked for beside it (openRawData's rule).
      datPath: paths,
      dir: base,
      origin,
      dtype: kwargs.dtype,
      offset: kwargs.file_offset ?? 0,
      nChannelsDat: nChannels,
      sampleRate,
      stillWorks: STILL_WORKS,
      ...(typeof gain === 'number' ? { gain, unit: 'µV' } : {}),
    },
    log,
  );
  if (!opened) return null;
  return { ...opened, params: { dat_path: paths, n_channels_dat: nChannels, dtype: kwargs.dtype, offset: kwargs.file_offset ?? 0 } };
}

/** One gain for every channel with zero offsets, 'varies', or null when none is given. */
function uniformGain(gain: unknown, offset: unknown, n: number): number | 'varies' | null {
  const list = (v: unknown): number[] | null => (typeof v === 'number' ? new Array<number>(n).fill(v) : Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null);
  const g = list(gain);
  if (!g || g.length === 0) return null;
  const o = list(offset);
  if (g.some((x) => x !== g[0]) || (o && o.some((x) => x !== 0)) || !(g[0] > 0)) return 'varies';
  return g[0];
}
