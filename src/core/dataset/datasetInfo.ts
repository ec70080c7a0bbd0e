/**
 * Small summaries of an opened {@link Dataset} shared by `spikedock info`, the dataset summary
 * sent to the renderer and tests: which clusters exist, how many are in each group, and one
 * sentence on the raw data.
 */
import type { Dataset } from './Dataset';

/** Counts of clusters per group; `unlabelled` = no group or `unsorted`, `other` = custom groups. */
export interface GroupCounts {
  good: number;
  mua: number;
  noise: number;
  unlabelled: number;
  other: number;
}

/**
 * The distinct cluster ids of `spikeClusters`, ascending, with their spike counts
 * (`counts[i]` spikes in cluster `ids[i]`). One pass over the spikes into a dense count table
 * (ids are small non-negative integers in every sorter's output).
 */
export function clusterSpikeCounts(spikeClusters: Int32Array): { ids: Int32Array; counts: Int32Array } {
  let max = -1;
  for (let i = 0; i < spikeClusters.length; i++) if (spikeClusters[i] > max) max = spikeClusters[i];
  const dense = new Int32Array(max + 1);
  for (let i = 0; i < spikeClusters.length; i++) dense[spikeClusters[i]]++;
  let n = 0;
  for (let c = 0; c <= max; c++) if (dense[c]) n++;
  const ids = new Int32Array(n);
  const counts = new Int32Array(n);
  for (let c = 0, k = 0; c <= max; c++) {
    if (dense[c]) {
      ids[k] = c;
      counts[k++] = dense[c];
    }
  }
  return { ids, counts };
}

/**
 * Whether a group value means "not labelled yet": none, empty or phy's `unsorted` (the one
 * definition: the group counts, and label rules, which by default only label such clusters).
 */
export function isUnlabelledGroup(group: string | number | null | undefined): boolean {
  if (group === null || group === undefined) return true;
  const g = String(group).toLowerCase();
  return g === '' || g === 'unsorted';
}

/** Clusters (with at least one spike) per group. */
export function countClusterGroups(clusterIds: ArrayLike<number>, groups: Map<number, string>): GroupCounts {
  const out: GroupCounts = { good: 0, mua: 0, noise: 0, unlabelled: 0, other: 0 };
  for (let i = 0; i < clusterIds.length; i++) {
    const g = groups.get(clusterIds[i])?.toLowerCase();
    if (g === 'good' || g === 'mua' || g === 'noise') out[g]++;
    else if (isUnlabelledGroup(g)) out.unlabelled++;
    else out.other++;
  }
  return out;
}

/** One sentence on the raw data: what is read, or why there is none and what that disables. */
export function rawStatus(ds: Dataset): string {
  if (ds.raw) {
    const files = ds.raw.files.map((f) => f.split(/[\\/]/).pop()).join(', ');
    const secs = ds.raw.nSamples / ds.raw.sampleRate;
    return `${files}: ${ds.raw.nChannelsDat} channels × ${ds.raw.nSamples} samples (${secs.toFixed(3)} s) of ${ds.raw.dtype}${ds.raw.unit !== 'a.u.' ? `, ${ds.raw.gain} ${ds.raw.unit}/bit` : ''}`;
  }
  const why = ds.diagnostics.find((d) => d.disables?.includes('raw'));
  if (why) return `none (${why.code}): ${why.message}`;
  return 'none: waveforms and traces from the recording are unavailable';
}
