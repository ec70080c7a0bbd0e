/**
 * A random-access, read-only view of a file's bytes.
 *
 * Every reader in `src/core/formats` works over this interface, so the same code reads a file
 * through `pread` in Node (`src/main/io/FileByteSource.ts`, paged behind an LRU), an in-memory
 * buffer in tests, or anything else that can serve byte ranges. Reads are synchronous: the
 * readers are called from the main process and from worker threads, where a page read from the
 * OS cache costs microseconds and an async hop would cost more than the read.
 */
/**
 * Largest number of bytes a reader asks of a {@link ByteSource} in one call, 1 GiB: Node's file
 * reads refuse more than 2 GiB − 1 at once (`ERR_OUT_OF_RANGE`), which made a column over 2 GiB
 * (`spike_times.npy` of ~270 M spikes) unreadable. Readers loop in pieces of at most this size
 * (or of the source's own {@link ByteSource.maxReadBytes}).
 */
export const MAX_READ_BYTES = 1 << 30;

export interface ByteSource {
  /** The name shown in diagnostics (usually the file's path). */
  readonly name: string;
  /** Total length in bytes. */
  readonly size: number;
  /**
   * Optional: the most bytes one `read` / `readInto` / `readOwned` call serves; readers never
   * ask for more in one call (absent: {@link MAX_READ_BYTES}).
   */
  readonly maxReadBytes?: number;
  /**
   * Reads `length` bytes starting at `offset`. Returns a view that the caller may keep but must
   * not modify (it may alias a cache page). Throws `RangeError` if the range leaves the file.
   */
  read(offset: number, length: number): Uint8Array;
  /**
   * Optional: reads `target.byteLength` bytes starting at `offset` straight into `target` (no
   * intermediate buffer), for whole-column loads that land in their final array. Throws like
   * `read`.
   */
  readInto?(offset: number, target: Uint8Array): void;
  /**
   * Optional: `length` bytes from `offset` in a fresh buffer the caller owns and may modify in
   * place (byteOffset 0, spanning its whole buffer, a SharedArrayBuffer when `shared`), so a
   * whole column lands in its final typed array without a copy — possibly read ahead in
   * parallel by the source. Throws like `read`.
   */
  readOwned?(offset: number, length: number, shared: boolean): Uint8Array;
}

/** A ByteSource over bytes already in memory (tests, small files, generated data). */
export class MemoryByteSource implements ByteSource {
  readonly size: number;
  constructor(
    private readonly bytes: Uint8Array,
    readonly name = 'memory',
  ) {
    this.size = bytes.byteLength;
  }

  read(offset: number, length: number): Uint8Array {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`${this.name}: read of ${length} bytes at ${offset} leaves the file (${this.size} bytes)`);
    }
    return this.bytes.subarray(offset, offset + length);
  }
}
