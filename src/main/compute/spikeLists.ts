/**
 * Spike-list helpers of the compute service: the main thread only slices spike lists
 * (O(spikes of the selection)); everything proportional to samples runs in the workers.
 */
import type { Dataset } from '../../core/dataset/Dataset';
import type { ClusteringView } from '../../core/session/ClusteringView';
import type { SpikeLists } from '../../shared/tasks/tasks';
import { regularSubset } from '../../core/compute/ccg';
import { lowerBound } from '../../core/search';

/** `a`, or a copy of it in shared memory (workers read it without a copy per task). */
export function shared<T extends Float64Array | Int32Array | Float32Array | Uint32Array | Uint16Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  // The same element type as `a` (spike times are Uint32Array or Float64Array, see SpikeTimes).
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  new Uint8Array(out.buffer).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return out;
}

/** `values[spikeIds[k]]` for every k, as float32. */
export function pick(values: ArrayLike<number>, spikeIds: Int32Array): Float32Array {
  const out = new Float32Array(spikeIds.length);
  for (let k = 0; k < out.length; k++) out[k] = values[spikeIds[k]];
  return out;
}

/** The clusters' spike lists (each a regular subset of at most `max`), concatenated with offsets. */
export function spikeLists(clustering: ClusteringView, clusterIds: number[], max = Infinity): SpikeLists {
  const lists = clusterIds.map((c) => regularSubset(clustering.spikeIds(c), max));
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((l, k) => (offsets[k + 1] = offsets[k] + l.length));
  const spikeIds = new Int32Array(offsets[lists.length]);
  lists.forEach((l, k) => spikeIds.set(l, offsets[k]));
  return { clusterIds, spikeIds, offsets };
}

/** Spike times in seconds, as float32. */
export function spikeTimesOf(dataset: Dataset, spikeIds: Int32Array): Float32Array {
  const st = dataset.spikeTimes;
  const sr = dataset.sampleRate;
  // Plain loops: `TypedArray.from` with a mapping callback costs ~50× more per element.
  const out = new Float32Array(spikeIds.length);
  for (let k = 0; k < out.length; k++) out[k] = st[spikeIds[k]] / sr;
  return out;
}

/** Samples of a waveform window when there are no templates (82 at 30 kHz, Kilosort's). */
function defaultWaveformSamples(sampleRate: number): number {
  return Math.max(8, Math.round(sampleRate * (82 / 30000)));
}

/** Samples of a waveform window and how many of them precede the spike. */
export function waveformGeometry(dataset: Dataset): { nSamples: number; nBefore: number } {
  const nSamples = dataset.templates?.nSamples ?? defaultWaveformSamples(dataset.sampleRate);
  return { nSamples, nBefore: Math.floor(nSamples / 2) };
}

/**
 * Seconds a whole-recording plot spans: the dataset's duration, or up to the last spike (sorted)
 * when that is later, so every spike falls inside whatever duration a format reports.
 */
export function plotSeconds(dataset: Dataset): number {
  const st = dataset.spikeTimes;
  const lastSpike = st.length ? (st[st.length - 1] + 1) / dataset.sampleRate : 0;
  return Math.max(dataset.duration, lastSpike) || 1;
}

/**
 * The part of a sorted spike list whose waveform window lies inside the raw recording (a
 * recording may cover only part of the sort): two binary searches, spike times being
 * non-decreasing in spike id.
 */
export function inRaw(dataset: Dataset, ids: Int32Array): Int32Array {
  const raw = dataset.raw;
  if (!raw) return ids;
  const { nSamples, nBefore } = waveformGeometry(dataset);
  const st = dataset.spikeTimes;
  const search = (limit: number) => {
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (st[ids[mid]] < limit) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return ids.subarray(search(nBefore), search(raw.nSamples - (nSamples - nBefore) + 1));
}

/** Spikes a FeatureSource has (all, or its `spikeIds` subset). */
export function withFeatures(dataset: Dataset, ids: Int32Array): Int32Array {
  const sub = dataset.features?.spikeIds;
  if (!sub) return ids;
  return ids.filter((i) => {
    const k = lowerBound(sub, i);
    return k < sub.length && sub[k] === i;
  });
}
