import type { Rect } from '../../plot/rect';

/** Site pitch on screen below which the probe is shown in part (pan for the rest): 12 px. */
const MIN_PITCH_PX = 12;

/** Smallest distance between two distinct sites, µm (16 µm between columns of a Neuropixels 1.0). */
export function sitePitch(positions: ArrayLike<number>, n: number): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = Math.hypot(positions[2 * i] - positions[2 * j], positions[2 * i + 1] - positions[2 * j + 1]);
      if (d > 0 && d < best) best = d;
    }
  }
  return Number.isFinite(best) ? best : 1;
}

/** What ProbeView draws: the world rectangle (µm, equal scale on x and y) and the site size. */
export interface ProbeLayout {
  bounds: Rect;
  /** Diameter of a site's dot, px. */
  sitePx: number;
  /** Site pitch, µm. */
  pitch: number;
}

/**
 * The rectangle of the probe shown in a `widthPx` × `heightPx` plot, with one µm the same
 * length on x and y (a probe is drawn as it is, not stretched to bars). The whole probe when
 * its sites stay at least {@link MIN_PITCH_PX} apart; otherwise (a 3.8 mm Neuropixels shank in
 * a few hundred pixels) a window of it at that pitch, centred on `focus` (the selected
 * clusters' channels) so that they are in view, and the rest a pan away.
 */
export function probeLayout(positions: ArrayLike<number>, n: number, focus: readonly number[], widthPx: number, heightPx: number): ProbeLayout {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let c = 0; c < n; c++) {
    x0 = Math.min(x0, positions[2 * c]);
    x1 = Math.max(x1, positions[2 * c]);
    y0 = Math.min(y0, positions[2 * c + 1]);
    y1 = Math.max(y1, positions[2 * c + 1]);
  }
  if (!(x1 >= x0)) [x0, x1, y0, y1] = [0, 1, 0, 1];
  const pitch = sitePitch(positions, n);
  const w = Math.max(1, widthPx);
  const h = Math.max(1, heightPx);
  const xSpan = x1 - x0 + 2 * pitch;
  const ySpan = y1 - y0 + 2 * pitch;
  const fit = Math.min(w / xSpan, h / ySpan);
  // px per µm: the whole probe if legible, else legible but never wider than the plot.
  const scale = Math.max(fit, Math.min(MIN_PITCH_PX / pitch, w / xSpan));
  const viewW = w / scale;
  const viewH = h / scale;
  const cx = (x0 + x1) / 2;
  let cy = (y0 + y1) / 2;
  if (viewH < ySpan && focus.length) {
    let s = 0;
    for (const c of focus) s += positions[2 * c + 1];
    const lo = y0 - pitch + viewH / 2;
    const hi = y1 + pitch - viewH / 2;
    cy = Math.min(hi, Math.max(lo, s / focus.length));
  }
  const sitePx = Math.max(3, Math.min(12, 0.6 * pitch * scale));
  return { bounds: { x0: cx - viewW / 2, x1: cx + viewW / 2, y0: cy - viewH / 2, y1: cy + viewH / 2 }, sitePx, pitch };
}
