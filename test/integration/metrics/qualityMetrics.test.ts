/**
 * Quality and template metrics on a generated `small` dataset, judged by its ground truth:
 * contaminated clusters must look contaminated to the refractory-period metrics, clean single
 * units must not, and noise clusters' template shapes must fall outside the single units'.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { openDataset } from '../../../src/main/openDataset';
import { ClusterLabels } from '../../../src/core/session/ClusterLabels';
import { computeQualityMetrics, type MetricsRow } from '../../../src/core/metrics/qualityMetrics';
import { TEMPLATE_METRIC_NAMES } from '../../../src/core/metrics/templateShape';
import type { GroundTruth } from '../../../src/core/generate/groundTruth';
import type { Dataset } from '../../../src/core/dataset/Dataset';

let dir = '';
let ds: Dataset;
let gt: GroundTruth;
let rows: Map<number, MetricsRow>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spikedock-metrics-'));
  await generateDataset(dir, { preset: 'small', seed: 5, raw: false });
  gt = JSON.parse(readFileSync(join(dir, 'ground_truth.json'), 'utf8')) as GroundTruth;
  ds = await openDataset(dir, { shared: false });
  // nn metrics capped at 3,000 rows to keep this test light (the default is SpikeInterface's 10,000).
  const all = computeQualityMetrics(ds, new ClusterLabels(ds.spikeClusters), { nnMaxSpikes: 3000 });
  rows = new Map(all.map((r) => [r.cluster_id, r]));
});

afterAll(() => {
  ds?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ofKind = (kind: string) => gt.clusters.filter((c) => c.kind === kind).map((c) => rows.get(c.id)!);

describe('quality metrics against the ground truth (small preset)', () => {
  it('covers every cluster with every metric and says where snr, drift and templates came from', () => {
    expect(rows.size).toBe(new Set(ds.spikeClusters).size);
    const r = rows.get(gt.clusters[0].id)!;
    expect(r.snr_source).toBe('none'); // no recording.dat
    expect(r.drift_source).toBe('spike_positions'); // the generator writes spike_positions.npy
    expect(r.template_source).toBe('templates');
    expect(Number.isNaN(r.snr)).toBe(true);
    // A 60 s recording has one 60 s bin: presence_ratio is 1 for a firing cluster — or NaN while
    // the dataset's duration (no raw data: the last spike time) is under 60 s. Drift needs 2 intervals: NaN.
    expect(r.presence_ratio).toBe(ds.duration * ds.sampleRate >= 60 * ds.sampleRate ? 1 : NaN);
    expect(Number.isNaN(r.drift_ptp)).toBe(true);
  });

  it('num_spikes and firing_rate match the ground truth counts', () => {
    for (const c of gt.clusters) {
      expect(rows.get(c.id)!.num_spikes).toBe(c.nSpikes);
      expect(rows.get(c.id)!.firing_rate).toBeCloseTo(c.nSpikes / ds.duration, 9);
    }
  });

  it('contaminated clusters have more ISI and refractory violations than clean single units', () => {
    const singles = ofKind('single');
    const contaminated = ofKind('contaminated');
    expect(singles.length).toBeGreaterThan(5);
    expect(contaminated.length).toBeGreaterThan(0);
    const maxIsi = Math.max(...singles.map((r) => r.isi_violations_ratio!));
    const maxRp = Math.max(...singles.map((r) => r.rp_contamination!));
    for (const r of contaminated) {
      expect(r.isi_violations_ratio).toBeGreaterThan(maxIsi);
      expect(r.rp_contamination).toBeGreaterThan(maxRp);
      expect(r.rp_violations).toBeGreaterThan(0);
    }
  });

  it('PCA metrics find single units well isolated', () => {
    const singles = ofKind('single');
    for (const r of singles) {
      expect(r.nn_hit_rate).toBeGreaterThan(0.5);
      expect(r.silhouette).toBeGreaterThan(0);
      expect(Number.isFinite(r.isolation_distance)).toBe(true);
      expect(r.d_prime).toBeGreaterThan(0);
    }
  });

  it('noise clusters have template shapes outside the single units’ range', () => {
    const singles = ofKind('single');
    const noise = ofKind('noise');
    expect(noise.length).toBeGreaterThan(0);
    for (const r of noise) {
      const outside = TEMPLATE_METRIC_NAMES.filter((m) => {
        const vs = singles.map((s) => s[m]!).filter(Number.isFinite);
        const v = r[m]!;
        return !Number.isFinite(v) || v < Math.min(...vs) || v > Math.max(...vs);
      });
      expect(outside.length, `noise cluster ${r.cluster_id}`).toBeGreaterThan(0);
    }
  });
});
