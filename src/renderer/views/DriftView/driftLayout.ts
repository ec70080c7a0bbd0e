/**
 * DriftView's drawing, apart from React: the density image's colours (log scale), the selected
 * clusters' spikes as points, the click rule on drawn spikes, and the words for the depth source.
 */
import { nearestSpike } from '../../../core/compute/drift';
import type { DriftDepthSource, DriftSpikesData } from '../../../shared/ipc/driftContract';
import { VertexBuffer, type VertexData } from '../../plot/VertexBuffer';
import { selectionRgba } from '../viewColors';

/** Grey of a bin with one spike (0–1): a lone spike stays visible on the black canvas. */
const MIN_GREY = 0.22;

/**
 * RGBA bytes of a density image, (nDepthBins, nTimeBins, 4), row 0 at the bottom: empty bins
 * black, others grey from {@link MIN_GREY} (one spike) to white (the fullest bin) on a log
 * scale, log(1 + count) / log(1 + maxCount) — counts span 1 to thousands per bin at 10 M spikes,
 * where a linear scale shows only the few busiest units (Kilosort also greys on a log scale).
 */
export function densityRgba(counts: Uint32Array, maxCount: number): Uint8Array {
  const out = new Uint8Array(counts.length * 4);
  const norm = maxCount > 0 ? 1 / Math.log1p(maxCount) : 0;
  const grey = (c: number) => Math.round(255 * (MIN_GREY + (1 - MIN_GREY) * Math.log1p(c) * norm));
  // One grey per count up to 4,095 (a lookup, not a log per bin).
  const lut = new Uint8Array(Math.min(maxCount, 4095) + 1);
  for (let c = 1; c < lut.length; c++) lut[c] = grey(c);
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k];
    const g = c < lut.length ? lut[c] : grey(c);
    const o = 4 * k;
    out[o] = g;
    out[o + 1] = g;
    out[o + 2] = g;
    out[o + 3] = 255;
  }
  return out;
}

/** The selected clusters' spikes at (time s, depth µm), each in its selection colour, the first selected on top. */
export function selectedSpikePoints(data: DriftSpikesData): VertexData {
  const total = data.clusters.reduce((n, c) => n + c.times.length, 0);
  const v = new VertexBuffer(Math.max(1, total));
  // Drawn last-selected first, so that the first selected cluster (blue) is on top, as in phy.
  for (let k = data.clusters.length - 1; k >= 0; k--) {
    const c = data.clusters[k];
    const color = selectionRgba(k, 0.85);
    for (let i = 0; i < c.times.length; i++) if (Number.isFinite(c.depths[i])) v.push(c.times[i], c.depths[i], color);
  }
  return v.finish();
}

/** Pixels within which a click picks a spike (drawn points are 3 px wide). */
export const PICK_RADIUS_PX = 6;

/**
 * The selected cluster whose drawn spike is nearest to a click (within {@link PICK_RADIUS_PX},
 * in pixels as drawn), or null. The drawn spikes are on top of the density, so a click near one
 * means it. Each cluster's drawn times are sorted (a regular subset of its spikes, in time order),
 * as `nearestSpike` needs.
 */
export function drawnClusterAt(data: DriftSpikesData, time: number, depth: number, secondsPerPixel: number, umPerPixel: number): number | null {
  let best: number | null = null;
  let bestD = Infinity;
  const click = { time, depth, secondsPerPixel, umPerPixel, radiusPixels: PICK_RADIUS_PX };
  for (const c of data.clusters) {
    const i = nearestSpike(c.times, c.depths, 1, click);
    if (i < 0) continue;
    const d = Math.hypot((c.times[i] - time) / secondsPerPixel, (c.depths[i] - depth) / umPerPixel);
    if (d < bestD) {
      bestD = d;
      best = c.clusterId;
    }
  }
  return best;
}

/** The depth source in the curator's words (the status line). */
export function depthSourceLabel(source: DriftDepthSource): string {
  switch (source) {
    case 'spike_positions':
      return "depth: the sorter's spike positions (y of spike_positions.npy or spike_locations)";
    case 'template_positions':
      return "depth: each spike's template position (centre of mass of its peak-to-peak)";
    case 'none':
      return 'no depth';
  }
}
