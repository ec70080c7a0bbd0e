/**
 * The proposers of the amplitude-threshold split, outlier removal and duplicate spikes (issue
 * #14; decisions/0011): each turns its spec into the parts of a split proposal — the spikes the
 * tool takes off, and the rest of the source as its own part, so that the views show both in
 * their own colours and the commit is one `assign` of every spike of the source. All spikes of
 * the cluster, never a subset (the whole-cluster passes run in the workers' background lane,
 * `compute/providers/cleanup.ts`). A tool that would take nothing (or everything) is refused with
 * a message naming the cluster.
 */
import { spikesBelow } from '../../core/cleanup/amplitudeSplit';
import { censoredSamples, duplicatesAcross, duplicatesWithin, DUPLICATE_DEFAULTS } from '../../core/cleanup/duplicates';
import { OUTLIER_DEFAULTS } from '../../core/cleanup/outliers';
import { CleanupInputError } from '../compute/providers/cleanup';
import { UserError } from '../UserError';
import type { Proposer } from './proposers';

const fmt = (n: number) => n.toLocaleString('en-US');
/** Numbers in messages and names: 4 significant digits. */
const num = (v: number) => String(Number(v.toPrecision(4)));

/** The spikes of `all` (ascending) not in `taken` (ascending, a subset of `all`). */
function without(all: Int32Array, taken: Int32Array): Int32Array {
  const out = new Int32Array(all.length - taken.length);
  let k = 0;
  let j = 0;
  for (let i = 0; i < all.length; i++) {
    if (j < taken.length && all[i] === taken[j]) j++;
    else out[k++] = all[i];
  }
  return out;
}

/** Runs a whole-cluster pass, turning its input errors (too few spikes, …) into a message naming the tool and cluster. */
async function userErrors<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof CleanupInputError || e instanceof RangeError) throw new UserError(`${what}: ${e.message}`);
    throw e;
  }
}

/** The spikes of a cluster below an amplitude threshold, and the rest. */
export const proposeAmplitudeThreshold: Proposer<'amplitudeThreshold'> = async (spec, env) => {
  const c = spec.clusterId;
  const what = `threshold split of cluster ${c}`;
  const { spikeIds, values } = await userErrors(what, () => env.backend.clusterAmplitudeValues(c, spec.amplitudeKind, spec.feature, env.signal));
  const below = await userErrors(what, async () => spikesBelow(values, spec.threshold));
  const taken = Int32Array.from(below, (i) => spikeIds[i]);
  // Spikes without a value (no feature on that channel) stay with the spikes above.
  const rest = without(env.clustering.spikeIds(c), taken);
  const t = num(spec.threshold);
  return {
    parts: [
      { sourceId: c, spikeIds: rest, name: `${c} ≥ ${t}` },
      { sourceId: c, spikeIds: taken, name: `${c} < ${t}` },
    ],
    summary: `${c}: ${fmt(taken.length)} of ${fmt(taken.length + rest.length)} spikes below ${t} (${spec.amplitudeKind} amplitude)`,
    committable: true,
    source: 'threshold split',
  };
};

/** A cluster's spikes far from its centre in PC space (labelled noise on commit), and the rest. */
export const proposeOutliers: Proposer<'outliers'> = async (spec, env) => {
  const c = spec.clusterId;
  const quantile = spec.quantile ?? OUTLIER_DEFAULTS.quantile;
  const what = `outliers of cluster ${c}`;
  const r = await userErrors(what, () => env.backend.outlierSpikes(c, quantile, env.signal));
  if (r.outliers.length === 0) throw new UserError(`${what}: none beyond the χ² ${num(quantile * 100)} % quantile (D² > ${num(r.threshold)}, ${r.nDims} dimensions)`);
  const rest = without(env.clustering.spikeIds(c), r.outliers);
  return {
    parts: [
      { sourceId: c, spikeIds: rest, name: `${c} kept` },
      { sourceId: c, spikeIds: r.outliers, name: `${c} outliers`, group: 'noise' },
    ],
    summary: `${c}: ${fmt(r.outliers.length)} outliers of ${fmt(r.nMeasured)} spikes (Mahalanobis D² > ${num(r.threshold)}, χ² ${num(quantile * 100)} %, ${r.nDims} dims) → noise`,
    committable: true,
    source: 'remove outliers',
  };
};

/**
 * Duplicate spikes (SpikeInterface's `remove_duplicated_spikes`, keep_first): in one cluster the
 * spikes at most `intervalMs` after the previous one; across two, the second cluster's spikes
 * within `intervalMs` of a spike of the first. The source is the cluster that loses spikes.
 */
export const proposeDuplicates: Proposer<'duplicates'> = async (spec, env) => {
  const ids = spec.clusterIds;
  if (ids.length < 1 || ids.length > 2 || ids[0] === ids[1]) throw new UserError(`duplicate spikes: one cluster or two different clusters, not ${JSON.stringify(ids)}`);
  const intervalMs = spec.intervalMs ?? DUPLICATE_DEFAULTS.intervalMs;
  const censored = censoredSamples(intervalMs, env.dataset.sampleRate);
  const st = env.dataset.spikeTimes;
  const timesOf = (c: number) => Float64Array.from(env.clustering.spikeIds(c), (i) => st[i]);
  const c = ids[ids.length - 1];
  const all = env.clustering.spikeIds(c);
  const rows = ids.length === 1 ? duplicatesWithin(timesOf(c), censored) : duplicatesAcross(timesOf(ids[0]), timesOf(c), censored);
  const where = ids.length === 1 ? `cluster ${c}` : `cluster ${c} against ${ids[0]}`;
  const within = `${num(intervalMs)} ms (${censored} samples)`;
  if (rows.length === 0) throw new UserError(`duplicate spikes of ${where}: none within ${within}`);
  if (rows.length === all.length) throw new UserError(`duplicate spikes of ${where}: every spike (${fmt(all.length)}) is within ${within}; nothing would be left (merge them instead)`);
  const taken = Int32Array.from(rows, (r) => all[r]);
  const rest = without(all, taken);
  return {
    parts: [
      { sourceId: c, spikeIds: rest, name: `${c} kept` },
      { sourceId: c, spikeIds: taken, name: `${c} duplicates` },
    ],
    summary:
      ids.length === 1
        ? `${c}: ${fmt(taken.length)} duplicate spikes (≤ ${within} after the previous one)`
        : `${c}: ${fmt(taken.length)} spikes within ${within} of a spike of ${ids[0]}`,
    committable: true,
    source: 'remove duplicates',
  };
};
