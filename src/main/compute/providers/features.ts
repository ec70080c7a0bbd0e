/** FeatureView's data: PC features of a selection on two channels, with a background of other clusters' spikes. */
import type { FeaturesData, FeaturesRequest, SpikeSet } from '../../../shared/ipc/contract';
import { tasks } from '../../../shared/tasks/tasks';
import { regularSubset } from '../../../core/compute/ccg';
import { backgroundPositions, pickChannelFeatures } from '../../../core/compute/features';
import { checkChannel, runTask, type ComputeContext } from '../context';
import { spikeTimesOf, withFeatures } from '../spikeLists';
import type { Lane } from '../WorkerPool';

/** Background candidates by service (its context) and spike count. */
const bgCandidates = new WeakMap<ComputeContext, Map<number, Int32Array>>();

/**
 * Feature rows for spike sets on channels: worker for PC feature files (the interactive lane
 * unless told), main thread for Kwik.
 */
export async function readFeatures(
  ctx: ComputeContext,
  sets: Array<{ clusterId: number; spikeIds: Int32Array; cacheKey?: string }>,
  channelIds: number[],
  signal?: AbortSignal,
  lane: Lane = 'interactive',
): Promise<{ nPcs: number; sets: Array<{ clusterId: number; features: Float32Array; present: Uint8Array }> }> {
  if (ctx.handle.features) {
    // Feature rows of a selection are scattered over the file (one positioned read each):
    // the sets are split in halves across the interactive threads, then joined in order.
    const parts = lane === 'interactive' ? ctx.pool.threads.interactive : 1;
    const total = sets.reduce((a, x) => a + (x.cacheKey ? 0 : x.spikeIds.length), 0);
    if (parts < 2 || total < 1000) return runTask(ctx, tasks.features, { dataset: ctx.handle, sets, channelIds }, signal, [], lane);
    const halves = [0, 1].map((h) =>
      sets.map((x) => {
        if (x.cacheKey) return h === 1 ? x : { clusterId: x.clusterId, spikeIds: new Int32Array(0) };
        const m = x.spikeIds.length >> 1;
        return { clusterId: x.clusterId, spikeIds: h === 0 ? x.spikeIds.slice(0, m) : x.spikeIds.slice(m) };
      }),
    );
    const [ra, rb] = await Promise.all(halves.map((hs) => runTask(ctx, tasks.features, { dataset: ctx.handle, sets: hs, channelIds }, signal)));
    const join = <T extends Float32Array | Uint8Array>(a: T, b: T): T => {
      const out = new (a.constructor as new (n: number) => T)(a.length + b.length);
      out.set(a);
      out.set(b, a.length);
      return out;
    };
    return {
      nPcs: ra.nPcs,
      sets: ra.sets.map((x, k) => ({ clusterId: x.clusterId, features: join(x.features, rb.sets[k].features), present: join(x.present, rb.sets[k].present) })),
    };
  }
  const src = ctx.dataset.features!;
  return {
    nPcs: src.nPcs,
    sets: sets.map((s) => {
      const { data, channels } = src.read(s.spikeIds);
      return { clusterId: s.clusterId, ...pickChannelFeatures(data, channels, s.spikeIds.length, src.nChannelsLoc, src.nPcs, channelIds) };
    }),
  };
}

/** Background candidates of the feature view: 3 × nSpikes spikes spread over the recording, with features (fixed per dataset). */
export function backgroundCandidates(ctx: ComputeContext, nSpikes: number): Int32Array {
  let c = bgCandidates.get(ctx)?.get(nSpikes);
  if (!c) {
    const total = ctx.dataset.nSpikes;
    const m = Math.min(total, 3 * nSpikes);
    c = withFeatures(ctx.dataset, Int32Array.from({ length: m }, (_, k) => Math.floor((k * total) / m)));
    if (!bgCandidates.has(ctx)) bgCandidates.set(ctx, new Map());
    bgCandidates.get(ctx)!.set(nSpikes, c);
  }
  return c;
}

export function features(ctx: ComputeContext, req: FeaturesRequest, signal?: AbortSignal): Promise<FeaturesData> {
  const nSpikes = req.nSpikes ?? 2500;
  const background = req.background ?? true;
  if (req.channelIds) for (const ch of req.channelIds) checkChannel(ctx.dataset, 'viewData.features', ch);
  const channelIds: [number, number] = req.channelIds ?? (() => {
    const first = req.clusterIds.length ? ctx.facts.bestChannels(req.clusterIds[0], 2) : new Int32Array([0]);
    const second = req.clusterIds.length > 1 ? ctx.facts.peakChannel(req.clusterIds[1]) : -1;
    const b = second >= 0 && second !== first[0] ? second : (first[1] ?? first[0]);
    return [first[0], b] as [number, number];
  })();
  const r = { clusterIds: req.clusterIds, nSpikes, channelIds, background };
  return ctx.results.memo('features', r, r.clusterIds, background, signal, async (generation) => {
    if (!ctx.dataset.features) {
      return { generation, channelIds, nPcs: 0, clusters: [], background: null, message: 'This dataset has no PC features' };
    }
    const sets: Array<{ clusterId: number; spikeIds: Int32Array; cacheKey?: string }> = r.clusterIds.map((c) => ({
      clusterId: c,
      spikeIds: withFeatures(ctx.dataset, regularSubset(ctx.clustering.spikeIds(c), nSpikes)).slice(),
    }));
    // Background: spikes spread over the recording, of other clusters, kept where they have
    // both shown channels (so they are "neighbours" on the probe), at most nSpikes. The
    // candidates are the same for every selection, so workers keep their rows (cacheKey) and
    // the selection's clusters are dropped after reading.
    const candidates = background ? backgroundCandidates(ctx, nSpikes) : null;
    if (candidates) sets.push({ clusterId: -1, spikeIds: candidates.slice(), cacheKey: `bg:${nSpikes}` });
    const res = await readFeatures(ctx, sets, channelIds, signal);
    const toSet = (s: (typeof res.sets)[number], ids: Int32Array): SpikeSet => ({ clusterId: s.clusterId, spikeIds: ids, times: spikeTimesOf(ctx.dataset, ids), features: s.features });
    const clusters = res.sets.slice(0, r.clusterIds.length).map((s, k) => toSet(s, sets[k].spikeIds));
    let bg: SpikeSet | null = null;
    if (candidates) {
      const s = res.sets[res.sets.length - 1];
      const ids = candidates;
      const sel = new Set(r.clusterIds.map((c) => ctx.virtual.sourceOf(c)));
      const keep = Array.from(backgroundPositions(ids.length, (k) => !sel.has(ctx.clustering.clusterOf(ids[k])) && !!s.present[2 * k] && !!s.present[2 * k + 1], nSpikes));
      const f = new Float32Array(keep.length * 2 * res.nPcs);
      keep.forEach((k, o) => f.set(s.features.subarray(k * 2 * res.nPcs, (k + 1) * 2 * res.nPcs), o * 2 * res.nPcs));
      const kept = Int32Array.from(keep, (k) => ids[k]);
      bg = { clusterId: -1, spikeIds: kept, times: spikeTimesOf(ctx.dataset, kept), features: f };
    }
    return { generation, channelIds, nPcs: res.nPcs, clusters, background: bg };
  });
}
