/**
 * Binary search on sorted numeric arrays — the project's one implementation (numpy's
 * `searchsorted(side='left')`): spike times, spike-id lists, cumulative weights. Works on any
 * `ArrayLike<number>` (typed arrays included) and on a subrange, so callers never copy.
 */

/**
 * First index `i` in `[lo, hi)` with `sorted[i] >= value`, or `hi` when every element is below
 * `value` (`sorted[lo, hi)` non-decreasing). Ties: the first of the equal elements.
 */
export function lowerBound(sorted: ArrayLike<number>, value: number, lo = 0, hi = sorted.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of `value` in `sorted` (non-decreasing), the first if repeated; -1 when absent. */
export function indexOfSorted(sorted: ArrayLike<number>, value: number): number {
  const i = lowerBound(sorted, value);
  return i < sorted.length && sorted[i] === value ? i : -1;
}
