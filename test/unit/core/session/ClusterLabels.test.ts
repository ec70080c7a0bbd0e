import { describe, expect, it } from 'vitest';
import { ClusterLabels, ClusteringError } from '../../../../src/core/session/ClusterLabels';
import { ClusterMeta } from '../../../../src/core/session/ClusterMeta';
import { Curation } from '../../../../src/core/session/Curation';
import { rng } from './rng';
import { flatAssignment } from '../../../../src/core/session/SpikeAssignment';

function checkIndex(labels: ClusterLabels): void {
  let total = 0;
  for (const c of labels.clusterIds()) {
    const ids = labels.spikeIds(c);
    total += ids.length;
    for (let i = 0; i < ids.length; i++) {
      if (i > 0 && ids[i] <= ids[i - 1]) throw new Error(`cluster ${c}: spike list not sorted`);
      if (labels.clusterOf(ids[i]) !== c) throw new Error(`spike ${ids[i]} listed in ${c} but assigned to ${labels.clusterOf(ids[i])}`);
    }
  }
  expect(total).toBe(labels.nSpikesTotal);
}

describe('ClusterLabels', () => {
  it('merges into one new id and undoes/redoes exactly', () => {
    const labels = new ClusterLabels([0, 1, 2, 1, 0, 2, 2, 5]);
    expect(labels.clusterIds()).toEqual([0, 1, 2, 5]);
    const ch = labels.merge([2, 0]);
    expect(ch.added).toEqual([6]);
    expect(ch.deleted).toEqual([0, 2]);
    expect(Array.from(labels.spikeIds(6))).toEqual([0, 2, 4, 5, 6]);
    expect(Array.from(flatAssignment(labels.assignment))).toEqual([6, 1, 6, 1, 6, 6, 6, 5]);
    labels.undo(ch);
    expect(Array.from(flatAssignment(labels.assignment))).toEqual([0, 1, 2, 1, 0, 2, 2, 5]);
    expect(labels.clusterIds()).toEqual([0, 1, 2, 5]);
    // The id counter never goes back.
    expect(labels.merge([0, 1]).added).toEqual([7]);
    checkIndex(labels);
  });

  it('splits: chosen spikes get one id, the rest of each touched cluster another', () => {
    const labels = new ClusterLabels([0, 0, 0, 1, 1, 1, 2]);
    const ch = labels.split([4, 1]);
    expect(ch.deleted).toEqual([0, 1]);
    expect(ch.added).toEqual([3, 4, 5]);
    expect(Array.from(labels.spikeIds(3))).toEqual([1, 4]);
    expect(Array.from(labels.spikeIds(4))).toEqual([0, 2]);
    expect(Array.from(labels.spikeIds(5))).toEqual([3, 5]);
    expect(ch.descendants).toEqual([
      [0, 3],
      [1, 3],
      [0, 4],
      [1, 5],
    ]);
    expect(ch.changedSpikes).toBe(6);
    checkIndex(labels);
  });

  it('refuses invalid ops and leaves the state unchanged', () => {
    const labels = new ClusterLabels([0, 0, 1]);
    expect(() => labels.merge([0])).toThrow(ClusteringError);
    expect(() => labels.merge([0, 9])).toThrow(/does not exist/);
    expect(() => labels.split([0, 1])).toThrow(/nothing to split/);
    expect(() => labels.split([3])).toThrow(/out of range/);
    expect(labels.generation).toBe(0);
    expect(labels.nextClusterId).toBe(2);
  });

  it('uses shared memory for the assignment', () => {
    const labels = new ClusterLabels([0, 1]);
    expect(labels.assignment.spikeSegments.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(labels.assignment.segmentClusters.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

/**
 * Checkpoint test (issue §8): a random sequence of 1,000 merges, splits, labels, undos and redos
 * on 1 M spikes. A naive reference (whole-array passes, its own id counter and its own undo
 * diffs) is the checkpoint: after every step the assignment equals it exactly.
 */
describe('Curation checkpoints', () => {
  it('1,000 random ops/undos/redos on 1 M spikes match the reference exactly', () => {
    const n = 1_000_000;
    const rand = rng(42);
    const base = new Int32Array(n);
    for (let i = 0; i < n; i++) base[i] = Math.floor(rand() * rand() * 150);
    const labels = new ClusterLabels(base);
    const cur = new Curation(labels, new ClusterMeta([], []));
    const ref = Int32Array.from(base);
    let refNext = 150;
    type Diff = { idx: Int32Array; before: Int32Array; after: Int32Array; kind: string; field?: string; clusters?: number[]; beforeMeta?: (string | null)[]; value?: string };
    const refUndo: Diff[] = [];
    let refRedo: Diff[] = [];
    const refGroups = new Map<number, string>();
    // Cluster sizes of the reference, kept by its own whole-array passes.
    const refCount = new Int32Array(4000);
    for (let i = 0; i < n; i++) refCount[ref[i]]++;
    const existing = (): number[] => {
      const out: number[] = [];
      for (let c = 0; c < refNext; c++) if (refCount[c] > 0) out.push(c);
      return out;
    };
    const recount = (idx: Int32Array, from: Int32Array, to: Int32Array): void => {
      for (let j = 0; j < idx.length; j++) {
        refCount[from[j]]--;
        refCount[to[j]]++;
      }
    };
    const diffOf = (old: Int32Array): { idx: Int32Array; before: Int32Array; after: Int32Array } => {
      let m = 0;
      for (let i = 0; i < n; i++) if (old[i] !== ref[i]) m++;
      const idx = new Int32Array(m);
      m = 0;
      for (let i = 0; i < n; i++) if (old[i] !== ref[i]) idx[m++] = i;
      const d = { idx, before: idx.map((i) => old[i]), after: idx.map((i) => ref[i]) };
      recount(d.idx, d.before, d.after);
      return d;
    };
    const t = '2026-01-01T00:00:00.000Z';
    const counts = { merge: 0, split: 0, label: 0, undo: 0, redo: 0 };
    const mark = new Uint8Array(4000);
    const chosenFlag = new Uint8Array(n);
    for (let step = 0; step < 1000; step++) {
      const r = rand();
      const ids = existing();
      if (r < 0.28 && ids.length >= 3) {
        const k = 2 + Math.floor(rand() * 2);
        const pick = new Set<number>();
        while (pick.size < k) pick.add(ids[Math.floor(rand() * ids.length)]);
        const old = Int32Array.from(ref);
        const id = refNext++;
        mark.fill(0);
        for (const c of pick) mark[c] = 1;
        for (let i = 0; i < n; i++) if (mark[ref[i]]) ref[i] = id;
        const { update } = cur.perform({ op: 'merge', clusters: [...pick] }, { clusterIds: [...pick] }, t);
        expect(update.added).toEqual([id]);
        refUndo.push({ ...diffOf(old), kind: 'c' });
        refRedo = [];
        counts.merge++;
      } else if (r < 0.45) {
        const c = ids[Math.floor(rand() * ids.length)];
        // Sometimes take spikes of a second cluster as well (a lasso across clusters).
        const c2 = ids[Math.floor(rand() * ids.length)];
        const frac = 0.1 + rand() * 0.5;
        chosenFlag.fill(0);
        let nChosen = 0;
        for (let i = 0; i < n; i++) {
          if ((ref[i] === c && rand() < frac) || (c2 !== c && ref[i] === c2 && rand() < 0.05)) {
            chosenFlag[i] = 1;
            nChosen++;
          }
        }
        if (nChosen === 0 || (nChosen === refCount[c] && c2 === c)) continue;
        const chosen = new Int32Array(nChosen);
        for (let i = 0, m = 0; i < n; i++) if (chosenFlag[i]) chosen[m++] = i;
        const old = Int32Array.from(ref);
        mark.fill(0);
        for (const s of chosen) mark[ref[s]] = 1;
        const touched = [...mark.keys()].filter((x) => mark[x]);
        const newChosen = refNext++;
        const restId = new Int32Array(4000).fill(-1);
        const restOrder: number[] = [];
        for (const tc of touched) {
          let inChosen = 0;
          for (const s of chosen) if (ref[s] === tc) inChosen++;
          if (inChosen < refCount[tc]) {
            restId[tc] = refNext++;
            restOrder.push(restId[tc]);
          }
        }
        for (let i = 0; i < n; i++) {
          if (chosenFlag[i]) ref[i] = newChosen;
          else if (restId[ref[i]] >= 0) ref[i] = restId[ref[i]];
        }
        // Reverse the order given: the API accepts unsorted spike ids.
        const given = Array.from(chosen).reverse();
        const { update } = cur.perform({ op: 'split', spikes: given }, undefined, t);
        expect(update.added).toEqual([newChosen, ...restOrder]);
        refUndo.push({ ...diffOf(old), kind: 'c' });
        refRedo = [];
        counts.split++;
      } else if (r < 0.6) {
        const c = ids[Math.floor(rand() * ids.length)];
        const value = ['good', 'mua', 'noise'][Math.floor(rand() * 3)];
        const beforeMeta = [refGroups.get(c) ?? null];
        refGroups.set(c, value);
        cur.perform({ op: 'label', clusters: [c], field: 'group', value }, undefined, t);
        refUndo.push({ idx: new Int32Array(0), before: new Int32Array(0), after: new Int32Array(0), kind: 'm', clusters: [c], beforeMeta, value });
        refRedo = [];
        counts.label++;
      } else if (r < 0.8) {
        const d = refUndo.pop();
        const res = cur.undo(t);
        expect(res === null).toBe(d === undefined);
        if (d) {
          for (let j = 0; j < d.idx.length; j++) ref[d.idx[j]] = d.before[j];
          recount(d.idx, d.after, d.before);
          if (d.kind === 'm') d.clusters!.forEach((c, j) => (d.beforeMeta![j] === null ? refGroups.delete(c) : refGroups.set(c, d.beforeMeta![j]!)));
          refRedo.push(d);
          counts.undo++;
        }
      } else {
        const d = refRedo.pop();
        const res = cur.redo(t);
        expect(res === null).toBe(d === undefined);
        if (d) {
          for (let j = 0; j < d.idx.length; j++) ref[d.idx[j]] = d.after[j];
          recount(d.idx, d.before, d.after);
          if (d.kind === 'm') d.clusters!.forEach((c) => refGroups.set(c, d.value!));
          refUndo.push(d);
          counts.redo++;
        }
      }
      // The checkpoint: exact equality of the whole assignment, and of the groups.
      let same = true;
      for (let i = 0; i < n; i++) if (labels.clusterOf(i) !== ref[i]) same = false;
      if (!same) throw new Error(`step ${step}: assignment differs from the checkpoint`);
      for (const [c, g] of refGroups) if (labels.hasCluster(c) && cur.meta.group(c) !== g) throw new Error(`step ${step}: group of ${c}`);
    }
    checkIndex(labels);
    expect(counts.merge).toBeGreaterThan(100);
    expect(counts.split).toBeGreaterThan(50);
    expect(counts.undo).toBeGreaterThan(100);
    expect(counts.redo).toBeGreaterThan(20);
  }, 120_000); // 1,000 whole-array reference passes over 1 M spikes: 5–40 s depending on the machine's load
});
