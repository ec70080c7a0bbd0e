import { afterEach, describe, expect, it } from 'vitest';
import { scatterWheel } from '../../../../src/renderer/views/ClusterScatterView/ClusterScatterView';
import { readViewSettings } from '../../../../src/renderer/store/viewSettings';
import { appStore } from '../../../../src/renderer/store/appStore';
import { initialAppState } from '../../../../src/renderer/store/AppState';

const wheel = (deltaY: number, mods: Partial<Pick<WheelEvent, 'altKey' | 'shiftKey' | 'ctrlKey'>>) =>
  ({ deltaY, deltaX: 0, deltaMode: 0, altKey: false, shiftKey: false, ctrlKey: false, ...mods }) as WheelEvent;

describe('ClusterScatterView wheel with modifiers', () => {
  afterEach(() => appStore.update((d) => void (d.viewSettings = initialAppState().viewSettings), { capture: 'none' }));

  it('alt+wheel scales the markers (up grows, down shrinks, within bounds)', () => {
    const onWheel = scatterWheel();
    const scale = () => readViewSettings('ClusterScatterView', { markerScale: 1 }).markerScale;
    expect(onWheel(wheel(-100, { altKey: true }))).toBe(true);
    expect(scale()).toBeCloseTo(1.15);
    onWheel(wheel(100, { altKey: true }));
    onWheel(wheel(100, { altKey: true }));
    expect(scale()).toBeCloseTo(1 / 1.15);
    for (let i = 0; i < 50; i++) onWheel(wheel(-100, { altKey: true }));
    expect(scale()).toBe(4);
  });

  it('leaves the plain wheel to zoom and shift+wheel to the colour scheme', () => {
    const onWheel = scatterWheel();
    expect(onWheel(wheel(100, {}))).toBe(false);
    expect(onWheel(wheel(100, { shiftKey: true }))).toBe(true);
    expect(readViewSettings('ClusterScatterView', { markerScale: 1 }).markerScale).toBe(1);
  });
});
