/**
 * Quality of the label rules on generated datasets, judged by their ground truth (issue #13,
 * "Measure"): the fraction of noise clusters the rules label `noise` (target ≥ 90 %) and the
 * fraction of true single-unit clusters (kind `single`) they label `noise` (target ≤ 5 %). Run on
 * the sorter's assignment (the ground truth's cluster ids) with no groups, so every cluster is
 * judged. A row producer of the `quality` area ({@link rulesQualityRows}).
 */
import { bombcellDefaultRules } from '../../core/rules/bombcell';
import { evaluateRules, type RuleSet } from '../../core/rules/labelRules';
import { ruleRows } from '../../core/rules/ruleRows';
import { ClusterLabels } from '../../core/session/ClusterLabels';
import { openDataset } from '../openDataset';
import { clusterTruth, loadGroundTruth } from './groundTruth';
import type { QualityCase, QualityRow, QualityRowProducer } from './qualityBench';

/** The figures of one dataset. */
export interface RulesQuality {
  clusters: number;
  /** Clusters per label the rules gave. */
  counts: Record<string, number>;
  noiseClusters: number;
  noiseLabelledNoise: number;
  /** noiseLabelledNoise / noiseClusters (NaN without noise clusters); target ≥ 0.9. */
  noiseRecall: number;
  singleClusters: number;
  singleLabelledNoise: number;
  /** singleLabelledNoise / singleClusters; target ≤ 0.05. */
  singleNoiseRate: number;
  /** Label given to each ground-truth kind: kind → label → clusters. */
  byKind: Record<string, Record<string, number>>;
  /** Milliseconds to compute the metrics the rules read and evaluate them. */
  ms: number;
}

/** Evaluates `rules` (default: Bombcell's) on one case of the area. */
export function rulesFigures(c: Pick<QualityCase, 'dataset' | 'labels' | 'truth'>, rules: RuleSet = bombcellDefaultRules()): RulesQuality {
  const t0 = performance.now();
  const evaluation = evaluateRules(rules, ruleRows(c.dataset, c.labels, null, rules));
  const ms = performance.now() - t0;
  const byKind: Record<string, Record<string, number>> = {};
  for (const [id, gc] of c.truth.clusters) {
    const label = evaluation.labels.get(id) ?? 'none';
    const k = (byKind[gc.kind] ??= {});
    k[label] = (k[label] ?? 0) + 1;
  }
  const noise = c.truth.ofKind('noise');
  const single = c.truth.ofKind('single');
  const noiseLabelledNoise = noise.filter((id) => evaluation.labels.get(id) === 'noise').length;
  const singleLabelledNoise = single.filter((id) => evaluation.labels.get(id) === 'noise').length;
  return {
    clusters: evaluation.labels.size,
    counts: evaluation.counts,
    noiseClusters: noise.length,
    noiseLabelledNoise,
    noiseRecall: noise.length ? noiseLabelledNoise / noise.length : NaN,
    singleClusters: single.length,
    singleLabelledNoise,
    singleNoiseRate: single.length ? singleLabelledNoise / single.length : NaN,
    byKind,
    ms,
  };
}

/** {@link rulesFigures} of a generated dataset folder (with `ground_truth.json`), opened and closed here. */
export async function measureRulesQuality(dir: string, rules?: RuleSet): Promise<RulesQuality> {
  const truth = clusterTruth(loadGroundTruth(dir));
  const dataset = await openDataset(dir, { shared: false });
  try {
    return rulesFigures({ dataset, labels: new ClusterLabels(dataset.spikeClusters), truth }, rules);
  } finally {
    dataset.close();
  }
}

function rows(label: string, fs: RulesQuality[]): QualityRow[] {
  const sum = (f: (q: RulesQuality) => number) => fs.reduce((a, q) => a + f(q), 0);
  const pct = (a: number, b: number) => (b ? (100 * a) / b : NaN);
  const noise = sum((q) => q.noiseClusters);
  const single = sum((q) => q.singleClusters);
  return [
    { metric: `${label}: noise clusters labelled noise, Bombcell default rules (${noise} noise clusters)`, value: pct(sum((q) => q.noiseLabelledNoise), noise), unit: '%', target: '≥ 90 %' },
    { metric: `${label}: true single units labelled noise, Bombcell default rules (${single} single-unit clusters)`, value: pct(sum((q) => q.singleLabelledNoise), single), unit: '%', target: '≤ 5 %' },
  ];
}

/** The label rules' rows of the `quality` area: the `small` seeds together, and `neuropixels` with its time. */
export const rulesQualityRows: QualityRowProducer = (cases, onProgress) => {
  const out: QualityRow[] = [];
  const small = cases.small.map((c) => {
    onProgress(`label rules: ${c.name}`);
    return rulesFigures(c);
  });
  if (small.length) out.push(...rows(`small ×${small.length} seeds`, small));
  if (cases.neuropixels) {
    onProgress('label rules: neuropixels (metrics the default rules read, timed)');
    const np = rulesFigures(cases.neuropixels);
    out.push(...rows('neuropixels', [np]), { metric: `neuropixels: metrics the default rules read + their evaluation (${np.clusters} clusters)`, value: np.ms, unit: 'ms' });
  }
  return out;
};
