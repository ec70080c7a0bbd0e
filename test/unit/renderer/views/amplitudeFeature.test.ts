import { afterEach, describe, expect, it } from 'vitest';
import type { FeaturesData } from '../../../../src/shared/ipc/contract';
import { buildFeatureGrid, clickedFeature } from '../../../../src/renderer/views/FeatureView/featureGrid';
import { amplitudeLassoDim, featureLabel, showAmplitudeFeature, shownAmplitudeKind } from '../../../../src/renderer/views/amplitudeFeature';
import { appStore } from '../../../../src/renderer/store/appStore';
import { initialAppState } from '../../../../src/renderer/store/AppState';

const LEFT = 0;
const MIDDLE = 1;
const RIGHT = 2;

/** A FeatureView grid of channels 5 and 9 with 3 PCs (4×4: 5A, 9A, 5B, 9B). */
function grid() {
  const data: FeaturesData = {
    generation: 1,
    channelIds: [5, 9],
    nPcs: 3,
    clusters: [{ clusterId: 1, spikeIds: new Int32Array([0, 1]), times: new Float32Array([0.5, 1.5]), features: new Float32Array(2 * 2 * 3).map((_, i) => i - 6) }],
    background: null,
  };
  return buildFeatureGrid(data, 10, Int32Array.from({ length: 16 }, (_, k) => 100 + k), 1);
}

/** World coordinates of the middle of cell (row, col). */
function middle(g: ReturnType<typeof grid>, row: number, col: number): [number, number] {
  const c = g.layout.cell(row, col);
  return [(c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2];
}

describe('FeatureView alt+click → the feature AmplitudeView shows', () => {
  const g = grid();
  const at = (row: number, col: number, button: number) => clickedFeature(g, [5, 9], ...middle(g, row, col), button);

  it('alt+left click takes the subplot’s x dimension, alt+right click its y dimension', () => {
    // Cell (1, 0) plots 5A (x) against 9A (y).
    expect(at(1, 0, LEFT)).toEqual({ channelId: 5, pc: 0 });
    expect(at(1, 0, RIGHT)).toEqual({ channelId: 9, pc: 0 });
    // Cell (2, 3) plots 9B (x) against 5B (y).
    expect(at(2, 3, LEFT)).toEqual({ channelId: 9, pc: 1 });
    expect(at(2, 3, RIGHT)).toEqual({ channelId: 5, pc: 1 });
  });

  it('on the diagonal, x is time (not a feature) and y is the PC', () => {
    expect(at(3, 3, LEFT)).toBe('time');
    expect(at(3, 3, RIGHT)).toEqual({ channelId: 9, pc: 1 });
  });

  it('ignores other buttons and points outside the grid', () => {
    expect(at(1, 0, MIDDLE)).toBeNull();
    expect(clickedFeature(g, [5, 9], -0.5, 1, LEFT)).toBeNull();
    expect(clickedFeature(g, [5, 9], 1, 4.5, RIGHT)).toBeNull();
  });

  afterEach(() => appStore.update((d) => void (d.viewSettings = initialAppState().viewSettings), { capture: 'none' }));

  it('switches AmplitudeView to feature amplitudes of that channel and PC, keeping its other settings', () => {
    appStore.update((d) => void (d.viewSettings.AmplitudeView = { kind: 'template', markerSize: 5 }), { capture: 'none' });
    showAmplitudeFeature({ channelId: 9, pc: 1 });
    expect(appStore.getState().viewSettings.AmplitudeView).toEqual({ kind: 'feature', markerSize: 5, feature: { channelId: 9, pc: 1 } });
    showAmplitudeFeature({ channelId: 5, pc: 0 });
    expect(appStore.getState().viewSettings.AmplitudeView?.feature).toEqual({ channelId: 5, pc: 0 });
  });
});

describe('AmplitudeView feature mode', () => {
  it('a lasso splits on the pc dimension of the channel and PC shown', () => {
    expect(amplitudeLassoDim({ kind: 'feature', feature: { channelId: 9, pc: 1 } }, 'feature')).toEqual({ type: 'pc', channelId: 9, pc: 1 });
    expect(amplitudeLassoDim({ kind: 'template' }, 'feature')).toEqual({ type: 'amplitude', kind: 'template' });
    expect(amplitudeLassoDim(null, 'raw')).toEqual({ type: 'amplitude', kind: 'raw' });
  });

  it('names the channel by its label and the PC by FeatureView’s letter', () => {
    expect(featureLabel({ channelId: 2, pc: 1 }, Int32Array.from([10, 11, 21]))).toBe('ch 21, PC B');
    expect(featureLabel({ channelId: 2, pc: 0 }, undefined)).toBe('ch 2, PC A');
  });
});

describe('AmplitudeView type shown for a dataset', () => {
  it('keeps the chosen type when the dataset has it, else shows the first it has (Kwik: feature)', () => {
    expect(shownAmplitudeKind('template', ['template', 'feature', 'raw'])).toBe('template');
    expect(shownAmplitudeKind('template', ['feature'])).toBe('feature');
    expect(shownAmplitudeKind('raw', ['template', 'feature'])).toBe('template');
    expect(shownAmplitudeKind('feature', [])).toBe('feature');
  });
});
