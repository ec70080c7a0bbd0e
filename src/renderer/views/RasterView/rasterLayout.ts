import { REQUEST_LIMITS } from '../../../shared/ipc/limits';
import type { Rgba } from '../../plot/color';
import { VertexBuffer, type VertexData } from '../../plot/VertexBuffer';

/** Bins are requested in steps of this many pixels, so a resize by a few pixels asks for nothing new. */
const BIN_STEP = 128;
/** Below this row height (px) a row is one horizontal line per run of occupied bins, not ticks. */
const MIN_TICK_ROW_PX = 3;

/**
 * Time bins to ask for: the plot's width in device pixels (rounded up to {@link BIN_STEP}),
 * within the contract's limits for `nClusters` rows (clusters × bins ≤ 8 MiB).
 */
export function rasterBins(widthPx: number, nClusters: number): number {
  const wanted = Math.max(BIN_STEP, Math.ceil(widthPx / BIN_STEP) * BIN_STEP);
  const byBytes = Math.floor(REQUEST_LIMITS.rasterCells / Math.max(1, nClusters));
  return Math.max(1, Math.min(wanted, REQUEST_LIMITS.rasterBins, byBytes));
}

/**
 * Line segments of a raster, world x in seconds, y in rows (row 0 at the bottom; `counts` row
 * k is drawn at y = nRows − 1 − k, so the first cluster is at the top). Rows taller than
 * {@link MIN_TICK_ROW_PX} get one vertical tick per occupied bin (phy's look); thinner rows
 * (hundreds of clusters) one horizontal line per run of occupied bins, which stays one pixel
 * thick where a sub-pixel tick would not be drawn at all.
 */
export function rasterLines(
  counts: Uint8Array,
  nBins: number,
  duration: number,
  rowPx: number,
  colorOfRow: (row: number) => Rgba | null,
): VertexData {
  const nRows = Math.floor(counts.length / nBins);
  const dt = duration / nBins;
  const v = new VertexBuffer(1024);
  for (let k = 0; k < nRows; k++) {
    const color = colorOfRow(k);
    if (!color) continue;
    const y = nRows - 1 - k;
    const o = k * nBins;
    if (rowPx >= MIN_TICK_ROW_PX) {
      for (let b = 0; b < nBins; b++) if (counts[o + b]) v.segment((b + 0.5) * dt, y + 0.15, (b + 0.5) * dt, y + 0.85, color);
      continue;
    }
    let b = 0;
    while (b < nBins) {
      if (!counts[o + b]) {
        b++;
        continue;
      }
      const start = b;
      while (b < nBins && counts[o + b]) b++;
      v.segment(start * dt, y + 0.5, b * dt, y + 0.5, color);
    }
  }
  return v.finish();
}
