/** Correlogram, all-pairs correlogram and spike-histogram handlers. */
import type {
  AllPairsArgs,
  AllPairsResult,
  ClusterTimes,
  ClusterTimesArgs,
  CorrelogramsArgs,
  CorrelogramsResult,
  DatasetHandle,
  HistogramsArgs,
  HistogramsResult,
  MergePreviewArgs,
  MergePreviewResult,
  SpikeLists,
} from '../../shared/tasks/tasks';
import type { RefractoryStats } from '../../shared/ipc/contract';
import type { SpikeTimes } from '../../core/dataset/Dataset';
import {
  accumulateCorrelogramRows,
  accumulateCorrelograms,
  correlogramBins,
  gatherFloat32,
  gatherTimes,
  mergedCorrelogram,
  mergeSortedArrays,
  mergeSpikeTrains,
  regularSubset,
  regularSubsetOf,
  symmetrizeCorrelograms,
} from '../../core/compute/ccg';
import { clusterHistograms, refractoryStatsOfTimes } from '../../core/compute/spikeStats';
import { lowerBound } from '../../core/search';
import { bySegment } from '../../core/session/SpikeAssignment';
import { censoredSamples, countDuplicatesWithin, DUPLICATE_DEFAULTS } from '../../core/cleanup/duplicates';
import { mergePreviewMetrics, mergeVerdict } from '../../core/metrics/mergePreview';
import type { HandlerContext } from './context';

function lists(a: SpikeLists): Int32Array[] {
  return a.clusterIds.map((_, k) => a.spikeIds.subarray(a.offsets[k], a.offsets[k + 1]));
}

export function correlograms(args: CorrelogramsArgs, { cancel }: HandlerContext): CorrelogramsResult {
  const { dataset, part } = args;
  const n = args.clusterIds.length;
  const bins = correlogramBins(dataset.sampleRate, args.binSize, args.windowSize);
  const all = lists(args);
  const refEnd = part ? part.refEnd : Infinity;
  // One pass of scattered reads per cluster: the gathered times give the refractory statistics
  // (every spike) and, subsampled, the correlogram's trains.
  const firingRates = new Float32Array(n);
  const stats: RefractoryStats[] = [];
  const subIds: Int32Array[] = [];
  const subTimes: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    const ids = all[k];
    const fullLength = part ? part.fullLength[k] : ids.length;
    const times = trainTimes(dataset, args.clusterIds[k], ids, fullLength, part ? part.firstPos[k] : 0);
    firingRates[k] = dataset.duration > 0 ? fullLength / dataset.duration : 0;
    // Statistics over the spikes this part owns (ids < refEnd: a prefix of the list).
    const own = refEnd === Infinity ? ids.length : lowerBound(ids, refEnd);
    const ownTimes = own === ids.length ? times : times.subarray(0, own);
    // The duplicate count rides on the same gathered times: one more comparison per ISI.
    stats.push({
      clusterId: args.clusterIds[k],
      ...refractoryStatsOfTimes(ownTimes, dataset.sampleRate, args.refractoryPeriod, dataset.duration),
      nDuplicates: countDuplicatesWithin(ownTimes, censoredSamples(DUPLICATE_DEFAULTS.intervalMs, dataset.sampleRate)),
    });
    if (!part) {
      subIds.push(regularSubset(ids, args.maxSpikes));
      subTimes.push(regularSubsetOf(times, args.maxSpikes));
    } else {
      // The full list's subsample takes every step-th position from 0 (see regularSubset).
      const step = args.maxSpikes >= fullLength ? 1 : Math.ceil(Math.min(Math.max((1 / args.maxSpikes) * fullLength, 1), fullLength));
      const first = (step - (part.firstPos[k] % step)) % step;
      const m = Math.max(0, Math.ceil((ids.length - first) / step));
      const si = new Int32Array(m);
      const sv = new Float64Array(m);
      for (let q = 0; q < m; q++) {
        si[q] = ids[first + q * step];
        sv[q] = times[first + q * step];
      }
      subIds.push(si);
      subTimes.push(sv);
    }
  }
  cancel.check();
  let samples: Float64Array;
  let clusterIndex: Int32Array;
  let spikeIds: Int32Array;
  if (n === 1) {
    samples = subTimes[0];
    spikeIds = subIds[0];
    clusterIndex = new Int32Array(samples.length);
  } else {
    ({ spikeIds, clusterIndex } = mergeSpikeTrains(subIds));
    // Each train's times in merged order: a cursor per train.
    samples = new Float64Array(clusterIndex.length);
    const cursor = new Int32Array(n);
    for (let p = 0; p < samples.length; p++) {
      const c = clusterIndex[p];
      samples[p] = subTimes[c][cursor[c]++];
    }
  }
  cancel.check();
  const oneSided = new Int32Array(n * n * (bins.half + 1));
  const end = refEnd === Infinity ? samples.length : lowerBound(spikeIds, refEnd);
  // Chunks of 200k reference spikes between cancellation checks.
  for (let s = 0; s < end; s += 200_000) {
    accumulateCorrelograms(samples, clusterIndex, n, bins, oneSided, s, Math.min(end, s + 200_000));
    cancel.check();
  }
  if (part) return { nBins: bins.nBins, counts: new Int32Array(0), oneSided, firingRates, stats };
  const counts = symmetrizeCorrelograms(oneSided, n, bins.half);
  return { nBins: bins.nBins, counts, firingRates, stats, ...(n >= 2 ? { merged: mergedCorrelogram(oneSided, n, bins.half) } : {}) };
}

/**
 * The times (samples) of `ids`, the spikes of cluster `c` from position `firstPos` of its full
 * list of `fullLength`: one contiguous run of the grouped column when it has the cluster (same
 * spike set: a cluster id never changes its spikes), else one scattered read per spike.
 */
function trainTimes(dataset: DatasetHandle, c: number, ids: Int32Array, fullLength: number, firstPos: number): Float64Array {
  const ct = dataset.clusterTimes;
  const indexed = ct && c >= 0 && c + 1 < ct.offsets.length && ct.offsets[c + 1] - ct.offsets[c] === fullLength;
  if (!indexed) return gatherTimes(dataset.spikeTimes, ids);
  const from = ct.offsets[c] + firstPos;
  const run = ct.times.subarray(from, from + ids.length);
  // Grouped uint32 times (see SpikeTimes) are widened per selection: O(its spikes), not a second whole column.
  return run instanceof Float64Array ? run : new Float64Array(run);
}

/**
 * The merge preview (see `MergePreviewResult`): each cluster's times (and amplitudes), their
 * union, and the metrics of each. O(spikes of the selection · log clusters) plus the
 * refractory pairs and the amplitude medians' sorts.
 */
export function mergePreview(args: MergePreviewArgs, { cancel }: HandlerContext): MergePreviewResult {
  const { dataset } = args;
  const all = lists(args);
  const amps = dataset.amplitudes;
  const partTimes = all.map((ids, k) => trainTimes(dataset, args.clusterIds[k], ids, ids.length, 0));
  const partAmps = all.map((ids) => (amps ? gatherFloat32(amps, ids) : null));
  const parts = all.map((_, k) => mergePreviewMetrics(partTimes[k], amps ? [partAmps[k]!] : null, dataset.sampleRate, dataset.duration));
  cancel.check();
  // The union: its times in order (spike times are non-decreasing in spike id, so merging the
  // parts' sorted times is the merged cluster's train); its amplitudes are the parts' arrays as
  // they are (amplitude_cutoff reads their distribution only).
  const times = mergeSortedArrays(partTimes);
  const merged = mergePreviewMetrics(times, amps ? (partAmps as Float64Array[]) : null, dataset.sampleRate, dataset.duration);
  cancel.check();
  return {
    merged,
    parts,
    mergedStats: refractoryStatsOfTimes(times, dataset.sampleRate, args.refractoryPeriod, dataset.duration),
    verdict: mergeVerdict(merged, parts, dataset.sampleRate, dataset.duration),
  };
}

export function allPairsCorrelograms(args: AllPairsArgs, { cancel }: HandlerContext): AllPairsResult {
  const { dataset } = args;
  const n = args.clusterIds.length;
  const bins = correlogramBins(dataset.sampleRate, args.binSize, args.windowSize);
  let maxId = 0;
  for (const c of args.clusterIds) maxId = Math.max(maxId, c);
  // Cluster id → output row, for the ids of the live clustering.
  const rowOf = new Int32Array(maxId + 1).fill(-1);
  args.clusterIds.forEach((c, k) => (rowOf[c] = k));
  const oneSided = new Int32Array((args.rowEnd - args.rowStart) * n * (bins.half + 1));
  // Rows by segment: the pass reads each spike's segment (the live assignment's first level).
  const a = dataset.assignment;
  accumulateCorrelogramRows(dataset.spikeTimes, a.spikeSegments, bySegment(a, rowOf), n, bins, args.rowStart, args.rowEnd, oneSided, () => cancel.check());
  return { oneSided, half: bins.half };
}

export function histograms(args: HistogramsArgs, { cancel }: HandlerContext): HistogramsResult {
  const { dataset } = args;
  return clusterHistograms(args.kind, dataset.spikeTimes, lists(args), { sampleRate: dataset.sampleRate, duration: dataset.duration, binSize: args.binSize, max: args.max, nBins: args.nBins }, () => cancel.check());
}

/**
 * Spike times grouped by cluster (see `ClusterTimes`): a counting sort over the clustering,
 * two sequential passes over all spikes (background lane, once per dataset).
 */
export function clusterTimes(args: ClusterTimesArgs, { cancel }: HandlerContext): ClusterTimes {
  const { dataset } = args;
  // The live cluster of spike i is table[seg[i]] (SpikeAssignment); the table is small and cached.
  const seg = dataset.assignment.spikeSegments;
  const table = dataset.assignment.segmentClusters;
  const st = dataset.spikeTimes;
  const n = seg.length;
  let maxId = -1;
  for (let s = 0; s < table.length; s++) if (table[s] > maxId) maxId = table[s];
  const offsets = new Int32Array(new SharedArrayBuffer(4 * (maxId + 2)));
  for (let i = 0; i < n; i++) {
    const c = table[seg[i]];
    if (c >= 0) offsets[c + 1]++;
  }
  for (let c = 0; c <= maxId; c++) offsets[c + 1] += offsets[c];
  cancel.check();
  // The same element type as the spike times: 4 bytes a spike when they are uint32 (SpikeTimes).
  const total = offsets[maxId + 1];
  const times: SpikeTimes = st instanceof Uint32Array ? new Uint32Array(new SharedArrayBuffer(4 * total)) : new Float64Array(new SharedArrayBuffer(8 * total));
  const fill = offsets.slice(0, maxId + 1);
  for (let i = 0; i < n; i++) {
    const c = table[seg[i]];
    // A clustering changed under this pass could overflow a slice: the caller drops the
    // result then (generation check); never write outside the array meanwhile.
    if (c >= 0 && c <= maxId && fill[c] < times.length) times[fill[c]++] = st[i];
  }
  return { offsets, times };
}
