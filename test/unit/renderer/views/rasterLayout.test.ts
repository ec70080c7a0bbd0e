import { describe, expect, it } from 'vitest';
import { REQUEST_LIMITS } from '../../../../src/shared/ipc/limits';
import { validateCall } from '../../../../src/shared/ipc/schemas';
import { rasterBins, rasterLines } from '../../../../src/renderer/views/RasterView/rasterLayout';

const RED = [1, 0, 0, 1] as [number, number, number, number];

describe('rasterBins', () => {
  it('asks for the plot width in pixels, a request the contract accepts at 500 and 1,500 clusters', () => {
    for (const n of [20, 500, 1500, 5000]) {
      const nBins = rasterBins(1180, n);
      expect(nBins).toBeLessThanOrEqual(REQUEST_LIMITS.rasterBins);
      expect(n * nBins).toBeLessThanOrEqual(REQUEST_LIMITS.rasterCells);
      expect(validateCall('viewData', 'raster', [{ clusterIds: Array.from({ length: n }, (_, i) => i), nBins }]).ok, `${n} clusters`).toBe(true);
    }
    expect(rasterBins(1180, 500)).toBe(1280);
    expect(rasterBins(10_000, 10)).toBe(REQUEST_LIMITS.rasterBins);
  });
});

describe('rasterLines', () => {
  // Two rows of 8 bins over 8 s: row 0 (top) has spikes in bins 1, 2, 3 and 6; row 1 none.
  const counts = new Uint8Array(16);
  counts.set([0, 1, 2, 1, 0, 0, 3, 0]);

  it('draws one vertical tick per occupied bin when rows are tall, first row at the top', () => {
    const v = rasterLines(counts, 8, 8, 20, () => RED);
    expect(v.count).toBe(8);
    expect(Array.from(v.positions.subarray(0, 4))).toEqual(Array.from(Float32Array.of(1.5, 1.15, 1.5, 1.85)));
  });

  it('draws one horizontal line per run of occupied bins when rows are thinner than a few pixels', () => {
    const v = rasterLines(counts, 8, 8, 0.5, () => RED);
    expect(v.count).toBe(4);
    expect(Array.from(v.positions.subarray(0, 8))).toEqual([1, 1.5, 4, 1.5, 6, 1.5, 7, 1.5]);
  });
});
