import { describe, expect, it } from 'vitest';
import { labelledColumns, labelStride } from '../../../../src/renderer/views/TemplateView/templateLayout';

const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1000);

describe('TemplateView cluster-id labels', () => {
  it('thin out at 1,500 clusters so that no two 4-digit ids overlap in a 1,180 px plot', () => {
    const stride = labelStride(ids(1500), 1500, 1180);
    const columnPx = 1180 / 1500;
    // 4 digits × 7 px + 10 px gap: 38 px between label centres at least.
    expect(stride * columnPx).toBeGreaterThanOrEqual(38);
    const shown = labelledColumns(0, 1500, stride, 1500);
    expect(shown.length).toBeGreaterThan(20);
    expect(shown.length * 38).toBeLessThanOrEqual(1180 + 38);
  });

  it('label every column once zoomed in to a few dozen columns', () => {
    expect(labelStride(ids(1500), 25, 1180)).toBe(1);
    expect(labelledColumns(700, 725, 1, 1500)).toEqual(Array.from({ length: 25 }, (_, i) => 700 + i));
  });

  it('keep a label on its column while panning (multiples of the stride)', () => {
    expect(labelledColumns(13, 60, 10, 1500)).toEqual([20, 30, 40, 50]);
  });
});
