/**
 * The synchronous block read of a remote file, across threads: the readers (h5wasm) are
 * synchronous, `fetch` is not, so a thread that must read blocks posts a {@link BlockRequest} to
 * its helper thread (`src/main/io/rangeFetcher.worker.ts`) and blocks on `Atomics.wait` over a
 * SharedArrayBuffer until the helper has fetched the blocks (disk cache, else HTTP) and written
 * them there — the sync-over-async bridge Emscripten's `createLazyFile` gets from a synchronous
 * XMLHttpRequest in a browser worker, which Node does not have.
 *
 * Both halves of the protocol live here (one owner): {@link requestBlocksSync} for the reading
 * thread, {@link answerBlockRequest} for the helper.
 *
 * Buffer layout: Int32 [0] state (0 pending, 1 done, 2 failed), Int32 [1] payload length, Int32 [2]
 * bytes the helper received from the network for this request (the rest came from the disk
 * cache), then the payload from byte 16: the blocks' bytes, or the error message (UTF-8).
 */
import { BlockByteSource, type FetchedBlocks, type RemoteFileSpec } from '../core/formats/BlockByteSource';

/** One request to the helper thread. */
export interface BlockRequest {
  spec: RemoteFileSpec;
  /** First block and number of blocks. */
  first: number;
  count: number;
  /** Where the answer goes (see the layout above). */
  buffer: SharedArrayBuffer;
}

const PENDING = 0;
const DONE = 1;
const FAILED = 2;
const HEADER = 16;
/** Room for an error message. */
const MESSAGE_BYTES = 4096;

/** An error reported by the helper thread; its message names the URL and what failed. */
export class RemoteReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemoteReadError';
  }
}

/**
 * Posts a request with `post` and blocks this thread until the helper answers (or `timeoutMs`
 * passes: the helper's own fetch times out first, so this is a backstop). Returns the blocks'
 * bytes; throws a {@link RemoteReadError} with the helper's message when it failed.
 */
export function requestBlocksSync(post: (req: BlockRequest) => void, spec: RemoteFileSpec, first: number, count: number, timeoutMs: number): FetchedBlocks {
  const expected = Math.min(spec.size, (first + count) * spec.blockBytes) - first * spec.blockBytes;
  const buffer = new SharedArrayBuffer(HEADER + Math.max(expected, MESSAGE_BYTES));
  const state = new Int32Array(buffer, 0, 3);
  post({ spec, first, count, buffer });
  if (Atomics.wait(state, 0, PENDING, timeoutMs) === 'timed-out') {
    throw new RemoteReadError(`${spec.url}: no answer within ${Math.round(timeoutMs / 1000)} s while reading bytes ${first * spec.blockBytes}–${first * spec.blockBytes + expected}`);
  }
  const n = state[1];
  if (state[0] === FAILED) throw new RemoteReadError(new TextDecoder().decode(new Uint8Array(buffer, HEADER, n).slice()));
  // A copy into an ordinary buffer: the reader may keep it, and h5wasm copies from it into its heap.
  return { bytes: new Uint8Array(buffer, HEADER, n).slice(), networkBytes: state[2] };
}

/** The helper's half: runs `read` for the request and writes its bytes (or its error) where the caller waits. */
export async function answerBlockRequest(req: BlockRequest, read: (spec: RemoteFileSpec, first: number, count: number) => Promise<FetchedBlocks>): Promise<void> {
  const state = new Int32Array(req.buffer, 0, 3);
  const payload = new Uint8Array(req.buffer, HEADER);
  try {
    const { bytes, networkBytes } = await read(req.spec, req.first, req.count);
    state[2] = networkBytes;
    if (bytes.byteLength > payload.byteLength) throw new Error(`${req.spec.url}: ${bytes.byteLength} bytes do not fit the ${payload.byteLength}-byte answer`);
    payload.set(bytes);
    state[1] = bytes.byteLength;
    Atomics.store(state, 0, DONE);
  } catch (e) {
    const text = new TextEncoder().encode(e instanceof Error ? e.message : String(e)).subarray(0, Math.min(MESSAGE_BYTES, payload.byteLength));
    payload.set(text);
    state[1] = text.byteLength;
    Atomics.store(state, 0, FAILED);
  }
  Atomics.notify(state, 0);
}

/** How long a reading thread waits for its helper before giving up (ms): past the helper's own 60 s fetch timeout. */
export const SYNC_WAIT_MS = 120_000;

/**
 * The synchronous {@link BlockByteSource} of a remote file whose blocks a helper thread fetches:
 * `post` sends it a {@link BlockRequest}; `release` stops it when the source is closed.
 */
export function helperBlockSource(spec: RemoteFileSpec, post: (req: BlockRequest) => void, release: () => void): BlockByteSource {
  return new BlockByteSource(spec.url, spec.size, spec.blockBytes, (first, count) => requestBlocksSync(post, spec, first, count, SYNC_WAIT_MS), { onClose: release });
}
