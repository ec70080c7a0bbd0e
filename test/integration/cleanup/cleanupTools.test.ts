/**
 * The amplitude-threshold split, outlier removal and duplicate spikes (#14) through the
 * BackendHost's validated calls on a generated `small` dataset: each proposes parts that the views
 * compute as virtual clusters, commits as ONE split of every spike of the cluster (outliers
 * labelled noise in the same record), and one undo restores the exact previous spike_clusters and
 * groups. Tools that would take nothing are refused with a message naming the cluster.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendHost } from '../../../src/main/BackendHost';
import { WorkerPool } from '../../../src/main/compute/WorkerPool';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { censoredSamples, duplicatesWithin } from '../../../src/core/cleanup/duplicates';
import type { AmplitudesData, ProposalInfo, SessionSnapshot, UpdateInfo, WaveformsData } from '../../../src/shared/ipc/contract';
import { buildWorkerBundle } from '../compute/workerBundle';
import { flatAssignment } from '../../../src/core/session/SpikeAssignment';

let dir: string;
let host: BackendHost;
let pool: WorkerPool;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spikedock-cleanup-tools-'));
  await buildWorkerBundle();
  await generateDataset(join(dir, 'ds'), { preset: 'small', seed: 3, raw: false });
  pool = new WorkerPool({ interactiveThreads: 1, backgroundThreads: 1 });
  host = new BackendHost({ userDataDir: join(dir, 'user'), autosaveSeconds: 0, pool });
  await host.openDataset(join(dir, 'ds'));
}, 120_000);

afterAll(async () => {
  await host?.dispose();
  await pool?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = <T>(service: string, method: string, ...args: unknown[]) => host.call(service, method, args) as Promise<T>;
const clustering = () => host.current!.session.clustering;
const dataset = () => host.current!.session.dataset;
const checkpoint = () => Int32Array.from(flatAssignment(clustering().assignment));
const groups = async () => new Map((await call<SessionSnapshot>('session', 'snapshot')).clusters.map((c) => [c.id, c.group]));

function largest(): number {
  const c = clustering();
  return c.clusterIds().reduce((a, b) => (c.nSpikes(b) > c.nSpikes(a) ? b : a));
}

/** Commits the proposal, checks that its parts became new clusters with exactly their spikes, then undoes and checks the checkpoint. */
async function commitAndUndo(info: ProposalInfo, expectedParts: number[][], before: Int32Array): Promise<{ u: UpdateInfo; groupsAfter: Map<number, string | null>; sizes: Map<number, number> }> {
  const beforeGroups = await groups();
  const u = await call<UpdateInfo>('proposal', 'commit', info.id);
  expect(u.deleted).toEqual(info.clusterIds);
  expect(u.added).toHaveLength(expectedParts.length);
  const got = u.added.map((c) => Array.from(clustering().spikeIds(c))).sort((a, b) => a[0] - b[0]);
  expect(got).toEqual(expectedParts.map((p) => p.slice()).sort((a, b) => a[0] - b[0]));
  const groupsAfter = await groups();
  const sizes = new Map(u.added.map((c) => [c, clustering().nSpikes(c)]));
  await call('session', 'undo');
  expect(Array.from(flatAssignment(clustering().assignment))).toEqual(Array.from(before));
  expect(await groups()).toEqual(beforeGroups);
  return { u, groupsAfter, sizes };
}

describe('amplitude-threshold split', () => {
  it('proposes the spikes below the threshold (every spike, exact), shows them as parts, commits one split, undo restores', async () => {
    const c = largest();
    const spikes = Array.from(clustering().spikeIds(c));
    const amp = dataset().amplitudes!;
    const sorted = spikes.map((i) => amp[i]).sort((a, b) => a - b);
    const threshold = sorted[Math.floor(sorted.length / 3)];
    const below = spikes.filter((i) => amp[i] < threshold);
    const above = spikes.filter((i) => !(amp[i] < threshold));
    const before = checkpoint();
    const info = await call<ProposalInfo>('proposal', 'propose', { kind: 'amplitudeThreshold', clusterId: c, amplitudeKind: 'template', threshold });
    expect(info.clusterIds).toEqual([c]);
    expect(info.committable).toBe(true);
    expect(info.parts.map((p) => p.nSpikes)).toEqual([above.length, below.length]);
    expect(info.summary).toContain(`${c}: ${below.length.toLocaleString('en-US')} of ${spikes.length.toLocaleString('en-US')} spikes below`);
    // AmplitudeView and WaveformView of the parts (the preview).
    const ids = info.parts.map((p) => p.id);
    const a = await call<AmplitudesData>('viewData', 'amplitudes', { clusterIds: ids, kind: 'template', nSpikes: 1_000_000 });
    expect(Array.from(a.clusters[1].spikeIds)).toEqual(below);
    expect(Math.max(...a.clusters[1].amplitudes)).toBeLessThan(threshold);
    expect(Math.min(...a.clusters[0].amplitudes)).toBeGreaterThanOrEqual(threshold);
    const wf = await call<WaveformsData>('viewData', 'waveforms', { clusterIds: ids, kind: 'templates' });
    expect(wf.clusters.map((x) => x.clusterId)).toEqual(ids);
    await commitAndUndo(info, [above, below], before);
  });

  it('refuses a threshold under every spike or over every spike, naming the cluster', async () => {
    const c = largest();
    const amp = Array.from(clustering().spikeIds(c), (i) => dataset().amplitudes![i]);
    const lo = Math.min(...amp);
    const hi = Math.max(...amp);
    await expect(call('proposal', 'propose', { kind: 'amplitudeThreshold', clusterId: c, amplitudeKind: 'template', threshold: lo })).rejects.toThrow(new RegExp(`threshold split of cluster ${c}: no spike is below the threshold`));
    await expect(call('proposal', 'propose', { kind: 'amplitudeThreshold', clusterId: c, amplitudeKind: 'template', threshold: hi + 1 })).rejects.toThrow(/every spike .* is below the threshold/);
    await expect(call('proposal', 'propose', { kind: 'amplitudeThreshold', clusterId: c, amplitudeKind: 'raw', threshold: 1 })).rejects.toThrow(/raw amplitudes/);
    expect(await call('proposal', 'current')).toBeNull();
  });
});

describe('outlier removal', () => {
  it('proposes the far spikes labelled noise; the commit labels the new cluster noise in the same action; undo restores both', async () => {
    const c = largest();
    const before = checkpoint();
    const info = await call<ProposalInfo>('proposal', 'propose', { kind: 'outliers', clusterId: c });
    expect(info.parts.map((p) => p.group)).toEqual([null, 'noise']);
    expect(info.summary).toMatch(/outliers of [\d,]+ spikes \(Mahalanobis D² > 32\.91, χ² 99\.9 %, 12 dims\) → noise/);
    const r = await host.current!.compute.outlierSpikes(c);
    const out = Array.from(r.outliers);
    const kept = Array.from(clustering().spikeIds(c)).filter((s) => !out.includes(s));
    const { u, groupsAfter, sizes } = await commitAndUndo(info, [kept, out], before);
    // The outliers' new cluster is noise, the kept spikes' is not.
    expect(u.added.filter((id) => groupsAfter.get(id) === 'noise').map((id) => sizes.get(id))).toEqual([out.length]);
  });
});

describe('duplicate spikes', () => {
  const censored = () => censoredSamples(0.2, dataset().sampleRate);
  const timesOf = (c: number) => Float64Array.from(clustering().spikeIds(c), (i) => dataset().spikeTimes[i]);

  it('within one cluster: the later spike of each pair ≤ 0.2 ms; commit and undo', async () => {
    const c = clustering()
      .clusterIds()
      .find((id) => duplicatesWithin(timesOf(id), censored()).length > 0)!;
    expect(c).toBeDefined();
    const all = Array.from(clustering().spikeIds(c));
    const dup = Array.from(duplicatesWithin(timesOf(c), censored()), (k) => all[k]);
    const before = checkpoint();
    const info = await call<ProposalInfo>('proposal', 'propose', { kind: 'duplicates', clusterIds: [c] });
    expect(info.summary).toBe(`${c}: ${dup.length} duplicate spikes (≤ 0.2 ms (6 samples) after the previous one)`);
    await commitAndUndo(info, [all.filter((s) => !dup.includes(s)), dup], before);
  });

  it('across two clusters: the second cluster\'s spikes within 0.2 ms of one of the first', async () => {
    // Make the case: split a cluster's duplicates off together with its 20 first other spikes.
    const a0 = clustering()
      .clusterIds()
      .find((id) => duplicatesWithin(timesOf(id), censored()).length > 1)!;
    const all = Array.from(clustering().spikeIds(a0));
    const dup = Array.from(duplicatesWithin(timesOf(a0), censored()), (k) => all[k]);
    const extra = all.filter((s) => !dup.includes(s) && !dup.some((d) => Math.abs(dataset().spikeTimes[d] - dataset().spikeTimes[s]) <= 100)).slice(0, 20);
    const moved = [...dup, ...extra].sort((x, y) => x - y);
    const u = await call<UpdateInfo>('session', 'split', { kind: 'spikes', spikeIds: Int32Array.from(moved) });
    const b = u.added.find((id) => clustering().nSpikes(id) === moved.length)!;
    const a = u.added.find((id) => id !== b)!;
    const before = checkpoint();
    const info = await call<ProposalInfo>('proposal', 'propose', { kind: 'duplicates', clusterIds: [a, b] });
    expect(info.clusterIds).toEqual([b]);
    expect(info.summary).toBe(`${b}: ${dup.length} spikes within 0.2 ms (6 samples) of a spike of ${a}`);
    await commitAndUndo(info, [extra, dup], before);
    await expect(call('proposal', 'propose', { kind: 'duplicates', clusterIds: [b] })).rejects.toThrow(new RegExp(`duplicate spikes of cluster ${b}: none within 0.2 ms`));
    await call('session', 'undo');
  });
});
