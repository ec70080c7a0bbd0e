/**
 * Lasso splits evaluated on *all* spikes of the clusters (phy tests every spike, not only the
 * displayed subsample): the two scatter dimensions are computed for each spike in chunks and
 * the spikes inside the polygon are returned, ascending.
 */
import type { Dataset } from '../dataset/Dataset';
import type { ClusteringView } from './ClusteringView';
import { ClusteringError } from './ClusterLabels';
import { mergeSortedMany } from './sortedLists';
import type { ClusterMetrics } from './ClusterMetrics';
import { insidePolygon } from '../polygon';

/** One dimension of a spike scatter (same shape as the IPC `SpikeDim`). */
export type LassoDim =
  | { type: 'time' }
  | { type: 'pc'; channelId: number; pc: number }
  | { type: 'amplitude'; kind: 'template' | 'feature' | 'raw' }
  | { type: 'attribute'; name: string; column: number };

/** Spikes read per chunk (bounds memory for `pc_features` reads). */
const CHUNK = 65536;

export { insidePolygon };

/** Values of a dimension for spikes (NaN where a spike has no value, e.g. no PC features). */
export function spikeDimValues(dataset: Dataset, dim: LassoDim, spikeIds: Int32Array, bestChannel: () => number): Float64Array {
  const out = new Float64Array(spikeIds.length).fill(NaN);
  switch (dim.type) {
    case 'time':
      for (let i = 0; i < spikeIds.length; i++) out[i] = dataset.spikeTimes[spikeIds[i]] / dataset.sampleRate;
      return out;
    case 'amplitude':
      if (dim.kind === 'template') {
        if (!dataset.amplitudes) throw new ClusteringError('lasso: this dataset has no template amplitudes (amplitudes.npy)');
        for (let i = 0; i < spikeIds.length; i++) out[i] = dataset.amplitudes[spikeIds[i]];
        return out;
      }
      if (dim.kind === 'feature') return spikeDimValues(dataset, { type: 'pc', channelId: bestChannel(), pc: 0 }, spikeIds, bestChannel);
      throw new ClusteringError('lasso: raw amplitudes cannot be evaluated on all spikes; use template or feature amplitudes');
    case 'attribute': {
      const attr = dataset.spikeAttributes.find((a) => a.name === dim.name);
      if (!attr) throw new ClusteringError(`lasso: no spike attribute '${dim.name}'`);
      if (dim.column < 0 || dim.column >= attr.nColumns) throw new ClusteringError(`lasso: attribute '${dim.name}' has no column ${dim.column}`);
      const v = attr.read(spikeIds);
      for (let i = 0; i < spikeIds.length; i++) out[i] = v[i * attr.nColumns + dim.column];
      return out;
    }
    case 'pc': {
      const f = dataset.features;
      if (!f) throw new ClusteringError('lasso: this dataset has no PC features');
      if (dim.pc < 0 || dim.pc >= f.nPcs) throw new ClusteringError(`lasso: PC ${dim.pc} out of range (0–${f.nPcs - 1})`);
      // Only spikes with a feature row can be tested (pc_feature_spike_ids subsets).
      const rows: number[] = [];
      const positions: number[] = [];
      if (f.spikeIds) {
        const s = f.spikeIds;
        let j = 0;
        for (let i = 0; i < spikeIds.length; i++) {
          while (j < s.length && s[j] < spikeIds[i]) j++;
          if (j < s.length && s[j] === spikeIds[i]) {
            rows.push(spikeIds[i]);
            positions.push(i);
          }
        }
      } else {
        for (let i = 0; i < spikeIds.length; i++) {
          rows.push(spikeIds[i]);
          positions.push(i);
        }
      }
      const nL = f.nChannelsLoc;
      for (let c0 = 0; c0 < rows.length; c0 += CHUNK) {
        const part = rows.slice(c0, c0 + CHUNK);
        const r = f.read(part);
        for (let i = 0; i < part.length; i++) {
          for (let j = 0; j < nL; j++) {
            if (r.channels[i * nL + j] === dim.channelId) {
              out[positions[c0 + i]] = r.data[(i * nL + j) * f.nPcs + dim.pc];
              break;
            }
          }
        }
      }
      return out;
    }
  }
}

/** Spikes of `clusterIds` whose (x, y) lies inside `polygon`, ascending. */
export function lassoSpikes(
  dataset: Dataset,
  clustering: ClusteringView,
  metrics: ClusterMetrics,
  req: { clusterIds: number[]; x: LassoDim; y: LassoDim; polygon: ArrayLike<number> },
): Int32Array {
  if (req.polygon.length < 6 || req.polygon.length % 2 !== 0) throw new ClusteringError('lasso: the polygon needs at least 3 vertices');
  for (const c of req.clusterIds) if (!clustering.nSpikes(c)) throw new ClusteringError(`cluster ${c} does not exist`);
  const spikes = mergeSortedMany(req.clusterIds.map((c) => clustering.spikeIds(c)));
  const best = () => metrics.metrics(req.clusterIds[0]).channel;
  const xs = spikeDimValues(dataset, req.x, spikes, best);
  const ys = spikeDimValues(dataset, req.y, spikes, best);
  const out: number[] = [];
  for (let i = 0; i < spikes.length; i++) {
    if (Number.isNaN(xs[i]) || Number.isNaN(ys[i])) continue;
    if (insidePolygon(xs[i], ys[i], req.polygon)) out.push(spikes[i]);
  }
  return Int32Array.from(out);
}
