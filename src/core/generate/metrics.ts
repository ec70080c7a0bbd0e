/**
 * Kilosort-like cluster table of generated data (`cluster_ContamPct.tsv`,
 * `cluster_Amplitude.tsv`, `cluster_KSLabel.tsv`), computed from the spikes as written — so
 * labels follow from the data, not from the ground truth.
 */
import type { SpikeColumns, TemplateInfo } from './buildDataset';

/** Refractory window of the contamination estimate, s. */
export const REFRACTORY_WINDOW = 0.0015;
/** Kilosort labels a cluster `good` below this contamination, %. */
export const GOOD_CONTAMINATION = 10;

/** One cluster's row. */
export interface ClusterMetrics {
  id: number;
  /** Templates whose spikes the cluster holds, ascending. */
  templateIds: number[];
  nSpikes: number;
  /** Consecutive-spike intervals shorter than {@link REFRACTORY_WINDOW}. */
  refractoryViolations: number;
  /**
   * Contamination, %: violations / (N · r · τ), the ratio of observed violations to those of a
   * Poisson train of the same rate r = N / T, capped at 100 (0 for a clean unit, ~100 for noise).
   */
  contamPct: number;
  /** Mean fitted amplitude × the template's peak-to-peak on its peak channel, raw a.u. */
  amplitude: number;
  ksLabel: 'good' | 'mua';
}

/** Metrics of every cluster that has spikes, ascending by id. */
export function clusterMetrics(
  spikes: SpikeColumns,
  templates: readonly TemplateInfo[],
  clusterOfTemplate: Int32Array,
  whiteningInv: Float64Array,
  sampleRate: number,
  nSamples: number,
): ClusterMetrics[] {
  let maxId = -1;
  for (const c of clusterOfTemplate) maxId = Math.max(maxId, c);
  const n = new Float64Array(maxId + 1);
  const last = new Float64Array(maxId + 1).fill(-Infinity);
  const viol = new Float64Array(maxId + 1);
  const ampSum = new Float64Array(maxId + 1);
  const window = REFRACTORY_WINDOW * sampleRate;
  for (let i = 0; i < spikes.times.length; i++) {
    const c = spikes.clusters[i];
    const t = spikes.times[i];
    if (t - last[c] < window) viol[c]++;
    last[c] = t;
    n[c]++;
    ampSum[c] += spikes.amplitudes[i];
  }
  const templatesOf = new Map<number, number[]>();
  clusterOfTemplate.forEach((c, t) => {
    if (c < 0) return;
    if (!templatesOf.has(c)) templatesOf.set(c, []);
    templatesOf.get(c)!.push(t);
  });
  const duration = nSamples / sampleRate;
  const out: ClusterMetrics[] = [];
  for (let c = 0; c <= maxId; c++) {
    if (n[c] === 0) continue;
    const rate = n[c] / duration;
    const expected = n[c] * rate * REFRACTORY_WINDOW;
    const contamPct = Math.min(100, (100 * viol[c]) / expected);
    const t0 = templates[templatesOf.get(c)![0]];
    const ptpRaw = t0.ptp * whiteningInv[t0.peakChannel];
    out.push({
      id: c,
      templateIds: templatesOf.get(c)!,
      nSpikes: n[c],
      refractoryViolations: viol[c],
      contamPct,
      amplitude: (ampSum[c] / n[c]) * ptpRaw,
      ksLabel: contamPct < GOOD_CONTAMINATION ? 'good' : 'mua',
    });
  }
  return out;
}
