import type { ByteSource } from '../../src/core/formats/ByteSource';

/** A ByteSource that records every read (offset, length): tests of laziness assert on it. */
export class RecordingSource implements ByteSource {
  readonly reads: Array<[number, number]> = [];
  constructor(private readonly inner: ByteSource) {}
  get name() {
    return this.inner.name;
  }
  get size() {
    return this.inner.size;
  }
  read(offset: number, length: number): Uint8Array {
    this.reads.push([offset, length]);
    return this.inner.read(offset, length);
  }
}
