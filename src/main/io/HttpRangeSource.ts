/**
 * Remote files by HTTP range requests, through an on-disk block cache (issue #15 slice 5;
 * docs/decisions/0012-ecosystem-inputs.md, "slice 5 (remote)").
 *
 * - {@link statRemote}: the first request of a file — a `Range: bytes=0-<block>` GET whose
 *   `Content-Range` gives the size and whose `ETag` / `Last-Modified` the version — and its first
 *   block, cached. A server that ignores `Range` (200 with the whole file) is refused unless the
 *   file fits in one block: nothing is ever downloaded whole.
 * - {@link HttpBlockCache}: blocks `[first, first + count)` of a file: each from the disk cache
 *   when there, the missing ones coalesced into one request per contiguous run, written to the
 *   cache (temp file + rename, so readers in other threads and processes see whole blocks or
 *   none), the cache kept under its byte cap by removing the least recently used blocks
 *   (modification time, refreshed on every hit). Concurrent asks for the same block share one
 *   request. `readRange` serves any byte range.
 * - {@link HttpStore}: `get(key)` of a base URL (a remote Zarr store's chunks), whole objects
 *   through the same cache; a 404 is `undefined`.
 *
 * Every failure is a {@link FormatError} naming the URL: not found, HTTP status, no range
 * support, a connection dropped mid-read, a file changed on the server since it was opened.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FormatError } from '../../core/diagnostics';
import { blockSpan, coalesceBlocks, type RemoteFileSpec } from '../../core/formats/BlockByteSource';
import { tempPathFor } from './durableFs';

/** Block size (bytes): 256 KiB — see the decision doc for the measured trade-off. */
export const DEFAULT_BLOCK_BYTES = 256 * 1024;
/** Disk cache cap (bytes): 2 GiB. */
export const DEFAULT_CACHE_BYTES = 2 * 1024 ** 3;
/** Per-request timeout (ms). */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** Most blocks asked in one request (16 MiB of 256 KiB blocks). */
const MAX_RUN_BLOCKS = 64;

/** Whether `input` names a remote file spikedock reads by range requests. */
export function isRemoteUrl(input: string): boolean {
  return /^https?:\/\//i.test(input.trim());
}

/** Options of the cache. */
export interface HttpCacheOptions {
  /** Folder of the block cache. */
  cacheDir: string;
  /** Byte cap (default {@link DEFAULT_CACHE_BYTES}). */
  cacheBytes?: number;
  /** Block size (default {@link DEFAULT_BLOCK_BYTES}). */
  blockBytes?: number;
  /** Per-request timeout, ms (default {@link DEFAULT_TIMEOUT_MS}). */
  timeoutMs?: number;
}

/** Network counters (this cache object only). */
export interface HttpCacheStats {
  /** HTTP requests made. */
  requests: number;
  /** Body bytes received. */
  bytesFetched: number;
  /** Blocks (or objects) served from the disk cache. */
  diskHits: number;
  /** Cache files removed to stay under the cap. */
  evictions: number;
}

/** Why a fetch failed, in words, from undici's error chain (`other side closed`, `ECONNREFUSED`…). */
function networkReason(e: unknown): string {
  const err = e as Error & { cause?: Error & { code?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return 'timed out';
  const cause = err?.cause;
  if (cause) return cause.code ? `${cause.code}${cause.message && !cause.message.includes(cause.code) ? `: ${cause.message}` : ''}` : cause.message;
  return err?.message ?? String(e);
}

function httpError(url: string, res: Response, what: string): FormatError {
  if (res.status === 404) return new FormatError(url, 'remote.notFound', `not found on the server (HTTP 404) while ${what}; check the URL`);
  if (res.status === 401 || res.status === 403) return new FormatError(url, 'remote.denied', `access denied (HTTP ${res.status}) while ${what}; the URL may need a signed link or have expired`);
  return new FormatError(url, 'remote.http', `the server answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} while ${what}`);
}

/** A strong ETag, else Last-Modified, else null (a weak ETag cannot be used in If-Range). */
function validatorOf(res: Response): string | null {
  const etag = res.headers.get('etag');
  if (etag && !etag.startsWith('W/')) return etag;
  return res.headers.get('last-modified');
}

/** `bytes a-b/total` → {start, end (inclusive), total}, or null. */
function contentRange(res: Response): { start: number; end: number; total: number | null } | null {
  const m = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(res.headers.get('content-range')?.trim() ?? '');
  return m ? { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? null : Number(m[3]) } : null;
}

/** Hex digest used for cache folder names. */
function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export class HttpBlockCache {
  readonly cacheDir: string;
  readonly cacheBytes: number;
  readonly blockBytes: number;
  readonly timeoutMs: number;
  readonly stats: HttpCacheStats = { requests: 0, bytesFetched: 0, diskHits: 0, evictions: 0 };
  /** Block (or object) files being fetched → their bytes, so concurrent asks share one request. */
  private readonly inflight = new Map<string, Promise<Uint8Array | undefined>>();
  /** Bytes written since the cache folder was last measured. */
  private writtenSinceScan = Infinity;

  constructor(opts: HttpCacheOptions) {
    this.cacheDir = opts.cacheDir;
    this.cacheBytes = opts.cacheBytes ?? DEFAULT_CACHE_BYTES;
    this.blockBytes = opts.blockBytes ?? DEFAULT_BLOCK_BYTES;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The folder of one version of a file (URL, size and validator: a changed file gets a new one). */
  fileDir(spec: Pick<RemoteFileSpec, 'url' | 'size' | 'validator' | 'blockBytes'>): string {
    return path.join(this.cacheDir, digest(`${spec.url}\n${spec.size}\n${spec.validator ?? ''}\n${spec.blockBytes}`));
  }

  private async get(url: string, headers: Record<string, string>, what: string): Promise<Response> {
    this.stats.requests++;
    try {
      return await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new FormatError(url, 'remote.network', `cannot reach the server while ${what} (${networkReason(e)})`);
    }
  }

  private async body(url: string, res: Response, what: string): Promise<Uint8Array> {
    try {
      const bytes = new Uint8Array(await res.arrayBuffer());
      this.stats.bytesFetched += bytes.byteLength;
      return bytes;
    } catch (e) {
      throw new FormatError(url, 'remote.network', `the connection failed while ${what} (${networkReason(e)}); try again`);
    }
  }

  /**
   * The first request of a remote file: its size, validator and first block (cached).
   * @throws FormatError naming the URL (not found, no range support, network)
   */
  async stat(url: string): Promise<RemoteFileSpec> {
    const bs = this.blockBytes;
    const what = 'reading the start of the file';
    const res = await this.get(url, { Range: `bytes=0-${bs - 1}` }, what);
    let bytes: Uint8Array;
    let size: number;
    if (res.status === 206) {
      const cr = contentRange(res);
      if (!cr || cr.start !== 0 || cr.total === null) {
        await res.body?.cancel();
        throw new FormatError(url, 'remote.noRanges', `the server's answer to a range request has no usable Content-Range (${res.headers.get('content-range') ?? 'none'}); spikedock cannot read this file remotely — download it and open the copy`);
      }
      size = cr.total;
      bytes = await this.body(url, res, what);
    } else if (res.status === 200) {
      // No range support. Only a file that fits in one block is taken (it is no bigger than one
      // range request would have been); anything else would be a whole download.
      const length = Number(res.headers.get('content-length') ?? NaN);
      if (!(length <= bs)) {
        await res.body?.cancel();
        throw new FormatError(url, 'remote.noRanges', `the server does not support range requests (it answered a request for the first ${bs} bytes with the whole file${Number.isFinite(length) ? `, ${length} bytes` : ''}); spikedock reads remote files by parts and never downloads them whole — download the file and open the copy`);
      }
      bytes = await this.body(url, res, what);
      size = bytes.byteLength;
    } else if (res.status === 416) {
      await res.body?.cancel();
      throw new FormatError(url, 'remote.empty', 'the file is empty on the server (HTTP 416 for its first bytes)');
    } else {
      await res.body?.cancel();
      throw httpError(url, res, what);
    }
    if (size === 0) throw new FormatError(url, 'remote.empty', 'the file is empty on the server');
    const spec: RemoteFileSpec = { url, size, validator: validatorOf(res), blockBytes: bs, cacheDir: this.cacheDir, cacheBytes: this.cacheBytes };
    if (bytes.byteLength !== Math.min(bs, size)) throw new FormatError(url, 'remote.short', `the server sent ${bytes.byteLength} bytes for the first ${Math.min(bs, size)}`);
    this.store(path.join(this.fileDir(spec), '0'), bytes);
    return spec;
  }

  /** Expected length of block `b`. */
  private blockLength(spec: RemoteFileSpec, b: number): number {
    return Math.min(spec.size, (b + 1) * spec.blockBytes) - b * spec.blockBytes;
  }

  /** A cache file's bytes when present with the expected length (a hit refreshes its time), else null. */
  private load(file: string, expected: number | null): Uint8Array | null {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      return null;
    }
    if (expected !== null && bytes.byteLength !== expected) return null;
    try {
      const t = new Date();
      fs.utimesSync(file, t, t);
    } catch {
      // evicted meanwhile by another process: the bytes read are still good
    }
    this.stats.diskHits++;
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Writes a cache file atomically (temp + rename), then keeps the cache under its cap. */
  private store(file: string, bytes: Uint8Array): void {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = tempPathFor(file);
      fs.writeFileSync(tmp, bytes);
      fs.renameSync(tmp, file);
    } catch {
      // A cache that cannot be written (full disk, read-only) only costs refetches.
      return;
    }
    this.writtenSinceScan += bytes.byteLength;
    // Measuring the folder costs one stat per cached file: done after each 1/16 of the cap written.
    if (this.writtenSinceScan >= this.cacheBytes / 16) this.evict();
  }

  /**
   * Removes the least recently used cache files (oldest modification time first) until the cache
   * holds at most 7/8 of its cap, so that eviction runs again only after a good amount of writes.
   * Safe with other processes: a file removed under a reader is a miss there, fetched again.
   */
  evict(): void {
    this.writtenSinceScan = 0;
    const files: Array<{ file: string; size: number; mtime: number }> = [];
    let total = 0;
    let dirs: string[];
    try {
      dirs = fs.readdirSync(this.cacheDir);
    } catch {
      return;
    }
    for (const d of dirs) {
      const dir = path.join(this.cacheDir, d);
      let names: string[];
      try {
        names = fs.readdirSync(dir);
      } catch {
        continue;
      }
      for (const n of names) {
        try {
          const st = fs.statSync(path.join(dir, n));
          if (!st.isFile()) continue;
          files.push({ file: path.join(dir, n), size: st.size, mtime: st.mtimeMs });
          total += st.size;
        } catch {
          // removed meanwhile
        }
      }
    }
    if (total <= this.cacheBytes) return;
    files.sort((a, b) => a.mtime - b.mtime);
    const target = (this.cacheBytes * 7) / 8;
    for (const f of files) {
      if (total <= target) break;
      try {
        fs.rmSync(f.file, { force: true });
        total -= f.size;
        this.stats.evictions++;
      } catch {
        // in use on a system that refuses: left
      }
    }
  }

  /** One ranged GET of blocks `[first, first + count)`, checked. */
  private async fetchRun(spec: RemoteFileSpec, first: number, count: number): Promise<Uint8Array> {
    const start = first * spec.blockBytes;
    const end = Math.min(spec.size, (first + count) * spec.blockBytes);
    const what = `reading bytes ${start}–${end - 1}`;
    const headers: Record<string, string> = { Range: `bytes=${start}-${end - 1}` };
    if (spec.validator) headers['If-Range'] = spec.validator;
    const res = await this.get(spec.url, headers, what);
    if (res.status === 200) {
      if (spec.size <= spec.blockBytes) return this.body(spec.url, res, what);
      await res.body?.cancel();
      throw new FormatError(spec.url, 'remote.changed', `the file changed on the server since it was opened (or the server stopped honouring range requests: it answered ${what} with the whole file); reopen it`);
    }
    if (res.status !== 206) {
      await res.body?.cancel();
      throw httpError(spec.url, res, what);
    }
    const cr = contentRange(res);
    if (cr && (cr.start !== start || (cr.total !== null && cr.total !== spec.size))) {
      await res.body?.cancel();
      throw new FormatError(spec.url, 'remote.changed', `the server answered ${what} with bytes ${cr.start}–${cr.end} of ${cr.total ?? '?'} (the file was ${spec.size} bytes when opened); reopen it`);
    }
    const bytes = await this.body(spec.url, res, what);
    if (bytes.byteLength !== end - start) throw new FormatError(spec.url, 'remote.short', `the connection ended after ${bytes.byteLength} of ${end - start} bytes while ${what}; try again`);
    return bytes;
  }

  /**
   * Blocks `[first, first + count)` of a file, concatenated (the last block of the file may be
   * short): from the disk cache where present, else fetched (one request per contiguous run of
   * missing blocks) and cached.
   * @throws FormatError naming the URL
   */
  async readBlocks(spec: RemoteFileSpec, first: number, count: number): Promise<Uint8Array> {
    const dir = this.fileDir(spec);
    const last = Math.min(first + count, Math.ceil(spec.size / spec.blockBytes)) - 1;
    const parts = new Map<number, Uint8Array | Promise<Uint8Array>>();
    const missing: number[] = [];
    for (let b = first; b <= last; b++) {
      const file = path.join(dir, String(b));
      const pending = this.inflight.get(file);
      if (pending) {
        parts.set(b, pending as Promise<Uint8Array>);
        continue;
      }
      const hit = this.load(file, this.blockLength(spec, b));
      if (hit) parts.set(b, hit);
      else missing.push(b);
    }
    for (const run of coalesceBlocks(missing, MAX_RUN_BLOCKS)) {
      const fetched = this.fetchRun(spec, run.first, run.count).then((bytes) => {
        for (let i = 0; i < run.count; i++) {
          const b = run.first + i;
          this.store(path.join(dir, String(b)), bytes.subarray(i * spec.blockBytes, Math.min(bytes.byteLength, (i + 1) * spec.blockBytes)));
        }
        return bytes;
      });
      for (let i = 0; i < run.count; i++) {
        const b = run.first + i;
        const file = path.join(dir, String(b));
        const block = fetched.then((bytes) => bytes.subarray(i * spec.blockBytes, Math.min(bytes.byteLength, (i + 1) * spec.blockBytes)));
        this.inflight.set(file, block);
        void block.then(
          () => this.inflight.delete(file),
          () => this.inflight.delete(file),
        );
        parts.set(b, block);
      }
    }
    const blocks: Uint8Array[] = [];
    for (let b = first; b <= last; b++) blocks.push(await parts.get(b)!);
    if (blocks.length === 1) return blocks[0];
    const out = new Uint8Array(blocks.reduce((a, x) => a + x.byteLength, 0));
    let at = 0;
    for (const x of blocks) {
      out.set(x, at);
      at += x.byteLength;
    }
    return out;
  }

  /** Bytes `[offset, offset + length)` of a file, through the blocks. */
  async readRange(spec: RemoteFileSpec, offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || offset + length > spec.size) throw new RangeError(`${spec.url}: read of ${length} bytes at ${offset} leaves the file (${spec.size} bytes)`);
    if (length === 0) return new Uint8Array(0);
    const { first, last } = blockSpan(offset, length, spec.blockBytes);
    const bytes = await this.readBlocks(spec, first, last - first + 1);
    const start = offset - first * spec.blockBytes;
    return bytes.subarray(start, start + length);
  }

  /**
   * A whole object (no range): from the cache, else one GET, cached; `undefined` for a 404.
   * Objects of a store are taken as immutable (a Zarr chunk is rewritten under the same key only
   * by a writer, never while being read): a cached object is not revalidated.
   */
  async getObject(url: string): Promise<Uint8Array | undefined> {
    const file = path.join(this.cacheDir, digest(`object\n${url}`), 'object');
    const pending = this.inflight.get(file);
    if (pending) return pending;
    const hit = this.load(file, null);
    if (hit) return hit;
    const what = 'reading the object';
    const job = (async () => {
      const res = await this.get(url, {}, what);
      if (res.status === 404) {
        await res.body?.cancel();
        return undefined;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw httpError(url, res, what);
      }
      const bytes = await this.body(url, res, what);
      this.store(file, bytes);
      return bytes;
    })();
    this.inflight.set(file, job);
    try {
      return await job;
    } finally {
      this.inflight.delete(file);
    }
  }
}

/** Bytes `[offset, offset + length)` of the file at `url` (one `stat` request first). */
export async function readRange(cache: HttpBlockCache, url: string, offset: number, length: number): Promise<Uint8Array> {
  return cache.readRange(await cache.stat(url), offset, length);
}

/**
 * A read-only key → bytes store over a base URL (`get('a/.zarray')` fetches `<base>/a/.zarray`),
 * through the block cache's folder and cap: the shape of a remote Zarr store's `get`.
 */
export class HttpStore {
  readonly base: string;
  constructor(
    base: string,
    private readonly cache: HttpBlockCache,
  ) {
    if (!isRemoteUrl(base)) throw new FormatError(base, 'remote.url', 'not an http:// or https:// URL');
    this.base = base.endsWith('/') ? base : `${base}/`;
  }

  /** The object at `key` (relative, `/`-separated), or undefined when the server has none (404). */
  get(key: string): Promise<Uint8Array | undefined> {
    const rel = key.replace(/^\/+/, '');
    return this.cache.getObject(new URL(rel.split('/').map(encodeURIComponent).join('/'), this.base).href);
  }
}
