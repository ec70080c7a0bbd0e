import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseClusterTable } from '../../../src/core/formats/tsv';
import { SessionService } from '../../../src/main/session/SessionService';
import type { UpdateInfo } from '../../../src/core/session/UpdateInfo';
import { memoryDataset } from '../../unit/core/session/memoryDataset';
import { bombcellDefaultRules } from '../../../src/core/rules/bombcell';
import { formatRuleFile } from '../../../src/core/rules/ruleFile';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'spikedock-applylabels-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const dataset = (dir: string) => memoryDataset({ dir, nSpikes: 5_000, nClusters: 8, groups: [[1, 'good'], [2, 'unsorted'], [3, 'noise']] });
async function groupsOf(s: SessionService, ids: number[]): Promise<Array<string | null>> {
  const snap = await s.snapshot();
  return ids.map((id) => snap.clusters.find((c) => c.id === id)!.group);
}

describe('SessionService.applyLabels', () => {
  it('labels only unlabelled clusters as one journaled action; undo restores, redo reapplies, reopening replays it', async () => {
    const dir = tempDir();
    const s = await SessionService.open(dataset(dir), { autosaveSeconds: 0 });
    const seen: UpdateInfo[] = [];
    s.onDidChange((u) => seen.push(u));
    const ids = [0, 1, 2, 3, 4];
    const u = await s.applyLabels({ clusterIds: ids, values: ['mua', 'noise', 'good', 'mua', 'noise'], source: 'test rules' }, { selection: { clusterIds: [4] } });
    // 1 (good) and 3 (noise) keep their groups; 2 (unsorted) counts as unlabelled.
    expect(u!.metadata).toEqual({ field: 'group', clusterIds: [0, 2, 4], value: null, values: ['mua', 'good', 'noise'] });
    expect(u!.description).toBe('Label 3 clusters (test rules): mua 1, good 1, noise 1');
    expect(seen).toHaveLength(1);
    expect(await groupsOf(s, ids)).toEqual(['mua', 'good', 'good', 'noise', 'noise']);
    expect((await s.history()).map((h) => h.kind)).toEqual(['metadata']);

    await s.undo();
    expect(await groupsOf(s, ids)).toEqual([null, 'good', 'unsorted', 'noise', null]);
    await s.redo();
    expect(await groupsOf(s, ids)).toEqual(['mua', 'good', 'good', 'noise', 'noise']);
    await s.undo();
    await s.redo();
    await s.close();

    const s2 = await SessionService.open(dataset(dir), { autosaveSeconds: 0 });
    expect(await groupsOf(s2, ids)).toEqual(['mua', 'good', 'good', 'noise', 'noise']);
    await s2.undo();
    expect(await groupsOf(s2, ids)).toEqual([null, 'good', 'unsorted', 'noise', null]);
    await s2.redo();
    // The save writes the rule labels to cluster_group.tsv like any label.
    await s2.save();
    const table = parseClusterTable(fs.readFileSync(path.join(dir, 'cluster_group.tsv'), 'utf8'), 'cluster_group.tsv');
    const saved = table.fields.get('group') ?? table.fields.get('KSLabel');
    expect([0, 1, 2, 3, 4].map((id) => saved!.get(id))).toEqual(['mua', 'good', 'good', 'noise', 'noise']);
    await s2.close();
  });

  it('with overwrite, relabels labelled clusters too (leaving out those already right), and says null when nothing changes', async () => {
    const dir = tempDir();
    const s = await SessionService.open(dataset(dir), { autosaveSeconds: 0 });
    const u = await s.applyLabels({ clusterIds: [1, 3, 5], values: ['mua', 'noise', 'good'], overwrite: true });
    expect(u!.metadata!.clusterIds).toEqual([1, 5]);
    expect(await groupsOf(s, [1, 3, 5])).toEqual(['mua', 'noise', 'good']);
    expect(await s.applyLabels({ clusterIds: [1, 3], values: ['mua', 'noise'], overwrite: true })).toBeNull();
    expect(await s.applyLabels({ clusterIds: [1, 3, 5], values: ['good', 'good', 'good'] })).toBeNull();
    expect((await s.history()).length).toBe(1);
    await s.undo();
    expect(await groupsOf(s, [1, 3, 5])).toEqual(['good', 'noise', null]);
    await s.close();
  });

  it('refuses a cluster that does not exist, naming it, and changes nothing', async () => {
    const dir = tempDir();
    const s = await SessionService.open(dataset(dir), { autosaveSeconds: 0 });
    await expect(s.applyLabels({ clusterIds: [0, 999], values: ['mua', 'mua'] })).rejects.toThrow('cluster 999 does not exist');
    expect((await s.history()).length).toBe(0);
    expect(await groupsOf(s, [0])).toEqual([null]);
    await s.close();
  });

  it('keeps the rule set applied with the dataset; a saved file that cannot be used is refused, naming the file', async () => {
    const dir = tempDir();
    const s = await SessionService.open(dataset(dir), { autosaveSeconds: 0 });
    expect(await s.labelRules()).toBeNull();
    const rules = bombcellDefaultRules();
    await s.applyLabels({ clusterIds: [0], values: ['mua'], rules, source: "Bombcell's defaults" });
    expect(await s.labelRules()).toEqual(rules);
    const file = path.join(dir, '.spikedock', 'label_rules.json');
    expect(fs.readFileSync(file, 'utf8')).toBe(formatRuleFile(rules));
    // Even when nothing changes, the rules asked for are kept (they are the active set now).
    const other = { labels: [{ label: 'noise', thresholds: { snr: { min: 1 } } }], otherwise: null };
    expect(await s.applyLabels({ clusterIds: [0], values: ['mua'], rules: other })).toBeNull();
    expect(await s.labelRules()).toEqual(other);
    fs.writeFileSync(file, '{"labels": [{"label": "mua", "thresholds": {"snr": {"min": "x"}}}]}');
    await expect(s.labelRules()).rejects.toThrow(`${file}: labels[0].thresholds.snr.min: expected a number or null, got "x"`);
    // A bad rule set from a client is refused before anything is labelled.
    await expect(s.applyLabels({ clusterIds: [1], values: ['mua'], overwrite: true, rules: { labels: 'x' } as never })).rejects.toThrow('applyLabels: rules: labels: expected a list');
    expect((await s.history()).length).toBe(1);
    await s.close();
  });
});
