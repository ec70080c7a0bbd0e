/**
 * Cluster-table statistics for a set of clusters, in one pass over all spikes (so a chunk of
 * 50 clusters costs one O(nSpikes) scan with a table lookup per spike, ~15 ms for 10 M spikes):
 * spike count, firing rate, ISI violations, mean template amplitude, the dominant template and,
 * from it, the best channel, depth and amplitude.
 */

/** What {@link computeClusterStats} reads. Times in samples, positions µm. */
export interface ClusterStatsInput {
  sampleRate: number;
  /** Seconds. */
  duration: number;
  /** (nSpikes,) non-decreasing samples. */
  spikeTimes: ArrayLike<number>;
  /** (nSpikes,) live clustering. */
  spikeClusters: ArrayLike<number>;
  spikeTemplates: ArrayLike<number> | null;
  amplitudes: ArrayLike<number> | null;
  /** (nChannels, 2) */
  channelPositions: ArrayLike<number>;
  /** Peak channel and unwhitened peak-to-peak of a template. */
  templateInfo: ((templateId: number) => { peakChannel: number; amplitude: number }) | null;
}

/** One cluster's statistics (units in each field's comment). */
export interface ClusterStatValues {
  clusterId: number;
  nSpikes: number;
  /** Hz. */
  firingRate: number;
  /** Channel index, -1 when unknown (no templates). */
  bestChannel: number;
  /** µm (y of the best channel), 0 when unknown. */
  depth: number;
  /** Template peak-to-peak × mean spike amplitude; mean amplitude without templates; null without both. */
  amplitude: number | null;
  /** Fraction of consecutive-spike intervals below the refractory period (0–1). */
  isiViolations: number;
  /** Template most spikes come from, -1 when none. */
  template: number;
}

/**
 * Statistics of `clusterIds` (any order; ids absent from the clustering get nSpikes 0).
 * `check` is called every 1 M spikes (throw to cancel). `refractoryPeriod` in seconds.
 */
export function computeClusterStats(
  input: ClusterStatsInput,
  clusterIds: number[],
  refractoryPeriod: number,
  check: () => void = () => {},
): ClusterStatValues[] {
  const n = clusterIds.length;
  let maxId = 0;
  for (const c of clusterIds) maxId = Math.max(maxId, c);
  const row = new Int32Array(maxId + 1).fill(-1);
  clusterIds.forEach((c, k) => (row[c] = k));
  const count = new Float64Array(n);
  const viol = new Float64Array(n);
  const last = new Float64Array(n).fill(-Infinity);
  const ampSum = new Float64Array(n);
  // Dominant template: first template seen and its count; other templates in a map only when a
  // cluster mixes templates (merged clusters).
  const firstT = new Int32Array(n).fill(-1);
  const firstCount = new Float64Array(n);
  const mixed = new Map<number, Map<number, number>>();
  const limit = refractoryPeriod * input.sampleRate;
  const { spikeTimes: st, spikeClusters: sc, spikeTemplates: stt, amplitudes: amps } = input;
  const nSpikes = sc.length;
  for (let i = 0; i < nSpikes; i++) {
    if ((i & 0xfffff) === 0) check();
    const c = sc[i];
    if (c < 0 || c > maxId) continue;
    const k = row[c];
    if (k < 0) continue;
    count[k]++;
    const t = st[i];
    if (t - last[k] < limit) viol[k]++;
    last[k] = t;
    if (amps) ampSum[k] += amps[i];
    if (stt) {
      const tt = stt[i];
      if (firstT[k] < 0 || firstT[k] === tt) {
        firstT[k] = tt;
        firstCount[k]++;
      } else {
        let m = mixed.get(k);
        if (!m) mixed.set(k, (m = new Map()));
        m.set(tt, (m.get(tt) ?? 0) + 1);
      }
    }
  }
  const out: ClusterStatValues[] = [];
  for (let k = 0; k < n; k++) {
    let template = firstT[k];
    let best = firstCount[k];
    for (const [tt, cnt] of mixed.get(k) ?? []) {
      if (cnt > best || (cnt === best && tt < template)) {
        best = cnt;
        template = tt;
      }
    }
    const info = template >= 0 && input.templateInfo ? input.templateInfo(template) : null;
    const bestChannel = info ? info.peakChannel : -1;
    const meanAmp = amps && count[k] > 0 ? ampSum[k] / count[k] : null;
    let amplitude: number | null = null;
    if (info && meanAmp !== null) amplitude = info.amplitude * meanAmp;
    else if (info) amplitude = info.amplitude;
    else amplitude = meanAmp;
    out.push({
      clusterId: clusterIds[k],
      nSpikes: count[k],
      firingRate: input.duration > 0 ? count[k] / input.duration : 0,
      bestChannel,
      depth: bestChannel >= 0 ? input.channelPositions[2 * bestChannel + 1] : 0,
      amplitude,
      isiViolations: count[k] > 1 ? viol[k] / (count[k] - 1) : 0,
      template,
    });
  }
  return out;
}
