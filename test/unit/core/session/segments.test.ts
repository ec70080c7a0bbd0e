/**
 * The segmented assignment (spike → segment → cluster, decision 0013) against the simplest
 * possible implementation: one flat array per history state. Random sequences of merges,
 * splits, assigns, undos, redos and reads (in any order: lists are built lazily) must give the
 * same cluster of every spike, the same sorted spike list and size of every cluster, and the same
 * new ids. A mirror applying each change by `adopt` (the assistant worker's copy) must agree too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClusterLabels } from '../../../../src/core/session/ClusterLabels';
import { ClusterMeta } from '../../../../src/core/session/ClusterMeta';
import { Curation } from '../../../../src/core/session/Curation';
import { clusterOfSpike, flatAssignment } from '../../../../src/core/session/SpikeAssignment';

/** The reference: whole-array states, phy's id rules (merge: one new id; split: chosen groups by label, then each touched cluster's rest by ascending old id). */
class FlatReference {
  undoStack: Int32Array[] = [];
  redoStack: Int32Array[] = [];
  constructor(
    public state: Int32Array,
    public nextId: number,
  ) {}
  private push(next: Int32Array): void {
    this.undoStack.push(this.state);
    this.redoStack = [];
    this.state = next;
  }
  merge(ids: number[]): number[] {
    const parents = new Set(ids);
    const id = this.nextId++;
    this.push(this.state.map((c) => (parents.has(c) ? id : c)));
    return [id];
  }
  assign(spikes: number[], labels: number[] | null): number[] {
    const s = this.state;
    const label = new Map<number, number>();
    spikes.forEach((i, k) => {
      if (!label.has(i)) label.set(i, labels ? labels[k] : 0);
    });
    const touched = [...new Set([...label.keys()].map((i) => s[i]))].sort((a, b) => a - b);
    const groups = [...new Set(label.values())].sort((a, b) => a - b);
    const groupId = new Map(groups.map((g) => [g, this.nextId++]));
    const restId = new Map<number, number>();
    for (const c of touched) {
      const hasRest = s.some((x, i) => x === c && !label.has(i));
      if (hasRest) restId.set(c, this.nextId++);
    }
    this.push(s.map((c, i) => (label.has(i) ? groupId.get(label.get(i)!)! : (restId.get(c) ?? c))));
    return [...groupId.values(), ...restId.values()];
  }
  undo(): boolean {
    const prev = this.undoStack.pop();
    if (!prev) return false;
    this.redoStack.push(this.state);
    this.state = prev;
    return true;
  }
  redo(): boolean {
    const next = this.redoStack.pop();
    if (!next) return false;
    this.undoStack.push(this.state);
    this.state = next;
    return true;
  }
  clusters(): number[] {
    return [...new Set(this.state)].sort((a, b) => a - b);
  }
  spikesOf(c: number): number[] {
    const out: number[] = [];
    this.state.forEach((x, i) => x === c && out.push(i));
    return out;
  }
}

type Cmd =
  | { t: 'merge'; picks: number[] }
  | { t: 'split'; pick: number; second: number | null; fraction: number; seed: number }
  | { t: 'assign'; pick: number; nGroups: number; seed: number }
  | { t: 'undo' }
  | { t: 'redo' }
  | { t: 'read'; pick: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('merge' as const), picks: fc.array(fc.nat(), { minLength: 2, maxLength: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('split' as const), pick: fc.nat(), second: fc.option(fc.nat()), fraction: fc.double({ min: 0.05, max: 0.95, noNaN: true }), seed: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('assign' as const), pick: fc.nat(), nGroups: fc.integer({ min: 2, max: 3 }), seed: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('undo' as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('redo' as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('read' as const), pick: fc.nat() }) },
);

/** Deterministic pseudo-random subset (the command's seed), so a shrunk counterexample replays. */
function subset(spikes: number[], fraction: number, seed: number): number[] {
  let x = seed | 1;
  return spikes.filter(() => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32 < fraction;
  });
}

function check(labels: ClusterLabels, mirror: ClusterLabels, ref: FlatReference): void {
  expect(Array.from(flatAssignment(labels.assignment))).toEqual(Array.from(ref.state));
  expect(Array.from(flatAssignment(mirror.assignment))).toEqual(Array.from(ref.state));
  for (let i = 0; i < ref.state.length; i++) expect(clusterOfSpike(labels.assignment, i)).toBe(ref.state[i]);
  expect(labels.clusterIds()).toEqual(ref.clusters());
  for (const c of ref.clusters()) {
    expect(labels.nSpikes(c)).toBe(ref.spikesOf(c).length);
    expect(Array.from(labels.spikeIds(c))).toEqual(ref.spikesOf(c));
  }
}

describe('segmented assignment = flat assignment', () => {
  it('random merges, splits, assigns, undos, redos and reads', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 20, max: 120 }), fc.array(cmd, { minLength: 1, maxLength: 40 }), (nClusters, nSpikes, cmds) => {
        const base = Int32Array.from({ length: nSpikes }, (_, i) => (i * 7 + (i >> 2)) % nClusters);
        const labels = new ClusterLabels(base);
        const mirror = new ClusterLabels(base);
        const cur = new Curation(labels, new ClusterMeta([], []));
        const ref = new FlatReference(Int32Array.from(base), labels.nextClusterId);
        const t = 'test';
        const follow = (u: { added: number[]; deleted: number[] }) => mirror.adopt(u.deleted, u.added, u.added.map((c) => labels.spikeIds(c)));
        for (const c of cmds) {
          const ids = ref.clusters();
          const at = (k: number) => ids[k % ids.length];
          if (c.t === 'merge') {
            const picks = [...new Set(c.picks.map(at))];
            if (picks.length < 2) continue;
            const { update } = cur.perform({ op: 'merge', clusters: picks }, undefined, t);
            expect(update.added).toEqual(ref.merge(picks));
            follow(update);
          } else if (c.t === 'split' || c.t === 'assign') {
            const from = [...new Set([at(c.pick), ...(c.t === 'split' && c.second !== null ? [at(c.second)] : [])])];
            const pool = from.flatMap((x) => ref.spikesOf(x)).sort((a, b) => a - b);
            const chosen = subset(pool, c.t === 'split' ? c.fraction : 0.7, c.seed);
            if (chosen.length === 0) continue;
            const groupLabels = c.t === 'assign' ? chosen.map((s, k) => (s + k + c.seed) % c.nGroups) : null;
            const nothing = new Set(chosen.map((s) => ref.state[s])).size === 1 && chosen.length === ref.spikesOf(ref.state[chosen[0]]).length && new Set(groupLabels ?? [0]).size === 1;
            if (nothing) continue;
            const spikes = [...chosen].reverse();
            const action = c.t === 'split' ? { op: 'split' as const, spikes } : { op: 'assign' as const, spikes, labels: [...groupLabels!].reverse() };
            const { update } = cur.perform(action, undefined, t);
            expect(update.added).toEqual(ref.assign(spikes, action.op === 'assign' ? action.labels : null));
            follow(update);
          } else if (c.t === 'undo') {
            const r = cur.undo(t);
            expect(r !== null).toBe(ref.undo());
            if (r) follow(r.update);
          } else if (c.t === 'redo') {
            const r = cur.redo(t);
            expect(r !== null).toBe(ref.redo());
            if (r) follow(r.update);
          } else {
            const k = at(c.pick);
            expect(Array.from(labels.spikeIds(k))).toEqual(ref.spikesOf(k));
          }
          check(labels, mirror, ref);
        }
      }),
      { numRuns: 300, seed: 16 },
    );
  });

  it('a merge chain rewrites no spike, and undoing it restores every list', () => {
    const base = Int32Array.from({ length: 1000 }, (_, i) => i % 50);
    const labels = new ClusterLabels(base);
    const segmentsBefore = labels.assignment.spikeSegments.slice();
    const changes = [];
    let acc = 0;
    for (let c = 1; c < 50; c++) {
      const ch = labels.merge([acc, c]);
      changes.push(ch);
      acc = ch.added[0];
    }
    // Every spike still points at its base segment: only the segment table changed.
    expect(Array.from(labels.assignment.spikeSegments)).toEqual(Array.from(segmentsBefore));
    expect(labels.clusterIds()).toEqual([acc]);
    expect(Array.from(labels.spikeIds(acc))).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    for (const ch of changes.reverse()) labels.undo(ch);
    expect(Array.from(flatAssignment(labels.assignment))).toEqual(Array.from(base));
    for (let c = 0; c < 50; c++) expect(Array.from(labels.spikeIds(c))).toEqual(Array.from({ length: 20 }, (_, k) => c + 50 * k));
  });
});
