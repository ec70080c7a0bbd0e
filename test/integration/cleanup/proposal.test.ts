/**
 * The split proposal on a generated `small` dataset, through the BackendHost's validated calls
 * (as both transports make them): early vs late shows a cluster's epochs as virtual clusters
 * whose waveforms, features and correlograms every provider computes like a real cluster's; a
 * cancel drops them (and their cached results); a session change of the source drops the proposal.
 * Re-cluster runs in the workers' background lane (in main for a Kwik file, phy-data); its commit
 * is one action that one undo reverts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendHost } from '../../../src/main/BackendHost';
import { WorkerPool } from '../../../src/main/compute/WorkerPool';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import type { AmplitudesData, CorrelogramsData, FeaturesData, ProposalChange, ProposalInfo, UpdateInfo, WaveformsData } from '../../../src/shared/ipc/contract';
import type { GroundTruth } from '../../../src/core/generate/groundTruth';
import { readFileSync } from 'node:fs';
import { buildWorkerBundle } from '../compute/workerBundle';
import { copyPhyData, hasPhyData, phyDataSkipReason } from '../../helpers/phyData';
import { flatAssignment } from '../../../src/core/session/SpikeAssignment';

let dir: string;
let host: BackendHost;
let pool: WorkerPool;
const changes: ProposalChange[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spikedock-proposal-'));
  await buildWorkerBundle();
  await generateDataset(join(dir, 'ds'), { preset: 'small', seed: 3, raw: false });
  pool = new WorkerPool({ interactiveThreads: 1, backgroundThreads: 1 });
  host = new BackendHost({ userDataDir: join(dir, 'user'), autosaveSeconds: 0, pool });
  host.on('onDidChangeProposal', (c) => changes.push(c));
  await host.openDataset(join(dir, 'ds'));
}, 120_000);

afterAll(async () => {
  await host?.dispose();
  await pool?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = <T>(service: string, method: string, ...args: unknown[]) => host.call(service, method, args) as Promise<T>;

/** The cluster with the most spikes. */
function largest(): number {
  const c = host.current!.session.clustering;
  return c.clusterIds().reduce((a, b) => (c.nSpikes(b) > c.nSpikes(a) ? b : a));
}

describe('proposal: early vs late (epochs)', () => {
  it('shows a cluster in 3 epochs as virtual clusters every view computes, refuses a commit, and cancel drops them', async () => {
    const source = largest();
    const spikes = host.current!.session.clustering.spikeIds(source);
    changes.length = 0;
    const info = await call<ProposalInfo>('proposal', 'propose', { kind: 'epochs', clusterIds: [source], n: 3 });
    expect(info.kind).toBe('epochs');
    expect(info.committable).toBe(false);
    expect(info.clusterIds).toEqual([source]);
    expect(info.parts).toHaveLength(3);
    const ids = info.parts.map((p) => p.id);
    for (const id of ids) expect(id).toBeLessThan(0);
    expect(new Set(ids).size).toBe(3);
    expect(info.parts.reduce((n, p) => n + p.nSpikes, 0)).toBe(spikes.length);
    expect(Math.max(...info.parts.map((p) => p.nSpikes)) - Math.min(...info.parts.map((p) => p.nSpikes))).toBeLessThanOrEqual(1);
    expect(changes).toEqual([{ proposal: info }]);
    expect(await call('proposal', 'current')).toEqual(info);

    // The epochs, in time order: part k is the k-th run of the cluster's spikes.
    const runs: number[][] = [];
    let o = 0;
    for (const p of info.parts) {
      runs.push(Array.from(spikes.subarray(o, o + p.nSpikes)));
      o += p.nSpikes;
    }

    const ccg = await call<CorrelogramsData>('viewData', 'correlograms', { clusterIds: ids, maxSpikes: 10_000_000 });
    expect(ccg.clusterIds).toEqual(ids);
    expect(ccg.stats.map((s) => s.nSpikes)).toEqual(info.parts.map((p) => p.nSpikes));
    // Epochs do not overlap in time: no cross-correlogram count between the first and the last.
    const nBins = ccg.nBins;
    const cross = ccg.counts.subarray((0 * 3 + 2) * nBins, (0 * 3 + 2) * nBins + nBins);
    expect(cross.reduce((a, b) => a + b, 0)).toBe(0);

    const wf = await call<WaveformsData>('viewData', 'waveforms', { clusterIds: ids, kind: 'templates' });
    const real = await call<WaveformsData>('viewData', 'waveforms', { clusterIds: [source], kind: 'templates' });
    expect(wf.clusters.map((c) => c.clusterId)).toEqual(ids);
    // A part's facts are its source's: the same best channels.
    for (const c of wf.clusters) expect(Array.from(c.channelIds)).toEqual(Array.from(real.clusters[0].channelIds));

    const ft = await call<FeaturesData>('viewData', 'features', { clusterIds: ids, nSpikes: 500 });
    expect(ft.clusters.map((c) => c.clusterId)).toEqual(ids);
    ft.clusters.forEach((c, k) => {
      expect(c.spikeIds.length).toBeGreaterThan(0);
      for (const s of c.spikeIds) expect(runs[k]).toContain(s);
    });
    // The grey background leaves the source cluster out, as it leaves a selected cluster out.
    const sc = flatAssignment(host.current!.session.clustering.assignment);
    for (const s of ft.background!.spikeIds) expect(sc[s]).not.toBe(source);

    await expect(call('proposal', 'commit', info.id)).rejects.toThrow(/nothing to commit/);

    await call('proposal', 'cancel');
    expect(changes[changes.length - 1]).toEqual({ proposal: null, reason: 'cancelled' });
    expect(await call('proposal', 'current')).toBeNull();
    // The parts are gone: a request for them is refused by name, not served from the cache.
    await expect(call('viewData', 'correlograms', { clusterIds: ids, maxSpikes: 10_000_000 })).rejects.toThrow(`viewData.correlograms: cluster ${ids[0]} is not a part of the proposal shown`);

    // A new proposal never reuses an id.
    const again = await call<ProposalInfo>('proposal', 'propose', { kind: 'epochs', clusterIds: [source] });
    expect(again.parts.map((p) => p.name)).toEqual([`${source} early`, `${source} late`]);
    for (const p of again.parts) expect(ids).not.toContain(p.id);
    expect(again.id).toBeGreaterThan(info.id);
    await call('proposal', 'cancel');
  });

  it('drops the proposal when the session changes its cluster, saying why', async () => {
    const source = largest();
    const other = host.current!.session.clustering.clusterIds().find((c) => c !== source)!;
    await call('proposal', 'propose', { kind: 'epochs', clusterIds: [source] });
    changes.length = 0;
    await call('session', 'merge', [source, other]);
    expect(changes).toHaveLength(1);
    expect(changes[0].proposal).toBeNull();
    expect(changes[0].reason).toMatch(new RegExp(`cluster ${source} changed \\(Merge`));
    await call('session', 'undo');
  });

  it('refuses a cluster that does not exist and a real action on a virtual id, naming them', async () => {
    await expect(call('proposal', 'propose', { kind: 'epochs', clusterIds: [999_999] })).rejects.toThrow(/epochs: cluster 999999 does not exist/);
    await expect(call('proposal', 'propose', { kind: 'epochs', clusterIds: [largest()], n: 5 })).rejects.toThrow(/invalid arguments to proposal.propose/);
    await expect(call('session', 'merge', [-1, -2])).rejects.toThrow(/invalid arguments to session.merge/);
    // A negative id that is no part shown: refused by name, and a prefetch of it computes nothing
    // (it used to reach the providers and crash the backend with an unhandled rejection).
    await expect(call('viewData', 'features', { clusterIds: [-999] })).rejects.toThrow(/viewData.features: cluster -999 is not a part of the proposal shown/);
    await expect(call('viewData', 'waveforms', { clusterIds: [largest(), -999], kind: 'templates' })).rejects.toThrow(/cluster -999 is not a part/);
    await call('viewData', 'features', { clusterIds: [largest()] });
    await call('viewData', 'prefetch', { clusterIds: [-1, largest()] });
    await host.current!.compute.prefetch([-5]);
    expect((await call<CorrelogramsData>('viewData', 'correlograms', { clusterIds: [largest()] })).stats).toHaveLength(1);
  });
});

describe('proposal: re-cluster in the background lane', () => {
  it('proposes the parts of a two-unit cluster, serves their view data, commits them as one action and one undo restores the exact assignment', async () => {
    const gt = JSON.parse(readFileSync(join(dir, 'ds', 'ground_truth.json'), 'utf8')) as GroundTruth;
    const c = gt.merged[0].cluster;
    const clustering = host.current!.session.clustering;
    const before = Int32Array.from(flatAssignment(clustering.assignment));
    const spikes = clustering.spikeIds(c);
    changes.length = 0;
    const info = await call<ProposalInfo>('proposal', 'propose', { kind: 'recluster', clusterId: c });
    expect(info.committable).toBe(true);
    expect(info.clusterIds).toEqual([c]);
    expect(info.parts.length).toBeGreaterThanOrEqual(2);
    expect(info.summary).toMatch(new RegExp(`^re-cluster of ${c}: ${info.parts.length} parts by BIC`));
    expect(info.parts.reduce((n, p) => n + p.nSpikes, 0)).toBe(spikes.length);
    // Parts by size, largest first; nothing changed in the curation yet.
    for (let k = 1; k < info.parts.length; k++) expect(info.parts[k].nSpikes).toBeLessThanOrEqual(info.parts[k - 1].nSpikes);
    expect(Array.from(flatAssignment(clustering.assignment))).toEqual(Array.from(before));
    const ids = info.parts.map((p) => p.id);

    const amps = await call<AmplitudesData>('viewData', 'amplitudes', { clusterIds: ids, kind: 'template', nSpikes: 1_000_000 });
    expect(amps.clusters.map((x) => x.spikeIds.length)).toEqual(info.parts.map((p) => p.nSpikes));
    const partOf = new Map<number, number>();
    amps.clusters.forEach((x, k) => x.spikeIds.forEach((s) => partOf.set(s, k)));
    expect(partOf.size).toBe(spikes.length);
    const ccg = await call<CorrelogramsData>('viewData', 'correlograms', { clusterIds: ids });
    expect(ccg.stats.map((x) => x.nSpikes)).toEqual(info.parts.map((p) => p.nSpikes));

    const u = await call<UpdateInfo>('proposal', 'commit', info.id, { selection: { clusterIds: [c] } });
    expect(u.kind).toBe('assign');
    expect(u.deleted).toEqual([c]);
    expect(u.added).toHaveLength(info.parts.length);
    expect(u.description).toMatch(new RegExp(`^Split ${c} into ${info.parts.length} \\(re-cluster\\)`));
    expect(changes[changes.length - 1]).toEqual({ proposal: null, reason: 'accepted' });
    // Part k became the k-th new cluster, spike for spike.
    for (const s of spikes) expect(clustering.clusterOf(s)).toBe(u.added[partOf.get(s)!]);
    expect((await call<unknown[]>('session', 'history')).length).toBeGreaterThan(0);

    const undo = await call<UpdateInfo>('session', 'undo');
    expect(undo.added).toEqual([c]);
    expect(Array.from(flatAssignment(clustering.assignment))).toEqual(Array.from(before));
  });
});

describe.skipIf(!hasPhyData)(`proposal: re-cluster of a Kwik file in the app (${hasPhyData ? 'phy-data present' : phyDataSkipReason})`, () => {
  it('runs in main (the workers do not read .kwx features), shows the parts, commits one split and one undo restores the assignment', async () => {
    const kwikDir = copyPhyData('kwik');
    const kwikPool = new WorkerPool({ interactiveThreads: 1, backgroundThreads: 1 });
    const kwikHost = new BackendHost({ userDataDir: join(dir, 'user-kwik'), autosaveSeconds: 0, pool: kwikPool });
    try {
      await kwikHost.openDataset(kwikDir);
      const k = <T>(service: string, method: string, ...args: unknown[]) => kwikHost.call(service, method, args) as Promise<T>;
      const clustering = kwikHost.current!.session.clustering;
      const c = clustering.clusterIds().reduce((a, b) => (clustering.nSpikes(b) > clustering.nSpikes(a) ? b : a));
      const before = Int32Array.from(flatAssignment(clustering.assignment));
      const info = await k<ProposalInfo>('proposal', 'propose', { kind: 'recluster', clusterId: c, n: 2 });
      expect(info.parts).toHaveLength(2);
      expect(info.parts.reduce((n, p) => n + p.nSpikes, 0)).toBe(clustering.nSpikes(c));
      const ccg = await k<CorrelogramsData>('viewData', 'correlograms', { clusterIds: info.parts.map((p) => p.id) });
      expect(ccg.stats.map((x) => x.nSpikes)).toEqual(info.parts.map((p) => p.nSpikes));
      const u = await k<UpdateInfo>('proposal', 'commit', info.id, { selection: { clusterIds: [c] } });
      expect(u.deleted).toEqual([c]);
      expect(u.added).toHaveLength(2);
      await k('session', 'undo');
      expect(Array.from(flatAssignment(clustering.assignment))).toEqual(Array.from(before));
    } finally {
      await kwikHost.dispose();
      await kwikPool.close();
      rmSync(dirname(kwikDir), { recursive: true, force: true });
    }
  }, 120_000);
});
