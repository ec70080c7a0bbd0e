/**
 * Probe geometry of generated datasets: Neuropixels 1.0-like checkerboard (4 columns at
 * x = 43, 11, 59, 27 µm, two sites per row, 20 µm vertical pitch), optionally on several shanks
 * 250 µm apart (Neuropixels 2.0 shank spacing) so the `sh` column is exercised.
 */
import { Rng, Stream } from '../random';
import type { PresetSpec } from './presets';

/** Site x offsets within a shank by site index mod 4, µm (Neuropixels 1.0). */
export const NP1_COLUMNS_X = [43, 11, 59, 27] as const;
/** Vertical pitch between rows of two sites, µm. */
export const ROW_PITCH = 20;
/** Horizontal distance between shanks, µm. */
export const SHANK_PITCH = 250;

/** A generated probe. Channel indices are rows of `channel_map.npy` (what phy calls channels). */
export interface Probe {
  nChannels: number;
  /** `n_channels_dat`: interleaved columns of the raw file. */
  nChannelsDat: number;
  /** (nChannels,) raw column of each channel. */
  channelMap: Int32Array;
  /** (nChannels, 2) float32 x, y in µm, C order. */
  positions: Float32Array;
  /** (nChannels,) shank of each channel. */
  shanks: Int32Array;
  /** Raw columns that are not in `channelMap` (reference sites, sync). */
  extraColumns: Int32Array;
  /** What the extra columns hold. */
  extraKind: 'references' | 'sync' | 'none';
  /** (nChannels,) the channel just below on the same shank, or −1 (noise correlation). */
  previousOnShank: Int32Array;
  /** Height of one shank's sites, µm (top site y). */
  shankHeight: number;
}

/**
 * Builds the probe of a preset. With reference columns, the headstage wiring is a seeded
 * permutation (so `channel_map` is not the identity, as for most non-Neuropixels probes);
 * otherwise `channel_map` is 0..nChannels−1 and a sync column, if any, is the last one.
 */
export function makeProbe(spec: PresetSpec, seed: number): Probe {
  const n = spec.nChannels;
  if (n % spec.nShanks !== 0) throw new RangeError(`${n} channels do not split evenly over ${spec.nShanks} shanks`);
  const perShank = n / spec.nShanks;
  const positions = new Float32Array(n * 2);
  const shanks = new Int32Array(n);
  const previousOnShank = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    const sh = Math.floor(c / perShank);
    const i = c - sh * perShank;
    shanks[c] = sh;
    positions[2 * c] = NP1_COLUMNS_X[i % 4] + sh * SHANK_PITCH;
    positions[2 * c + 1] = ROW_PITCH + ROW_PITCH * Math.floor(i / 2);
    previousOnShank[c] = i === 0 ? -1 : c - 1;
  }
  const channelMap = new Int32Array(n);
  let extra: number[] = [];
  if (spec.extraColumns === 'references') {
    const rng = new Rng(seed, Stream.probe);
    const columns = rng.shuffle(Array.from({ length: spec.nChannelsDat }, (_, k) => k));
    for (let c = 0; c < n; c++) channelMap[c] = columns[c];
    extra = columns.slice(n).sort((a, b) => a - b);
  } else {
    for (let c = 0; c < n; c++) channelMap[c] = c;
    for (let k = n; k < spec.nChannelsDat; k++) extra.push(k);
  }
  return {
    nChannels: n,
    nChannelsDat: spec.nChannelsDat,
    channelMap,
    positions,
    shanks,
    extraColumns: Int32Array.from(extra),
    extraKind: spec.extraColumns,
    previousOnShank,
    shankHeight: ROW_PITCH * Math.ceil(perShank / 2),
  };
}
