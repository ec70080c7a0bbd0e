/**
 * `histogramBinEdges` against NumPy 2.4 (`np.histogram_bin_edges(values, 'auto' | n)`): the
 * expected edges were printed by NumPy for these very arrays.
 */
import { describe, expect, it } from 'vitest';
import { histogramBin, histogramBinEdges, histogramWithEdges } from '../../../../src/core/metrics/stats';

const close = (got: Float64Array, want: number[]) => {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
};

// 200 log-normal values (rng seed 0, rounded to 3 decimals): a heavy right tail, as firing rates.
const LOGNORMAL = [3.082,2.382,5.157,3.019,1.591,3.902,10.014,7.008,1.345,0.767,1.458,2.833,0.266,2.184,0.782,1.307,1.577,1.981,4.103,7.71,2.39,10.66,1.398,3.863,6.709,2.986,1.292,1.081,1.72,3.388,0.99,2.205,2.318,4.669,3.369,3.878,1.414,2.388,5.953,12.103,0.772,12.353,10.442,5.938,3.541,1.986,11.682,19.303,16.472,10.126,3.886,0.812,2.706,5.241,0.749,4.035,4.178,5.452,0.832,1.403,1.757,0.844,15.477,1.655,3.777,2.099,13.243,10.179,5.121,0.3,2.863,5.385,7.418,1.465,16.811,0.726,1.403,6.924,2.855,20.134,3.282,1.443,1.863,0.913,0.758,5.106,4.861,9.92,1.278,14.719,2.039,13.124,1.763,1.303,3.49,7.625,3.193,1.514,0.711,0.669,4.494,7.313,2.306,0.928,6.508,0.755,1.332,5.058,0.286,4.0,1.519,3.032,2.52,3.327,5.442,1.273,11.257,5.619,6.32,8.713,5.975,6.322,2.932,0.653,2.375,1.259,0.655,3.52,1.539,0.971,0.958,3.555,3.891,10.201,2.681,7.705,11.048,8.586,0.255,9.288,3.818,4.153,3.94,3.986,3.741,1.899,0.406,2.438,1.217,8.006,2.037,2.955,1.162,1.631,2.687,0.615,3.672,2.445,0.831,0.247,4.541,2.019,1.6,2.147,16.718,2.586,2.964,0.614,14.116,6.804,7.901,2.851,6.798,3.939,5.019,2.335,0.623,7.605,0.393,2.138,2.215,0.958,5.018,2.225,1.756,4.572,1.688,10.902,3.863,1.692,0.389,0.735,8.059,2.584,2.048,14.059,0.754,1.513,1.695,4.886];

describe("histogramBinEdges (NumPy's bin edges)", () => {
  it("'auto' takes Sturges where it is narrower than Freedman–Diaconis", () => {
    close(histogramBinEdges([1.5, 2.25, 2.5, 3.0, 4.75, 7.0, 8.5, 20.25]), [1.5, 6.1875, 10.875, 15.5625, 20.25]);
  });

  it("'auto' on 200 heavy-tailed values: NumPy's 15 bins and counts", () => {
    const edges = histogramBinEdges(LOGNORMAL);
    expect(edges.length).toBe(16);
    expect(edges[0]).toBe(0.247);
    expect(edges[1]).toBeCloseTo(1.5728, 12);
    expect(edges[15]).toBe(20.134);
    expect(Array.from(histogramWithEdges(LOGNORMAL, edges))).toEqual([56, 46, 34, 16, 10, 11, 3, 7, 5, 3, 3, 1, 3, 0, 2]);
  });

  it('integer values: as NumPy on an integer array (width at least 1)', () => {
    const counts = [0, 0, 1, 1, 1, 2, 5, 3, 3, 2, 1, 0, 7];
    const edges = histogramBinEdges(counts);
    close(edges, [0, 1.4, 2.8, 4.199999999999999, 5.6, 7]);
    expect(Array.from(histogramWithEdges(counts, edges))).toEqual([7, 2, 2, 1, 1]);
    expect(histogramBinEdges([0, 0, 0, 1, 1, 2]).length - 1).toBeLessThanOrEqual(2);
  });

  it('a narrow IQR is relaxed to half the square-root width; one value gets [v − 0.5, v + 0.5]; n bins are equal', () => {
    close(histogramBinEdges([1, 1, 1, 1, 1, 1, 1.5, 9.25]), [1.0, 2.375, 3.75, 5.125, 6.5, 7.875, 9.25]);
    close(histogramBinEdges([3, 3, 3]), [2.5, 3.5]);
    close(histogramBinEdges([0, 0.3, 1], 4), [0, 0.25, 0.5, 0.75, 1]);
  });

  it('leaves NaN and ±Inf out (the caller counts them), and gives one bin [0, 1] when nothing is finite', () => {
    close(histogramBinEdges([0, NaN, 0.3, Infinity, 1], 4), [0, 0.25, 0.5, 0.75, 1]);
    close(histogramBinEdges([NaN, NaN]), [0, 1]);
  });

  it('never makes more than ⌈2√n⌉ bins, however far an outlier lies', () => {
    const values = [...Array.from({ length: 100 }, (_, i) => i / 100), 1e9];
    const edges = histogramBinEdges(values);
    // NumPy: 21 bins = ⌈2√101⌉.
    expect(edges.length - 1).toBe(21);
    expect(edges[edges.length - 1]).toBe(1e9);
  });
});

describe('histogramBin', () => {
  it('puts v in [e_i, e_i+1), the last bin closed, −1 outside or NaN', () => {
    const edges = [0, 1, 2, 3];
    expect([0, 0.99, 1, 2.5, 3].map((v) => histogramBin(edges, v))).toEqual([0, 0, 1, 2, 2]);
    expect([-0.1, 3.1, NaN].map((v) => histogramBin(edges, v))).toEqual([-1, -1, -1]);
  });
});
