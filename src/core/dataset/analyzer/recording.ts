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
 * Either may sit under channel-preserving preprocessing steps (read without them, said in an
 * info) and one `ChannelSliceRecording` (analyzer channels → file columns by channel id).
 * Anything else (another extractor, `recording.pickle`, no recording at all) means no raw data,
 * said in one diagnostic; templates, features and curation keep working.
 */
import { anyBasename, isAbsoluteAnyOs, pathSegments, type FileSystem } from '../../formats/FileSystem';
import type { ByteSource } from '../../formats/ByteSource';
import type { RawRecording } from '../Dataset';
import type { DiagnosticLog } from '../DiagnosticLog';
import { RAW_FEATURES, openRawData } from '../rawData';
import { parsePythonJson, type JsonObject } from './json';

const STILL_WORKS = 'templates, features, amplitudes and curation';

/**
 * SpikeInterface preprocessing steps that keep every channel and the sample rate (their kwargs
 * hold the parent as `recording`): the raw file below them is shown, without them (spikedock
 * filters traces for display itself). `preprocessing/filter.py`, `common_reference.py`,
 * `phase_shift.py`, `whiten.py`, `normalize_scale.py`, `astype.py`, `unsigned_to_signed.py`,
 * `highpass_spatial_filter.py`, `silence_periods.py`, `remove_artifacts.py`.
 */
const CHANNEL_PRESERVING = new Set([
  'FilterRecording',
  'BandpassFilterRecording',
  'HighpassFilterRecording',
  'NotchFilterRecording',
  'CommonReferenceRecording',
  'PhaseShiftRecording',
  'WhitenRecording',
  'ScaleRecording',
  'NormalizeByQuantileRecording',
  'CenterRecording',
  'ZScoreRecording',
  'AstypeRecording',
  'UnsignedToSignedRecording',
  'HighpassSpatialFilterRecording',
  'SilencedPeriodsRecording',
  'RemoveArtifactsRecording',
]);

const shortClass = (d: JsonObject | null): string => String(d?.class ?? '').split('.').pop() || 'an unknown class';

/**
 * The binary recording under the analyzer's recording: the dict of a `BinaryRecordingExtractor` or
 * `BinaryFolderRecording`, the preprocessing steps above it (outermost first), and the parent
 * channel id of each analyzer channel when a `ChannelSliceRecording` (`core/channelslice.py`:
 * kwargs `parent_recording`, `channel_ids`) sits in between; a reason string when the chain holds
 * anything else.
 */
export function findBinaryRecording(d: JsonObject): { binary: JsonObject; steps: string[]; sliceIds: Array<string | number> | null } | string {
  const steps: string[] = [];
  let sliceIds: Array<string | number> | null = null;
  let node: JsonObject | null = d;
  for (let depth = 0; node && depth < 32; depth++) {
    const cls = String(node.class ?? '');
    const kwargs = (node.kwargs ?? {}) as JsonObject;
    const short = shortClass(node);
    if (cls.endsWith('.BinaryRecordingExtractor') || cls.endsWith('.BinaryFolderRecording')) return { binary: node, steps, sliceIds };
    if (CHANNEL_PRESERVING.has(short)) {
      steps.push(short.replace(/Recording$/, ''));
      node = (kwargs.recording ?? null) as JsonObject | null;
      continue;
    }
    if (short === 'ChannelSliceRecording' && sliceIds === null && Array.isArray(kwargs.channel_ids)) {
      sliceIds = kwargs.channel_ids as Array<string | number>;
      steps.push('ChannelSlice');
      node = (kwargs.parent_recording ?? null) as JsonObject | null;
      continue;
    }
    return steps.length ? `the recording is a ${short} under ${steps.join(' → ')}` : `the recording is a ${short}`;
  }
  return 'the recording has no readable source';
}

/** The raw recording of the analyzer, or null after saying why there is none. */
export function openAnalyzerRecording(
  fs: FileSystem,
  dir: string,
  names: readonly string[],
  channelIds: ReadonlyArray<string | number>,
  sampleRate: number,
  log: DiagnosticLog,
): { recording: RawRecording; sources: ByteSource[]; params: JsonObject; channelMap: Int32Array } | null {
  const nChannels = channelIds.length;
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
  const found = findBinaryRecording(d);
  if (typeof found === 'string') {
    return none('info', jsonFile, 'analyzer.recording', `${found}, not a flat binary file spikedock reads in place (only BinaryRecordingExtractor and BinaryFolderRecording, under channel-preserving preprocessing or a channel slice)`);
  }
  let cls = String(found.binary.class);
  let kwargs = (found.binary.kwargs ?? {}) as JsonObject;
  let base = dir;
  let origin = jsonFile;
  if (cls.endsWith('.BinaryFolderRecording')) {
    const fp = kwargs.folder_path;
    if (typeof fp !== 'string') return none('warning', jsonFile, 'analyzer.recording', 'BinaryFolderRecording without a folder_path');
    const folder = d.relative_paths === true || !isAbsoluteAnyOs(fp) ? fs.join(dir, ...pathSegments(fp)) : fp;
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
    if (!cls.endsWith('.BinaryRecordingExtractor')) return none('warning', binJson, 'analyzer.recording', `binary.json describes a ${shortClass({ class: cls })}, not a BinaryRecordingExtractor`);
  }
  const paths = Array.isArray(kwargs.file_paths) ? kwargs.file_paths : typeof kwargs.file_paths === 'string' ? [kwargs.file_paths] : null;
  if (!paths || paths.length === 0) return none('warning', origin, 'analyzer.recording', 'the binary recording names no file_paths');
  if (paths.length > 1) return none('warning', origin, 'analyzer.recording', `the binary recording has ${paths.length} segments (file_paths); one is read`);
  if ((kwargs.time_axis ?? 0) !== 0) return none('warning', origin, 'analyzer.recording', `time_axis is ${JSON.stringify(kwargs.time_axis)}: only time-major files (time_axis 0) are read`);
  const nDat = kwargs.num_channels;
  if (typeof nDat !== 'number' || !Number.isInteger(nDat) || nDat <= 0) return none('warning', origin, 'analyzer.recording', `num_channels is ${JSON.stringify(nDat)}`);
  // Analyzer channel i is file column i, or, under a channel slice, the column of its parent id.
  const channelMap = new Int32Array(nChannels);
  if (found.sliceIds) {
    const fileIds = Array.isArray(kwargs.channel_ids) ? (kwargs.channel_ids as unknown[]).map(String) : Array.from({ length: nDat }, (_, k) => String(k));
    if (found.sliceIds.length !== nChannels) return none('warning', jsonFile, 'analyzer.recording', `the channel slice keeps ${found.sliceIds.length} channels but the analyzer has ${nChannels}`);
    for (let i = 0; i < nChannels; i++) {
      const k = fileIds.indexOf(String(found.sliceIds[i]));
      if (k < 0 || k >= nDat) return none('warning', jsonFile, 'analyzer.recording', `channel ${JSON.stringify(found.sliceIds[i])} of the channel slice is not a channel of the binary recording`);
      channelMap[i] = k;
    }
  } else {
    if (nDat !== nChannels) return none('warning', origin, 'analyzer.recording', `the binary recording has ${nDat} channels but the analyzer has ${nChannels}`);
    for (let i = 0; i < nChannels; i++) channelMap[i] = i;
  }
  const gain = uniformGain(kwargs.gain_to_uV, kwargs.offset_to_uV, nDat);
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
      nChannelsDat: nDat,
      sampleRate,
      stillWorks: STILL_WORKS,
      ...(typeof gain === 'number' ? { gain, unit: 'µV' } : {}),
    },
    log,
  );
  if (!opened) return null;
  const applied = found.steps.filter((s) => s !== 'ChannelSlice');
  if (applied.length) {
    log.add('info', jsonFile, 'analyzer.preprocessing', `traces and waveforms are read from ${opened.recording.files.map((f) => anyBasename(f)).join(', ')} as recorded: SpikeInterface's preprocessing (${applied.join(' → ')}) is not applied`);
  }
  return { ...opened, channelMap, params: { dat_path: paths, n_channels_dat: nDat, dtype: kwargs.dtype, offset: kwargs.file_offset ?? 0 } };
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
