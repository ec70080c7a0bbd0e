/**
 * A minimal positional-read ByteSource for worker threads (`fs.readSync` at a position, no
 * cache): workers read raw windows and feature rows that are mostly contiguous, and the OS page
 * cache serves repeats. `src/main/io/FileByteSource.ts` (paged, LRU) cannot be imported here
 * (layers: native-workers never import main).
 */
import * as fs from 'node:fs';
import { MAX_READ_BYTES, type ByteSource } from '../core/formats/ByteSource';
import { FormatError } from '../core/diagnostics';

export class WorkerFileSource implements ByteSource {
  private fd: number | null;
  readonly size: number;

  constructor(readonly name: string) {
    try {
      this.fd = fs.openSync(name, 'r');
      this.size = fs.fstatSync(this.fd).size;
    } catch (e) {
      throw new FormatError(name, 'file.unreadable', `cannot open the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }

  read(offset: number, length: number): Uint8Array {
    if (this.fd === null) throw new Error(`${this.name}: read after close`);
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`${this.name}: read of ${length} bytes at ${offset} leaves the file (${this.size} bytes)`);
    }
    // Not zero-filled: every byte is overwritten below (or the read throws). Raw waveform
    // windows are ~200 KB each, 100 per cluster, and zeroing them first doubled the copy cost.
    // allocUnsafeSlow gives this read its own buffer (never a slice of Node's shared pool).
    const out: Uint8Array = Buffer.allocUnsafeSlow(length);
    let done = 0;
    while (done < length) {
      // At most MAX_READ_BYTES per call: Node refuses reads over 2 GiB − 1 (ERR_OUT_OF_RANGE).
      const n = fs.readSync(this.fd, out, done, Math.min(length - done, MAX_READ_BYTES), offset + done);
      if (n <= 0) throw new Error(`${this.name}: unexpected end of file at ${offset + done}`);
      done += n;
    }
    return out;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
