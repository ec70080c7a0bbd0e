/** TraceView's data: a window of raw traces (channels split across threads when large) with its spikes. */
import type { TracesData, TracesRequest } from '../../../shared/ipc/contract';
import { tasks, tracesUseEnvelope } from '../../../shared/tasks/tasks';
import { lowerBound } from '../../../core/search';
import { checkChannel, runTask, within, type ComputeContext } from '../context';
import { spikeTimesOf } from '../spikeLists';

export function traces(ctx: ComputeContext, req: TracesRequest, signal?: AbortSignal): Promise<TracesData> {
  const d = ctx.dataset;
  const channelIds = req.channelIds ?? Array.from({ length: d.nChannels }, (_, k) => k);
  const r = { t0: req.t0, t1: req.t1, channelIds, filter: req.filter ?? true, width: req.width ?? 0 };
  for (const ch of channelIds) checkChannel(ctx.dataset, 'viewData.traces', ch);
  {
    // (nTimes, nCh) samples, or (width, nCh, 2) when the window is wider than 2 × width.
    const s0 = Math.max(0, Math.floor(r.t0 * d.sampleRate));
    const nTimes = d.raw ? Math.max(0, Math.min(d.raw.nSamples, Math.ceil(r.t1 * d.sampleRate)) - s0) : 0;
    const columns = tracesUseEnvelope(nTimes, r.width) ? 2 * r.width : Math.max(0, nTimes);
    within('viewData.traces', 'result bytes', columns * channelIds.length * 4, 'resultBytes');
  }
  return ctx.results.memo('traces', r, [], true, signal, async (generation) => {
    const sr = d.sampleRate;
    const nTotal = d.raw ? d.raw.nSamples : Math.ceil(d.duration * sr);
    const s0 = Math.max(0, Math.floor(r.t0 * sr));
    const s1 = Math.max(s0, Math.min(nTotal, Math.ceil(r.t1 * sr)));
    // Spikes in the window with their live cluster and its peak channel.
    const a = lowerBound(d.spikeTimes, s0);
    const b = lowerBound(d.spikeTimes, s1);
    const spikeIds = Int32Array.from({ length: b - a }, (_, k) => a + k);
    const clusterIds = Int32Array.from(spikeIds, (i) => ctx.clustering.clusterOf(i));
    const peaks = new Map<number, number>();
    for (const c of new Set(clusterIds)) peaks.set(c, ctx.facts.peakChannel(c));
    const spikes = { times: spikeTimesOf(ctx.dataset, spikeIds), clusterIds, spikeIds, channels: Int32Array.from(clusterIds, (c) => peaks.get(c) ?? -1) };
    const chs = Int32Array.from(r.channelIds);
    if (!ctx.handle.raw) {
      return { generation, t0: s0 / sr, t1: s1 / sr, channelIds: chs, mode: 'samples' as const, nTimes: 0, dt: 1 / sr, data: new Float32Array(0), unit: 'a.u.', spikes, message: 'No raw data: traces are unavailable' };
    }
    const base = { dataset: ctx.handle, start: s0, end: s1, filter: r.filter, width: r.width };
    const parts = ctx.pool.threads.interactive;
    if (parts < 2 || chs.length < 64 || (s1 - s0) * chs.length < 1_000_000) {
      const res = await runTask(ctx, tasks.traces, { ...base, channelIds: chs }, signal);
      return { generation, t0: s0 / sr, t1: s1 / sr, channelIds: chs, mode: res.mode, nTimes: res.nTimes, dt: res.samplesPerColumn / sr, data: res.data, unit: res.unit, spikes };
    }
    // A large window: channels split across the interactive threads, each writing its columns
    // into one shared output (filtering is per channel, so the parts are independent).
    const nCh = chs.length;
    const size = tracesUseEnvelope(s1 - s0, r.width) ? r.width * nCh * 2 : (s1 - s0) * nCh;
    const shared = new Float32Array(new SharedArrayBuffer(size * 4));
    const bounds = Array.from({ length: parts + 1 }, (_, k) => Math.round((k * nCh) / parts));
    const results = await Promise.all(
      bounds.slice(0, -1).map((c0, k) =>
        runTask(ctx, tasks.traces, { ...base, channelIds: chs.slice(c0, bounds[k + 1]), into: { data: shared, nChannels: nCh, channelOffset: c0 } }, signal),
      ),
    );
    const res = results[0];
    // A plain copy: results leave this process (IPC), where shared memory cannot go.
    const data = shared.slice();
    return { generation, t0: s0 / sr, t1: s1 / sr, channelIds: chs, mode: res.mode, nTimes: res.nTimes, dt: res.samplesPerColumn / sr, data, unit: res.unit, spikes };
  });
}
