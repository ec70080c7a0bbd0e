/**
 * Merge suggestions on a generated `small` dataset, judged by its ground truth, and kept current
 * incrementally: after a merge, `update(added, deleted)` must give exactly the pairs a fresh
 * scoring of the new clustering gives. Then `spikedock suggest` on the same folder (one
 * generated dataset for both, to spare the CPU).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { openDataset } from '../../../src/main/openDataset';
import { ClusterLabels } from '../../../src/core/session/ClusterLabels';
import { EVIDENCE_MIN_SIMILARITY, FEATURE_MIN_SIMILARITY, MergeSuggester } from '../../../src/core/suggest/MergeSuggester';
import type { GroundTruth } from '../../../src/core/generate/groundTruth';
import type { Dataset } from '../../../src/core/dataset/Dataset';
import { main } from '../../../src/main/cli';
import type { CliIo } from '../../../src/main/commands/types';

let dir = '';
let ds: Dataset;
let gt: GroundTruth;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spikedock-suggest-'));
  await generateDataset(dir, { preset: 'small', seed: 3, raw: false });
  gt = JSON.parse(readFileSync(join(dir, 'ground_truth.json'), 'utf8')) as GroundTruth;
  ds = await openDataset(dir, { shared: false });
});

afterAll(() => {
  ds?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('MergeSuggester on generated data', () => {
  it('scores neighbouring pairs with every evidence term, best first, deterministically', () => {
    const s = new MergeSuggester(ds, new ClusterLabels(ds.spikeClusters));
    s.scoreAll();
    const all = s.all();
    expect(all.length).toBeGreaterThan(10);
    for (let i = 1; i < all.length; i++) expect(all[i - 1].score).toBeGreaterThanOrEqual(all[i].score);
    for (const p of all) {
      expect(p.clusters[0]).toBeLessThan(p.clusters[1]);
      expect(Object.keys(p.evidence)).toContain('template_similarity');
      expect(p.evidence.template_similarity).not.toBeNull();
      // The costly spike-train and feature terms only for pairs whose waveforms could be one unit.
      const costly = p.evidence.template_similarity! >= EVIDENCE_MIN_SIMILARITY;
      expect(p.evidence.ccg_expected !== null).toBe(costly);
      expect(p.evidence.feature_mixing !== null).toBe(p.evidence.template_similarity! >= FEATURE_MIN_SIMILARITY);
    }
    const again = new MergeSuggester(ds, new ClusterLabels(ds.spikeClusters));
    again.scoreAll();
    expect(again.all()).toEqual(all);
  });

  it("ranks every over-split cluster's true partner among its top 3", () => {
    const s = new MergeSuggester(ds, new ClusterLabels(ds.spikeClusters));
    s.scoreAll();
    const splits = gt.overSplits.filter((o) => o.clusters.length > 1);
    expect(splits.length).toBeGreaterThan(0);
    for (const o of splits) {
      for (const c of o.clusters) {
        const top3 = s.forCluster(c).slice(0, 3).map((p) => (p.clusters[0] === c ? p.clusters[1] : p.clusters[0]));
        expect(top3.some((d) => o.clusters.includes(d)), `cluster ${c}: top 3 ${top3}, partners ${o.clusters}`).toBe(true);
      }
    }
  });

  it('after a merge, update(added, deleted) equals a fresh scoring of the new clustering', () => {
    const labels = new ClusterLabels(ds.spikeClusters);
    const s = new MergeSuggester(ds, labels);
    s.scoreAll();
    const [a, b] = s.all()[0].clusters;
    const change = labels.merge([a, b]);
    s.update(change.added, change.deleted);
    expect(s.forCluster(a)).toEqual([]);
    expect(s.forCluster(change.added[0]).length).toBeGreaterThan(0);
    const fresh = new MergeSuggester(ds, labels);
    fresh.scoreAll();
    expect(s.all()).toEqual(fresh.all());
    // And back: undo restores the parents, whose pairs come back as they were.
    labels.undo(change);
    s.update(change.deleted, change.added);
    const before = new MergeSuggester(ds, labels);
    before.scoreAll();
    expect(s.all()).toEqual(before.all());
    // A split: the two new clusters' pairs are read and scored, equal to a fresh scoring.
    const big = labels.clusterIds().reduce((x, y) => (labels.nSpikes(y) > labels.nSpikes(x) ? y : x));
    const ids = labels.spikeIds(big);
    const split = labels.split(ids.filter((_, k) => k % 3 === 0));
    s.update(split.added, split.deleted);
    const afterSplit = new MergeSuggester(ds, labels);
    afterSplit.scoreAll();
    expect(s.all()).toEqual(afterSplit.all());
  });
});

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => '' };
  const code = await main(['suggest', ...argv], io);
  return { code, stdout, stderr };
}

type Row = { clusters: [number, number]; score: number; evidence: Record<string, number | null> };

describe('spikedock suggest', () => {
  let all: Row[] = [];

  beforeAll(async () => {
    const r = await cli(dir, '--json');
    expect(r.code).toBe(0);
    all = JSON.parse(r.stdout) as Row[];
  });

  it('--json prints every pair with evidence, best first, as the core scores them', () => {
    const s = new MergeSuggester(ds, new ClusterLabels(ds.spikeClusters));
    s.scoreAll();
    expect(all).toEqual(JSON.parse(JSON.stringify(s.all())));
    for (const r of all) {
      expect(Object.keys(r)).toEqual(['clusters', 'score', 'evidence']);
      expect(Object.values(r.evidence).some((v) => v !== null)).toBe(true);
    }
    // The true over-split pairs come first, above the near-twin distractors.
    const truePairs = new Set(gt.overSplits.flatMap((o) => o.clusters.flatMap((a) => o.clusters.filter((b) => a < b).map((b) => `${a}:${b}`))));
    const ranks = all.map((r, i) => (truePairs.has(r.clusters.join(':')) ? i : -1)).filter((i) => i >= 0);
    expect(ranks).toEqual([...truePairs].map((_, i) => i));
    const distractor = gt.distractors.map((d) => all.findIndex((r) => r.clusters.join(':') === [...d.clusters].sort((a, b) => a - b).join(':')));
    for (const i of distractor) expect(i).toBeGreaterThanOrEqual(truePairs.size);
  });

  it('--cluster N lists only N\'s pairs, best first; --top N keeps the N best', async () => {
    const c = gt.overSplits[0].clusters[0];
    const r = await cli(dir, '--json', '--cluster', String(c));
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Row[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(all.filter((x) => x.clusters.includes(c)));
    expect(gt.overSplits[0].clusters).toContain(rows[0].clusters.find((x) => x !== c));
    const top = JSON.parse((await cli(dir, '--json', '--top', '3')).stdout) as Row[];
    expect(top).toEqual(all.slice(0, 3));
  });

  it('prints an aligned table by default', async () => {
    const r = await cli(dir, '--top', '5');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^clusters +score +template_similarity +template_lag +distance_um/);
    expect(lines.length).toBe(6);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it('rejects bad arguments and an unknown cluster with a clear message', async () => {
    const unknown = await cli(dir, '--cluster', '99999');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/cluster 99999 does not exist/);
    for (const [args, msg] of [
      [['--cluster', 'x'], /--cluster must be a non-negative integer \(got 'x'\)/],
      [['--cluster', '-3'], /--cluster must be a non-negative integer/],
      [['--top', '0'], /--top must be a positive integer/],
      [['--top', '2.5'], /--top must be a positive integer/],
      [['--bogus'], /unknown option --bogus/],
    ] as const) {
      const r = await cli(dir, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    const missing = join(dir, 'no-such-folder');
    const r = await cli(missing);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(missing);
    expect((await cli()).code).toBe(2);
  });
});
