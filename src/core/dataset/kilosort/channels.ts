/** The channel arrays of a template folder: map, positions, shanks, probes. */
import type { DiagnosticLog } from '../DiagnosticLog';
import { RAW_FEATURES } from '../rawData';
import { FILES, range, shapeText, type TemplateFolderReader } from './folder';

/** Spacing of the linear layout that replaces unusable channel positions, µm. */
export const LINEAR_PITCH_UM = 20;

/** `channel_positions.npy` as (nChannels, 2) float32; duplicates → a linear layout (phylib). */
export function readPositions(r: TemplateFolderReader, nChannels: number, cmName: string): Float32Array {
  const p = r.read(FILES.channelPositions, 'the x, y position of every channel', 'float32')!;
  const s = p.npy.header.shape;
  if (s.length !== 2 || s[0] !== nChannels || s[1] < 1) {
    r.log.fatal(p.file, 'lengths.mismatch', `expected (${nChannels}, 2) (one x, y row per channel of ${cmName}) but got ${shapeText(p.npy)}`);
  }
  const out = new Float32Array(nChannels * 2);
  const k = s[1];
  for (let i = 0; i < nChannels; i++) {
    out[2 * i] = k >= 2 ? p.data[i * k] : 0;
    out[2 * i + 1] = k >= 2 ? p.data[i * k + 1] : p.data[i * k];
  }
  useLinearIfDuplicate(out, nChannels, p.file, r.log);
  return out;
}

/**
 * Replaces `out` ((nChannels, 2) µm, in place) by a linear layout (phylib) when two
 * channels share a position, with a `channelPositions.duplicate` warning naming `file`.
 */
export function useLinearIfDuplicate(out: Float32Array, nChannels: number, file: string, log: DiagnosticLog): void {
  const seen = new Set<string>();
  let dup = -1;
  for (let i = 0; i < nChannels && dup < 0; i++) {
    const key = `${out[2 * i]},${out[2 * i + 1]}`;
    if (seen.has(key)) dup = i;
    seen.add(key);
  }
  if (dup >= 0) {
    log.add('warning', file, 'channelPositions.duplicate', `channel ${dup} has the same position as another channel (${out[2 * dup]}, ${out[2 * dup + 1]}); using a linear layout (${LINEAR_PITCH_UM} µm pitch) instead`);
    for (let i = 0; i < nChannels; i++) {
      out[2 * i] = 0;
      out[2 * i + 1] = i * LINEAR_PITCH_UM;
    }
  }
}

/** An optional per-channel int column (shanks, probes); zeros when absent or wrong. */
export function perChannel(r: TemplateFolderReader, candidates: readonly string[], nChannels: number, cmName: string): Int32Array {
  const name = r.find(candidates);
  if (!name) return new Int32Array(nChannels);
  const before = r.log.list.length;
  const c = r.column(candidates, false, 'int32', { n: nChannels, of: cmName });
  if (!c) {
    // Downgrade: a bad shank/probe file only loses the grouping, nothing is disabled.
    for (let i = before; i < r.log.list.length; i++) {
      const d = r.log.list[i];
      r.log.list[i] = { severity: 'warning', code: d.code, file: d.file, message: `${d.message}; using zeros` };
    }
    return new Int32Array(nChannels);
  }
  return c.data as Int32Array;
}

/** The channel arrays of a template folder, and whether raw data can be mapped to them. */
export interface Channels {
  channelMap: Int32Array;
  nChannels: number;
  /** Base name of the channel map file (for messages about per-channel files). */
  cmName: string;
  channelPositions: Float32Array;
  channelShanks: Int32Array;
  channelProbes: Int32Array;
  /** False when `channel_map` points outside the `n_channels_dat` columns of the raw file. */
  rawUsable: boolean;
}

/** `channel_map.npy` (checked against `n_channels_dat` when known), positions, shanks, probes. */
export function readChannels(r: TemplateFolderReader, nChannelsDat: number | null): Channels {
  const cm = r.column(FILES.channelMap, 'the raw-file column of every displayed channel', 'int32', { n: -1, of: '' })!;
  const channelMap = cm.data as Int32Array;
  const nChannels = channelMap.length;
  const cmName = r.fs.basename(cm.file);
  let rawUsable = true;
  if (nChannelsDat !== null) {
    const [lo, hi] = range(channelMap);
    if (nChannels > 0 && (lo < 0 || hi >= nChannelsDat)) {
      r.log.add('error', cm.file, 'channelMap.outOfRange', `channel_map values must be in [0, n_channels_dat = ${nChannelsDat}) (found ${lo < 0 ? lo : hi}): raw data cannot be mapped to channels`, RAW_FEATURES);
      rawUsable = false;
    }
  }
  return {
    channelMap,
    nChannels,
    cmName,
    channelPositions: readPositions(r, nChannels, cmName),
    channelShanks: perChannel(r, FILES.channelShanks, nChannels, cmName),
    channelProbes: perChannel(r, FILES.channelProbes, nChannels, cmName),
    rawUsable,
  };
}
