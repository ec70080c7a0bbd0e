import { patchViewSettings, readViewSettings } from '../store/viewSettings';

/** PC letter as phy writes it (A, B, C, …). */
export const pcLetter = (pc: number) => String.fromCharCode(65 + pc);

/** The FeatureView setting that pins its two channels (channel indices); null = automatic. */
export const FEATURE_VIEW = 'FeatureView';

export interface FeatureChannelSettings {
  /** Channel indices shown (x = 1st, y = 2nd), or null for the best channels of the selection. */
  channelIds: [number, number] | null;
}

/**
 * Puts `channel` in slot `which` (0 = 1st, 1 = 2nd) of the current pair (or of `fallback`, the
 * channels shown now, when the choice is automatic). Choosing the other slot's channel swaps
 * the pair, so the two channels always differ.
 */
export function chooseFeatureChannel(current: readonly [number, number] | null, fallback: readonly [number, number], channel: number, which: 0 | 1): [number, number] {
  const pair: [number, number] = current ? [current[0], current[1]] : [fallback[0], fallback[1]];
  const other = which === 0 ? 1 : 0;
  if (pair[other] === channel) pair[other] = pair[which];
  pair[which] = channel;
  return pair;
}

/** phy's WaveformView ctrl+click (1st channel) / ctrl+right-click (2nd channel) into FeatureView's settings. */
export function setFeatureChannel(channel: number, which: 0 | 1, fallback: readonly [number, number]): void {
  const { channelIds } = readViewSettings<FeatureChannelSettings>(FEATURE_VIEW, { channelIds: null });
  patchViewSettings(FEATURE_VIEW, { channelIds: chooseFeatureChannel(channelIds, fallback, channel, which) });
}
