/**
 * The generator's ground truth as the quality bench reads it: `ground_truth.json` loaded, and
 * the cluster → truth mapping every quality figure is judged against (which clusters are parts
 * of one over-split unit, which pairs are near-twin distractors, what each cluster really is).
 * One module so every row of the `quality` area (merge suggestions, label rules) uses the same
 * reading of the truth.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GroundTruth, GroundTruthCluster, GroundTruthClusterKind } from '../../core/generate/groundTruth';

/** Pair key of two cluster ids, order-free: `"a:b"` with a < b. */
export function pairKey(a: number, b: number): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/** What the bench needs to know about a dataset's clusters. */
export interface ClusterTruth {
  gt: GroundTruth;
  /** Cluster id → its ground-truth entry (kind, units it holds). */
  clusters: Map<number, GroundTruthCluster>;
  /** Over-split cluster → the other clusters of the same unit (its true merge partners). */
  partners: Map<number, Set<number>>;
  /** Keys ({@link pairKey}) of every true merge pair (two clusters of one over-split unit). */
  truePairs: Set<string>;
  /** Keys of the near-twin distractor pairs (similar waveform, different neurons). */
  distractorPairs: Set<string>;
  /** Cluster ids of one kind. */
  ofKind(kind: GroundTruthClusterKind): number[];
}

/** Reads `<dir>/ground_truth.json`, with a message naming the file when it is missing or not JSON. */
export function loadGroundTruth(dir: string): GroundTruth {
  const file = join(dir, 'ground_truth.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the ground truth ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as GroundTruth;
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** The cluster → truth mapping of a ground truth (over-split units with ≥ 2 clusters make true pairs). */
export function clusterTruth(gt: GroundTruth): ClusterTruth {
  const clusters = new Map(gt.clusters.map((c) => [c.id, c]));
  const partners = new Map<number, Set<number>>();
  const truePairs = new Set<string>();
  for (const s of gt.overSplits) {
    if (s.clusters.length < 2) continue;
    for (const a of s.clusters) {
      partners.set(a, new Set(s.clusters.filter((b) => b !== a)));
      for (const b of s.clusters) if (a < b) truePairs.add(pairKey(a, b));
    }
  }
  const distractorPairs = new Set((gt.distractors ?? []).map((d) => pairKey(d.clusters[0], d.clusters[1])));
  return { gt, clusters, partners, truePairs, distractorPairs, ofKind: (kind) => gt.clusters.filter((c) => c.kind === kind).map((c) => c.id) };
}
