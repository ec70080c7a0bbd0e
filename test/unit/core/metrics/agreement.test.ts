/**
 * The metrics against SpikeInterface's own low-level functions (misc_metrics.py and
 * pca_metrics.py at a5f7dbb, run with NumPy 2.4.6 and SciPy 1.17.1) on inputs both sides build from the same
 * formulas; the expected numbers are what those functions printed.
 */
import { describe, expect, it } from 'vitest';
import { amplitudeCutoff } from '../../../../src/core/metrics/amplitudes';
import { mahalanobisMetrics, simplifiedSilhouette } from '../../../../src/core/metrics/pca';
import { isiViolations } from '../../../../src/core/metrics/spikeTrain';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('agreement with SpikeInterface', () => {
  it('amplitude_cutoff with the Gaussian smoothing', () => {
    // v = 20 + 3 (sin 1.1i + sin(2.3i + 1) + sin(0.7i + 2)), i < 3000, kept where v > 18 (cut low).
    const v = range(3000).map((i) => 20 + 3 * (Math.sin(1.1 * i) + Math.sin(2.3 * i + 1) + Math.sin(0.7 * i + 2)));
    const cut = v.filter((x) => x > 18);
    expect(cut.length).toBe(2074);
    expect(amplitudeCutoff(cut)).toBeCloseTo(0.4894140817331364, 12);
    // An uncut distribution: 40 + 5 sin(.37i) cos(.11i) → 0.
    expect(amplitudeCutoff(range(3000).map((i) => 40 + 5 * Math.sin(0.37 * i) * Math.cos(0.11 * i)))).toBe(0);
  });

  it('isi_violations', () => {
    // t = sort((|sin .3k| · 1000 k) mod 3e6) as int64 samples at 30 kHz, 100 s.
    const t = Float64Array.from(range(500).map((k) => Math.trunc((Math.abs(Math.sin(0.3 * k)) * 1000 * k) % 3_000_000))).sort();
    const r = isiViolations(t, 30000, 100);
    expect(r.isi_violations_count).toBe(38);
    expect(r.isi_violations_ratio).toBeCloseTo(5.066666666666666, 12);
  });

  describe('PCA metrics on three interleaved clusters', () => {
    // X[k] = (sin .9k + 2 (k mod 3), cos 1.7k + 1.5 [k mod 3 = 1], .5 sin(2.9k + .5)), label k mod 3.
    const n = 300;
    const x = new Float64Array(n * 3);
    const labels = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      x[3 * k] = Math.sin(0.9 * k) + (k % 3) * 2;
      x[3 * k + 1] = Math.cos(1.7 * k) + (k % 3 === 1 ? 1.5 : 0);
      x[3 * k + 2] = Math.sin(2.9 * k + 0.5) * 0.5;
      labels[k] = k % 3;
    }
    it('isolation_distance and l_ratio', () => {
      const want = [
        [21.346444525746573, 0.03502802546951849],
        [16.119929830324697, 0.07366266892180995],
        [21.856382126816484, 0.0318298787917201],
      ];
      for (const u of [0, 1, 2]) {
        const r = mahalanobisMetrics(x, labels, 3, u);
        expect(r.isolation_distance).toBeCloseTo(want[u][0], 9);
        expect(r.l_ratio).toBeCloseTo(want[u][1], 9);
      }
    });
    it('silhouette (simplified)', () => {
      const want = [0.5727102590201475, 0.573121850455315, 0.5694977050362315];
      for (const u of [0, 1, 2]) expect(simplifiedSilhouette(x, labels, 3, u)).toBeCloseTo(want[u], 12);
    });
  });
});
