/**
 * The quality bench's reading of the ground truth: true pairs from over-split units with two or
 * more clusters, partners per cluster, distractor pairs, and a clear message for a bad file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterTruth, loadGroundTruth, pairKey } from '../../../../src/main/bench/groundTruth';
import type { GroundTruth } from '../../../../src/core/generate/groundTruth';

const gt = {
  clusters: [
    { id: 1, kind: 'overSplit' },
    { id: 4, kind: 'overSplit' },
    { id: 7, kind: 'overSplit' },
    { id: 9, kind: 'single' },
    { id: 12, kind: 'single' },
    { id: 15, kind: 'noise' },
  ],
  overSplits: [
    { unit: 0, by: 'amplitude', clusters: [1, 4, 7], templates: [1, 4, 7] },
    // A split whose parts landed in one cluster makes no pair.
    { unit: 3, by: 'time', clusters: [20], templates: [20, 21] },
  ],
  distractors: [{ clusters: [12, 9], units: [5, 6] }],
} as unknown as GroundTruth;

describe('clusterTruth', () => {
  it('lists every pair of an over-split unit, each cluster\'s partners and the distractor pairs', () => {
    const t = clusterTruth(gt);
    expect([...t.truePairs].sort()).toEqual(['1:4', '1:7', '4:7']);
    expect([...t.partners.get(4)!].sort()).toEqual([1, 7]);
    expect(t.partners.has(20)).toBe(false);
    expect([...t.distractorPairs]).toEqual([pairKey(9, 12)]);
    expect(pairKey(12, 9)).toBe('9:12');
    expect(t.ofKind('single')).toEqual([9, 12]);
    expect(t.clusters.get(15)!.kind).toBe('noise');
  });

  it('reads ground_truth.json, naming the file when it is missing or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikedock-gt-'));
    try {
      expect(() => loadGroundTruth(dir)).toThrow(join(dir, 'ground_truth.json'));
      writeFileSync(join(dir, 'ground_truth.json'), '{ not json');
      expect(() => loadGroundTruth(dir)).toThrow(/ground_truth\.json is not valid JSON/);
      writeFileSync(join(dir, 'ground_truth.json'), JSON.stringify(gt));
      expect(loadGroundTruth(dir).distractors).toEqual(gt.distractors);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
