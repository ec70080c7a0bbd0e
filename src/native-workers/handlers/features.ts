/** PC-feature handler: features of spike sets on one or two chosen channels. */
import type { FeaturesArgs, FeaturesResult } from '../../shared/tasks/tasks';
import { pickChannelFeatures } from '../../core/compute/features';
import type { HandlerContext } from './context';

export function features(args: FeaturesArgs, ctx: HandlerContext): FeaturesResult {
  const reader = ctx.ds.features;
  if (!reader) throw new Error('no PC features for this dataset');
  const sets: FeaturesResult['sets'] = [];
  for (const s of args.sets) {
    ctx.cancel.check();
    const { data, channels } = s.cacheKey ? ctx.ds.cachedFeatureRows(s.cacheKey, s.spikeIds) : reader.read(s.spikeIds);
    const picked = pickChannelFeatures(data, channels, s.spikeIds.length, reader.nLoc, reader.nPcs, args.channelIds);
    sets.push({ clusterId: s.clusterId, ...picked });
  }
  return { nPcs: reader.nPcs, sets };
}
