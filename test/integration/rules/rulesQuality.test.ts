/**
 * The label-rules figure of the quality bench (`src/main/bench/rulesQuality.ts`) on a generated
 * `small` dataset: Bombcell's defaults must label the noise clusters noise (target ≥ 90 %) and
 * leave the true single units out of noise (target ≤ 5 %), judged by `ground_truth.json`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { measureRulesQuality, rulesQualityRows } from '../../../src/main/bench/rulesQuality';
import { openQualityCase } from '../../../src/main/bench/qualityBench';

let dir = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spikedock-rulesq-'));
  await generateDataset(dir, { preset: 'small', seed: 3, raw: false });
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('measureRulesQuality (bench figure)', () => {
  it("labels the generated noise clusters noise and no true single unit noise with Bombcell's defaults", async () => {
    const r = await measureRulesQuality(dir);
    expect(r.noiseClusters).toBeGreaterThan(0);
    expect(r.noiseRecall).toBeGreaterThanOrEqual(0.9);
    expect(r.singleClusters).toBeGreaterThan(5);
    expect(r.singleNoiseRate).toBeLessThanOrEqual(0.05);
    // Every cluster got a label, and the per-kind table adds up to the ground truth's clusters.
    expect(Object.values(r.counts).reduce((a, b) => a + b, 0)).toBe(r.clusters);
    expect(Object.values(r.byKind).flatMap((k) => Object.values(k)).reduce((a, b) => a + b, 0)).toBe(r.clusters);
    expect(r.byKind.noise).toEqual({ noise: r.noiseClusters });
  });

  it("gives the quality area's rows (noise recall and single units as noise, with their targets)", async () => {
    const c = await openQualityCase('small seed 3', dir);
    try {
      const rows = rulesQualityRows({ small: [c], neuropixels: null }, () => undefined);
      expect(rows.map((r) => [r.unit, r.target])).toEqual([
        ['%', '≥ 90 %'],
        ['%', '≤ 5 %'],
      ]);
      expect(rows[0].metric).toMatch(/^small ×1 seeds: noise clusters labelled noise/);
      expect(rows[0].value).toBeGreaterThanOrEqual(90);
      expect(rows[1].value).toBeLessThanOrEqual(5);
    } finally {
      c.dataset.close();
    }
  });
});
