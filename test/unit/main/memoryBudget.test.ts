import { describe, expect, it } from 'vitest';
import { cacheBudget } from '../../../src/main/memoryBudget';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('cacheBudget (issue 16: caches sized from the machine memory, one owner)', () => {
  it('keeps the former constants on a 16 GiB machine', () => {
    expect(cacheBudget(16 * GiB)).toEqual({ pageCacheBytes: 256 * MiB, resultCacheBytes: 256 * MiB, assistantPageCacheBytes: 64 * MiB });
  });

  it('shrinks on small machines down to a floor, grows on large ones up to a ceiling', () => {
    expect(cacheBudget(4 * GiB)).toEqual({ pageCacheBytes: 64 * MiB, resultCacheBytes: 64 * MiB, assistantPageCacheBytes: 16 * MiB });
    expect(cacheBudget(1 * GiB)).toEqual({ pageCacheBytes: 32 * MiB, resultCacheBytes: 32 * MiB, assistantPageCacheBytes: 16 * MiB });
    expect(cacheBudget(256 * GiB)).toEqual({ pageCacheBytes: 512 * MiB, resultCacheBytes: 512 * MiB, assistantPageCacheBytes: 128 * MiB });
    const mid = cacheBudget(10 * GiB);
    expect(mid.pageCacheBytes).toBe(160 * MiB);
    expect(mid.assistantPageCacheBytes).toBe(40 * MiB);
  });

  it('caps are whole MiB, together at most 1/25 of the memory from 2 GiB up, and monotone in the memory', () => {
    let prev = cacheBudget(2 * GiB);
    for (let g = 2; g <= 128; g += 0.75) {
      const b = cacheBudget(g * GiB);
      const sum = b.pageCacheBytes + b.resultCacheBytes + b.assistantPageCacheBytes;
      expect(sum % MiB).toBe(0);
      expect(sum).toBeLessThanOrEqual(g * GiB / 25);
      expect(b.pageCacheBytes).toBeGreaterThanOrEqual(prev.pageCacheBytes);
      expect(b.assistantPageCacheBytes).toBeGreaterThanOrEqual(prev.assistantPageCacheBytes);
      prev = b;
    }
  });

  it('an unknown memory size reads as 16 GiB', () => {
    expect(cacheBudget(NaN)).toEqual(cacheBudget(16 * GiB));
    expect(cacheBudget(0)).toEqual(cacheBudget(16 * GiB));
  });

});
