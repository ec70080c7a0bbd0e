import { describe, expect, it } from 'vitest';
import { probeLayout, sitePitch } from '../../../../src/renderer/views/ProbeView/probeLayout';

/** Neuropixels 1.0, one shank: 384 sites in 4 staggered columns (x 43, 11, 59, 27 µm), 20 µm rows. */
function neuropixels(): Float32Array {
  const xs = [43, 11, 59, 27];
  const p = new Float32Array(384 * 2);
  for (let c = 0; c < 384; c++) {
    p[2 * c] = xs[c % 4];
    p[2 * c + 1] = 20 * Math.floor(c / 2);
  }
  return p;
}

const scaleX = (b: { x0: number; x1: number }, w: number) => w / (b.x1 - b.x0);
const scaleY = (b: { y0: number; y1: number }, h: number) => h / (b.y1 - b.y0);

describe('probeLayout', () => {
  it('draws a Neuropixels shank at equal x/y scale, sites legibly apart, around the selection (not 4 stretched bars)', () => {
    const pos = neuropixels();
    const pitch = Math.hypot(16, 20);
    expect(sitePitch(pos, 384)).toBeCloseTo(pitch, 4);
    const { bounds, sitePx } = probeLayout(pos, 384, [200], 380, 240);
    expect(scaleX(bounds, 380)).toBeCloseTo(scaleY(bounds, 240), 6);
    // Neighbouring sites are at least 12 px apart on screen, and a site's dot is smaller than that.
    expect(pitch * scaleX(bounds, 380)).toBeGreaterThanOrEqual(12 - 1e-9);
    expect(sitePx).toBeLessThan(12);
    // Every column is in view, and the selected channel (y = 2000 µm) is in the window.
    expect(bounds.x0).toBeLessThan(11);
    expect(bounds.x1).toBeGreaterThan(59);
    expect(bounds.y0).toBeLessThan(2000);
    expect(bounds.y1).toBeGreaterThan(2000);
  });

  it('keeps the window on the probe when the selection is at its tip', () => {
    const { bounds } = probeLayout(neuropixels(), 384, [0], 380, 240);
    expect(bounds.y0).toBeGreaterThanOrEqual(-Math.hypot(16, 20) - 1e-9);
    expect(bounds.y0).toBeLessThan(0);
  });

  it('shows a short probe whole, still at equal scale', () => {
    // 32 sites in two columns 20 µm apart, 25 µm rows: 775 µm fit a 600 px plot at ≥ 12 px pitch.
    const pos = new Float32Array(64);
    for (let c = 0; c < 32; c++) {
      pos[2 * c] = 20 * (c % 2);
      pos[2 * c + 1] = 25 * Math.floor(c / 2);
    }
    const { bounds } = probeLayout(pos, 32, [], 300, 600);
    expect(scaleX(bounds, 300)).toBeCloseTo(scaleY(bounds, 600), 6);
    expect(bounds.y0).toBeLessThan(0);
    expect(bounds.y1).toBeGreaterThan(375);
  });
});
