// The review queue on phy's own template folder (a temp copy): a SpikeInterface curation.json
// beside the dataset is imported at open, decisions and accepts are journaled, and a restart
// finds the same states.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendHost } from '../../../src/main/BackendHost';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import type { ReviewImportResult, ReviewList, UpdateInfo } from '../../../src/shared/ipc/contract';
import { copyPhyData, hasPhyData, phyDataSkipReason } from '../../helpers/phyData';

const hosts: BackendHost[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.dispose();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function open(dataset: string, user: string): Promise<{ host: BackendHost; messages: string[] }> {
  const host = new BackendHost({ userDataDir: user, autosaveSeconds: 0 });
  hosts.push(host);
  const messages: string[] = [];
  host.on('onDidMessage', (m) => messages.push(m.text));
  await host.openDataset(dataset);
  // The computed suggestions are scored in the background: let them settle first.
  await host.current!.suggestions.whenReady();
  return { host, messages };
}

const list = (h: BackendHost) => h.call('review', 'list', []) as Promise<ReviewList>;
/** The items a curation file proposed (computed suggestions may list other pairs too). */
const imported = async (h: BackendHost) => (await list(h)).items.filter((it) => it.sources.includes('curation.json'));
const stateOf = async (h: BackendHost, id: string) => (await list(h)).items.find((it) => it.id === id)?.state;

if (!hasPhyData) console.warn(`skipping review queue tests: ${phyDataSkipReason}`);

describe.skipIf(!hasPhyData)('review queue on phy-data (template)', () => {
  it('imports curation.json beside the dataset, journals reject and accept, undo reopens, and a restart finds the states', async () => {
    const dataset = copyPhyData('template');
    dirs.push(dirname(dataset));
    const user = mkdtempSync(join(tmpdir(), 'spikedock-user-'));
    dirs.push(user);
    const probe = await open(dataset, user);
    const ids = probe.host.current!.session.curation.labels.clusterIds();
    await probe.host.dispose();
    hosts.length = 0;
    const [a, b, c, d] = ids;
    // SpikeInterface's shapes: ints, digit strings, and a group naming a unit this dataset lacks.
    const file = join(dataset, 'curation.json');
    writeFileSync(file, JSON.stringify({ format_version: '2', unit_ids: ids, merges: [{ unit_ids: [a, b] }, { unit_ids: [String(c), String(d)] }, { unit_ids: [a, 99999] }] }));

    const { host, messages } = await open(dataset, user);
    expect(messages).toContain(`2 merge proposals read from ${file} into the review queue (SuggestionsView)`);
    expect(messages).toContain(`${file}: merges[2] names unit 99999, not a cluster of this dataset (unit ids must be the sorter's cluster ids); that merge proposal is skipped`);
    const first = await list(host);
    expect((await imported(host)).map((it) => [it.id, it.state])).toEqual([
      [`${a}+${b}`, 'pending'],
      [`${c}+${d}`, 'pending'],
    ]);
    expect(first.suggestions.state).toBe('ready');
    expect(first.files).toEqual([file]);

    const summaries: number[] = [];
    host.on('onDidChangeReview', (s) => summaries.push(s.pending));
    const afterReject = (await host.call('review', 'decide', [`${c}+${d}`, 'reject'])) as ReviewList;
    expect(afterReject.items.find((it) => it.id === `${c}+${d}`)!.state).toBe('rejected');
    const merged = (await host.call('session', 'merge', [[a, b], { selection: { clusterIds: [a, b] }, reviewItem: `${a}+${b}` }])) as UpdateInfo;
    expect(await stateOf(host, `${a}+${b}`)).toBe('accepted');
    expect((await list(host)).items.find((it) => it.id === `${a}+${b}`)!.mergedInto).toBe(merged.added[0]);
    await host.call('session', 'undo', []);
    expect(await stateOf(host, `${a}+${b}`)).toBe('pending');
    await host.call('session', 'redo', []);
    expect(await stateOf(host, `${a}+${b}`)).toBe('accepted');
    // An event per change (reject, merge, undo, redo), and one more when the suggestions of a
    // change's new clusters are scored; the pending count falls by one with the reject.
    expect(summaries.length).toBeGreaterThanOrEqual(4);
    expect(summaries[0]).toBe(first.pending - 1);
    // The journal holds the import, the decision and the accepted item of the merge.
    const journal = readFileSync(host.current!.session.journalPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: string; review?: string });
    expect(journal.map((r) => r.t)).toEqual(['header', 'proposals', 'decide', 'op', 'undo', 'redo']);
    expect(journal[3].review).toBe(`${a}+${b}`);
    await host.dispose();
    hosts.length = 0;

    const again = await open(dataset, user);
    expect((await imported(again.host)).map((it) => [it.id, it.state])).toEqual([
      [`${a}+${b}`, 'accepted'],
      [`${c}+${d}`, 'rejected'],
    ]);
    // Already imported: not read twice.
    expect(again.messages.filter((m) => m.includes('merge proposal'))).toEqual([]);
    await again.host.call('session', 'undo', []);
    expect(await stateOf(again.host, `${a}+${b}`)).toBe('pending');
    await again.host.call('review', 'decide', [`${c}+${d}`, 'reset']);
    expect(await stateOf(again.host, `${c}+${d}`)).toBe('pending');
  });

  it('imports a file from the menu, and refuses bad files and bad decisions with messages naming them', async () => {
    const dataset = copyPhyData('template');
    dirs.push(dirname(dataset));
    const user = mkdtempSync(join(tmpdir(), 'spikedock-user-'));
    dirs.push(user);
    const { host } = await open(dataset, user);
    const ids = host.current!.session.curation.labels.clusterIds();
    const elsewhere = join(user, 'proposals.json');
    writeFileSync(elsewhere, JSON.stringify({ format_version: '1', unit_ids: ids, merge_unit_groups: [[ids[5], ids[6], ids[7]]] }));
    const r = (await host.call('review', 'import', [elsewhere])) as ReviewImportResult;
    expect(r).toEqual({ file: elsewhere, proposals: 1, messages: [] });
    expect((await imported(host)).map((it) => it.id)).toEqual([`${ids[5]}+${ids[6]}+${ids[7]}`]);

    const missing = join(user, 'nope.json');
    await expect(host.call('review', 'import', [missing])).rejects.toThrow(`cannot read ${missing}: file not found`);
    const broken = join(user, 'broken.json');
    writeFileSync(broken, '{"format_version": "2", "merges": [');
    await expect(host.call('review', 'import', [broken])).rejects.toThrow(`${broken}: not valid JSON`);
    await expect(host.call('review', 'import', [user])).rejects.toThrow(`cannot read ${user}: is a folder, not a file`);
    await expect(host.call('review', 'decide', ['1+2000000', 'reject'])).rejects.toThrow('review.decide: 1+2000000 is not an item of the review queue');
    await expect(host.call('review', 'decide', ['abc', 'reject'])).rejects.toThrow('invalid arguments to review.decide: 0: a review item id is cluster ids joined by + (e.g. 3+7)');
    await expect(host.call('review', 'decide', [`${ids[5]}+${ids[6]}+${ids[7]}`, 'accept'])).rejects.toThrow('invalid arguments to review.decide: 1');
    await expect(host.call('session', 'merge', [[ids[0], ids[1]], { reviewItem: 'x' }])).rejects.toThrow('invalid arguments to session.merge');
    // The queue still works after the refusals.
    expect((await imported(host)).map((it) => it.state)).toEqual(['pending']);
  });

  it('does not import the curation.json that its own save wrote', async () => {
    const dataset = copyPhyData('template');
    dirs.push(dirname(dataset));
    const user = mkdtempSync(join(tmpdir(), 'spikedock-user-'));
    dirs.push(user);
    const { host } = await open(dataset, user);
    const ids = host.current!.session.curation.labels.clusterIds();
    await host.call('session', 'merge', [[ids[0], ids[1]]]);
    await host.call('session', 'save', []);
    await host.dispose();
    hosts.length = 0;
    const again = await open(dataset, user);
    expect(await imported(again.host)).toEqual([]);
    expect(again.messages.filter((m) => m.includes('curation.json'))).toEqual([]);
  });
});

describe('computed merge suggestions in the review queue (generated data with ground truth)', () => {
  it('scores in the background, lists the over-split pair, annotates similar clusters, and remembers an accepted suggestion after a restart', async () => {
    const root = mkdtempSync(join(tmpdir(), 'spikedock-suggest-'));
    dirs.push(root);
    const dataset = join(root, 'ds');
    await generateDataset(dataset, { preset: 'small', seed: 1, raw: false });
    const truth = JSON.parse(readFileSync(join(dataset, 'ground_truth.json'), 'utf8')) as { overSplits: Array<{ clusters: number[] }> };
    const pair = truth.overSplits.map((o) => [...o.clusters].sort((x, y) => x - y)).find((g) => g.length === 2)!;
    const user = join(root, 'user');
    const { host } = await open(dataset, user);
    const q = await list(host);
    expect(q.suggestions).toEqual({ state: 'ready' });
    const item = q.items.find((it) => it.id === pair.join('+'));
    expect(item, `the over-split pair ${pair.join('+')} is suggested`).toBeDefined();
    expect(item!.sources).toEqual(['suggested']);
    expect(item!.score).toBeGreaterThanOrEqual(0.8);
    expect(item!.evidence.template_similarity).toBeGreaterThan(0.9);
    // Best first.
    const scores = q.items.map((it) => it.score ?? -Infinity);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    const similar = (await host.call('session', 'similar', [pair[0]])) as Array<{ id: number; score?: number | null }>;
    expect(similar.find((r) => r.id === pair[1])!.score).toBe(item!.score);

    await host.call('session', 'merge', [pair, { reviewItem: item!.id }]);
    await host.current!.suggestions.whenReady();
    expect(await stateOf(host, item!.id)).toBe('accepted');
    await host.dispose();
    hosts.length = 0;
    const again = await open(dataset, user);
    const after = (await list(again.host)).items.find((it) => it.id === item!.id);
    expect(after).toMatchObject({ state: 'accepted', sources: ['suggested'] });
  });
});
