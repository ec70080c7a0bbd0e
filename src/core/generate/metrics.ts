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
  spikes: Pick<SpikeColumns, 'times' | 'clusters' | 'amplitudes'>,
  templates: readonly TemplateInfo[],
  clusterOfTemplate: Int32Array,
  whiteningInv: Float64Array,
  sampleRate: number,
  nSamples: number,
): ClusterMetrics[] {
  const acc = new ClusterMetricsAccumulator(clusterOfTemplate, sampleRate);
  acc.add(spikes, 0);
  return acc.finish(templates, whiteningInv, nSamples);
}

/**
 * {@link clusterMetrics} fed block by block (the streaming writer): spikes must arrive in time
 * order across blocks. Holds O(clusters) numbers.
 */
export class ClusterMetricsAccumulator {
  private readonly n: Float64Array;
  private readonly last: Float64Array;
  private readonly viol: Float64Array;
  private readonly ampSum: Float64Array;
  private readonly window: number;

  constructor(
    private readonly clusterOfTemplate: Int32Array,
    private readonly sampleRate: number,
  ) {
    let maxId = -1;
    for (const c of clusterOfTemplate) maxId = Math.max(maxId, c);
    this.n = new Float64Array(maxId + 1);
    this.last = new Float64Array(maxId + 1).fill(-Infinity);
    this.viol = new Float64Array(maxId + 1);
    this.ampSum = new Float64Array(maxId + 1);
    this.window = REFRACTORY_WINDOW * sampleRate;
  }

  /** Adds a block of spikes; `offset` (samples) is added to its times. */
  add(spikes: { times: ArrayLike<number> } & Pick<SpikeColumns, 'clusters' | 'amplitudes'>, offset: number): void {
    const { n, last, viol, ampSum, window } = this;
    for (let i = 0; i < spikes.times.length; i++) {
      const c = spikes.clusters[i];
      const t = spikes.times[i] + offset;
      if (t - last[c] < window) viol[c]++;
      last[c] = t;
      n[c]++;
      ampSum[c] += spikes.amplitudes[i];
    }
  }

  /** The rows, ascending by cluster id (clusters without spikes are left out). */
  finish(templates: readonly TemplateInfo[], whiteningInv: Float64Array, nSamples: number): ClusterMetrics[] {
    const { n, viol, ampSum } = this;
    const templatesOf = new Map<number, number[]>();
    this.clusterOfTemplate.forEach((c, t) => {
      if (c < 0) return;
      if (!templatesOf.has(c)) templatesOf.set(c, []);
      templatesOf.get(c)!.push(t);
    });
    const duration = nSamples / this.sampleRate;
    const out: ClusterMetrics[] = [];
    for (let c = 0; c < n.length; c++) {
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
}
