/** Cluster statistics (background lane) and template summaries. */
import type { ClusterStat, ClusterStatsArgs, ClusterStatsResult, TemplateInfoArgs, TemplateInfoResult } from '../../shared/tasks/tasks';
import { computeClusterStats } from '../../core/compute/clusterStats';
import type { HandlerContext } from './context';

export function clusterStats(args: ClusterStatsArgs, ctx: HandlerContext): ClusterStatsResult {
  const h = args.dataset;
  const stats: ClusterStat[] = computeClusterStats(
    {
      sampleRate: h.sampleRate,
      duration: h.duration,
      spikeTimes: h.spikeTimes,
      spikeClusters: h.spikeClusters,
      spikeTemplates: h.spikeTemplates,
      amplitudes: h.amplitudes,
      channelPositions: h.channelPositions,
      templateInfo: (t) => ctx.ds.templateInfo(t),
    },
    args.clusterIds,
    args.refractoryPeriod,
    () => ctx.cancel.check(),
  );
  return { stats };
}

export function templateInfo(args: TemplateInfoArgs, ctx: HandlerContext): TemplateInfoResult {
  const n = args.templateIds.length;
  const peakChannels = new Int32Array(n);
  const amplitudes = new Float32Array(n);
  args.templateIds.forEach((t, k) => {
    ctx.cancel.check();
    const info = ctx.ds.templateInfo(t);
    peakChannels[k] = info.peakChannel;
    amplitudes[k] = info.amplitude;
  });
  return { peakChannels, amplitudes };
}
