/**
 * A {@link ByteSource} over fixed-size blocks fetched from somewhere slow (a remote file read by
 * HTTP range requests: `src/main/io/HttpRangeSource.ts`), with a small in-memory LRU of blocks in
 * front. Block math and the coalescing of missing blocks into contiguous runs live here, once,
 * for the synchronous readers (h5wasm in the main process and in worker threads) and the
 * asynchronous object store alike.
 *
 * Why blocks: HDF5 reads its metadata in many small pieces (object headers, B-tree nodes, heaps of
 * a few hundred bytes to a few KB) scattered over the file; one round trip per piece would cost a
 * network latency each. Fetching aligned blocks turns neighbouring pieces into one request, and
 * aligned blocks are what the on-disk cache stores, so every thread and process shares them.
 */
import type { ByteSource } from './ByteSource';

/**
 * A remote file as every thread that reads it sees it: enough to fetch and cache its blocks
 * without asking the server again. Plain data (sent to worker threads in task arguments).
 */
export interface RemoteFileSpec {
  /** The file's `https://` or `http://` URL (after the caller's normalisation, before redirects). */
  url: string;
  /** Total length in bytes (from the first response's `Content-Range`). */
  size: number;
  /**
   * The server's validator of this version of the file — a strong `ETag`, else `Last-Modified` —
   * sent as `If-Range` with every range request (RFC 9110 §13.1.5), so a file changed on the
   * server answers 200 instead of mixing bytes of two versions; null when the server gave none.
   */
  validator: string | null;
  /** Block size in bytes (the unit of fetching and caching). */
  blockBytes: number;
  /** Folder of the on-disk block cache (shared by every thread and process of this user). */
  cacheDir: string;
  /** Byte cap of the on-disk cache (least recently used blocks are removed beyond it). */
  cacheBytes: number;
}

/** A contiguous run of blocks `[first, first + count)`. */
export interface BlockRun {
  first: number;
  count: number;
}

/** The blocks `[first, last]` (inclusive) that bytes `[offset, offset + length)` touch. */
export function blockSpan(offset: number, length: number, blockBytes: number): { first: number; last: number } {
  const first = Math.floor(offset / blockBytes);
  const last = Math.floor((offset + Math.max(length, 1) - 1) / blockBytes);
  return { first, last };
}

/**
 * Groups block indices (ascending) into contiguous runs of at most `maxCount` blocks, so that one
 * request fetches each run: `[3, 4, 5, 9]` → `[{3, 3}, {9, 1}]`.
 */
export function coalesceBlocks(blocks: readonly number[], maxCount = Infinity): BlockRun[] {
  const runs: BlockRun[] = [];
  for (const b of blocks) {
    const last = runs[runs.length - 1];
    if (last && last.first + last.count === b && last.count < maxCount) last.count++;
    else runs.push({ first: b, count: 1 });
  }
  return runs;
}

/** Counters of a {@link BlockByteSource} (tests, `info`, the remote bench). */
export interface BlockSourceStats {
  /** Reads served (calls of `read`). */
  reads: number;
  /** Blocks served from memory. */
  memoryHits: number;
  /** Runs asked of the fetcher (each one request at most). */
  fetches: number;
  /** Bytes the fetcher returned (from the disk cache or the network). */
  bytesFetched: number;
  /** Of those, bytes that came from the network. */
  networkBytes: number;
}

/** Options of {@link BlockByteSource}. */
export interface BlockByteSourceOptions {
  /** Blocks kept in memory (default 32: 8 MiB of 256 KiB blocks). */
  memoryBlocks?: number;
  /** Most blocks fetched in one run (default 64). */
  maxRunBlocks?: number;
  /** Called to release what the fetcher holds (a helper thread) when the source is closed. */
  onClose?: () => void;
}

/** What a fetch of blocks returns: their bytes, concatenated, and how many bytes came from the network. */
export interface FetchedBlocks {
  bytes: Uint8Array;
  networkBytes: number;
}

/**
 * Fetches `count` blocks from block `first` (the file's last block may be short). Throws (naming
 * the file) when it cannot.
 */
export type FetchBlocks = (first: number, count: number) => FetchedBlocks;

export class BlockByteSource implements ByteSource {
  private readonly memory = new Map<number, Uint8Array>();
  private readonly memoryBlocks: number;
  private readonly maxRunBlocks: number;
  private closed = false;
  readonly stats: BlockSourceStats = { reads: 0, memoryHits: 0, fetches: 0, bytesFetched: 0, networkBytes: 0 };

  constructor(
    readonly name: string,
    readonly size: number,
    readonly blockBytes: number,
    private readonly fetchBlocks: FetchBlocks,
    private readonly opts: BlockByteSourceOptions = {},
  ) {
    if (!(blockBytes > 0 && Number.isInteger(blockBytes))) throw new RangeError(`${name}: bad block size ${blockBytes}`);
    this.memoryBlocks = opts.memoryBlocks ?? 32;
    this.maxRunBlocks = Math.max(1, opts.maxRunBlocks ?? 64);
  }

  /** Bytes `[offset, offset + length)`. Throws `RangeError` past the end, the fetcher's error when it fails. */
  read(offset: number, length: number): Uint8Array {
    if (this.closed) throw new Error(`${this.name}: read after close`);
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`${this.name}: read of ${length} bytes at ${offset} leaves the file (${this.size} bytes)`);
    }
    this.stats.reads++;
    if (length === 0) return new Uint8Array(0);
    const bs = this.blockBytes;
    const { first, last } = blockSpan(offset, length, bs);
    const blocks = new Map<number, Uint8Array>();
    const missing: number[] = [];
    for (let b = first; b <= last; b++) {
      const hit = this.memory.get(b);
      if (hit) {
        // Re-insert: Map order is recency order.
        this.memory.delete(b);
        this.memory.set(b, hit);
        this.stats.memoryHits++;
        blocks.set(b, hit);
      } else missing.push(b);
    }
    for (const run of coalesceBlocks(missing, this.maxRunBlocks)) {
      const { bytes, networkBytes } = this.fetchBlocks(run.first, run.count);
      const want = Math.min(this.size, (run.first + run.count) * bs) - run.first * bs;
      if (bytes.byteLength !== want) throw new Error(`${this.name}: got ${bytes.byteLength} bytes for blocks ${run.first}–${run.first + run.count - 1}, expected ${want}`);
      this.stats.fetches++;
      this.stats.bytesFetched += bytes.byteLength;
      this.stats.networkBytes += networkBytes;
      for (let i = 0; i < run.count; i++) {
        const block = bytes.subarray(i * bs, Math.min(bytes.byteLength, (i + 1) * bs));
        blocks.set(run.first + i, block);
        // A copy when the run is longer: a kept block must not hold a whole run's buffer alive.
        this.remember(run.first + i, run.count > 1 ? block.slice() : block);
      }
    }
    if (first === last) {
      const start = offset - first * bs;
      return blocks.get(first)!.subarray(start, start + length);
    }
    const out = new Uint8Array(length);
    for (let b = first; b <= last; b++) {
      const block = blocks.get(b)!;
      const from = Math.max(offset, b * bs);
      const to = Math.min(offset + length, b * bs + block.byteLength);
      out.set(block.subarray(from - b * bs, to - b * bs), from - offset);
    }
    return out;
  }

  private remember(b: number, block: Uint8Array): void {
    if (this.memoryBlocks <= 0) return;
    this.memory.delete(b);
    this.memory.set(b, block);
    while (this.memory.size > this.memoryBlocks) this.memory.delete(this.memory.keys().next().value!);
  }

  /** Drops the memory blocks and releases the fetcher. Further reads throw. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.memory.clear();
    this.opts.onClose?.();
  }
}
