/**
 * A byte-capped LRU of fixed-size file pages, shared by every {@link FileByteSource} of a
 * process (one per `NodeFileSystem`), so the working set of all open files together stays under
 * one budget (default 256 MiB of 1 MiB pages). Small random reads — npy headers, a spike's
 * PC-feature row, a trace window — hit memory after the first touch; big sequential loads
 * bypass the cache in FileByteSource so they do not flush it.
 */

/** Hit/miss counters (for `bench` and tests). */
export interface PageCacheStats {
  hits: number;
  misses: number;
  /** Pages dropped to stay under the byte budget. */
  evictions: number;
  /** Pages held now. */
  pages: number;
  /** Bytes held now. */
  bytes: number;
  capacityBytes: number;
  pageSize: number;
}

export interface PageCacheOptions {
  /** Byte budget (default 256 MiB). */
  capacityBytes?: number;
  /** Page size in bytes (default 1 MiB). */
  pageSize?: number;
}

export class PageCache {
  readonly capacityBytes: number;
  readonly pageSize: number;
  /** Insertion order is recency order: a hit re-inserts the page at the end. */
  private readonly pages = new Map<string, Uint8Array>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private nextFileId = 1;

  constructor(opts: PageCacheOptions = {}) {
    this.capacityBytes = opts.capacityBytes ?? 256 * 1024 * 1024;
    this.pageSize = opts.pageSize ?? 1024 * 1024;
    if (!(this.pageSize > 0 && Number.isInteger(this.pageSize))) throw new RangeError(`bad page size ${this.pageSize}`);
    if (!(this.capacityBytes >= 0)) throw new RangeError(`bad cache capacity ${this.capacityBytes}`);
  }

  /** A fresh id for a newly opened file (ids are never reused, so a reopened file never sees stale pages). */
  allocateFileId(): number {
    return this.nextFileId++;
  }

  /** The page, marking it most recently used, or undefined (counted as a miss). */
  get(fileId: number, page: number): Uint8Array | undefined {
    const key = `${fileId}:${page}`;
    const p = this.pages.get(key);
    if (p === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.pages.delete(key);
    this.pages.set(key, p);
    return p;
  }

  /** Stores a page, evicting least recently used pages beyond the budget. */
  set(fileId: number, page: number, bytes: Uint8Array): void {
    const key = `${fileId}:${page}`;
    const old = this.pages.get(key);
    if (old) {
      this.bytes -= old.byteLength;
      this.pages.delete(key);
    }
    if (bytes.byteLength > this.capacityBytes) return;
    this.pages.set(key, bytes);
    this.bytes += bytes.byteLength;
    while (this.bytes > this.capacityBytes) {
      const first = this.pages.keys().next();
      if (first.done) break;
      const victim = this.pages.get(first.value)!;
      this.pages.delete(first.value);
      this.bytes -= victim.byteLength;
      this.evictions++;
    }
  }

  /** Drops every page of one file (on close). */
  evictFile(fileId: number): void {
    const prefix = `${fileId}:`;
    for (const [key, p] of this.pages) {
      if (key.startsWith(prefix)) {
        this.pages.delete(key);
        this.bytes -= p.byteLength;
      }
    }
  }

  /** Drops every page. */
  clear(): void {
    this.pages.clear();
    this.bytes = 0;
  }

  stats(): PageCacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
      pages: this.pages.size,
      bytes: this.bytes,
      capacityBytes: this.capacityBytes,
      pageSize: this.pageSize,
    };
  }

  resetStats(): void {
    this.hits = 0;
    this.misses = 0;
    this.evictions = 0;
  }
}
