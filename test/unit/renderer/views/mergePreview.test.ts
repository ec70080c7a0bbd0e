import { describe, expect, it } from 'vitest';
import { mergedRowGeometry } from '../../../../src/renderer/views/CorrelogramView/CorrelogramView';
import { mergeStatusText, verdictText } from '../../../../src/renderer/views/mergePreview';
import type { MergePreviewData, MergePreviewMetrics } from '../../../../src/shared/ipc/contract';

describe("CorrelogramView's merged row geometry", () => {
  it('gives the gap and bottom margin their pixels, and the row a grid row when that is tall enough', () => {
    // 2 clusters in 600 px: (600 − 20 − 18) / (2.02 + 1) = 186 px per world unit ≥ 50.
    const g = mergedRowGeometry(2, 600);
    const ppw = (600 - 38) / 3.02;
    expect(g.height).toBe(1);
    expect(g.gap * ppw).toBeCloseTo(20, 9);
    expect(g.bottom * ppw).toBeCloseTo(18, 9);
    expect(g.rowPx).toBeCloseTo(ppw, 9);
    // The whole plot adds up to its height: grid (1.01 n) + gap + row + bottom.
    expect((2.02 + g.gap + g.height + g.bottom) * ppw).toBeCloseTo(600, 6);
  });

  it('in a short plot, keeps 50 px for the row and gives the grid the rest', () => {
    // 2 clusters in 140 px: a grid row would be (140 − 38) / 3.02 = 34 px < 50.
    const g = mergedRowGeometry(2, 140);
    const ppw = (140 - 38 - 50) / 2.02;
    expect(g.rowPx).toBeCloseTo(50, 9);
    expect(g.gap * ppw).toBeCloseTo(20, 9);
    expect((2.02 + g.gap + g.height + g.bottom) * ppw).toBeCloseTo(140, 6);
    // Tinier still: the grid keeps 30 % of the plot.
    const t = mergedRowGeometry(2, 80);
    expect(2.02 * (t.rowPx / t.height)).toBeCloseTo(24, 9);
  });
});

describe('merge preview words', () => {
  const m = (rp_contamination: number): MergePreviewMetrics => ({ num_spikes: 1, firing_rate: 1, presence_ratio: 1, isi_violations_ratio: 0, isi_violations_count: 0, rp_contamination, rp_violations: 0, amplitude_cutoff: NaN });
  it('say the verdict with the contaminations to 3 significant figures', () => {
    const d: MergePreviewData = {
      generation: 1,
      clusterIds: [12, 14],
      refractoryPeriod: 0.002,
      merged: m(0.241234),
      parts: [m(0.0123456), m(0.0312)],
      mergedStats: { clusterId: -1, nSpikes: 2, nViolations: 0, violationRate: 0, contamination: 0 },
      verdict: { verdict: 'worsens', partsContamination: 0.0187654, mergedContamination: 0.241234, expectedViolations: 1, mergedViolations: 40, tolerance: 6 },
    };
    expect(mergeStatusText(d)).toBe('merge 12+14: rp_contamination 0.241 (parts 0.0123, 0.0312) — worsens contamination (0.0188 → 0.241)');
    expect(verdictText({ ...d.verdict, verdict: 'keeps' })).toBe('keeps the refractory dip');
    expect(verdictText({ ...d.verdict, verdict: 'improves', partsContamination: 0.2, mergedContamination: 0.05 })).toBe('improves contamination (0.2 → 0.05)');
  });
});
