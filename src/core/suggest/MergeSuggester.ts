/**
 * Computed merge suggestions: every pair of spatially neighbouring clusters scored from several
 * kinds of evidence together (`score.ts`), kept current incrementally. Pairs are keyed by their
 * two cluster ids, and an id names a fixed set of spikes, so a pair's score never goes stale:
 * after a merge, split or undo only the pairs of the added clusters are scored, and the pairs of
 * the deleted ones dropped (`update`).
 *
 * Candidates are spatial neighbours only — clusters on the same shank whose best channels are
 * within {@link SUGGEST_RADIUS_UM} — so the cost is O(clusters × neighbours) pair scorings, not
 * all pairs (a 490-cluster Neuropixels sort: ~20 neighbours each).
 */
import type { Dataset } from '../dataset/Dataset';
import type { ClusteringView } from '../session/ClusteringView';
import { ClusterMetrics } from '../session/ClusterMetrics';
import { ClusterFactsCache, type ClusterFacts } from './clusterFacts';
import { featureMixing } from './featureEvidence';
import { combineEvidence, EVIDENCE_NAMES, type PairEvidence } from './score';
import { locationDistance, templateSimilarity } from './templateEvidence';
import { ccgDip, crossPairs, mergedContamination, temporalEvidence } from './trainEvidence';

/** One suggested merge: two clusters (ascending ids), their score (higher first) and its evidence by name. */
export type MergeSuggestion = { clusters: [number, number]; score: number; evidence: Record<string, number | null> };

/**
 * Best channels closer than this (µm, same shank) make a candidate pair. An over-split unit's
 * parts peak on the same or an adjacent site (≤ 25 µm); 80 µm also catches a unit whose parts
 * were sorted at both ends of a large drift, and costs ~20 neighbours per cluster on a
 * Neuropixels probe.
 */
export const SUGGEST_RADIUS_UM = 80;

/**
 * The spike-train and feature terms are computed only for pairs whose templates are at least this
 * similar (or that have no templates): they cost O(both clusters' spikes) and a nearest-neighbour
 * search (~1–3 ms a pair on a Neuropixels sort, against ~20 µs for the template terms), and a
 * pair of clearly different waveforms cannot climb to the top on them (+0.35 + 0.2 + 0.15 at
 * most, from below 0.6, where a true partner scores ≥ 0.9 + its own evidence).
 */
export const EVIDENCE_MIN_SIMILARITY = 0.6;

/**
 * Feature mixing, the costliest term (an exact 5-nearest-neighbour search over both clusters'
 * feature samples: 40 % of an update after a merge at the 0.6 threshold), only from this
 * template similarity up: its bonus (≤ 0.15) reorders pairs among the likely merges, and a pair
 * at 0.6–0.8 is not one of them (over-split parts score 0.9–1 on the generator's templates).
 */
export const FEATURE_MIN_SIMILARITY = 0.8;

/** Options of {@link MergeSuggester}. */
export interface MergeSuggesterOptions {
  /** Candidate radius, µm (default {@link SUGGEST_RADIUS_UM}). */
  radiusUm?: number;
  /** A `ClusterMetrics` of the same clustering to share (the session's), else one is made. */
  metrics?: ClusterMetrics;
}

const key = (a: number, b: number): string => (a < b ? `${a}:${b}` : `${b}:${a}`);

const byScore = (x: MergeSuggestion, y: MergeSuggestion): number => y.score - x.score || x.clusters[0] - y.clusters[0] || x.clusters[1] - y.clusters[1];

export class MergeSuggester {
  private readonly facts: ClusterFactsCache;
  private readonly cm: ClusterMetrics;
  private readonly radius: number;
  private readonly pairs = new Map<string, MergeSuggestion>();
  /** Pairs of deleted clusters, restored without rescoring when both clusters exist again (undo, redo). */
  private readonly retired = new Map<string, MergeSuggestion>();
  /** Pair keys of each cluster, so `forCluster` and `update` never scan all pairs. */
  private readonly byCluster = new Map<number, Set<string>>();

  constructor(
    private readonly ds: Dataset,
    private readonly clustering: ClusteringView,
    opts: MergeSuggesterOptions = {},
  ) {
    this.cm = opts.metrics ?? new ClusterMetrics(ds, clustering);
    this.radius = opts.radiusUm ?? SUGGEST_RADIUS_UM;
    this.facts = new ClusterFactsCache(ds, clustering, this.cm);
  }

  /** Number of scored pairs. */
  get size(): number {
    return this.pairs.size;
  }

  /**
   * Scores every candidate pair of the clusters that exist now (pairs already scored are kept).
   * `onProgress(done, total)` is called after each cluster.
   */
  scoreAll(onProgress?: (done: number, total: number) => void): void {
    this.cm.precompute();
    const ids = this.clustering.clusterIds();
    // Along the probe, so that consecutive clusters share neighbours and their spike trains stay
    // in the facts' small cache (the result does not depend on the order).
    const pos = this.ds.channelPositions;
    const order = ids.slice().sort((a, b) => this.site(a).shank - this.site(b).shank || pos[2 * this.site(a).channel + 1] - pos[2 * this.site(b).channel + 1] || a - b);
    this.facts.prefetch(order);
    order.forEach((c, i) => {
      this.scoreCluster(c, ids);
      onProgress?.(i + 1, ids.length);
    });
  }

  /** Best channel and its shank (ClusterMetrics' `ch`, cached per id). */
  private site(c: number): { channel: number; shank: number } {
    const channel = this.cm.metrics(c).channel;
    return { channel, shank: this.ds.channelShanks[channel] ?? 0 };
  }

  /**
   * Keeps the suggestions current after a change (`UpdateInfo`'s `added` and `deleted`): drops
   * every pair of a deleted cluster and scores the candidate pairs of each added one. Cost:
   * O(added × (clusters + neighbours)), independent of the other pairs.
   */
  update(added: readonly number[], deleted: readonly number[]): void {
    for (const c of deleted) {
      for (const k of this.byCluster.get(c) ?? []) {
        const p = this.pairs.get(k);
        if (!p) continue;
        this.pairs.delete(k);
        // Kept aside: an undo brings the cluster back with the same spikes, so the same score.
        this.retired.set(k, p);
        this.byCluster.get(p.clusters[0] === c ? p.clusters[1] : p.clusters[0])?.delete(k);
      }
      this.byCluster.delete(c);
    }
    const ids = this.clustering.clusterIds();
    const live = added.filter((c) => this.clustering.nSpikes(c) > 0);
    // A merge's samples come from its parents' (no file read); anything else is read in one pass.
    if (!(live.length === 1 && this.facts.compose(live[0], deleted))) this.facts.prefetch(live);
    for (const c of live) this.scoreCluster(c, ids);
  }

  /** Every scored pair, best first (ties: ascending ids). */
  all(): MergeSuggestion[] {
    return [...this.pairs.values()].sort(byScore);
  }

  /** The pairs of one cluster, best first; empty for an unknown cluster. */
  forCluster(c: number): MergeSuggestion[] {
    return [...(this.byCluster.get(c) ?? [])].map((k) => this.pairs.get(k)!).sort(byScore);
  }

  /** The scored pair of two clusters, or null when they are not neighbours. */
  pair(a: number, b: number): MergeSuggestion | null {
    return this.pairs.get(key(a, b)) ?? null;
  }

  /** Scores the candidate pairs of `c` among `ids` that are not scored yet. */
  private scoreCluster(c: number, ids: readonly number[]): void {
    if (this.clustering.nSpikes(c) === 0) return;
    const pos = this.ds.channelPositions;
    const r2 = this.radius * this.radius;
    const sc = this.site(c);
    for (const d of ids) {
      if (d === c || this.pairs.has(key(c, d)) || this.clustering.nSpikes(d) === 0) continue;
      // The candidate test reads only cached best channels; facts are built for neighbours only.
      const sd = this.site(d);
      if (sd.shank !== sc.shank) continue;
      const dx = pos[2 * sc.channel] - pos[2 * sd.channel];
      const dy = pos[2 * sc.channel + 1] - pos[2 * sd.channel + 1];
      if (dx * dx + dy * dy > r2) continue;
      const k = key(c, d);
      let s = this.retired.get(k);
      if (s) this.retired.delete(k);
      else {
        const fc = this.facts.of(c);
        const fd = this.facts.of(d);
        if (!fc || !fd) continue;
        const [fa, fb] = c < d ? [fc, fd] : [fd, fc];
        const evidence = this.evidence(fa, fb);
        s = { clusters: [fa.id, fb.id], score: combineEvidence(evidence), evidence: Object.fromEntries(EVIDENCE_NAMES.map((n) => [n, evidence[n]])) };
      }
      this.pairs.set(k, s);
      for (const x of [c, d]) {
        let set = this.byCluster.get(x);
        if (!set) this.byCluster.set(x, (set = new Set()));
        set.add(k);
      }
    }
  }

  /** Every evidence term of a pair (null where a term has no input). */
  private evidence(a: ClusterFacts, b: ClusterFacts): PairEvidence {
    const ds = this.ds;
    const fs = ds.sampleRate;
    const T = this.facts.nSamples;
    const ts = a.template && b.template ? templateSimilarity(a.template, b.template) : null;
    const dist = locationDistance(a.location, b.location);
    const finite = (x: number) => (Number.isFinite(x) ? x : null);
    const cheap = { template_similarity: ts ? ts.similarity : null, template_lag: ts ? ts.lag : null, distance_um: finite(dist) };
    if (ts && ts.similarity < EVIDENCE_MIN_SIMILARITY) {
      return { ...cheap, ccg_observed: null, ccg_expected: null, rp_contamination_merged: null, rp_contamination_parts: null, temporal_complementarity: null, amplitude_continuity: null, feature_mixing: null };
    }
    const ta = this.facts.train(a.id);
    const tb = this.facts.train(b.id);
    const cross = crossPairs(ta.times, tb.times, fs);
    const dip = ccgDip(ta.times, tb.times, fs, cross);
    const rp = mergedContamination(ta.times, tb.times, fs, T, [a.rp, b.rp], cross);
    const temporal = temporalEvidence(ta.times, ta.amplitudes, tb.times, tb.amplitudes, T, [a.timeHistogram, b.timeHistogram]);
    const f = ds.features;
    let mixing: number | null = null;
    if (f && (!ts || ts.similarity >= FEATURE_MIN_SIMILARITY)) {
      const fa = this.facts.features(a.id);
      const fb = this.facts.features(b.id);
      if (fa && fb) {
        const channels = [...new Set([...fa.channels, ...fb.channels])].sort((x, y) => x - y);
        mixing = featureMixing(fa.rows, fb.rows, f.nChannelsLoc, f.nPcs, channels);
      }
    }
    return {
      ...cheap,
      ccg_observed: dip.observed,
      ccg_expected: dip.expected,
      rp_contamination_merged: finite(rp.merged),
      rp_contamination_parts: finite(rp.parts),
      temporal_complementarity: temporal.complementarity,
      amplitude_continuity: temporal.continuity,
      feature_mixing: mixing,
    };
  }
}
