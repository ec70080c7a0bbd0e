import { afterEach, describe, expect, it } from 'vitest';
import type { WaveformsData } from '../../../../src/shared/ipc/contract';
import { chooseFeatureChannel, setFeatureChannel } from '../../../../src/renderer/views/featureChannels';
import { buildWaveformGeometry, waveformChannelAt } from '../../../../src/renderer/views/WaveformView/waveformLayout';
import { appStore } from '../../../../src/renderer/store/appStore';
import { initialAppState } from '../../../../src/renderer/store/AppState';

describe('FeatureView channel choice (WaveformView ctrl+click)', () => {
  it('puts the clicked channel in the 1st or 2nd slot, starting from the channels shown', () => {
    expect(chooseFeatureChannel(null, [4, 7], 9, 0)).toEqual([9, 7]);
    expect(chooseFeatureChannel(null, [4, 7], 9, 1)).toEqual([4, 9]);
    expect(chooseFeatureChannel([1, 2], [4, 7], 5, 1)).toEqual([1, 5]);
  });

  it('swaps the pair when the other slot already holds the channel', () => {
    expect(chooseFeatureChannel([1, 2], [4, 7], 2, 0)).toEqual([2, 1]);
    expect(chooseFeatureChannel(null, [4, 7], 4, 1)).toEqual([7, 4]);
  });

  afterEach(() => appStore.update((d) => void (d.viewSettings = initialAppState().viewSettings), { capture: 'none' }));

  it('writes the pair into viewSettings.FeatureView.channelIds', () => {
    setFeatureChannel(3, 0, [0, 1]);
    expect(appStore.getState().viewSettings.FeatureView?.channelIds).toEqual([3, 1]);
    setFeatureChannel(6, 1, [0, 1]);
    expect(appStore.getState().viewSettings.FeatureView?.channelIds).toEqual([3, 6]);
  });
});

describe('WaveformView channel hit test', () => {
  it('finds the channel box under a world point', () => {
    const nSamples = 8;
    const mk = (channels: number[]): WaveformsData['clusters'][number] => ({
      clusterId: 1,
      channelIds: new Int32Array(channels),
      spikeIds: new Int32Array(0),
      data: new Float32Array(nSamples * channels.length).fill(1),
      mean: new Float32Array(nSamples * channels.length).fill(1),
    });
    const data: WaveformsData = { generation: 1, kind: 'templates', source: 'templates', nSamples, sampleRate: 30000, unit: 'a.u.', clusters: [mk([0, 1, 2])] };
    // Channel 0 bottom-left, 1 bottom-right, 2 above channel 0.
    const positions = new Float32Array([0, 0, 20, 0, 0, 40]);
    const g = buildWaveformGeometry(data, positions, new Int32Array([100, 101, 102]), { overlap: false, ampScale: 1, widthScale: 1, showMean: false });
    expect(g.boxes.map((b) => b.ch).sort()).toEqual([0, 1, 2]);
    for (const b of g.boxes) expect(waveformChannelAt(g.boxes, b.x + b.w * 0.3, b.y - b.h * 0.3)).toBe(b.ch);
    expect(waveformChannelAt(g.boxes, 100, 100)).toBeNull();
  });
});
