/**
 * The proposals' compute side without a window (`spikedock curate`): no views, so virtual ids are
 * only numbered; best channels from the session's facts (as ComputeService's); the re-cluster
 * runs in-process through the same core code as the workers' task (`core/cleanup/recluster.ts`),
 * and so do the outliers and the amplitudes of a threshold split (`compute/providers/cleanup.ts`).
 */
import type { Dataset } from '../../core/dataset/Dataset';
import type { ClusteringView } from '../../core/session/ClusteringView';
import { ClusterFacts, type ClusterFactsSource } from '../compute/ClusterFacts';
import { clusterAmplitudeValuesInProcess, OUTLIER_CHANNELS, outlierSpikesInProcess, reclusterInProcess } from '../compute/providers/cleanup';
import { UserError } from '../UserError';
import type { ProposalBackend } from './proposers';

export function headlessProposalBackend(dataset: Dataset, clustering: ClusteringView, known?: ClusterFactsSource): ProposalBackend {
  const facts = new ClusterFacts(dataset, clustering, known);
  let lastId = 0;
  return {
    addVirtual: (parts) => parts.map(() => --lastId),
    removeVirtual: () => undefined,
    bestChannels: (clusterId, n) => facts.bestChannels(clusterId, n),
    async recluster(args) {
      if (!dataset.features) throw new UserError(`re-cluster: ${dataset.path} has no PC features`);
      return reclusterInProcess(dataset, args);
    },
    async outlierSpikes(clusterId, quantile) {
      return outlierSpikesInProcess(dataset, clustering.spikeIds(clusterId), Array.from(facts.bestChannels(clusterId, OUTLIER_CHANNELS)), quantile);
    },
    async clusterAmplitudeValues(clusterId, kind, feature) {
      return clusterAmplitudeValuesInProcess(dataset, clustering.spikeIds(clusterId), kind, feature, facts.peakChannel(clusterId));
    },
  };
}
