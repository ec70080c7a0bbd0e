/**
 * QualityService's incremental logic on a real session core (ClusterLabels + Curation), with the
 * assistant's engine on this thread (InProcessLane, the same engine the worker thread runs): the
 * background pass computes every cluster once, a merge computes only the id it adds, undo and
 * redo bring back cached rows without computing, and a deleted id's row is never reported as a
 * current cluster's.
 */
import { describe, expect, it } from 'vitest';
import { QualityService } from '../../../../src/main/assistant/QualityService';
import { InProcessLane } from '../../../../src/main/assistant/AssistantLane';
import { toQualityRow, type QualityRowSource } from '../../../../src/main/assistant/laneProtocol';
import type { UpdateInfo } from '../../../../src/core/session/UpdateInfo';
import { ClusterLabels } from '../../../../src/core/session/ClusterLabels';
import { ClusterMeta } from '../../../../src/core/session/ClusterMeta';
import { Curation } from '../../../../src/core/session/Curation';
import type { QualityUpdate } from '../../../../src/shared/ipc/contract';

/** 4 clusters (0–3) of 3 spikes each; a row's num_spikes is the cluster's spike count. */
function setup() {
  const labels = new ClusterLabels(Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]));
  const curation = new Curation(labels, new ClusterMeta([], []));
  const computed: number[] = [];
  const source: QualityRowSource = {
    row(c) {
      computed.push(c);
      return { cluster_id: c, num_spikes: labels.nSpikes(c), snr: NaN, snr_source: 'none' };
    },
  };
  const updates: QualityUpdate[] = [];
  const lane = new InProcessLane(labels, { quality: source });
  const service = new QualityService(labels, lane, { onUpdate: (u) => updates.push(u) });
  // What BackendHost does with every change: the lane hears it, then the service.
  const change = (u: UpdateInfo) => {
    lane.update(u);
    service.onUpdate(u);
  };
  return { labels, curation, service, computed, updates, change };
}

const ids = (u: QualityUpdate) => u.rows.map((r) => r.cluster_id);

describe('QualityService', () => {
  it('computes every cluster once in the background, then reports them all', async () => {
    const { service, computed, updates } = setup();
    expect(computed).toEqual([]); // not on the caller's turn: in the background
    await service.idle();
    expect(computed).toEqual([0, 1, 2, 3]);
    const snap = service.snapshot();
    expect(snap.rows.map((r) => r.cluster_id)).toEqual([0, 1, 2, 3]);
    expect([snap.computed, snap.total]).toEqual([4, 4]);
    expect(snap.names[0]).toBe('num_spikes');
    expect(updates.at(-1)).toMatchObject({ computed: 4, total: 4 });
    expect(updates.flatMap(ids).sort()).toEqual([0, 1, 2, 3]);
  });

  it('after a merge computes only the added id; undo makes the old rows current with no recompute; redo too', async () => {
    const { curation, service, computed, updates, change } = setup();
    await service.idle();
    computed.length = 0;
    updates.length = 0;

    const merge = curation.perform({ op: 'merge', clusters: [1, 2] }, undefined, 't').update;
    change(merge);
    // At once: counts without the deleted ids, the new id not yet computed.
    expect(updates.at(-1)).toMatchObject({ computed: 2, total: 3, rows: [] });
    expect(service.snapshot().rows.map((r) => r.cluster_id)).toEqual([0, 3]);
    await service.idle();
    expect(computed).toEqual([4]);
    expect(service.snapshot().rows.find((r) => r.cluster_id === 4)?.num_spikes).toBe(6);
    expect(service.snapshot().rows.map((r) => r.cluster_id)).toEqual([0, 3, 4]);

    updates.length = 0;
    const undo = curation.undo('t')!.update;
    change(undo);
    await service.idle();
    expect(computed).toEqual([4]); // nothing recomputed
    expect(updates.flatMap(ids).sort()).toEqual([1, 2]); // announced again, from the cache
    expect(service.snapshot()).toMatchObject({ computed: 4, total: 4 });
    expect(service.snapshot().rows.map((r) => r.cluster_id)).toEqual([0, 1, 2, 3]);

    const redo = curation.redo('t')!.update;
    change(redo);
    await service.idle();
    expect(computed).toEqual([4]);
    expect(service.snapshot().rows.map((r) => r.cluster_id)).toEqual([0, 3, 4]);
  });

  it('a change during the pass: deleted ids are never computed, added ones first', async () => {
    const { curation, service, computed, change } = setup();
    const split = curation.perform({ op: 'split', spikes: [0, 1] }, undefined, 't').update; // 0 → 4 (chosen), 5 (rest)
    change(split);
    await service.idle();
    expect(computed).toEqual([4, 5, 1, 2, 3]);
    expect(service.snapshot().rows.map((r) => r.cluster_id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a failing cluster is said once and gets an empty row; the others are computed', async () => {
    const labels = new ClusterLabels(Int32Array.from([0, 1, 2]));
    const errors: string[] = [];
    const source: QualityRowSource = {
      row: (c) => {
        if (c === 1) throw new Error('pc_features.npy: short read');
        return { cluster_id: c, num_spikes: 1 };
      },
    };
    const service = new QualityService(labels, new InProcessLane(labels, { quality: source }), { onError: (c, m) => errors.push(`${c}: ${m}`) });
    await service.idle();
    expect(errors).toEqual(['1: pc_features.npy: short read']);
    expect(service.snapshot().rows).toEqual([{ cluster_id: 0, num_spikes: 1 }, { cluster_id: 1 }, { cluster_id: 2, num_spikes: 1 }]);
  });

  it('starts by itself after startDelayMs (the window loads first)', async () => {
    const labels = new ClusterLabels(Int32Array.from([0, 1]));
    const seen: number[] = [];
    const lane = new InProcessLane(labels, { quality: { row: (c) => (seen.push(c), { cluster_id: c }) } });
    const service = new QualityService(labels, lane, { startDelayMs: 20 });
    await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(seen).toEqual([0, 1]);
    service.close();
  });

  it('carries NaN as null (JSON has no NaN)', () => {
    expect(toQualityRow({ cluster_id: 3, snr: NaN, firing_rate: 2.5, snr_source: 'none' })).toEqual({ cluster_id: 3, snr: null, firing_rate: 2.5, snr_source: 'none' });
  });
});
