import { describe, expect, it } from 'vitest';
import { formatTick, formatValue, niceTicks, pointInPolygon, quantileExtent, safeRect } from '../../../../src/renderer/plot/rect';
import { BoxLayout } from '../../../../src/renderer/plot/BoxLayout';
import { VertexBuffer } from '../../../../src/renderer/plot/VertexBuffer';
import { parseColor } from '../../../../src/renderer/plot/color';

describe('plot helpers', () => {
  it('niceTicks picks 1/2/5 steps inside the range', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0.013, 0.049, 4)).toEqual([0.02, 0.03, 0.04]);
    expect(niceTicks(5, 5, 4)).toEqual([]);
  });

  it('formatValue rounds a readout to what a person reads (3 significant digits, no exponent)', () => {
    expect(formatValue(16.7559)).toBe('16.8');
    expect(formatValue(163421)).toBe('163,000');
    expect(formatValue(120)).toBe('120');
    expect(formatValue(0.012345)).toBe('0.0123');
    expect(formatValue(0)).toBe('0');
  });

  it('formatTick strips float noise', () => {
    expect(formatTick(0.1 + 0.2)).toBe('0.3');
    expect(formatTick(59.95)).toBe('59.95');
    expect(formatTick(0)).toBe('0');
  });

  it('safeRect widens degenerate spans', () => {
    expect(safeRect({ x0: 2, x1: 2, y0: 0, y1: 1 })).toEqual({ x0: 1.8, x1: 2.2, y0: 0, y1: 1 });
  });

  it('quantileExtent ignores outliers', () => {
    const v = new Float32Array(1000).map((_, i) => i % 100);
    v[0] = 1e9;
    const [lo, hi] = quantileExtent(v, 0.01);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(100);
  });

  it('pointInPolygon (even-odd)', () => {
    const square = new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]);
    expect(pointInPolygon(0.5, 0.5, square)).toBe(true);
    expect(pointInPolygon(1.5, 0.5, square)).toBe(false);
  });

  it('BoxLayout maps data into a cell and back, and finds the cell under a point', () => {
    const layout = new BoxLayout(4, 4, 0.05);
    const data = { x0: -10, x1: 10, y0: 0, y1: 100 };
    const [wx, wy] = layout.toWorld(1, 2, data, 5, 25);
    expect(layout.cellAt(wx, wy)).toEqual({ row: 1, col: 2 });
    const [x, y] = layout.toData(1, 2, data, wx, wy);
    expect(x).toBeCloseTo(5);
    expect(y).toBeCloseTo(25);
    expect(layout.cellAt(-0.1, 1)).toBeNull();
  });

  it('VertexBuffer grows and finishes to exact lengths', () => {
    const v = new VertexBuffer(1);
    for (let i = 0; i < 100; i++) v.segment(i, 0, i, 1, [1, 0, 0, 1]);
    v.rect(0, 0, 1, 1, [0, 1, 0, 1]);
    const f = v.finish();
    expect(f.count).toBe(206);
    expect(f.positions.length).toBe(412);
    expect(f.colors.length).toBe(824);
    expect(f.positions[2 * 199]).toBe(99);
  });

  it('parseColor reads hex and rgb()', () => {
    expect(parseColor('#0892fc')).toEqual([8 / 255, 146 / 255, 252 / 255, 1]);
    expect(parseColor('rgb(255, 0, 0)', 0.5)).toEqual([1, 0, 0, 0.5]);
  });
});
