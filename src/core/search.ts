/**
 * Binary search on sorted numeric arrays — the project's one implementation (numpy's
 * `searchsorted`): spike times, spike-id lists, cumulative weights, histogram edges. Works on any
 * `ArrayLike<number>` (typed arrays included) and on a subrange, so callers never copy.
 */

/** First index in `[lo, hi)` whose element is above `value` (`orEqual`: at or above), else `hi`. */
function bound(sorted: ArrayLike<number>, value: number, lo: number, hi: number, orEqual: boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = sorted[mid];
    if (x < value || (orEqual && x === value)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * First index `i` in `[lo, hi)` with `sorted[i] >= value`, or `hi` when every element is below
 * `value` (`sorted[lo, hi)` non-decreasing; `searchsorted(side='left')`). Ties: the first of the
 * equal elements.
 */
export function lowerBound(sorted: ArrayLike<number>, value: number, lo = 0, hi = sorted.length): number {
  return bound(sorted, value, lo, hi, false);
}

/**
 * First index `i` in `[lo, hi)` with `sorted[i] > value`, or `hi` when none is
 * (`searchsorted(side='right')`). Ties: one past the last of the equal elements.
 */
export function upperBound(sorted: ArrayLike<number>, value: number, lo = 0, hi = sorted.length): number {
  return bound(sorted, value, lo, hi, true);
}

/** Index of `value` in `sorted` (non-decreasing), the first if repeated; -1 when absent. */
export function indexOfSorted(sorted: ArrayLike<number>, value: number): number {
  const i = lowerBound(sorted, value);
  return i < sorted.length && sorted[i] === value ? i : -1;
}
