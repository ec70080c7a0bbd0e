/**
 * The assistant's worker thread (WorkerLane) through the backend, on a generated `small` dataset
 * with raw data (so each metrics row costs real work: `snr` from raw windows):
 * - the metrics and the suggestion scoring never run on the backend's thread, and a view request
 *   made while the pass runs is answered while the pass is still unfinished;
 * - closing the dataset ends the worker, which first closes its files;
 * - a file that fails under the worker gives each cluster it breaks an empty row and one message
 *   naming the cluster, and the app keeps working;
 * - after a merge, the worker's scores (the merged cluster's composed from its parents) equal a
 *   fresh scoring of the merged clustering;
 * - a Kwik file (phy-data) is opened by the worker with the session's channel group;
 * - a worker that cannot open the dataset at all says so once, and nothing waits for it.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { BackendHost } from '../../../src/main/BackendHost';
import { WorkerLane } from '../../../src/main/assistant/WorkerLane';
import { QualityService } from '../../../src/main/assistant/QualityService';
import { SuggestionService } from '../../../src/main/assistant/SuggestionService';
import { ClusterLabels } from '../../../src/core/session/ClusterLabels';
import type { Dataset } from '../../../src/core/dataset/Dataset';
import { QualityMetrics } from '../../../src/core/metrics/qualityMetrics';
import { MergeSuggester } from '../../../src/core/suggest/MergeSuggester';
import type { LaneEvent } from '../../../src/main/assistant/laneProtocol';
import { copyPhyData, hasPhyData, phyDataSkipReason } from '../../helpers/phyData';
import type { CorrelogramsData, QualityUpdate, SessionSnapshot, SimilarCluster, SuggestionStatus } from '../../../src/shared/ipc/contract';
import { flatAssignment } from '../../../src/core/session/SpikeAssignment';

let tmp = '';
let data = '';

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'spikedock-assistant-'));
  data = join(tmp, 'data');
  await generateDataset(data, { preset: 'small', seed: 4 });
}, 180_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Paths this process holds open under `dir` (Linux /proc; null elsewhere). */
function openFilesUnder(dir: string): string[] | null {
  if (!existsSync('/proc/self/fd')) return null;
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir + '/')) out.push(target);
    } catch {
      // closed while listing
    }
  }
  return out;
}

describe('the assistant worker', () => {
  it('computes metrics and suggestions off the main thread; a view request is answered while the pass runs', async () => {
    const rowsOnMain = vi.spyOn(QualityMetrics.prototype, 'row');
    const scoringOnMain = vi.spyOn(MergeSuggester.prototype, 'update');
    const host = new BackendHost({ userDataDir: join(tmp, 'user'), autosaveSeconds: 0 });
    try {
      const firstRow = new Promise<void>((resolve) => host.on('onDidUpdateQuality', (u: QualityUpdate) => u.rows.length && resolve()));
      await host.openDataset(data);
      const o = host.current!;
      const idle = o.quality.idle();
      await firstRow;
      // The pass is running (one row in): ask for views' data.
      const snapshot = (await host.call('session', 'snapshot', [])) as SessionSnapshot;
      const atSnapshot = o.quality.snapshot();
      const [a, b] = o.session.clustering.clusterIds();
      const ccg = (await host.call('viewData', 'correlograms', [{ clusterIds: [a, b] }])) as CorrelogramsData;
      const atCcg = o.quality.snapshot();
      expect(snapshot.clusters.length).toBe(atSnapshot.total);
      expect(ccg.clusterIds).toEqual([a, b]);
      // Both answers came while rows were still missing.
      expect(atSnapshot.computed).toBeLessThan(atSnapshot.total);
      expect(atCcg.computed).toBeLessThan(atCcg.total);
      await idle;
      await o.suggestions.whenReady();
      const done = o.quality.snapshot();
      expect(done.computed).toBe(done.total);
      expect(done.rows.every((r) => r.snr_source === 'raw' && typeof r.snr === 'number')).toBe(true);
      // Every row and every pair came from the worker thread: none was computed here.
      expect(rowsOnMain).not.toHaveBeenCalled();
      expect(scoringOnMain).not.toHaveBeenCalled();
    } finally {
      rowsOnMain.mockRestore();
      scoringOnMain.mockRestore();
      await host.dispose();
    }
  }, 300_000);

  it('closing the dataset ends the worker after it closed its files', async () => {
    const host = new BackendHost({ userDataDir: join(tmp, 'user'), autosaveSeconds: 0 });
    try {
      await host.openDataset(data);
      const lane = host.current!.lane;
      // The worker has opened the dataset once it answers a request.
      await new Promise<void>((resolve) => {
        const off = lane.on(() => (off(), resolve()));
        void host.current!.quality.idle();
      });
      expect(lane.alive).toBe(true);
      expect(openFilesUnder(data)?.length ?? 1).toBeGreaterThan(0);
      await host.close();
      expect(lane.alive).toBe(false);
      expect(lane.failure).toBeNull();
      // Neither thread holds a file of the dataset any more (the journal's folder included).
      const left = openFilesUnder(data);
      if (left) expect(left).toEqual([]);
    } finally {
      await host.dispose();
    }
  }, 300_000);

  it('a raw file that fails under the worker: each broken cluster gets an empty row and one message naming it; the app keeps working', async () => {
    const copy = join(tmp, 'broken');
    cpSync(data, copy, { recursive: true });
    const host = new BackendHost({ userDataDir: join(tmp, 'user2'), autosaveSeconds: 0, qualityStartDelayMs: 3_600_000 });
    const messages: string[] = [];
    host.on('onDidMessage', (m) => messages.push(m.text));
    try {
      await host.openDataset(copy);
      const o = host.current!;
      // Wait until the worker has opened the dataset (it answers the suggestions' start), then
      // cut the raw file to a quarter under it, before the metrics pass reads any of it.
      await new Promise<void>((resolve) => {
        if (!o.lane.settled) {
          const off = o.lane.on((e: LaneEvent) => e.type === 'ack' && (off(), resolve()));
        } else resolve();
      });
      const raw = join(copy, 'recording.dat');
      truncateSync(raw, Math.floor(statSync(raw).size / 4));
      await o.quality.idle();
      const snap = o.quality.snapshot();
      expect(snap.computed).toBe(snap.total);
      const failed = messages.filter((m) => m.startsWith('metrics of cluster '));
      const ids = failed.map((m) => Number(/^metrics of cluster (\d+) /.exec(m)![1]));
      expect(ids.length).toBeGreaterThan(0);
      expect(new Set(ids).size).toBe(ids.length); // once per cluster
      for (const m of failed) expect(m).toContain(copy);
      for (const r of snap.rows) {
        if (ids.includes(r.cluster_id)) expect(r).toEqual({ cluster_id: r.cluster_id });
        else expect(typeof r.firing_rate).toBe('number');
      }
      // The app keeps working: a merge, and the merged cluster's row arrives.
      const [a, b] = o.session.clustering.clusterIds();
      const u = await o.session.merge([a, b]);
      await o.quality.idle();
      expect(o.quality.row(u.added[0])).toBeDefined();
      expect(o.lane.failure).toBeNull();
    } finally {
      await host.dispose();
    }
  }, 300_000);

  it.skipIf(!hasPhyData)('opens a Kwik file itself (the session\'s channel group and clustering) and computes every row', async () => {
    const dir = copyPhyData('kwik');
    const host = new BackendHost({ userDataDir: join(tmp, 'user3'), autosaveSeconds: 0 });
    try {
      await host.openDataset(dir);
      const o = host.current!;
      expect(o.dataset.format).toBe('kwik');
      await o.quality.idle();
      await o.suggestions.whenReady();
      const snap = o.quality.snapshot();
      expect(snap.computed).toBe(snap.total);
      expect(snap.rows.every((r) => r.num_spikes === o.session.clustering.nSpikes(r.cluster_id))).toBe(true);
      expect(o.lane.failure).toBeNull();
    } finally {
      await host.dispose();
      rmSync(dirname(dir), { recursive: true, force: true });
    }
  }, 300_000);
  if (!hasPhyData) console.warn(`skipping the Kwik worker test: ${phyDataSkipReason}`);

  it('a worker that cannot open the dataset says so once; the metrics wait no more and the suggestions are unavailable', async () => {
    const labels = new ClusterLabels(Int32Array.from([0, 0, 1, 1]));
    const gone = join(tmp, 'gone');
    const lane = new WorkerLane({ path: gone } as Dataset, labels);
    const failures: string[] = [];
    const statuses: SuggestionStatus[] = [];
    const quality = new QualityService(labels, lane, { onFailure: (m) => failures.push(m) });
    const suggestions = new SuggestionService(labels, lane, () => () => undefined, { setSuggestions: (_p, s) => statuses.push(s) });
    try {
      suggestions.start();
      await quality.idle();
      await suggestions.whenReady();
      expect(failures).toHaveLength(1);
      expect(failures[0]).toContain(gone);
      expect(lane.failure).toBe(failures[0]);
      expect(statuses.at(-1)).toEqual({ state: 'unavailable', message: failures[0] });
      expect(quality.snapshot()).toMatchObject({ computed: 0, total: 2 });
    } finally {
      quality.close();
      suggestions.dispose();
      await lane.close();
    }
    expect(lane.alive).toBe(false);
  }, 120_000);

  it('after a merge the worker scores the merged cluster: every pair equals a fresh scoring of the merged clustering', async () => {
    const copy = join(tmp, 'merged');
    cpSync(data, copy, { recursive: true });
    const host = new BackendHost({ userDataDir: join(tmp, 'user4'), autosaveSeconds: 0 });
    try {
      await host.openDataset(copy);
      const o = host.current!;
      await o.suggestions.whenReady();
      const before = new MergeSuggester(o.dataset, new ClusterLabels(flatAssignment(o.session.clustering.assignment)));
      before.scoreAll();
      const [a, b] = before.all()[0].clusters;
      const u = (await host.call('session', 'merge', [[a, b]])) as { added: number[] };
      await o.suggestions.whenReady();
      const fresh = new MergeSuggester(o.dataset, new ClusterLabels(flatAssignment(o.session.clustering.assignment)));
      fresh.scoreAll();
      const pairs = fresh.all();
      expect(pairs.some((p) => p.clusters.includes(u.added[0]))).toBe(true);
      for (const p of pairs) {
        const [row] = o.suggestions.annotate(p.clusters[0], [{ id: p.clusters[1] } as SimilarCluster]);
        expect([p.clusters, row.score]).toEqual([p.clusters, p.score]);
      }
    } finally {
      await host.dispose();
    }
  }, 300_000);
});
