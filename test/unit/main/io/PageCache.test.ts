import { describe, expect, it } from 'vitest';
import { PageCache } from '../../../../src/main/io/PageCache';

const page = (n: number, fill = 0) => new Uint8Array(n).fill(fill);

describe('PageCache', () => {
  it('defaults to 256 MiB of 1 MiB pages', () => {
    const c = new PageCache();
    expect(c.capacityBytes).toBe(256 * 1024 * 1024);
    expect(c.pageSize).toBe(1024 * 1024);
  });

  it('counts hits and misses', () => {
    const c = new PageCache({ capacityBytes: 100, pageSize: 10 });
    expect(c.get(1, 0)).toBeUndefined();
    c.set(1, 0, page(10, 7));
    expect(c.get(1, 0)![0]).toBe(7);
    expect(c.get(1, 0)).toBeDefined();
    expect(c.get(2, 0)).toBeUndefined();
    expect(c.stats()).toMatchObject({ hits: 2, misses: 2, pages: 1, bytes: 10 });
    c.resetStats();
    expect(c.stats()).toMatchObject({ hits: 0, misses: 0, pages: 1 });
  });

  it('evicts the least recently used pages beyond its byte budget', () => {
    const c = new PageCache({ capacityBytes: 30, pageSize: 10 });
    c.set(1, 0, page(10));
    c.set(1, 1, page(10));
    c.set(1, 2, page(10));
    c.get(1, 0); // page 0 is now the most recent; page 1 is the oldest
    c.set(2, 0, page(10));
    expect(c.get(1, 1)).toBeUndefined();
    expect(c.get(1, 0)).toBeDefined();
    expect(c.get(1, 2)).toBeDefined();
    expect(c.get(2, 0)).toBeDefined();
    expect(c.stats()).toMatchObject({ bytes: 30, pages: 3, evictions: 1 });
  });

  it('counts the real size of short (last) pages, replaces pages in place and never holds more than the budget', () => {
    const c = new PageCache({ capacityBytes: 25, pageSize: 10 });
    c.set(1, 0, page(10));
    c.set(1, 1, page(4));
    c.set(1, 1, page(4, 1));
    expect(c.stats()).toMatchObject({ bytes: 14, pages: 2 });
    c.set(1, 2, page(10));
    c.set(1, 3, page(10));
    expect(c.stats().bytes).toBeLessThanOrEqual(25);
    c.set(9, 0, page(100)); // larger than the whole budget: not kept
    expect(c.get(9, 0)).toBeUndefined();
  });

  it('drops one file on evictFile and hands out fresh file ids', () => {
    const c = new PageCache({ capacityBytes: 100, pageSize: 10 });
    const a = c.allocateFileId();
    const b = c.allocateFileId();
    expect(a).not.toBe(b);
    c.set(a, 0, page(10));
    c.set(a, 1, page(10));
    c.set(b, 0, page(10));
    c.evictFile(a);
    expect(c.stats()).toMatchObject({ pages: 1, bytes: 10 });
    expect(c.get(b, 0)).toBeDefined();
    c.clear();
    expect(c.stats()).toMatchObject({ pages: 0, bytes: 0 });
  });
});
