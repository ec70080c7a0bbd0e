/**
 * SpikeGLX `.meta` reader: the sample rate, saved channel count and µV-per-bit gain of the
 * `.bin` next to it, so traces and waveforms can be shown in µV instead of raw units.
 *
 * A `.meta` file is `key=value` lines; keys starting with `~` hold tables (`~imroTbl`,
 * `~snsChanMap`). The AP gain comes from the IMRO table: Neuropixels 1.0-style entries are
 * `(chan bank refid apgain lfgain apfilt)`; Neuropixels 2.0 entries (4 or 5 fields) have a fixed
 * gain of 80. µV per bit = imAiRangeMax / imMaxInt / gain × 1e6 (NP1.0: 0.6 / 512 / 500 × 1e6 =
 * 2.34375 µV; NP2.0: 0.62 / 8192 / 80 × 1e6 ≈ 0.946 µV).
 */
import { FormatError } from '../diagnostics';

/** What a `.meta` file says about its recording; fields absent from the file are undefined. */
export interface SpikeGlxMeta {
  /** Every `key=value` pair, keys as written without the leading `~`. */
  fields: Record<string, string>;
  /** `imec` (a probe) or `nidq` (the NI-DAQ card), from `typeThis`. */
  typeThis?: string;
  /** Hz, from `imSampRate` (imec) or `niSampRate` (nidq). */
  sampleRate?: number;
  /** Interleaved channels in the `.bin` (`nSavedChans`, e.g. 385 = 384 + sync). */
  nSavedChans?: number;
  /** Saved AP, LF and sync channel counts (`snsApLfSy`). */
  snsApLfSy?: [number, number, number];
  /** Which band the file holds, from `snsApLfSy` (`ap` when it has AP channels). */
  band?: 'ap' | 'lf';
  /** Probe type (`imDatPrb_type`, else the first number of the IMRO table): 0 = NP1.0, 21/24 = NP2.0. */
  probeType?: number;
  /** Volts (`imAiRangeMax` / `niAiRangeMax`). */
  aiRangeMax?: number;
  /** Largest ADC count (`imMaxInt`; default 512 for NP1.0-style probes, 8192 for NP2.0). */
  maxInt?: number;
  /** Amplifier gain of the file's band for its first channel (`apgain`, or `lfgain` for an `.lf` file; 80 for NP2.0). */
  gain?: number;
  /** Per-channel gains of the file's band from the IMRO table (may differ per channel on NP1.0). */
  channelGains?: number[];
  /** µV per ADC count: aiRangeMax / maxInt / gain × 1e6. */
  gainUvPerBit?: number;
  /** Bytes of the `.bin` as recorded (`fileSizeBytes`). */
  fileSizeBytes?: number;
  /** Seconds (`fileTimeSecs`). */
  fileTimeSecs?: number;
}

/** Probe types of the Neuropixels 2.0 family (14-bit ADC, fixed gain 80). */
const NP2_TYPES = new Set([21, 24, 2003, 2004, 2005, 2006, 2013, 2014, 2020, 2021]);

function num(s: string | undefined): number | undefined {
  if (s === undefined || s.trim() === '') return undefined;
  const v = Number(s.trim());
  return Number.isFinite(v) ? v : undefined;
}

/** Splits `(a,b)(c d e)…` into arrays of numbers (commas or spaces separate fields). */
function parseTable(s: string): number[][] {
  const out: number[][] = [];
  for (const m of s.matchAll(/\(([^)]*)\)/g)) {
    out.push(
      m[1]
        .split(/[\s,:]+/)
        .filter((x) => x.length > 0)
        .map(Number),
    );
  }
  return out;
}

/**
 * Parses a SpikeGLX `.meta` file.
 *
 * @param text the file's contents
 * @param file the path shown in errors
 * @throws FormatError `spikeglx.badMeta` when the text holds no `key=value` line
 */
export function parseSpikeGlxMeta(text: string, file: string): SpikeGlxMeta {
  const fields: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    fields[line.slice(0, eq).replace(/^~/, '').trim()] = line.slice(eq + 1).trim();
  }
  if (Object.keys(fields).length === 0) {
    throw new FormatError(file, 'spikeglx.badMeta', 'not a SpikeGLX .meta file (no key=value lines)');
  }
  const meta: SpikeGlxMeta = { fields };
  const typeThis = fields.typeThis;
  if (typeThis) meta.typeThis = typeThis;
  const isNi = typeThis === 'nidq' || (fields.niSampRate !== undefined && fields.imSampRate === undefined);
  meta.sampleRate = num(isNi ? fields.niSampRate : (fields.imSampRate ?? fields.niSampRate));
  meta.nSavedChans = num(fields.nSavedChans);
  meta.fileSizeBytes = num(fields.fileSizeBytes);
  meta.fileTimeSecs = num(fields.fileTimeSecs);
  const counts = fields.snsApLfSy?.split(',').map((x) => Number(x.trim()));
  if (counts && counts.length === 3 && counts.every(Number.isFinite)) {
    meta.snsApLfSy = [counts[0], counts[1], counts[2]];
    if (counts[0] > 0) meta.band = 'ap';
    else if (counts[1] > 0) meta.band = 'lf';
  }

  if (isNi) {
    meta.aiRangeMax = num(fields.niAiRangeMax);
    meta.maxInt = num(fields.niMaxInt) ?? 32768;
    // Neural channels on the NI card go through the MN amplifier (`snsMnMaXaDw` counts MN first).
    const mn = fields.snsMnMaXaDw?.split(',').map(Number);
    const mnGain = num(fields.niMNGain);
    if (mn && mn[0] > 0 && mnGain !== undefined) meta.gain = mnGain;
  } else {
    meta.aiRangeMax = num(fields.imAiRangeMax);
    const imro = fields.imroTbl !== undefined ? parseTable(fields.imroTbl) : [];
    const header = imro[0];
    meta.probeType = num(fields.imDatPrb_type) ?? (header && Number.isFinite(header[0]) ? header[0] : undefined);
    const entries = imro.slice(1);
    const lf = meta.band === 'lf';
    let gains: number[] | undefined;
    if (meta.probeType !== undefined && NP2_TYPES.has(meta.probeType)) {
      gains = entries.map(() => 80);
    } else if (entries.length && entries.every((e) => e.length >= 6)) {
      gains = entries.map((e) => (lf ? e[4] : e[3]));
    } else if (entries.length && entries.every((e) => e.length === 4 || e.length === 5)) {
      gains = entries.map(() => 80);
    } else if (header && header.length >= 6) {
      // Types such as 1110 put one gain set in the header: (type, flags, refid, apgain, lfgain, apfilt).
      gains = [lf ? header[4] : header[3]];
    }
    if (gains && gains.length && gains.every((g) => Number.isFinite(g) && g > 0)) {
      meta.channelGains = gains;
      meta.gain = gains[0];
    }
    const np2 = (meta.probeType !== undefined && NP2_TYPES.has(meta.probeType)) || (meta.probeType === undefined && meta.gain === 80);
    meta.maxInt = num(fields.imMaxInt) ?? (fields.imroTbl !== undefined || meta.probeType !== undefined ? (np2 ? 8192 : 512) : undefined);
  }
  if (meta.aiRangeMax !== undefined && meta.maxInt !== undefined && meta.gain !== undefined) {
    meta.gainUvPerBit = (meta.aiRangeMax / meta.maxInt / meta.gain) * 1e6;
  }
  for (const k of Object.keys(meta) as Array<keyof SpikeGlxMeta>) if (meta[k] === undefined) delete meta[k];
  return meta;
}
