/** AmplitudeView's data: template, feature or raw amplitudes of a selection, with phy's background. */
import type { Dataset } from '../../../core/dataset/Dataset';
import type { AmplitudeKind, AmplitudesData, AmplitudesRequest, ChannelFeature, ClusterAmplitudes } from '../../../shared/ipc/contract';
import { tasks } from '../../../shared/tasks/tasks';
import { mergeSpikeTrains, regularSubset } from '../../../core/compute/ccg';
import { runTask, type ComputeContext } from '../context';
import { pick, inRaw, spikeTimesOf, waveformGeometry, withFeatures } from '../spikeLists';
import { readFeatures } from './features';

/** The amplitude types a dataset can show: template (amplitudes.npy), feature (PCs), raw. */
export function availableAmplitudeKinds(d: Dataset): AmplitudeKind[] {
  const out: AmplitudeKind[] = [];
  if (d.amplitudes) out.push('template');
  if (d.features) out.push('feature');
  if (d.raw) out.push('raw');
  return out;
}

export function amplitudes(ctx: ComputeContext, req: AmplitudesRequest, signal?: AbortSignal): Promise<AmplitudesData> {
  const available = availableAmplitudeKinds(ctx.dataset);
  const kind = req.kind;
  // Raw amplitudes read one window per spike: capped at 1,000 per cluster.
  const nSpikes = Math.min(req.nSpikes ?? 10_000, kind === 'raw' ? 1000 : Infinity);
  const background = (req.background ?? true) && kind === 'template';
  // One channel and PC for all clusters (phy), so that they compare and a lasso on what is
  // shown splits on the same values; in the memo key, so each choice is its own result.
  const feature: ChannelFeature | undefined =
    kind !== 'feature' ? undefined : req.feature ? { channelId: req.feature.channelId, pc: req.feature.pc } : { channelId: Math.max(0, req.clusterIds.length ? ctx.facts.peakChannel(req.clusterIds[0]) : 0), pc: 0 };
  const r = { clusterIds: req.clusterIds, kind, nSpikes, background, ...(feature ? { feature } : {}) };
  return ctx.results.memo('amplitudes', r, r.clusterIds, background, signal, async (generation) => {
    const base = { generation, kind, available, ...(feature ? { feature } : {}) };
    if (!available.includes(kind)) {
      return { ...base, unit: 'a.u.', clusters: [], background: null, message: `${kind} amplitudes are not available for this dataset` };
    }
    if (feature && (feature.channelId >= ctx.dataset.nChannels || feature.pc >= ctx.dataset.features!.nPcs)) {
      const message = `no feature PC ${feature.pc} on channel ${feature.channelId} (${ctx.dataset.nChannels} channels, ${ctx.dataset.features!.nPcs} PCs)`;
      return { ...base, unit: 'a.u.', clusters: [], background: null, message };
    }
    const ids: Int32Array[] = r.clusterIds.map((c) => {
      const all = ctx.clustering.spikeIds(c);
      return regularSubset(kind === 'raw' ? inRaw(ctx.dataset, all) : all, nSpikes).slice();
    });
    let values: Float32Array[];
    let unit = 'a.u.';
    if (kind === 'template') {
      const a = ctx.dataset.amplitudes!;
      values = ids.map((s) => pick(a, s));
    } else if (feature) {
      const sets = r.clusterIds.map((c, k) => ({ clusterId: c, spikeIds: withFeatures(ctx.dataset, ids[k]) }));
      const res = await readFeatures(ctx, sets, [feature.channelId], signal);
      values = res.sets.map((set, k) => {
        // Only spikes with a feature on the channel (pc_features keep a few channels per spike).
        const s = sets[k].spikeIds;
        const kept = new Int32Array(s.length);
        const v = new Float32Array(s.length);
        let n = 0;
        for (let i = 0; i < s.length; i++) {
          if (!set.present[i]) continue;
          kept[n] = s[i];
          v[n++] = set.features[i * res.nPcs + feature.pc];
        }
        ids[k] = kept.slice(0, n);
        return v.slice(0, n);
      });
    } else {
      const { nSamples, nBefore } = waveformGeometry(ctx.dataset);
      values = [];
      for (let k = 0; k < ids.length; k++) {
        const ch = Math.max(0, ctx.facts.peakChannel(r.clusterIds[k]));
        const res = await runTask(ctx, 
          tasks.rawAmplitudes,
          { dataset: ctx.handle, spikeIds: ids[k], channelIds: new Int32Array(ids[k].length).fill(ch), nSamples, nBefore, filter: true },
          signal,
        );
        unit = res.unit;
        values.push(res.amplitudes);
      }
    }
    const clusters: ClusterAmplitudes[] = r.clusterIds.map((c, k) => ({ clusterId: c, spikeIds: ids[k], times: spikeTimesOf(ctx.dataset, ids[k]), amplitudes: values[k] }));
    let bg: ClusterAmplitudes | null = null;
    if (background && r.clusterIds.length) {
      // phy: grey background from the clusters on the same peak channel (10,000 spikes).
      const peak = ctx.facts.peakChannel(r.clusterIds[0]);
      const sel = new Set(r.clusterIds.map((c) => ctx.virtual.sourceOf(c)));
      const others = ctx.clustering.clusterIds().filter((c) => !sel.has(c) && peak >= 0 && ctx.facts.peakChannel(c) === peak);
      if (others.length) {
        // Each cluster's share of the 10,000 (a regular subset of each list), merged in time
        // order: O(10,000), not O(spikes of all those clusters).
        let total = 0;
        for (const c of others) total += ctx.clustering.nSpikes(c);
        const parts = others.map((c) => regularSubset(ctx.clustering.spikeIds(c), Math.ceil((10_000 * ctx.clustering.nSpikes(c)) / total)));
        const s = regularSubset(mergeSpikeTrains(parts).spikeIds, 10_000).slice();
        const a = ctx.dataset.amplitudes!;
        bg = { clusterId: -1, spikeIds: s, times: spikeTimesOf(ctx.dataset, s), amplitudes: pick(a, s) };
      }
    }
    return { ...base, unit, clusters, background: bg };
  });
}
