/**
 * Sequential binary writer with one write in flight: the caller computes the next chunk while
 * the previous one is written by libuv's thread pool, so generation and disk I/O overlap.
 * Typed arrays are written as their bytes (little endian; the writer refuses big-endian hosts
 * rather than produce wrong .npy files).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { endianness } from 'node:os';
import { encodeNpyHeader, type NpyDtype } from '../../core/formats/npy';

type Chunk = Uint8Array | Int16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

export class StreamWriter {
  private pending: Promise<unknown> = Promise.resolve();
  private written = 0;

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
  ) {}

  /** Creates (truncates) `path`. */
  static async create(path: string): Promise<StreamWriter> {
    if (endianness() !== 'LE') throw new Error('spikedock generate needs a little-endian machine');
    return new StreamWriter(path, await open(path, 'w'));
  }

  /** Creates `path` as a C-order `.npy` of `dtype` and `shape`; append exactly the data after. */
  static async createNpy(path: string, dtype: NpyDtype, shape: readonly number[]): Promise<StreamWriter> {
    const w = await StreamWriter.create(path);
    await w.append(encodeNpyHeader(dtype, shape));
    return w;
  }

  /** Queues `chunk` after the previous one; resolves when the *previous* write is done (the chunk must not be modified until the next append or close). */
  async append(chunk: Chunk): Promise<void> {
    await this.pending;
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.written += bytes.byteLength;
    this.pending = this.writeAll(bytes);
  }

  private async writeAll(bytes: Uint8Array): Promise<void> {
    let off = 0;
    while (off < bytes.byteLength) {
      const { bytesWritten } = await this.fh.write(bytes, off, bytes.byteLength - off);
      off += bytesWritten;
    }
  }

  /** Bytes queued so far. */
  get size(): number {
    return this.written;
  }

  /** Waits for the last write and closes the file. */
  async close(): Promise<void> {
    try {
      await this.pending;
    } finally {
      await this.fh.close();
    }
  }
}
