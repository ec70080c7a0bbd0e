import { describe, expect, it } from 'vitest';
import { clusterInfo as cluster } from '../clusterInfo';
import {
  COLOR_SCHEMES,
  GROUP_RGB,
  VIRIDIS_START,
  colorSchemeCommands,
  colorSchemeWheel,
  cycleColorScheme,
  nextColorScheme,
  schemeColors,
  viridis,
  withSelection,
} from '../../../../src/renderer/views/colorSchemes';
import { selectionRgba } from '../../../../src/renderer/views/viewColors';
import { clusterHashColor } from '../../../../src/renderer/plot/color';
import { appStore } from '../../../../src/renderer/store/appStore';

const rgbOf = (c: readonly number[]) => c.slice(0, 3).map((v) => Math.round(v * 1000) / 1000);

describe('colour schemes', () => {
  it('random is the stable hashed hue of each cluster id', () => {
    const colorOf = schemeColors('random', [], { alpha: 0.5, lightness: 0.6 });
    expect(colorOf(17)).toEqual(clusterHashColor(17, 0.5, 0.6));
    expect(colorOf(17)).not.toEqual(colorOf(18));
  });

  it('group colours good green, mua orange, noise dark grey, unsorted/null light grey', () => {
    const clusters = [cluster(1, { group: 'good' }), cluster(2, { group: 'mua' }), cluster(3, { group: 'noise' }), cluster(4, { group: null }), cluster(5, { group: 'unsorted' })];
    const colorOf = schemeColors('group', clusters, { alpha: 0.7 });
    expect(colorOf(1)).toEqual([...GROUP_RGB.good, 0.7]);
    expect(colorOf(2)).toEqual([...GROUP_RGB.mua, 0.7]);
    expect(colorOf(3)).toEqual([...GROUP_RGB.noise, 0.7]);
    expect(colorOf(4)).toEqual([...GROUP_RGB.unsorted, 0.7]);
    expect(colorOf(5)).toEqual(colorOf(4));
    // good is the table's --group-good (#86d16d); the four are distinct.
    expect(rgbOf(colorOf(1))).toEqual(rgbOf([0x86 / 255, 0xd1 / 255, 0x6d / 255]));
    expect(new Set([1, 2, 3, 4].map((id) => colorOf(id).join(','))).size).toBe(4);
  });

  it('depth spans viridis over the range of the given clusters (linear)', () => {
    const clusters = [cluster(1, { depth: 100 }), cluster(2, { depth: 300 }), cluster(3, { depth: 200 })];
    const colorOf = schemeColors('depth', clusters, { alpha: 1 });
    expect(rgbOf(colorOf(1))).toEqual(rgbOf(viridis(VIRIDIS_START)));
    expect(rgbOf(colorOf(2))).toEqual(rgbOf(viridis(1)));
    expect(rgbOf(colorOf(3))).toEqual(rgbOf(viridis(VIRIDIS_START + (1 - VIRIDIS_START) / 2)));
    // The range follows the clusters shown: the same depth is at the top of a narrower set.
    expect(rgbOf(schemeColors('depth', clusters.slice(0, 1).concat(clusters[2]), { alpha: 1 })(3))).toEqual(rgbOf(viridis(1)));
  });

  it('firing rate and n_spikes are on a log scale', () => {
    const clusters = [cluster(1, { fr: 1, nSpikes: 10 }), cluster(2, { fr: 10, nSpikes: 100 }), cluster(3, { fr: 100, nSpikes: 1000 })];
    const mid = rgbOf(viridis(VIRIDIS_START + (1 - VIRIDIS_START) / 2));
    expect(rgbOf(schemeColors('firing_rate', clusters, { alpha: 1 })(2))).toEqual(mid);
    expect(rgbOf(schemeColors('n_spikes', clusters, { alpha: 1 })(2))).toEqual(mid);
    // A zero rate does not break the scale: it takes the lowest colour.
    const withZero = [...clusters, cluster(4, { fr: 0 })];
    expect(rgbOf(schemeColors('firing_rate', withZero, { alpha: 1 })(4))).toEqual(rgbOf(viridis(VIRIDIS_START)));
  });

  it('amplitude: unknown amplitudes are grey, equal amplitudes take the middle colour', () => {
    const clusters = [cluster(1, { amp: 5 }), cluster(2, { amp: null }), cluster(3, { amp: 5 })];
    const colorOf = schemeColors('amplitude', clusters, { alpha: 1 });
    expect(colorOf(2)).toEqual([...GROUP_RGB.unsorted, 1]);
    expect(rgbOf(colorOf(1))).toEqual(rgbOf(viridis(VIRIDIS_START + (1 - VIRIDIS_START) / 2)));
    expect(colorOf(99)).toEqual([...GROUP_RGB.unsorted, 1]);
  });

  it('selected clusters keep their selection colours under every scheme', () => {
    const clusters = [cluster(1, { group: 'good', depth: 10 }), cluster(2, { group: 'noise', depth: 20 }), cluster(3, { depth: 30 })];
    for (const scheme of COLOR_SCHEMES) {
      const colorOf = withSelection(schemeColors(scheme, clusters, { alpha: 0.5 }), [3, 1]);
      expect(colorOf(3), scheme).toEqual(selectionRgba(0));
      expect(colorOf(1), scheme).toEqual(selectionRgba(1));
      expect(colorOf(2), scheme).toEqual(schemeColors(scheme, clusters, { alpha: 0.5 })(2));
    }
  });

  it('cycles through the schemes in order, both ways, and from an unknown value', () => {
    expect(nextColorScheme('random')).toBe('group');
    expect(nextColorScheme('amplitude')).toBe('random');
    expect(nextColorScheme('random', -1)).toBe('amplitude');
    expect(nextColorScheme('bogus')).toBe('group');
  });

  it('the view command and shift+wheel write the per-view setting', async () => {
    appStore.update((d) => void (d.viewSettings = {}), { capture: 'none' });
    const [next] = colorSchemeCommands('RasterView', 'raster');
    expect(next.id).toBe('raster.nextColorScheme');
    await next.perform({} as never, []);
    expect(appStore.getState().viewSettings.RasterView).toEqual({ colorScheme: 'group' });
    expect(appStore.getState().viewSettings.TemplateView).toBeUndefined();

    const wheel = colorSchemeWheel('TemplateView');
    const ev = (init: Partial<WheelEvent>) => ({ deltaX: 0, deltaY: 0, deltaMode: 0, shiftKey: false, ctrlKey: false, altKey: false, ...init }) as WheelEvent;
    expect(wheel(ev({ deltaY: 100 }))).toBe(false);
    expect(wheel(ev({ deltaY: 100, shiftKey: true }))).toBe(true);
    expect(appStore.getState().viewSettings.TemplateView).toEqual({ colorScheme: 'group' });
    // Small trackpad deltas add up to one step; horizontal deltas (shift+wheel in Chromium) count.
    wheel(ev({ deltaY: 20, shiftKey: true }));
    expect(appStore.getState().viewSettings.TemplateView).toEqual({ colorScheme: 'group' });
    wheel(ev({ deltaX: 40, shiftKey: true }));
    expect(appStore.getState().viewSettings.TemplateView).toEqual({ colorScheme: 'depth' });
    wheel(ev({ deltaY: -100, shiftKey: true }));
    expect(appStore.getState().viewSettings.TemplateView).toEqual({ colorScheme: 'group' });
    expect(cycleColorScheme('TemplateView', -1)).toBe('random');
  });
});
