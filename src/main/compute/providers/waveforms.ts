/** WaveformView's data: spike waveforms read from the raw data in the workers, or the clusters' templates. */
import type { ClusterWaveforms, TemplatesRequest, WaveformsData, WaveformsRequest } from '../../../shared/ipc/contract';
import { tasks } from '../../../shared/tasks/tasks';
import { regularSubset } from '../../../core/compute/ccg';
import { selectColumns, unwhitenTemplate } from '../../../core/compute/templates';
import { runTask, within, type ComputeContext } from '../context';
import { inRaw, waveformGeometry } from '../spikeLists';

export function waveforms(ctx: ComputeContext, req: WaveformsRequest, signal?: AbortSignal): Promise<WaveformsData> {
  const r = { clusterIds: req.clusterIds, kind: req.kind, nSpikes: req.nSpikes ?? 100, filter: req.filter ?? true, nChannels: req.nChannels ?? 12 };
  if (r.kind === 'templates' || !ctx.handle.raw) {
    const message = r.kind === 'templates' ? undefined : 'No raw data: showing templates';
    return templates(ctx, { clusterIds: r.clusterIds, nChannels: r.nChannels }, signal).then((t) => ({ ...t, kind: r.kind, ...(!t.message && message ? { message } : {}) }));
  }
  {
    // (nSpikes, nSamples, nCh) float32 per cluster plus its mean: known before any read.
    const { nSamples } = waveformGeometry(ctx.dataset);
    const nCh = Math.min(r.nChannels, ctx.dataset.nChannels);
    const spikes = r.kind === 'waveforms' ? r.clusterIds.reduce((a, c) => a + Math.min(r.nSpikes, ctx.clustering.nSpikes(c)), 0) : 0;
    within('viewData.waveforms', 'result bytes', (spikes + r.clusterIds.length) * nSamples * nCh * 4, 'resultBytes');
  }
  return ctx.results.memo('waveforms', r, r.clusterIds, false, signal, async (generation) => {
    const { nSamples, nBefore } = waveformGeometry(ctx.dataset);
    const clusters = r.clusterIds.map((c) => ({
      clusterId: c,
      spikeIds: regularSubset(inRaw(ctx.dataset, ctx.clustering.spikeIds(c)), r.nSpikes).slice(),
      channelIds: ctx.facts.bestChannels(c, r.nChannels),
    }));
    const withSpikes = r.kind === 'waveforms';
    const base = { dataset: ctx.handle, nSamples, nBefore, filter: r.filter, withSpikes };
    // Each cluster's spikes split across the interactive threads (a waveform is one
    // positioned read and a filter per spike: independent), then joined in spike order.
    const parts = Math.min(ctx.pool.threads.interactive, Math.max(1, Math.floor(clusters.reduce((a, c) => a + c.spikeIds.length, 0) / 16)));
    const split = Array.from({ length: parts }, (_, p) =>
      clusters.map((c) => {
        const n = c.spikeIds.length;
        return { ...c, spikeIds: c.spikeIds.subarray(Math.floor((p * n) / parts), Math.floor(((p + 1) * n) / parts)).slice() };
      }),
    );
    const results = await Promise.all(split.map((cl) => runTask(ctx, tasks.waveforms, { ...base, clusters: cl }, signal)));
    const m = nSamples;
    const out: ClusterWaveforms[] = clusters.map((c, k) => {
      const nCh = c.channelIds.length;
      const mean = new Float32Array(m * nCh);
      const data = new Float32Array(withSpikes ? c.spikeIds.length * m * nCh : 0);
      let o = 0;
      results.forEach((res, p) => {
        const w = split[p][k].spikeIds.length / Math.max(1, c.spikeIds.length);
        const pm = res.clusters[k].mean;
        for (let i = 0; i < mean.length; i++) mean[i] += w * pm[i];
        if (withSpikes) {
          data.set(res.clusters[k].data, o);
          o += res.clusters[k].data.length;
        }
      });
      return { clusterId: c.clusterId, channelIds: c.channelIds, spikeIds: c.spikeIds, data: withSpikes ? data : mean, mean };
    });
    return { generation, kind: r.kind, source: 'raw' as const, nSamples, sampleRate: ctx.dataset.sampleRate, unit: results[0].unit, clusters: out };
  });
}

export function templates(ctx: ComputeContext, req: TemplatesRequest, signal?: AbortSignal): Promise<WaveformsData> {
  const r = { clusterIds: req.clusterIds, nChannels: req.nChannels ?? 12 };
  return ctx.results.memo('templates', r, r.clusterIds, false, signal, async (generation) => {
    const d = ctx.dataset;
    const src = d.templates;
    if (!src) {
      return {
        generation,
        kind: 'templates' as const,
        source: 'templates' as const,
        nSamples: 0,
        sampleRate: d.sampleRate,
        unit: 'a.u.',
        clusters: [],
        message: d.raw ? 'This dataset has no templates' : 'No raw data and no templates: nothing to show',
      };
    }
    const clusters: ClusterWaveforms[] = r.clusterIds.map((c) => {
      const t = ctx.facts.templateOf(c);
      const channelIds = ctx.facts.bestChannels(c, r.nChannels);
      const nSamples = src.nSamples;
      let data: Float32Array = new Float32Array(nSamples * channelIds.length);
      if (t >= 0) {
        const tpl = src.getTemplate(t);
        const unw = unwhitenTemplate(tpl.data, tpl.channels, nSamples, d.whiteningMatInv, d.nChannels);
        const cols = Array.from(channelIds, (ch) => tpl.channels.indexOf(ch));
        data = selectColumns(unw, nSamples, tpl.channels.length, cols);
        const amps = d.amplitudes;
        if (amps) {
          const ids = regularSubset(ctx.clustering.spikeIds(c), 10_000);
          let s = 0;
          for (let k = 0; k < ids.length; k++) s += amps[ids[k]];
          const scale = ids.length ? s / ids.length : 1;
          for (let i = 0; i < data.length; i++) data[i] *= scale;
        }
      }
      return { clusterId: c, channelIds, spikeIds: new Int32Array(0), data, mean: data };
    });
    return { generation, kind: 'templates' as const, source: 'templates' as const, nSamples: src.nSamples, sampleRate: d.sampleRate, unit: 'a.u.', clusters };
  });
}
