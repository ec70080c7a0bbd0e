import { describe, expect, it } from 'vitest';
import { bombcellDefaultRules } from '../../../../src/core/rules/bombcell';
import type { RuleSet } from '../../../../src/core/rules/labelRules';
import { initialAppState } from '../../../../src/renderer/store/AppState';
import type { MetricRows } from '../../../../src/renderer/store/clusterColumns';
import { previewRuleLabels, selectMetricVerdict, storeRuleRows } from '../../../../src/renderer/store/labelRules';
import { clusterInfo } from '../clusterInfo';

const rules: RuleSet = {
  labels: [
    { label: 'noise', thresholds: { num_positive_peaks: { max: 2 } } },
    { label: 'mua', thresholds: { n_spikes: { min: 300 }, snr: { min: 5 } } },
  ],
  otherwise: 'good',
};
const clusters = [
  clusterInfo(1, { nSpikes: 1000 }),
  clusterInfo(2, { nSpikes: 100 }),
  clusterInfo(3, { nSpikes: 5000, group: 'unsorted' }),
  clusterInfo(4, { nSpikes: 50, group: 'good' }),
  clusterInfo(5, { nSpikes: 5000, group: 'mua', labels: { KSLabel: 'mua' } }),
];
const quality: MetricRows = {
  1: { cluster_id: 1, num_positive_peaks: 1, snr: 9 },
  2: { cluster_id: 2, num_positive_peaks: 1, snr: 9 },
  3: { cluster_id: 3, num_positive_peaks: 4, snr: 9 },
  4: { cluster_id: 4, num_positive_peaks: 1, snr: 2 },
  5: { cluster_id: 5, num_positive_peaks: 1, snr: null },
};

describe('label rules in the store', () => {
  it("given ClusterView's rows and quality rows, when merged, then rules see both under their names", () => {
    const rows = storeRuleRows(clusters, ['KSLabel'], quality);
    expect(rows[3]).toMatchObject({ cluster_id: 4, id: 4, n_spikes: 50, group: 'good', snr: 2, num_positive_peaks: 1 });
    expect(rows[4]).toMatchObject({ cluster_id: 5, n_spikes: 5000, group: 'mua', KSLabel: 'mua', snr: null });
    // A metric not computed yet reads as null, as in ClusterView's filter.
    expect(storeRuleRows(clusters, [], undefined)[0].snr).toBeNull();
    // num_spikes (SpikeInterface's name, used by Bombcell's rule) is ClusterView's n_spikes.
    expect(rows.map((r) => r.num_spikes)).toEqual([1000, 100, 5000, 50, 5000]);
  });

  it('given the rules, when previewed, then only unlabelled clusters that would change are counted, unless overwriting', () => {
    const p = previewRuleLabels(rules, clusters, ['KSLabel'], quality, false);
    expect(p.clusterIds).toEqual([1, 2, 3]);
    expect(p.values).toEqual(['good', 'mua', 'noise']);
    expect(p.counts).toEqual({ noise: 1, mua: 1, good: 1 });
    expect(p.kept).toBe(2); // 4 (good → mua) and 5 (mua → good: its snr is missing, skipped)
    expect(p.withMetrics).toBe(5);
    const o = previewRuleLabels(rules, clusters, ['KSLabel'], quality, true);
    expect(o.clusterIds).toEqual([1, 2, 3, 4, 5]);
    expect(o.counts).toEqual({ noise: 1, mua: 2, good: 2 });
  });

  it('given no quality rows yet, when previewed, then metric bounds are judged by their NaN policy (skip: no verdict)', () => {
    const p = previewRuleLabels(rules, clusters, [], undefined, false);
    expect(p.values).toEqual(['good', 'mua', 'good']);
    expect(p.withMetrics).toBe(0);
  });

  it("given the store's active rules (Bombcell's defaults at start), when a cell is judged, then the verdict says pass or fail and which labels", () => {
    const s = initialAppState();
    expect(s.labelRules.rules).toEqual(bombcellDefaultRules());
    expect(selectMetricVerdict(s, 'snr', 3)).toEqual({ verdict: 'fail', labels: ['mua'] });
    expect(selectMetricVerdict(s, 'snr', 30)).toEqual({ verdict: 'pass', labels: [] });
    expect(selectMetricVerdict(s, 'firing_rate', 30)).toBeNull();
  });
});
