import { describe, expect, it } from 'vitest';
import { PanZoom } from '../../../../src/renderer/plot/PanZoom';

describe('PanZoom', () => {
  const make = () => {
    const pz = new PanZoom({ x0: 0, x1: 100, y0: -1, y1: 1 });
    pz.setSize(200, 100);
    return pz;
  };

  it('maps pixels to world coordinates and back (y grows upwards)', () => {
    const pz = make();
    expect(pz.toWorld(0, 0)).toEqual([0, 1]);
    expect(pz.toWorld(200, 100)).toEqual([100, -1]);
    expect(pz.toPixelX(50)).toBe(100);
    expect(pz.toPixelY(0)).toBe(50);
  });

  it('pans so that the content follows the mouse', () => {
    const pz = make();
    pz.panPixels(20, 0);
    expect(pz.view.x0).toBeCloseTo(-10);
    expect(pz.view.x1).toBeCloseTo(90);
  });

  it('zooms around the pixel under the cursor, which stays fixed', () => {
    const pz = make();
    const before = pz.toWorld(50, 25);
    pz.zoomAt(2, 2, 50, 25);
    const after = pz.toWorld(50, 25);
    expect(after[0]).toBeCloseTo(before[0]);
    expect(after[1]).toBeCloseTo(before[1]);
    expect(pz.view.x1 - pz.view.x0).toBeCloseTo(50);
  });

  it('x-only pan/zoom leaves y alone, and reset returns home', () => {
    const pz = make();
    pz.axes = 'x';
    pz.zoomAt(2, 2);
    pz.panPixels(10, 10);
    expect(pz.view.y0).toBe(-1);
    expect(pz.view.y1).toBe(1);
    pz.reset();
    expect(pz.view).toEqual({ x0: 0, x1: 100, y0: -1, y1: 1 });
  });

  it('follows new data bounds only while the user has not zoomed away', () => {
    const pz = make();
    pz.setHome({ x0: 0, x1: 10, y0: 0, y1: 1 });
    expect(pz.view).toEqual({ x0: 0, x1: 10, y0: 0, y1: 1 });
    pz.zoomAt(2, 2);
    const zoomed = pz.view;
    pz.setHome({ x0: 0, x1: 20, y0: 0, y1: 1 });
    expect(pz.view).toEqual(zoomed);
    pz.setHome({ x0: 0, x1: 30, y0: 0, y1: 1 }, true);
    expect(pz.view.x1).toBe(30);
  });

  it('notifies subscribers with a new version on every change', () => {
    const pz = make();
    let calls = 0;
    const off = pz.subscribe(() => calls++);
    const v = pz.getVersion();
    pz.panPixels(1, 1);
    expect(calls).toBe(1);
    expect(pz.getVersion()).toBe(v + 1);
    off();
    pz.reset();
    expect(calls).toBe(1);
  });
});
