/**
 * Per-cluster facts the view data needs (dominant template, peak channel, best channels):
 * the session's when it has them (ClusterMetrics owns them), else derived from the templates
 * here and cached until an update deletes or re-adds the cluster.
 */
import type { Dataset } from '../../core/dataset/Dataset';
import type { ClusteringView } from '../../core/session/ClusteringView';
import { regularSubset } from '../../core/compute/ccg';
import { bestChannels, dominantTemplate, templateInfo, unwhitenTemplate, type TemplateInfo } from '../../core/compute/templates';

export type ClusterFactsSource = (clusterId: number) => { bestChannel: number; template: number } | null;

export class ClusterFacts {
  private readonly templateInfos = new Map<number, TemplateInfo>();
  private readonly peakChannels = new Map<number, number>();
  private readonly dominantTemplates = new Map<number, number>();

  constructor(
    private readonly dataset: Dataset,
    private readonly clustering: ClusteringView,
    private readonly known?: ClusterFactsSource,
    /** The cluster whose facts a cluster id has: a virtual part's source (VirtualClusters), else itself. */
    private readonly factsOf: (clusterId: number) => number = (id) => id,
  ) {}

  /** Forgets the derived facts of clusters an update deleted or (re-)added. */
  onClustersChanged(clusterIds: readonly number[]): void {
    for (const c of clusterIds) {
      this.peakChannels.delete(c);
      this.dominantTemplates.delete(c);
    }
  }

  /** Summary of a template (main thread, cached; O(template size)). */
  private templateSummary(templateId: number): TemplateInfo | null {
    const src = this.dataset.templates;
    if (!src || templateId < 0 || templateId >= src.nTemplates) return null;
    let info = this.templateInfos.get(templateId);
    if (!info) {
      const t = src.getTemplate(templateId);
      const unw = unwhitenTemplate(t.data, t.channels, src.nSamples, this.dataset.whiteningMatInv, this.dataset.nChannels);
      info = templateInfo(unw, t.channels, src.nSamples);
      this.templateInfos.set(templateId, info);
    }
    return info;
  }

  /** The template most of a cluster's spikes come from (on ≤ 10,000 spikes), or -1. */
  templateOf(clusterId: number): number {
    clusterId = this.factsOf(clusterId);
    const st = this.dataset.spikeTemplates;
    if (!st) return -1;
    // A cluster id names one fixed spike set, so its dominant template never changes.
    const known = this.known?.(clusterId)?.template;
    if (known !== undefined && known >= 0) return known;
    let t = this.dominantTemplates.get(clusterId);
    if (t === undefined) {
      t = dominantTemplate(st, regularSubset(this.clustering.spikeIds(clusterId), 10_000));
      this.dominantTemplates.set(clusterId, t);
    }
    return t;
  }

  /** Peak channel of a cluster (the session's best channel; else from its template), or -1. */
  peakChannel(clusterId: number): number {
    clusterId = this.factsOf(clusterId);
    const known = this.known?.(clusterId)?.bestChannel ?? this.peakChannels.get(clusterId);
    if (known !== undefined && known >= 0) return known;
    const info = this.templateSummary(this.templateOf(clusterId));
    const ch = info ? info.peakChannel : -1;
    if (ch >= 0) this.peakChannels.set(clusterId, ch);
    return ch;
  }

  /** The `n` best channels of a cluster: nearest to its peak channel on its shank, peak first. */
  bestChannels(clusterId: number, n = 12): Int32Array {
    clusterId = this.factsOf(clusterId);
    const d = this.dataset;
    const peak = this.peakChannel(clusterId);
    if (peak < 0) return Int32Array.from({ length: Math.min(n, d.nChannels) }, (_, k) => k);
    let allowed: Int32Array | undefined;
    const src = d.templates;
    if (src && src.nChannelsLoc < d.nChannels) allowed = src.getTemplate(this.templateOf(clusterId)).channels;
    return bestChannels(peak, d.channelPositions, d.channelShanks, n, allowed);
  }
}
