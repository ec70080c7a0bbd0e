import { describe, expect, it } from 'vitest';
import type { ClusterInfo } from '../../../../src/shared/ipc/contract';
import { clusterColumns, DEFAULT_METRIC_COLUMNS, filterClusters, fitColumnWidths, formatCell, METRIC_COLUMNS, sortClusters, type MetricRows } from '../../../../src/renderer/store/clusterColumns';
import { METRIC_NAMES } from '../../../../src/core/metrics/qualityMetrics';

const c = (id: number, nSpikes: number, group: string | null, labels: ClusterInfo['labels'] = {}): ClusterInfo => ({
  id, nSpikes, fr: nSpikes / 10, amp: id === 3 ? null : id * 10, ch: id, depth: id * 20, sh: 0, group, isiViolations: null, reviewed: false, labels,
});
const clusters = [c(1, 300, 'good', { KSLabel: 'good', ContamPct: '9' }), c(2, 1200, 'noise', { KSLabel: 'mua', ContamPct: '100' }), c(3, 800, null, { KSLabel: 'good', ContamPct: '10.5' })];

describe('cluster table columns', () => {
  it('lists built-in columns then each label column', () => {
    expect(clusterColumns(['KSLabel', 'ContamPct']).map((x) => x.name)).toEqual(['id', 'group', 'n_spikes', 'fr', 'amp', 'ch', 'depth', 'sh', 'isi_viol', 'KSLabel', 'ContamPct']);
  });

  it("shows an analyzer's original unit id right beside the cluster id", () => {
    expect(clusterColumns(['unit_id', 'KSLabel']).map((x) => x.name)).toEqual(['id', 'unit_id', 'group', 'n_spikes', 'fr', 'amp', 'ch', 'depth', 'sh', 'isi_viol', 'KSLabel']);
  });

  it("sorts by n_spikes descending (phy's default), missing values last, text columns numerically when numeric", () => {
    expect(sortClusters(clusters, { column: 'n_spikes', direction: 'desc' }).map((x) => x.id)).toEqual([2, 3, 1]);
    expect(sortClusters(clusters, { column: 'amp', direction: 'asc' }).map((x) => x.id)).toEqual([1, 2, 3]);
    expect(sortClusters(clusters, { column: 'amp', direction: 'desc' }).map((x) => x.id)).toEqual([2, 1, 3]);
    expect(sortClusters(clusters, { column: 'ContamPct', direction: 'asc' }).map((x) => x.id)).toEqual([1, 3, 2]);
  });

  it('filters with label columns and reports errors without dropping rows', () => {
    expect(filterClusters(clusters, "KSLabel == 'good' && n_spikes > 500", ['KSLabel']).clusters.map((x) => x.id)).toEqual([3]);
    const bad = filterClusters(clusters, 'nope > 1', ['KSLabel']);
    expect(bad.error).toMatch(/unknown column 'nope'/);
    expect(bad.clusters).toHaveLength(3);
  });

  it('has a column per quality metric (SpikeInterface names, described), a few shown by default', () => {
    expect(METRIC_COLUMNS.map((x) => x.name)).toEqual(METRIC_NAMES.filter((n) => n !== 'num_spikes'));
    for (const col of METRIC_COLUMNS) expect(col.description.length).toBeGreaterThan(10);
    expect(clusterColumns(['KSLabel'], DEFAULT_METRIC_COLUMNS).map((x) => x.name).slice(-5)).toEqual(['KSLabel', 'presence_ratio', 'isi_violations_ratio', 'amplitude_cutoff', 'snr']);
    expect(clusterColumns(['KSLabel']).some((x) => x.name === 'snr')).toBe(false);
  });

  it('filters and sorts on every metric, shown or not; a cluster whose row is not computed yet is null (left out, sorted last)', () => {
    const metrics: MetricRows = {
      1: { cluster_id: 1, snr: 8, isi_violations_ratio: 0.02, half_width: 0.0003 },
      2: { cluster_id: 2, snr: 3, isi_violations_ratio: 0.5, half_width: null },
    };
    expect(filterClusters(clusters, 'snr > 5 && isi_violations_ratio < 0.1', [], metrics).clusters.map((x) => x.id)).toEqual([1]);
    expect(filterClusters(clusters, 'half_width > 0', [], metrics).clusters.map((x) => x.id)).toEqual([1]);
    expect(filterClusters(clusters, 'snr == null', [], metrics).clusters.map((x) => x.id)).toEqual([3]);
    expect(filterClusters(clusters, 'snr > 5', []).error).toBeNull(); // a known column before any row arrives
    expect(sortClusters(clusters, { column: 'snr', direction: 'asc' }, metrics).map((x) => x.id)).toEqual([2, 1, 3]);
    expect(sortClusters(clusters, { column: 'snr', direction: 'desc' }, metrics).map((x) => x.id)).toEqual([1, 2, 3]);
  });

  it('formats cells like phy', () => {
    expect(formatCell(3529, 'n_spikes')).toBe('3,529');
    expect(formatCell(29.40833, 'fr')).toBe('29.41');
    expect(formatCell(322.345, 'amp')).toBe('322.3');
    expect(formatCell(null, 'amp')).toBe('');
    expect(formatCell(0.0123, 'isi_viol')).toBe('1.2%');
  });
});

describe('fitColumnWidths', () => {
  const rows = [{ ...clusterInfoRow(1034, 103_456, 0.0833333), fr: 1033.5 }, clusterInfoRow(7, 12, 1)];

  it('widens a column to its longest text so that no number is cut ("103…" for a rate of 1033.5 Hz)', () => {
    const fitted = fitColumnWidths(clusterColumns(['ContamPct']), rows);
    const width = (name: string) => fitted.find((c) => c.name === name)!.width;
    // 8 px a character + 12 px padding.
    expect(width('id')).toBeGreaterThanOrEqual(4 * 8 + 12);
    expect(width('fr')).toBeGreaterThanOrEqual('1033.5'.length * 8 + 12);
    expect(width('n_spikes')).toBeGreaterThanOrEqual('103,456'.length * 8 + 12);
    expect(width('ContamPct')).toBeGreaterThanOrEqual('0.0833333'.length * 8 + 12);
  });

  it('keeps the default width of a column whose text fits', () => {
    const fitted = fitColumnWidths(clusterColumns([]), [clusterInfoRow(7, 12, 1)]);
    expect(fitted.find((c) => c.name === 'fr')!.width).toBe(clusterColumns([]).find((c) => c.name === 'fr')!.width);
  });
});

function clusterInfoRow(id: number, nSpikes: number, contam: number): ClusterInfo {
  return { id, nSpikes, fr: 1, amp: 10, ch: 0, depth: 0, sh: 0, group: null, isiViolations: null, reviewed: false, labels: { ContamPct: String(contam) } };
}
