import { describe, expect, it } from 'vitest';
import {
  axisTitle,
  blockRank,
  clustersInBar,
  effectiveMetric,
  histogramLayout,
  isLog,
  missingText,
  scatterLayout,
  type MetricColumn,
} from '../../../../src/renderer/views/MetricsView/metricsLayout';
import { clusterAtPoint, clustersInPolygon } from '../../../../src/renderer/views/clusterPoints';
import { metricColumn, metricNames } from '../../../../src/renderer/views/MetricsView/metricSource';
import { clusterInfo } from '../clusterInfo';

const column = (ids: number[], values: number[]): MetricColumn => ({ ids, values: Float64Array.from(values) });

describe('MetricsView: metrics, scales and titles', () => {
  it('log scale by default for firing rate, snr and isolation distance; the curator’s choice wins', () => {
    expect(['firing_rate', 'snr', 'isolation_distance', 'fr'].map((m) => isLog(m, {}))).toEqual([true, true, true, true]);
    expect(['presence_ratio', 'isi_violations_ratio', 'amp'].map((m) => isLog(m, {}))).toEqual([false, false, false]);
    expect(isLog('snr', { snr: false })).toBe(false);
    expect(isLog('amp', { amp: true })).toBe(true);
  });

  it('axis titles carry the unit and the scale', () => {
    expect(axisTitle('firing_rate', true)).toBe('firing_rate (Hz, log)');
    expect(axisTitle('drift_ptp', false)).toBe('drift_ptp (µm)');
    expect(axisTitle('snr', true)).toBe('snr (log)');
    expect(axisTitle('presence_ratio', false)).toBe('presence_ratio');
  });

  it('says how many clusters have no value', () => {
    expect(missingText('snr', 12)).toBe('12 clusters without snr');
    expect(missingText('snr', 1)).toBe('1 cluster without snr');
    expect(missingText('snr', 0)).toBeNull();
  });

  it('keeps a stored metric that exists, else falls back to a preferred one', () => {
    expect(effectiveMetric('amp', ['fr', 'amp'], 'x')).toBe('amp');
    expect(effectiveMetric('firing_rate', ['n_spikes', 'fr', 'amp'], 'x')).toBe('fr');
    expect(effectiveMetric('snr', ['n_spikes', 'fr', 'amp'], 'y')).toBe('amp');
    expect(effectiveMetric('snr', [], 'y')).toBeNull();
  });

  it("offers ClusterView's numeric columns but ids and channels, and reads a missing value as NaN", () => {
    const clusters = [clusterInfo(3, { fr: 2, amp: 10, labels: { ContamPct: '4.5', KSLabel: 'good' } }), clusterInfo(5, { fr: 8, amp: null, labels: { ContamPct: '', KSLabel: 'mua' } })];
    const names = metricNames(['ContamPct', 'KSLabel'], clusters);
    expect(names).toEqual(expect.arrayContaining(['n_spikes', 'fr', 'amp', 'ContamPct']));
    expect(names).not.toEqual(expect.arrayContaining(['id']));
    expect(names.some((n) => n === 'id' || n === 'ch' || n === 'sh' || n === 'KSLabel' || n === 'group')).toBe(false);
    const amp = metricColumn(clusters, 'amp');
    expect(amp.ids).toEqual([3, 5]);
    expect(Array.from(amp.values)).toEqual([10, NaN]);
    expect(Array.from(metricColumn(clusters, 'ContamPct').values)).toEqual([4.5, NaN]);
  });

  it('offers the live quality metrics first, and tells a metric not computed yet from one that is NaN', () => {
    const clusters = [clusterInfo(3), clusterInfo(5), clusterInfo(8)];
    const names = metricNames([], clusters);
    expect(names.slice(0, 3)).toEqual(['firing_rate', 'presence_ratio', 'isi_violations_ratio']);
    expect(names).toEqual(expect.arrayContaining(['snr', 'fr', 'amp', 'n_spikes']));
    expect(names).not.toContain('num_spikes');
    // Cluster 3's row came with snr 7, cluster 5's with snr undefined (NaN: null), cluster 8's not yet.
    const rows = { 3: { cluster_id: 3, snr: 7 }, 5: { cluster_id: 5, snr: null } };
    const snr = metricColumn(clusters, 'snr', rows);
    expect(Array.from(snr.values)).toEqual([7, NaN, NaN]);
    expect(snr.pending).toBe(1);
    const h = histogramLayout(snr, false)!;
    expect(h.missing).toBe(1);
    expect(metricColumn(clusters, 'fr', rows).pending).toBe(0);
  });
});

describe('MetricsView: histogram layout', () => {
  // Values 1.5, 2.5, 2.5, 3.5, 4.5 (+ one NaN): NumPy's 'auto' gives 4 bins of width 0.75 over
  // [1.5, 4.5] (Sturges: 3 / (log2 5 + 1) = 0.908; relaxed FD: max(2·1·5^(−1/3), 3 / √5 / 2) =
  // 1.17; the smaller, 0.908, makes ⌈3.3⌉ = 4 bins).
  const col = column([10, 11, 12, 13, 14, 15], [2.5, 1.5, NaN, 3.5, 2.5, 4.5]);

  it('bins the values with NumPy’s edges and counts the clusters without a value apart', () => {
    const h = histogramLayout(col, false)!;
    expect(Array.from(h.edges)).toEqual([1.5, 2.25, 3, 3.75, 4.5]);
    expect(Array.from(h.counts)).toEqual([1, 2, 1, 1]);
    expect(h.ids).toEqual([10, 11, 13, 14, 15]);
    expect(h.missing).toBe(1);
  });

  it('stacks each cluster as a unit block of its bar, the selection at the bottom', () => {
    const plain = histogramLayout(col, false)!;
    // Clusters 10 and 14 (both 2.5) share bin 1: by id, 10 below 14.
    expect(plain.y[plain.ids.indexOf(10)]).toBe(0.5);
    expect(plain.y[plain.ids.indexOf(14)]).toBe(1.5);
    const sel = histogramLayout(col, false, blockRank([14], () => null))!;
    expect(sel.y[sel.ids.indexOf(14)]).toBe(0.5);
    expect(sel.y[sel.ids.indexOf(10)]).toBe(1.5);
  });

  it('stacks failing clusters under passing ones, the selection under both', () => {
    const verdict = (id: number) => (id === 14 ? 'fail' : 'pass');
    const h = histogramLayout(col, false, blockRank([], verdict))!;
    expect(h.y[h.ids.indexOf(14)]).toBe(0.5);
    expect(h.y[h.ids.indexOf(10)]).toBe(1.5);
    const rank = blockRank([10], verdict);
    expect([10, 14, 11].map(rank)).toEqual([0, 1, 2]);
    expect(blockRank([], () => null)(11)).toBe(2);
  });

  it('a click on a bar gives its clusters; above the bar or beside the bins, none', () => {
    const h = histogramLayout(col, false)!;
    expect(clustersInBar(h, 2.7, 1.2).sort()).toEqual([10, 14]);
    expect(clustersInBar(h, 2.7, 2.5)).toEqual([]);
    expect(clustersInBar(h, 1, 0.5)).toEqual([]);
    expect(clustersInBar(h, 4.5, 0.5)).toEqual([15]);
  });

  it('a lasso takes the blocks inside it', () => {
    const h = histogramLayout(col, false)!;
    // The bottom blocks of the clusters valued from 2 to 4.2 (10 and 13; 14 sits on 10).
    expect(clustersInPolygon(h, [2, 0, 4.2, 0, 4.2, 1, 2, 1])).toEqual([10, 13]);
  });

  it('on a log scale, bins are equal in log10 and ticks read values', () => {
    const h = histogramLayout(column([1, 2, 3], [1, 10, 100]), true)!;
    expect(h.edges[0]).toBe(0);
    expect(h.edges[h.edges.length - 1]).toBe(2);
    expect(h.scale.inverse(1)).toBe(10);
  });

  it('is null when no cluster has a value', () => {
    expect(histogramLayout(column([1, 2], [NaN, NaN]), false)).toBeNull();
  });
});

describe('MetricsView: scatter layout', () => {
  const xs = column([1, 2, 3, 4], [1, 10, NaN, 100]);
  const ys = column([1, 2, 3, 4], [5, NaN, 7, 8]);

  it('places the clusters with both values and counts the missing ones per metric', () => {
    const s = scatterLayout(xs, ys, true, false)!;
    expect(s.ids).toEqual([1, 4]);
    expect(Array.from(s.x)).toEqual([0, 2]);
    expect(Array.from(s.y)).toEqual([5, 8]);
    expect([s.missingX, s.missingY]).toEqual([1, 1]);
  });

  it('a click near a point selects its cluster; far from every point, none', () => {
    const s = scatterLayout(xs, ys, true, false)!;
    expect(clusterAtPoint(s, 2.01, 7.95)).toBe(4);
    expect(clusterAtPoint(s, 1, 6.5)).toBeNull();
  });
});
