import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { indexOfSorted, lowerBound, upperBound } from '../../../src/core/search';

describe('lowerBound', () => {
  it('returns 0 on an empty array', () => {
    expect(lowerBound([], 5)).toBe(0);
    expect(lowerBound(new Int32Array(0), 5)).toBe(0);
  });

  it('returns 0 for a value at or below all, the length for a value above all', () => {
    const a = Float64Array.of(1, 2, 3);
    expect(lowerBound(a, -10)).toBe(0);
    expect(lowerBound(a, 1)).toBe(0);
    expect(lowerBound(a, 4)).toBe(3);
  });

  it('returns the first of equal elements (ties, all equal)', () => {
    expect(lowerBound([1, 2, 2, 2, 3], 2)).toBe(1);
    expect(lowerBound([7, 7, 7, 7], 7)).toBe(0);
    expect(lowerBound([7, 7, 7, 7], 8)).toBe(4);
    expect(lowerBound([7, 7, 7, 7], 6)).toBe(0);
  });

  it('searches a subrange [lo, hi) and returns hi when every element there is below', () => {
    const a = Uint32Array.of(0, 10, 20, 30, 40, 50);
    expect(lowerBound(a, 25, 1, 4)).toBe(3);
    expect(lowerBound(a, 5, 2, 5)).toBe(2);
    expect(lowerBound(a, 100, 1, 4)).toBe(4);
    expect(lowerBound(a, 0, 3, 3)).toBe(3);
  });

  it('agrees with a linear scan (numpy searchsorted, side=left) on random sorted arrays', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 })), fc.integer({ min: -60, max: 60 }), (xs, v) => {
        const a = Int32Array.from(xs.sort((p, q) => p - q));
        const linear = a.findIndex((x) => x >= v);
        expect(lowerBound(a, v)).toBe(linear === -1 ? a.length : linear);
      }),
    );
  });
});

describe('upperBound', () => {
  it('returns one past the last of equal elements, 0 and the length at the ends', () => {
    expect(upperBound([], 1)).toBe(0);
    expect(upperBound([1, 2, 2, 2, 3], 2)).toBe(4);
    expect(upperBound([7, 7, 7], 7)).toBe(3);
    expect(upperBound(Float32Array.of(1, 2, 3), 0.5)).toBe(0);
    expect(upperBound(Float32Array.of(1, 2, 3), 3)).toBe(3);
    expect(upperBound(Int32Array.of(0, 10, 20, 30), 10, 2, 4)).toBe(2);
  });

  it('agrees with a linear scan (numpy searchsorted, side=right) on random sorted arrays', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 })), fc.integer({ min: -60, max: 60 }), (xs, v) => {
        const a = Int32Array.from(xs.sort((p, q) => p - q));
        const linear = a.findIndex((x) => x > v);
        expect(upperBound(a, v)).toBe(linear === -1 ? a.length : linear);
      }),
    );
  });
});

describe('indexOfSorted', () => {
  it('finds the first index of a present value and -1 for an absent one', () => {
    const a = Int32Array.of(2, 4, 4, 9);
    expect(indexOfSorted(a, 4)).toBe(1);
    expect(indexOfSorted(a, 9)).toBe(3);
    expect(indexOfSorted(a, 5)).toBe(-1);
    expect(indexOfSorted(a, 10)).toBe(-1);
    expect(indexOfSorted(new Int32Array(0), 1)).toBe(-1);
  });
});
