/** `params.py` of a template folder: the parsed dict and the sample rate. */
import type { FileSystem } from '../../formats/FileSystem';
import { parseParams } from '../../formats/params';
import type { DiagnosticLog } from '../DiagnosticLog';
import type { TemplateFolderReader } from './folder';

/** A number from params.py, or undefined when absent (`None` counts as absent). */
export function numberParam(params: Record<string, unknown>, key: string): number | undefined | 'bad' {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return 'bad';
}

export function readParams(fs: FileSystem, paramsFile: string, log: DiagnosticLog): Record<string, unknown> {
  try {
    return parseParams(fs.readText(paramsFile), paramsFile);
  } catch (e) {
    return log.fatalFrom(e, paramsFile);
  }
}

/** `sample_rate` in Hz; missing → 1 Hz with a warning (as phylib), anything else non-positive is fatal. */
export function readSampleRate(params: Record<string, unknown>, paramsFile: string, log: DiagnosticLog): number {
  const sr = numberParam(params, 'sample_rate');
  if (sr === undefined) {
    log.add('warning', paramsFile, 'params.sampleRate', 'sample_rate is missing: using 1 Hz, so times and rates are in samples, not seconds');
    return 1;
  }
  if (sr === 'bad' || !(sr > 0)) {
    return log.fatal(paramsFile, 'params.sampleRate', `sample_rate must be a positive number of Hz (got ${JSON.stringify(params.sample_rate)})`);
  }
  return sr;
}

/**
 * `params.py` (required): the parsed dict, its path (the origin of `dat_path`), the sample rate,
 * and `n_channels_dat` when it is a positive integer (else null: the channel map is not checked).
 */
export function readParamsFile(r: TemplateFolderReader): { params: Record<string, unknown>; paramsFile: string; sampleRate: number; nChannelsDat: number | null } {
  const { fs, log } = r;
  const paramsFile = r.path('params.py');
  if (!r.names.includes('params.py')) {
    log.fatal(paramsFile, 'file.missing', 'params.py not found (required: it gives dat_path, n_channels_dat, dtype and sample_rate)');
  }
  const params = readParams(fs, paramsFile, log);
  const sampleRate = readSampleRate(params, paramsFile, log);
  const ncd = numberParam(params, 'n_channels_dat');
  const nChannelsDat = typeof ncd === 'number' && Number.isInteger(ncd) && ncd > 0 ? ncd : null;
  return { params, paramsFile, sampleRate, nChannelsDat };
}
