/**
 * A ClusterView row (`ClusterInfo`) for renderer unit tests: 100 spikes at 1 Hz, amplitude 10 on
 * channel 0 at depth 0, unlabelled and not reviewed, with `extra` overriding any column.
 */
import type { ClusterInfo } from '../../../src/shared/ipc/contract';

export const clusterInfo = (id: number, extra: Partial<ClusterInfo> = {}): ClusterInfo => ({
  id,
  nSpikes: 100,
  fr: 1,
  amp: 10,
  ch: 0,
  depth: 0,
  sh: 0,
  group: null,
  isiViolations: null,
  reviewed: false,
  labels: {},
  ...extra,
});
