/**
 * A {@link ByteSource} as a read-only file of an Emscripten in-memory file system (MEMFS), so a
 * WebAssembly library that opens files by path (h5wasm's HDF5) reads any source — a remote file
 * by HTTP range requests — through `pread`. The node is made as Emscripten's own
 * `FS.createLazyFile` makes its lazy files (src/library_fs.js, emscripten 3.1/4.0: `createFile`,
 * then `usedBytes` as a getter and `stream_ops.read` replaced), but reads whole ranges from the
 * source instead of a synchronous XMLHttpRequest per 1 MiB chunk, which Node does not have.
 *
 * A read that fails is `EIO` for the library (errno 29), so HDF5 unwinds cleanly with an error of
 * its own instead of an exception thrown through its C frames; the source's error is kept and
 * given to `onError` so the caller can say what really failed (the URL, the HTTP status).
 */
import type { ByteSource } from './ByteSource';

/** Emscripten's EIO. */
const EIO = 29;
/** Emscripten's EACCES (a write to the read-only file). */
const EACCES = 2;

/** The parts of an Emscripten `FS` object used here. */
export interface EmscriptenFS {
  createFile(parent: string, name: string, properties: object, canRead: boolean, canWrite: boolean): EmscriptenNode;
  mkdirTree?(path: string): void;
  analyzePath(path: string): { exists: boolean };
  unlink(path: string): void;
  ErrnoError: new (errno: number) => Error;
}

/** An Emscripten file node (only what is replaced here). */
export interface EmscriptenNode {
  stream_ops: Record<string, unknown>;
}

/** The `read` of Emscripten's stream operations: copies into `buffer` (the heap) at `offset`. */
type StreamRead = (stream: unknown, buffer: Int8Array | Uint8Array, offset: number, length: number, position: number) => number;

/**
 * Makes `dir/name` a read-only file whose bytes are `source`'s. Returns the path. Failed reads are
 * `EIO` for the library and `onError(e)` for the caller.
 */
export function mountByteSource(FS: EmscriptenFS, dir: string, name: string, source: ByteSource, onError: (e: unknown) => void): string {
  const path = `${dir}/${name}`;
  if (!FS.analyzePath(dir).exists) FS.mkdirTree?.(dir);
  const node = FS.createFile(dir, name, {}, true, false);
  Object.defineProperties(node, { usedBytes: { get: () => source.size } });
  const read: StreamRead = (_stream, buffer, offset, length, position) => {
    if (position >= source.size) return 0;
    const n = Math.min(length, source.size - position);
    try {
      const bytes = source.read(position, n);
      new Uint8Array(buffer.buffer, buffer.byteOffset + offset, n).set(bytes);
    } catch (e) {
      onError(e);
      throw new FS.ErrnoError(EIO);
    }
    return n;
  };
  const refuse = () => {
    throw new FS.ErrnoError(EACCES);
  };
  node.stream_ops = { ...node.stream_ops, read, write: refuse, mmap: refuse };
  return path;
}
