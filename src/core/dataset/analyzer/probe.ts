/**
 * The channels of an analyzer: `recording_info/recording_attributes.json` (spikeinterface
 * `core/recording_tools.py` `get_rec_attributes`: `channel_ids`, `sampling_frequency`,
 * `num_channels`, `num_samples` per segment, `is_filtered`, `properties`, `dtype`) and
 * `recording_info/probegroup.json` (probeinterface `write_probeinterface`: `probes[]` with
 * `contact_positions`, `device_channel_indices`, `shank_ids`…). Channel i of the analyzer is the
 * contact whose device channel index is the i-th smallest (`SortingAnalyzer.get_channel_locations`
 * sorts by `device_channel_indices`).
 */
import { useLinearIfDuplicate, LINEAR_PITCH_UM } from '../kilosort/channels';
import type { TemplateFolderReader } from '../kilosort/folder';
import { readJsonFile, type JsonObject } from './json';

/** What `recording_attributes.json` says. */
export interface RecordingAttributes {
  channelIds: Array<string | number>;
  nChannels: number;
  /** Samples of the (single) segment, or null when not written. */
  nSamples: number | null;
  sampleRate: number | null;
  /** `properties.location` as (nChannels, 2) when present. */
  locations: Float32Array | null;
  /** `properties.group` (per channel) when present. */
  groups: Array<unknown> | null;
  file: string;
}

/** Reads `recording_info/recording_attributes.json` (required: it names the channels). */
export function readRecordingAttributes(info: TemplateFolderReader): RecordingAttributes {
  const name = 'recording_attributes.json';
  const file = info.path(name);
  const a = readJsonFile(info, name, 'the channels of the recording the analyzer was made from')!;
  const ids = a.channel_ids;
  if (!Array.isArray(ids) || !ids.every((c) => typeof c === 'string' || typeof c === 'number')) {
    info.log.fatal(file, 'analyzer.channelIds', `channel_ids must be a list of strings or numbers (got ${JSON.stringify(ids)?.slice(0, 80)})`);
  }
  const channelIds = ids as Array<string | number>;
  const nChannels = channelIds.length;
  if (typeof a.num_channels === 'number' && a.num_channels !== nChannels) {
    info.log.fatal(file, 'lengths.mismatch', `num_channels is ${a.num_channels} but channel_ids lists ${nChannels} channels`);
  }
  const ns = Array.isArray(a.num_samples) ? a.num_samples[0] : a.num_samples;
  const props = (a.properties && typeof a.properties === 'object' ? a.properties : {}) as JsonObject;
  return {
    channelIds,
    nChannels,
    nSamples: typeof ns === 'number' && Number.isInteger(ns) && ns >= 0 ? ns : null,
    sampleRate: typeof a.sampling_frequency === 'number' ? a.sampling_frequency : null,
    locations: xyRows(props.location, nChannels),
    groups: Array.isArray(props.group) && props.group.length === nChannels ? props.group : null,
    file,
  };
}

/** A (n, ≥2) list of numbers as (n, 2) x, y, or null. */
function xyRows(v: unknown, n: number): Float32Array | null {
  if (!Array.isArray(v) || v.length !== n) return null;
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const row = v[i] as unknown;
    if (!Array.isArray(row) || row.length < 2 || typeof row[0] !== 'number' || typeof row[1] !== 'number') return null;
    out[2 * i] = row[0];
    out[2 * i + 1] = row[1];
  }
  return out;
}

/** Positions, shanks and probes of the analyzer's channels. */
export interface AnalyzerChannels {
  channelPositions: Float32Array;
  channelShanks: Int32Array;
  channelProbes: Int32Array;
}

interface Contact {
  x: number;
  y: number;
  device: number;
  probe: number;
  shank: string;
}

/** The wired contacts of every probe, by device channel index, or a reason they cannot be used. */
function probeContacts(pg: JsonObject, nChannels: number): Contact[] | string {
  const probes = pg.probes;
  if (!Array.isArray(probes) || probes.length === 0) return 'no probes listed';
  const contacts: Contact[] = [];
  for (let p = 0; p < probes.length; p++) {
    const probe = probes[p] as JsonObject;
    const pos = probe?.contact_positions;
    if (!Array.isArray(pos)) return `probe ${p} has no contact_positions`;
    const dci = Array.isArray(probe.device_channel_indices) ? (probe.device_channel_indices as unknown[]) : null;
    const shanks = Array.isArray(probe.shank_ids) ? (probe.shank_ids as unknown[]) : null;
    for (let c = 0; c < pos.length; c++) {
      const xy = pos[c] as unknown;
      if (!Array.isArray(xy) || typeof xy[0] !== 'number' || typeof xy[1] !== 'number') return `contact ${c} of probe ${p} has no x, y position`;
      // Without wiring, contacts are the channels in order (a probe set on a recording is wired).
      const device = dci ? Number(dci[c]) : contacts.length;
      if (!Number.isInteger(device) || device < 0) continue;
      contacts.push({ x: xy[0], y: xy[1], device, probe: p, shank: shanks ? String(shanks[c] ?? '') : '' });
    }
  }
  contacts.sort((a, b) => a.device - b.device);
  if (contacts.length !== nChannels) return `${contacts.length} wired contacts for ${nChannels} channels`;
  return contacts;
}

/**
 * Channel positions from `probegroup.json`, else `properties.location` of the recording
 * attributes, else a linear layout (a warning says which was used and why).
 */
export function readAnalyzerChannels(info: TemplateFolderReader, attrs: RecordingAttributes): AnalyzerChannels {
  const n = attrs.nChannels;
  const { log } = info;
  const positions = new Float32Array(2 * n);
  const shanks = new Int32Array(n);
  const probes = new Int32Array(n);
  const pgFile = info.path('probegroup.json');
  let why = 'no recording_info/probegroup.json';
  const pg = readJsonFile(info, 'probegroup.json', false);
  if (pg) {
    const contacts = probeContacts(pg, n);
    if (typeof contacts !== 'string') {
      const shankIds = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const c = contacts[i];
        positions[2 * i] = c.x;
        positions[2 * i + 1] = c.y;
        probes[i] = c.probe;
        const key = `${c.probe}/${c.shank}`;
        if (!shankIds.has(key)) shankIds.set(key, shankIds.size);
        shanks[i] = shankIds.get(key)!;
      }
      useLinearIfDuplicate(positions, n, pgFile, log);
      return { channelPositions: positions, channelShanks: shanks, channelProbes: probes };
    }
    why = `probegroup.json is unusable (${contacts})`;
  }
  if (attrs.locations) {
    positions.set(attrs.locations);
    if (pg) log.add('warning', pgFile, 'analyzer.probe', `${why}: using the channel locations of recording_attributes.json`);
    useLinearIfDuplicate(positions, n, attrs.file, log);
    return { channelPositions: positions, channelShanks: shanks, channelProbes: probes };
  }
  for (let i = 0; i < n; i++) positions[2 * i + 1] = i * LINEAR_PITCH_UM;
  log.add('warning', pg ? pgFile : info.dir, 'analyzer.probe', `${why} and no channel locations in recording_attributes.json: channels drawn on a line (${LINEAR_PITCH_UM} µm pitch)`);
  return { channelPositions: positions, channelShanks: shanks, channelProbes: probes };
}
