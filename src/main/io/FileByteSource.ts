/**
 * A {@link ByteSource} over a file on disk: positional reads (`pread` via `fs.readSync` with a
 * position) through a shared {@link PageCache}. Reads up to {@link BYPASS_PAGES} pages are served
 * from cached pages; larger reads (a whole per-spike column, a long trace window) go straight to
 * the file into a fresh buffer so one big load does not flush the pages small reads rely on.
 */
import * as fs from 'node:fs';
import { MAX_READ_BYTES, type ByteSource } from '../../core/formats/ByteSource';
import { FormatError } from '../../core/diagnostics';
import { PageCache } from './PageCache';

/** Reads spanning more pages than this bypass the cache. */
export const BYPASS_PAGES = 4;

/** The FormatError for a failed open/stat, with a message a user can act on. */
export function fileError(path: string, e: unknown): FormatError {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new FormatError(path, 'file.missing', 'file not found');
    case 'EACCES':
    case 'EPERM':
      return new FormatError(path, 'file.unreadable', 'permission denied: the file cannot be read');
    case 'EISDIR':
      return new FormatError(path, 'file.unreadable', 'is a folder, not a file');
    default:
      return new FormatError(path, 'file.unreadable', `cannot read the file (${code ?? (e as Error)?.message ?? String(e)})`);
  }
}

/** `O_NONBLOCK` where the platform has it (POSIX); 0 on Windows, which has no FIFOs to open. */
const O_NONBLOCK = (fs.constants as { O_NONBLOCK?: number }).O_NONBLOCK ?? 0;

/**
 * Opens `path` read-only if it is a regular file, and returns its descriptor and `fstat`.
 *
 * Why: a `dat_path` (or any dataset file) that names a FIFO made `open(2)` wait for a writer
 * forever, and a character device or socket would make reads wait or never end. The open uses
 * `O_NONBLOCK` so that opening a FIFO returns at once, then `fstat` on the descriptor (not the
 * path, so nothing can be swapped in between) refuses anything that is not a regular file.
 * Nothing but regular files is ever read, so no read needs a time limit. `O_NONBLOCK` has no
 * effect on reads of regular files.
 * @throws FormatError `file.missing`, `file.unreadable` (a folder, permission denied) or
 *   `file.notRegular` (a FIFO, socket or device), naming the file
 */
export function openRegularFile(path: string): { fd: number; st: fs.Stats } {
  let fd: number;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | O_NONBLOCK);
  } catch (e) {
    throw fileError(path, e);
  }
  let st: fs.Stats;
  try {
    st = fs.fstatSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    throw fileError(path, e);
  }
  if (st.isDirectory()) {
    fs.closeSync(fd);
    throw new FormatError(path, 'file.unreadable', 'is a folder, not a file');
  }
  if (!st.isFile()) {
    fs.closeSync(fd);
    const kind = st.isFIFO() ? 'a FIFO (named pipe)' : st.isSocket() ? 'a socket' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : 'a special file';
    throw new FormatError(path, 'file.notRegular', `is ${kind}, not a regular file: only regular files are read (reading it could wait forever)`);
  }
  return { fd, st };
}

/**
 * Bytes of a file read ahead (in parallel, before the loader asks), with the identity of the file
 * they came from so a file replaced in between is never served stale.
 */
export interface ReadAhead {
  /** Byte offset in the file of `bytes[0]`. */
  offset: number;
  bytes: Uint8Array;
  /** `fstat` of the file when it was read: device, inode, size, modification time (ms). */
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export class FileByteSource implements ByteSource {
  private fd: number | null;
  private readonly fileId: number;
  private ahead: ReadAhead | null = null;

  private constructor(
    readonly name: string,
    fd: number,
    readonly size: number,
    private readonly cache: PageCache,
  ) {
    this.fd = fd;
    this.fileId = cache.allocateFileId();
  }

  /**
   * Opens `path` for reading. Without a `cache`, the source gets its own small one (16 MiB).
   * `ahead` (bytes already read from this file) is handed out by {@link readOwned} once, when
   * the file is still the one it was read from.
   * @throws FormatError `file.missing` (ENOENT) or `file.unreadable` (EACCES, EISDIR, other)
   */
  static open(path: string, cache?: PageCache, ahead?: ReadAhead): FileByteSource {
    const { fd, st } = openRegularFile(path);
    const src = new FileByteSource(path, fd, st.size, cache ?? new PageCache({ capacityBytes: 16 * 1024 * 1024 }));
    if (ahead && ahead.dev === st.dev && ahead.ino === st.ino && ahead.size === st.size && ahead.mtimeMs === st.mtimeMs) src.ahead = ahead;
    return src;
  }

  read(offset: number, length: number): Uint8Array {
    if (!(offset >= 0 && length >= 0 && offset + length <= this.size && Number.isInteger(offset) && Number.isInteger(length))) {
      throw new RangeError(`${this.name}: read of ${length} bytes at ${offset} leaves the file (${this.size} bytes)`);
    }
    if (length === 0) return new Uint8Array(0);
    const ps = this.cache.pageSize;
    const first = Math.floor(offset / ps);
    const last = Math.floor((offset + length - 1) / ps);
    if (last - first + 1 > BYPASS_PAGES) {
      const out = new Uint8Array(length);
      this.preadFully(out, offset);
      return out;
    }
    if (first === last) {
      const page = this.page(first);
      const at = offset - first * ps;
      return page.subarray(at, at + length);
    }
    const out = new Uint8Array(length);
    for (let p = first; p <= last; p++) {
      const page = this.page(p);
      const pageStart = p * ps;
      const from = Math.max(offset, pageStart);
      const to = Math.min(offset + length, pageStart + page.byteLength);
      out.set(page.subarray(from - pageStart, to - pageStart), from - offset);
    }
    return out;
  }

  /** Reads straight into `target` (one `pread` loop, bypassing the page cache). */
  readInto(offset: number, target: Uint8Array): void {
    const length = target.byteLength;
    if (!(offset >= 0 && offset + length <= this.size && Number.isInteger(offset))) {
      throw new RangeError(`${this.name}: read of ${length} bytes at ${offset} leaves the file (${this.size} bytes)`);
    }
    if (length > 0) this.preadFully(target, offset);
  }

  /**
   * A fresh buffer of the bytes at [offset, offset + length) that the caller owns: the bytes read
   * ahead when they are exactly this range (handed out once, no copy), else one direct read.
   */
  readOwned(offset: number, length: number, shared: boolean): Uint8Array {
    if (!(offset >= 0 && length >= 0 && offset + length <= this.size && Number.isInteger(offset) && Number.isInteger(length))) {
      throw new RangeError(`${this.name}: read of ${length} bytes at ${offset} leaves the file (${this.size} bytes)`);
    }
    const a = this.ahead;
    if (a && a.offset === offset && a.bytes.byteLength === length && a.bytes.buffer instanceof SharedArrayBuffer === shared) {
      this.ahead = null;
      return a.bytes;
    }
    const out = shared && typeof SharedArrayBuffer !== 'undefined' ? new Uint8Array(new SharedArrayBuffer(length)) : new Uint8Array(length);
    if (length > 0) this.preadFully(out, offset);
    return out;
  }

  /** Closes the file and drops its cached pages. Later reads throw. */
  close(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
    this.ahead = null;
    this.cache.evictFile(this.fileId);
  }

  private page(p: number): Uint8Array {
    const cached = this.cache.get(this.fileId, p);
    if (cached) return cached;
    const ps = this.cache.pageSize;
    const start = p * ps;
    const buf = new Uint8Array(Math.min(ps, this.size - start));
    this.preadFully(buf, start);
    this.cache.set(this.fileId, p, buf);
    return buf;
  }

  private preadFully(buf: Uint8Array, position: number): void {
    if (this.fd === null) throw new Error(`${this.name}: read after close`);
    let done = 0;
    while (done < buf.byteLength) {
      let n: number;
      try {
        // At most MAX_READ_BYTES per call: Node refuses reads over 2 GiB − 1 (ERR_OUT_OF_RANGE).
        n = fs.readSync(this.fd, buf, done, Math.min(buf.byteLength - done, MAX_READ_BYTES), position + done);
      } catch (e) {
        throw fileError(this.name, e);
      }
      if (n === 0) {
        throw new FormatError(this.name, 'file.changed', `the file shrank while open (expected ${this.size} bytes, read stopped at ${position + done})`);
      }
      done += n;
    }
  }
}
