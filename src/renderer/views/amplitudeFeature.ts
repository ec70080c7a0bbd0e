import type { AmplitudeKind, AmplitudesData, ChannelFeature, SpikeDim } from '../../shared/ipc/contract';
import { patchViewSettings } from '../store/viewSettings';
import { pcLetter } from './featureChannels';

/** The view type whose settings hold the feature shown (other views write it: FeatureView alt+click). */
export const AMPLITUDE_VIEW = 'AmplitudeView';

/**
 * phy's FeatureView alt+click: AmplitudeView shows feature amplitudes, on `feature`'s channel and
 * PC, until another feature is chosen or the best channel is asked for again.
 */
export function showAmplitudeFeature(feature: ChannelFeature): void {
  patchViewSettings(AMPLITUDE_VIEW, { kind: 'feature', feature: { channelId: feature.channelId, pc: feature.pc } });
}

/**
 * The dimension a lasso drawn on the amplitudes splits on: the values shown. Feature amplitudes
 * become the `pc` dimension of the channel and PC the backend reported, so that the split tests
 * every spike on the same channel and PC as the plot.
 */
export function amplitudeLassoDim(data: Pick<AmplitudesData, 'kind' | 'feature'> | null, kind: AmplitudeKind): SpikeDim {
  if (data?.kind === 'feature' && data.feature) return { type: 'pc', channelId: data.feature.channelId, pc: data.feature.pc };
  return { type: 'amplitude', kind: data?.kind ?? kind };
}

/** "ch 21, PC A": the channel's label (`channel_map` value) and the PC letter FeatureView shows. */
export function featureLabel(feature: ChannelFeature, channelLabels: ArrayLike<number> | undefined): string {
  return `ch ${channelLabels?.[feature.channelId] ?? feature.channelId}, PC ${pcLetter(feature.pc)}`;
}

/** The amplitude type shown: the chosen one if the dataset has it, else the first it has. */
export function shownAmplitudeKind(chosen: AmplitudeKind, available: readonly AmplitudeKind[]): AmplitudeKind {
  return available.length === 0 || available.includes(chosen) ? chosen : available[0];
}
