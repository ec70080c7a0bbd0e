/**
 * Quality of the label rules on a generated dataset, judged by its `ground_truth.json` (issue
 * #13, "Measure"): the fraction of noise clusters the rules label `noise` (target ≥ 90 %) and the
 * fraction of true single-unit clusters (kind `single`) they label `noise` (target ≤ 5 %). Run on
 * the sorter's assignment (the ground truth's cluster ids), with no groups (every cluster judged).
 * For the `quality` bench area (`npm run bench -- --only quality`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GroundTruth } from '../../core/generate/groundTruth';
import { bombcellDefaultRules } from '../../core/rules/bombcell';
import { evaluateRules, type RuleSet } from '../../core/rules/labelRules';
import { ruleRows } from '../../core/rules/ruleRows';
import { ClusterLabels } from '../../core/session/ClusterLabels';
import { openDataset } from '../openDataset';

/** The figures of one dataset. */
export interface RulesQuality {
  dataset: string;
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
  /** Seconds to compute the metrics the rules read and evaluate them. */
  seconds: number;
}

/** Evaluates `rules` (default: Bombcell's) on a generated dataset folder with `ground_truth.json`. */
export async function measureRulesQuality(dir: string, rules: RuleSet = bombcellDefaultRules()): Promise<RulesQuality> {
  const gt = JSON.parse(readFileSync(join(dir, 'ground_truth.json'), 'utf8')) as GroundTruth;
  const ds = await openDataset(dir, { shared: false });
  try {
    const t0 = performance.now();
    const evaluation = evaluateRules(rules, ruleRows(ds, new ClusterLabels(ds.spikeClusters), null, rules));
    const seconds = (performance.now() - t0) / 1000;
    const byKind: Record<string, Record<string, number>> = {};
    for (const c of gt.clusters) {
      const label = evaluation.labels.get(c.id) ?? 'none';
      const k = (byKind[c.kind] ??= {});
      k[label] = (k[label] ?? 0) + 1;
    }
    const ofKind = (kind: string) => gt.clusters.filter((c) => c.kind === kind);
    const noise = ofKind('noise');
    const single = ofKind('single');
    const noiseLabelledNoise = noise.filter((c) => evaluation.labels.get(c.id) === 'noise').length;
    const singleLabelledNoise = single.filter((c) => evaluation.labels.get(c.id) === 'noise').length;
    return {
      dataset: dir,
      clusters: evaluation.labels.size,
      counts: evaluation.counts,
      noiseClusters: noise.length,
      noiseLabelledNoise,
      noiseRecall: noise.length ? noiseLabelledNoise / noise.length : NaN,
      singleClusters: single.length,
      singleLabelledNoise,
      singleNoiseRate: single.length ? singleLabelledNoise / single.length : NaN,
      byKind,
      seconds,
    };
  } finally {
    ds.close();
  }
}
