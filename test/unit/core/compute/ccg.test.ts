import { describe, expect, it } from 'vitest';
import {
  accumulateCorrelogramRows,
  correlogramBins,
  correlograms,
  mergeSpikeTrains,
  mergedCorrelogram,
  mergeSortedArrays,
  regularSubset,
  regularSubsetOf,
  symmetrizeCorrelograms,
} from '../../../../src/core/compute/ccg';

/** Brute-force reference: phylib's definition written pair by pair. */
function reference(samples: number[], clusters: number[], n: number, binSamples: number, half: number): Int32Array {
  const c = new Int32Array(n * n * (half + 1));
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const d = Math.floor((samples[j] - samples[i]) / binSamples);
      if (d <= half) c[(clusters[i] * n + clusters[j]) * (half + 1) + d]++;
    }
  }
  return c;
}

/** Deterministic pseudo-random generator (LCG) for reproducible trains. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomData(nClusters: number, n = 10_000, seed = 1) {
  const rnd = lcg(seed);
  const sr = 20000;
  let t = 0;
  const samples: number[] = [];
  const clusters: number[] = [];
  for (let i = 0; i < n; i++) {
    t += -Math.log(1 - rnd()) * 0.025;
    samples.push(Math.floor(t * sr));
    clusters.push(Math.floor(rnd() * nClusters));
  }
  return { samples, clusters, sr };
}

describe('correlogramBins (phylib geometry)', () => {
  it('1 ms bins over a 50 ms window at 20 kHz: 20 samples per bin, 51 bins', () => {
    expect(correlogramBins(20000, 0.001, 0.05)).toEqual({ binSamples: 20, nBins: 51, half: 25 });
  });
  it('truncates the bin in samples and the half window in bins', () => {
    expect(correlogramBins(30000, 0.001, 0.05).binSamples).toBe(30);
    expect(correlogramBins(25000, 0.0005, 0.0213)).toEqual({ binSamples: 12, nBins: 43, half: 21 });
    expect(correlogramBins(1, 1, 7)).toEqual({ binSamples: 1, nBins: 7, half: 3 });
  });
  it('rejects a bin shorter than one sample', () => {
    expect(() => correlogramBins(1000, 0.0001, 0.05)).toThrow(RangeError);
  });
});

describe('correlograms: phylib test_ccg.py cases', () => {
  it('test_ccg_0: identical times are counted once, in spike order', () => {
    const bins = correlogramBins(1, 1, 7);
    const c = correlograms([0, 10, 10, 20], [0, 1, 0, 1], 2, bins, false);
    const expected = new Int32Array(2 * 2 * 4);
    expected[(1 * 2 + 0) * 4 + 0] = 1; // c[1, 0, 0] = 1; c[0, 1, 0] = 0 (phylib's peculiarity)
    expect(Array.from(c)).toEqual(Array.from(expected));
  });

  it('test_ccg_1', () => {
    const bins = correlogramBins(1, 1, 7);
    const c = correlograms([2, 3, 10, 12, 20, 24, 30, 40], [0, 1, 0, 0, 2, 1, 0, 2], 3, bins, false);
    const expected = new Int32Array(3 * 3 * 4);
    expected[(0 * 3 + 1) * 4 + 1] = 1;
    expected[(0 * 3 + 0) * 4 + 2] = 1;
    expect(Array.from(c)).toEqual(Array.from(expected));
  });

  it('test_ccg_2: shape (10, 10, 26) one-sided', () => {
    const { samples, clusters, sr } = randomData(10);
    const bins = correlogramBins(sr, 0.001, 0.05);
    expect(correlograms(samples, clusters, 10, bins, false).length).toBe(10 * 10 * 26);
  });

  it('test_ccg_symmetry_time: reversing time transposes the CCGs', () => {
    const { samples, clusters, sr } = randomData(2, 10_000, 7);
    const bins = correlogramBins(sr, 0.001, 0.05);
    const c0 = correlograms(samples, clusters, 2, bins, false);
    const diffs = samples.slice(1).map((s, i) => s - samples[i]).reverse();
    const samples1 = [0];
    for (const d of diffs) samples1.push(samples1[samples1.length - 1] + d);
    const c1 = correlograms(samples1, clusters.slice().reverse(), 2, bins, false);
    const at = (c: Int32Array, i: number, j: number) => Array.from(c.subarray((i * 2 + j) * 26, (i * 2 + j + 1) * 26));
    // Bin 0 depends on the order of identical times, as phylib warns; compare bins ≥ 1 only
    // where same-sample pairs exist.
    expect(at(c0, 0, 0)).toEqual(at(c1, 0, 0));
    expect(at(c0, 1, 1)).toEqual(at(c1, 1, 1));
    expect(at(c0, 0, 1).slice(1)).toEqual(at(c1, 1, 0).slice(1));
    expect(at(c0, 1, 0).slice(1)).toEqual(at(c1, 0, 1).slice(1));
  });

  it('test_ccg_symmetry_clusters: swapping cluster labels transposes', () => {
    const { samples, clusters, sr } = randomData(2, 10_000, 3);
    const bins = correlogramBins(sr, 0.001, 0.05);
    const c0 = correlograms(samples, clusters, 2, bins, false);
    const c1 = correlograms(samples, clusters.map((c) => 1 - c), 2, bins, false);
    const at = (c: Int32Array, i: number, j: number) => Array.from(c.subarray((i * 2 + j) * 26, (i * 2 + j + 1) * 26));
    expect(at(c0, 0, 0)).toEqual(at(c1, 1, 1));
    expect(at(c0, 0, 1)).toEqual(at(c1, 1, 0));
  });

  it('test_symmetrize_correlograms: (3, 3, 51), ACGs mirror, CCGs mirror-transpose', () => {
    const { samples, clusters, sr } = randomData(3, 10_000, 5);
    const bins = correlogramBins(sr, 0.001, 0.05);
    const sym = correlograms(samples, clusters, 3, bins, true);
    expect(sym.length).toBe(3 * 3 * 51);
    const at = (i: number, j: number) => Array.from(sym.subarray((i * 3 + j) * 51, (i * 3 + j + 1) * 51));
    for (let i = 0; i < 3; i++) expect(at(i, i)).toEqual(at(i, i).slice().reverse());
    expect(at(0, 1)).toEqual(at(1, 0).slice().reverse());
  });

  it('matches the pair-by-pair definition on random data with many same-sample spikes', () => {
    const rnd = lcg(11);
    const samples: number[] = [];
    const clusters: number[] = [];
    let t = 0;
    for (let i = 0; i < 3000; i++) {
      t += rnd() < 0.3 ? 0 : Math.floor(rnd() * 40);
      samples.push(t);
      clusters.push(Math.floor(rnd() * 4));
    }
    const bins = correlogramBins(10000, 0.001, 0.02);
    const c = correlograms(samples, clusters, 4, bins, false);
    expect(Array.from(c)).toEqual(Array.from(reference(samples, clusters, 4, bins.binSamples, bins.half)));
  });
});

describe('accumulateCorrelogramRows (all-pairs, blocked by reference rows)', () => {
  it('row parts equal the one-pass counts, with unlisted and non-integer-time spikes', () => {
    const rnd = lcg(5);
    const n = 3000;
    const samples = new Float64Array(n);
    const ids = new Int32Array(n);
    let t = 0;
    for (let i = 0; i < n; i++) {
      t += rnd() < 0.3 ? 0 : rnd() * 40;
      samples[i] = t;
      ids[i] = Math.floor(rnd() * 601); // cluster id 600 is not listed: skipped
    }
    // 600 clusters: rows span many cache blocks.
    const clusterIds = Array.from({ length: 600 }, (_, k) => k);
    const nc = clusterIds.length;
    const rowOf = new Int32Array(601).fill(-1);
    clusterIds.forEach((c, k) => (rowOf[c] = k));
    const rows = Int32Array.from(ids, (c) => rowOf[c]);
    const bins = correlogramBins(10000, 0.001, 0.02);
    const stride = bins.half + 1;
    const truncated = Float64Array.from(samples, Math.trunc);
    const expected = correlograms(truncated, rows, nc, bins, false);
    const all = new Int32Array(nc * nc * stride);
    for (const [r0, r1] of [[0, 250], [250, 600]]) {
      const part = new Int32Array((r1 - r0) * nc * stride);
      accumulateCorrelogramRows(samples, ids, rowOf, nc, bins, r0, r1, part);
      all.set(part, r0 * nc * stride);
    }
    expect(Array.from(all)).toEqual(Array.from(expected));
  });
});

describe('correlograms: hand-computed cases', () => {
  const bins = correlogramBins(1000, 0.001, 0.011); // 1 sample per bin, half = 5
  const at = (c: Int32Array, n: number, i: number, j: number) => Array.from(c.subarray((i * n + j) * 11, (i * n + j + 1) * 11));

  it('window edges: a lag of half bins is in, half + 1 is out', () => {
    // Cluster 0 at 0, cluster 1 at 5 (last bin in) and 6 later in another pair (just out).
    const c = correlograms([0, 5, 100, 106], [0, 1, 0, 1], 2, bins);
    expect(at(c, 2, 0, 1)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(at(c, 2, 1, 0)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('same-sample spikes of two clusters: the centre bin is the larger direction', () => {
    const c = correlograms([10, 10], [0, 1], 2, bins);
    expect(at(c, 2, 0, 1)[5]).toBe(1);
    expect(at(c, 2, 1, 0)[5]).toBe(1);
  });

  it('ACG: the centre bin counts same-sample pairs (phylib keeps it), other lags counted both ways', () => {
    // Pairs: (0,0) lag 0 → centre; (0,2) twice lag 2 → bins ±2.
    const c = correlograms([0, 0, 2], [0, 0, 0], 1, bins);
    expect(at(c, 1, 0, 0)).toEqual([0, 0, 0, 2, 0, 1, 0, 2, 0, 0, 0]);
  });

  it('ACG centre bin: pairs of one cluster closer than one bin (double detections) are counted', () => {
    // phylib's current `correlograms` (cortex-lab/phylib phylib/stats/ccg.py: its "Remove ACG
    // peaks" zeroing was dropped in 1d7be2f, "Put back central peak in CCG") on integer samples,
    // 3 samples per bin, a window of 11 bins (half = 5).
    const b3 = correlogramBins(3000, 0.001, 0.011); // binSamples 3, half 5
    expect(b3).toEqual({ binSamples: 3, nBins: 11, half: 5 });
    // Cluster 0: 100, 102 (double detection, lag 2 < 3 samples) and 500, 503 (lag 3 = exactly one bin).
    // Cluster 1: 1000, 1000 (same sample), 2000 alone.
    const samples = [100, 102, 500, 503, 1000, 1000, 2000];
    const clusters = [0, 0, 0, 0, 1, 1, 1];
    const c = correlograms(samples, clusters, 2, b3);
    const acg = (k: number) => Array.from(c.subarray((k * 2 + k) * 11, (k * 2 + k + 1) * 11));
    // Cluster 0: (100, 102) lag 2 → one-sided bin 0 (less than one bin apart); (500, 503) lag 3
    // → bin 1, mirrored to both sides. Centre = max of both directions of c[0, 0, 0] = 1.
    expect(acg(0)).toEqual([0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0]);
    // Cluster 1: (1000, 1000) lag 0 → bin 0; 2000 is 1000 samples away, outside the window.
    expect(acg(1)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
  });

  it('a single spike and an empty cluster give zeros', () => {
    const c = correlograms([42], [0], 2, bins);
    expect(c.every((v) => v === 0)).toBe(true);
    expect(c.length).toBe(2 * 2 * 11);
  });

  it('symmetrize of a one-sided array built by hand', () => {
    const one = new Int32Array([
      // c[0,0]: bins 0..2
      9, 1, 2,
      // c[0,1]
      3, 4, 5,
      // c[1,0]
      7, 6, 8,
      // c[1,1]
      0, 0, 1,
    ]);
    const s = symmetrizeCorrelograms(one, 2, 2);
    expect(Array.from(s.subarray(5, 10))).toEqual([8, 6, 7, 4, 5]);
    expect(Array.from(s.subarray(10, 15))).toEqual([5, 4, 7, 6, 8]);
    expect(Array.from(s.subarray(0, 5))).toEqual([2, 1, 9, 1, 2]);
  });
});

describe('spike selection', () => {
  it('mergeSpikeTrains equals a sort of the concatenated lists (many lists, sparse and dense ids)', () => {
    const rnd = lcg(3);
    const lists: Int32Array[] = [];
    const owner = new Map<number, number>();
    for (let c = 0; c < 12; c++) {
      const ids: number[] = [];
      for (let i = 0; i < 5000; i++) {
        const id = Math.floor(rnd() * (c % 2 ? 1e6 : 2e4));
        if (!owner.has(id)) {
          owner.set(id, c);
          ids.push(id);
        }
      }
      lists.push(Int32Array.from(ids.sort((a, b) => a - b)));
    }
    const m = mergeSpikeTrains(lists);
    const expected = [...owner.keys()].sort((a, b) => a - b);
    expect(Array.from(m.spikeIds)).toEqual(expected);
    expect(Array.from(m.clusterIndex)).toEqual(expected.map((id) => owner.get(id)));
  });

  it('regularSubsetOf picks the positions regularSubset picks', () => {
    const ids = Int32Array.from({ length: 1003 }, (_, k) => 3 * k + 1);
    const times = Float64Array.from(ids, (i) => i * 0.5);
    expect(Array.from(regularSubsetOf(times, 100))).toEqual(Array.from(regularSubset(ids, 100), (i) => i * 0.5));
  });

  it('mergeSpikeTrains interleaves lists by spike id', () => {
    const m = mergeSpikeTrains([Int32Array.from([1, 5, 9]), Int32Array.from([2, 3]), Int32Array.from([0, 10])]);
    expect(Array.from(m.spikeIds)).toEqual([0, 1, 2, 3, 5, 9, 10]);
    expect(Array.from(m.clusterIndex)).toEqual([2, 0, 1, 1, 0, 0, 2]);
  });

  it('regularSubset follows phylib regular_subset', () => {
    const ids = Int32Array.from({ length: 10 }, (_, k) => k * 10);
    expect(Array.from(regularSubset(ids, 3))).toEqual([0, 40, 80]);
    expect(Array.from(regularSubset(ids, 4))).toEqual([0, 30, 60, 90]);
    expect(regularSubset(ids, 20)).toBe(ids);
    expect(regularSubset(ids, 0).length).toBe(0);
  });
});

describe('mergedCorrelogram', () => {
  it('is the ACG of the union of the trains, centre bin included (a sum, not the symmetric max)', () => {
    // fs 1000 Hz, 1 ms bins (1 sample), window 5 ms: half = 2. Train 0 at 0, 10, 11; train 1 at
    // 0, 1, 12 (a double detection at 0, partners 1 ms and 2 ms away).
    const bins = correlogramBins(1000, 0.001, 0.005);
    const union = [0, 0, 1, 10, 11, 12];
    const index = [0, 1, 1, 0, 0, 1];
    const oneSided = correlograms(union, index, 2, bins, false);
    const merged = mergedCorrelogram(oneSided, 2, bins.half);
    // By hand, the union's pairs: (0,0) lag 0; (0,1) ×2 lag 1; (10,11), (11,12) lag 1; (10,12) lag 2.
    // One-sided u = [1, 4, 1] → symmetric [1, 4, 1, 4, 1].
    expect(Array.from(merged)).toEqual([1, 4, 1, 4, 1]);
    expect(Array.from(merged)).toEqual(Array.from(correlograms(union, new Int32Array(6), 1, bins)));
    // The symmetric cross centre bin is a max: summing the symmetric cells would give 2 there.
    const sym = symmetrizeCorrelograms(oneSided, 2, bins.half);
    let centre = 0;
    for (let p = 0; p < 4; p++) centre += sym[p * bins.nBins + bins.half];
    expect(centre).toBe(2);
  });
});

describe('mergeSortedArrays', () => {
  it('merges ascending arrays into one, ties and empty arrays included', () => {
    expect(Array.from(mergeSortedArrays([]))).toEqual([]);
    expect(Array.from(mergeSortedArrays([Float64Array.of(1, 5)]))).toEqual([1, 5]);
    expect(Array.from(mergeSortedArrays([[1, 4, 9], [2, 4, 10], [], [0, 3], [11]]))).toEqual([0, 1, 2, 3, 4, 4, 9, 10, 11]);
  });
});
