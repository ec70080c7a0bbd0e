/**
 * Live quality metrics through the backend (BackendHost + QualityService) on a generated `small`
 * dataset: rows arrive for every cluster, with progress; after a merge the merged cluster's row
 * equals `computeQualityMetrics` of the merged clustering, and only that row is computed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { BackendHost } from '../../../src/main/BackendHost';
import { computeQualityMetrics, METRIC_NAMES } from '../../../src/core/metrics/qualityMetrics';
import { formatCell } from '../../../src/core/formats/tsv';
import { toQualityRow } from '../../../src/main/assistant/laneProtocol';
import type { Progress, QualityRow, QualityUpdate } from '../../../src/shared/ipc/contract';

let tmp = '';
let host: BackendHost;
const updates: QualityUpdate[] = [];
const progress: Progress[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'spikedock-quality-'));
  const data = join(tmp, 'data');
  await generateDataset(data, { preset: 'small', seed: 3, raw: false });
  host = new BackendHost({ userDataDir: join(tmp, 'user'), autosaveSeconds: 0 });
  host.on('onDidUpdateQuality', (u) => updates.push(u));
  host.on('onDidProgress', (p) => p.task === 'metrics' && progress.push(p));
  await host.openDataset(data);
}, 120_000);

afterAll(async () => {
  await host?.dispose();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('QualityService in the backend', () => {
  it('pushes a row for every cluster, progressively, with progress events', async () => {
    await host.current!.quality.idle();
    const snap = (await host.call('quality', 'snapshot', [])) as QualityUpdate;
    const clusters = host.current!.session.clustering.clusterIds();
    expect(snap.rows.map((r) => r.cluster_id)).toEqual(clusters);
    expect([snap.computed, snap.total]).toEqual([clusters.length, clusters.length]);
    expect(snap.names).toContain('isi_violations_ratio');
    // Progressive: more than one update carried rows, and together they carry every cluster once.
    expect(updates.filter((u) => u.rows.length).length).toBeGreaterThan(1);
    expect(updates.flatMap((u) => u.rows.map((r) => r.cluster_id)).sort((a, b) => a - b)).toEqual(clusters);
    expect(progress.at(-1)).toEqual({ task: 'metrics', done: clusters.length, total: clusters.length });
    // The rows are the core's values.
    const r = snap.rows[0];
    expect(r.num_spikes).toBe(host.current!.session.clustering.nSpikes(r.cluster_id));
    expect(typeof r.snr).toBe('number');
  }, 120_000);

  it('after a merge computes only the merged cluster, equal to computeQualityMetrics of the merged clustering', async () => {
    const o = host.current!;
    await o.quality.idle();
    const before = o.quality.computations;
    const [a, b] = o.session.clustering.clusterIds();
    updates.length = 0;
    const u = await o.session.merge([a, b]);
    const merged = u.added[0];
    await o.quality.idle();
    expect(o.quality.computations - before).toBe(1);
    const pushed = updates.flatMap((x) => x.rows).find((r) => r.cluster_id === merged) as QualityRow;
    expect(pushed).toBeDefined();
    const expected = computeQualityMetrics(o.dataset, o.session.clustering).find((r) => r.cluster_id === merged)!;
    expect(pushed).toEqual(toQualityRow(expected));
    const snap = o.quality.snapshot();
    expect(snap.rows.some((r) => r.cluster_id === a || r.cluster_id === b)).toBe(false);
    expect([snap.computed, snap.total]).toEqual([o.session.clustering.clusterIds().length, o.session.clustering.clusterIds().length]);
  }, 120_000);

  it('cluster_info.tsv gains every metric column on save (sorted among the fields), with each cluster\'s values', async () => {
    const o = host.current!;
    await o.quality.idle();
    await host.call('session', 'save', []);
    const [head, ...lines] = readFileSync(join(o.dataset.dir, 'cluster_info.tsv'), 'utf8').trim().split('\n');
    const columns = head.split('\t');
    expect(columns[0]).toBe('cluster_id');
    const rest = columns.slice(1);
    expect(rest).toEqual([...rest].sort()); // phy's rule: cluster_id, then Python sorted()
    for (const m of METRIC_NAMES) if (m !== 'num_spikes') expect(columns).toContain(m);
    expect(columns).toContain('snr_source');
    const ids = o.session.clustering.clusterIds();
    expect(lines.map((l) => Number(l.split('\t')[0]))).toEqual(ids);
    for (const line of lines) {
      const cells = line.split('\t');
      const row = o.quality.row(Number(cells[0]))!;
      for (const m of ['snr', 'isi_violations_ratio', 'amplitude_cutoff', 'half_width', 'snr_source'] as const) {
        const v = row[m];
        expect(cells[columns.indexOf(m)]).toBe(v === null ? 'nan' : formatCell(v));
      }
    }
  }, 120_000);
});
