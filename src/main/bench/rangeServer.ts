/**
 * A local HTTP server of files with range requests (Node `http`), for the remote bench and the
 * tests of remote files. It runs in a worker thread of its own: the thread that opens a remote
 * file blocks on `Atomics.wait` while its helper fetches, so a server on that thread would never
 * answer.
 *
 * Modes: `ranges` answers `Range: bytes=a-b` with 206 + `Content-Range` (RFC 9110 §14), a strong
 * `ETag` and `If-Range`; `ignore-ranges` answers 200 with the whole file, as a server without range
 * support does. Unknown paths are 404. `dropAfter(n)` makes the server cut the connection in the
 * middle of a body once it has sent `n` more bytes (a network failure mid-read). Every body byte
 * sent is counted: `stats()` is what crossed the "network".
 */
import { Worker } from 'node:worker_threads';

/** What the server has sent. */
export interface RangeServerStats {
  requests: number;
  /** Body bytes sent (partial bodies of dropped connections included). */
  bytesSent: number;
  /** Requests by status code. */
  statuses: Record<string, number>;
}

/** A running server. */
export interface RangeServer {
  /** `http://127.0.0.1:<port>/` */
  baseUrl: string;
  stats(): Promise<RangeServerStats>;
  /** Resets the counters. */
  resetStats(): Promise<void>;
  /** Cuts the connection once `bytes` more body bytes are sent (null: never). */
  dropAfter(bytes: number | null): Promise<void>;
  /** Switches between honouring and ignoring `Range`. */
  setMode(mode: RangeServerMode): Promise<void>;
  close(): Promise<void>;
}

export type RangeServerMode = 'ranges' | 'ignore-ranges';

/** The server thread's code (plain JavaScript: it must run from the sources in tests and from the bundles alike). */
const SERVER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const fs = require('node:fs');
let mode = workerData.mode;
let dropAfter = null;
let stats = { requests: 0, bytesSent: 0, statuses: {} };
const files = new Map(Object.entries(workerData.files));
function count(res, status) { stats.statuses[status] = (stats.statuses[status] || 0) + 1; }
const server = http.createServer((req, res) => {
  stats.requests++;
  const name = decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1));
  const file = files.get(name);
  let st = null;
  try { st = file ? fs.statSync(file) : null; } catch { st = null; }
  if (!st || !st.isFile()) { count(res, 404); res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found'); return; }
  const size = st.size;
  const etag = '"' + size.toString(16) + '-' + Math.floor(st.mtimeMs).toString(16) + '"';
  let start = 0, end = size - 1, status = 200;
  const range = mode === 'ranges' ? /^bytes=(\d+)-(\d*)$/.exec(req.headers.range || '') : null;
  const ifRange = req.headers['if-range'];
  if (range && (!ifRange || ifRange === etag)) {
    start = Number(range[1]);
    end = range[2] === '' ? size - 1 : Math.min(Number(range[2]), size - 1);
    if (start >= size || end < start) { count(res, 416); res.writeHead(416, { 'content-range': 'bytes */' + size }); res.end(); return; }
    status = 206;
  }
  const headers = { 'content-length': String(end - start + 1), 'etag': etag, 'content-type': 'application/octet-stream' };
  if (mode === 'ranges') headers['accept-ranges'] = 'bytes';
  if (status === 206) headers['content-range'] = 'bytes ' + start + '-' + end + '/' + size;
  count(res, status);
  res.writeHead(status, headers);
  if (req.method === 'HEAD') { res.end(); return; }
  const stream = fs.createReadStream(file, { start, end, highWaterMark: 64 * 1024 });
  stream.on('data', (chunk) => {
    if (dropAfter !== null && chunk.length >= dropAfter) {
      const part = chunk.subarray(0, dropAfter);
      stats.bytesSent += part.length;
      dropAfter = null;
      stream.destroy();
      res.write(part, () => res.socket && res.socket.destroy());
      return;
    }
    if (dropAfter !== null) dropAfter -= chunk.length;
    stats.bytesSent += chunk.length;
    if (!res.write(chunk)) { stream.pause(); res.once('drain', () => stream.resume()); }
  });
  stream.on('end', () => res.end());
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
});
server.keepAliveTimeout = 1000;
parentPort.on('message', (m) => {
  if (m.type === 'stats') parentPort.postMessage({ id: m.id, stats });
  else if (m.type === 'reset') { stats = { requests: 0, bytesSent: 0, statuses: {} }; parentPort.postMessage({ id: m.id }); }
  else if (m.type === 'drop') { dropAfter = m.bytes; parentPort.postMessage({ id: m.id }); }
  else if (m.type === 'mode') { mode = m.mode; parentPort.postMessage({ id: m.id }); }
  else if (m.type === 'close') { server.closeAllConnections(); server.close(() => parentPort.postMessage({ id: m.id })); }
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ id: 0, port: server.address().port }));
`;

/**
 * Starts a server of `files` (URL path → local file; `{ 'a/sorting.nwb': '/tmp/x.nwb' }` is
 * `<baseUrl>a/sorting.nwb`) in a worker thread.
 */
export async function startRangeServer(files: Record<string, string>, opts: { mode?: RangeServerMode } = {}): Promise<RangeServer> {
  const worker = new Worker(SERVER, { eval: true, workerData: { files, mode: opts.mode ?? 'ranges' }, name: 'spikedock range server' });
  let nextId = 1;
  const waiting = new Map<number, (m: Record<string, unknown>) => void>();
  const started = new Promise<number>((resolve, reject) => {
    waiting.set(0, (m) => resolve(m.port as number));
    worker.once('error', reject);
  });
  worker.on('message', (m: { id: number }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    w?.(m as Record<string, unknown>);
  });
  const ask = (msg: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      worker.postMessage({ ...msg, id });
    });
  const port = await started;
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    stats: async () => (await ask({ type: 'stats' })).stats as RangeServerStats,
    resetStats: async () => void (await ask({ type: 'reset' })),
    dropAfter: async (bytes) => void (await ask({ type: 'drop', bytes })),
    setMode: async (mode) => void (await ask({ type: 'mode', mode })),
    close: async () => {
      await ask({ type: 'close' });
      await worker.terminate();
    },
  };
}
