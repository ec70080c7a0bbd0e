/**
 * SuggestionService with the assistant's engine on this thread (InProcessLane, the engine the
 * worker thread runs) and a scorer that records what it is asked: every cluster is scored in the
 * background, a merge's cluster with its parents named, the deleted clusters' proposals leave the
 * queue at once, and the state says `computing` until the lane has handled the change.
 * (The real scorer on real data, through the worker: test/integration/assistant/AssistantWorker.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { SuggestionService } from '../../../../src/main/assistant/SuggestionService';
import { InProcessLane } from '../../../../src/main/assistant/AssistantLane';
import type { PairScorer } from '../../../../src/main/assistant/laneProtocol';
import { ClusterLabels } from '../../../../src/core/session/ClusterLabels';
import { ClusterMeta } from '../../../../src/core/session/ClusterMeta';
import { Curation } from '../../../../src/core/session/Curation';
import type { UpdateInfo } from '../../../../src/core/session/UpdateInfo';
import type { MergeSuggestion } from '../../../../src/core/suggest/MergeSuggester';
import type { ReviewProposal } from '../../../../src/core/session/reviewQueue';
import type { SimilarCluster, SuggestionStatus } from '../../../../src/shared/ipc/contract';

/** Scores every pair of existing clusters 0.9 (a pair with cluster 0: 0.5), as MergeSuggester keeps them. */
function scorer(labels: ClusterLabels) {
  const calls: Array<[number[], number[]]> = [];
  const pairs = new Map<string, MergeSuggestion>();
  const s: PairScorer = {
    update(added, deleted) {
      calls.push([[...added], [...deleted]]);
      for (const [k, p] of pairs) if (deleted.some((d) => p.clusters.includes(d))) pairs.delete(k);
      for (const c of added) {
        for (const d of labels.clusterIds()) {
          if (d === c) continue;
          const clusters: [number, number] = c < d ? [c, d] : [d, c];
          pairs.set(clusters.join(':'), { clusters, score: clusters[0] === 0 ? 0.5 : 0.9, evidence: {} });
        }
      }
    },
    forCluster: (c) => [...pairs.values()].filter((p) => p.clusters.includes(c)),
    all: () => [...pairs.values()].sort((x, y) => y.score - x.score || x.clusters[0] - y.clusters[0] || x.clusters[1] - y.clusters[1]),
  };
  return { s, calls };
}

function setup(assignment: number[]) {
  const labels = new ClusterLabels(Int32Array.from(assignment));
  const curation = new Curation(labels, new ClusterMeta([], []));
  const { s, calls } = scorer(labels);
  const lane = new InProcessLane(labels, { scorer: s });
  const listeners = new Set<(u: UpdateInfo) => void>();
  const published: Array<{ proposals: ReviewProposal[]; status: SuggestionStatus }> = [];
  const service = new SuggestionService(labels, lane, (l) => (listeners.add(l), () => listeners.delete(l)), { setSuggestions: (proposals, status) => published.push({ proposals, status }) });
  // What BackendHost does with every change: the lane hears it, then the listeners.
  const change = (u: UpdateInfo) => {
    lane.update(u);
    for (const l of listeners) l(u);
  };
  return { labels, curation, lane, service, calls, published, change };
}

const clustersOf = (p: { proposals: ReviewProposal[] }) => p.proposals.map((x) => x.clusters.join('+'));

describe('SuggestionService', () => {
  it('scores every cluster in the background, then publishes the proposals ≥ 0.8, ready', async () => {
    const { service, calls, published } = setup([0, 0, 1, 1, 2, 2, 3, 3]);
    service.start();
    expect(calls).toEqual([]); // not on the caller's turn
    expect(published.at(-1)!.status).toEqual({ state: 'computing' });
    await service.whenReady();
    expect(calls.map(([a]) => a[0])).toEqual([0, 1, 2, 3]);
    expect(published.at(-1)!.status).toEqual({ state: 'ready' });
    expect(clustersOf(published.at(-1)!)).toEqual(['1+2', '1+3', '2+3']);
    const rows = service.annotate(1, [{ id: 2 } as SimilarCluster, { id: 0 } as SimilarCluster]);
    expect(rows.map((r) => r.score)).toEqual([0.9, 0.5]);
  });

  it("a merge: its parents' proposals leave at once, the new cluster is scored with its parents named", async () => {
    const { curation, service, calls, published, change } = setup([0, 0, 1, 1, 2, 2, 3, 3]);
    service.start();
    await service.whenReady();
    calls.length = 0;
    const merge = curation.perform({ op: 'merge', clusters: [1, 2] }, undefined, 't').update;
    change(merge);
    const m = merge.added[0];
    expect(published.at(-1)!.status).toEqual({ state: 'computing' });
    expect(clustersOf(published.at(-1)!)).toEqual([]); // 1+2, 1+3, 2+3 all had a parent
    expect(service.ready).toBe(false);
    await service.whenReady();
    expect(calls).toEqual([
      [[], [1, 2]],
      [[m], [1, 2]],
    ]);
    expect(clustersOf(published.at(-1)!)).toEqual([`3+${m}`]);
    expect(published.at(-1)!.status).toEqual({ state: 'ready' });
  });

  it("a change during the first scoring: the change's cluster goes first, the deleted ones are never scored", async () => {
    const { curation, lane, service, calls, change } = setup([0, 0, 1, 1, 2, 2, 3, 3]);
    const firstScored = new Promise<void>((resolve) => lane.on((e) => e.type === 'pairs' && resolve()));
    service.start();
    await firstScored;
    const merge = curation.perform({ op: 'merge', clusters: [1, 2] }, undefined, 't').update;
    change(merge);
    await service.whenReady();
    const m = merge.added[0];
    expect(calls).toEqual([
      [[0], []],
      [[], [1, 2]],
      [[m], [1, 2]],
      [[3], []],
    ]);
  });

  it("says ready once the scorer is done, even when the lane's last answer is to another service's request", async () => {
    const { lane, service, published } = setup([0, 0, 1, 1, 2, 2]);
    // QualityService's start arriving just as the last cluster is scored (its proposals are sent
    // while that request is still unanswered).
    lane.on((e) => e.type === 'pairs' && e.remaining === 0 && lane.startQuality());
    service.start();
    await service.whenReady();
    expect(published.at(-1)!.status).toEqual({ state: 'ready' });
  });

  it('is not ready between the last scored cluster and the proposals that follow it (the review list would miss them)', async () => {
    const { lane, service, published } = setup([0, 0, 1, 1, 2, 2]);
    const readyAtLastPairs: boolean[] = [];
    lane.on((e) => e.type === 'pairs' && e.remaining === 0 && readyAtLastPairs.push(service.ready));
    service.start();
    await service.whenReady();
    expect(readyAtLastPairs).toEqual([false]);
    expect(clustersOf(published.at(-1)!)).toEqual(['1+2']);
    expect(published.at(-1)!.status).toEqual({ state: 'ready' });
  });

  it('a dataset with no clusters is ready at once with no proposals', async () => {
    const { service, published } = setup([]);
    service.start();
    await service.whenReady();
    expect(published.at(-1)).toEqual({ proposals: [], status: { state: 'ready' } });
  });
});
