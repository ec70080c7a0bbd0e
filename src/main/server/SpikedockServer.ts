/**
 * Browser mode: serves the renderer over HTTP and the Backend contract over a WebSocket, for
 * curating data that stays on a remote machine (through an SSH tunnel) and for our end-to-end
 * tests. Binds to 127.0.0.1 unless told otherwise and refuses every request and socket that does
 * not carry the random access token (in the URL's `?token=`, then in an HttpOnly SameSite cookie).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { decodeMessage, encodeMessage, type ClientMessage, type ServerMessage } from '../../shared/ipc/codec';
import type { BackendEvents } from '../../shared/ipc/contract';
import type { BackendHost } from '../BackendHost';
import { contentSecurityPolicy } from '../../shared/csp';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

const COOKIE = 'spikedock_token';
const EVENTS: Array<keyof BackendEvents> = ['onDidChangeSession', 'onDidProgress', 'onDidSave', 'onDidOpenDataset', 'onDidMessage'];

export interface ServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Folder of the built renderer (dist/renderer). */
  rendererDir: string;
  /** Fixed token (tests); random 32 bytes otherwise. */
  token?: string;
}

export class SpikedockServer {
  readonly token: string;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly backend: BackendHost,
    private readonly opts: ServerOptions,
  ) {
    this.token = opts.token ?? randomBytes(24).toString('hex');
    this.http = createServer((req, res) => this.handleHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 64 << 20 });
    this.http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/ws' || !this.authorised(req, url)) {
        socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.handleSocket(ws));
    });
    for (const event of EVENTS) {
      this.unsubscribe.push(backend.on(event, (payload) => this.broadcast({ type: 'event', event, payload })));
    }
  }

  /** Starts listening; resolves with the URL to open (with the token). */
  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.opts.port, this.opts.host, () => {
        const addr = this.http.address();
        const port = typeof addr === 'object' && addr ? addr.port : this.opts.port;
        const host = this.opts.host.includes(':') ? `[${this.opts.host}]` : this.opts.host;
        resolve(`http://${host}:${port}/?token=${this.token}`);
      });
    });
  }

  async close(): Promise<void> {
    for (const u of this.unsubscribe) u();
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
    // close() alone waits for the browser's keep-alive connections to time out (5 s or more),
    // with the dataset still locked: end them now.
    const closed = new Promise<void>((r) => this.http.close(() => r()));
    this.http.closeAllConnections();
    await closed;
  }

  private tokenMatches(candidate: string | null | undefined): boolean {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private cookieToken(req: IncomingMessage): string | null {
    const header = req.headers.cookie ?? '';
    for (const part of header.split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === COOKIE) return v.join('=');
    }
    return null;
  }

  private authorised(req: IncomingMessage, url: URL): boolean {
    return this.tokenMatches(url.searchParams.get('token')) || this.tokenMatches(this.cookieToken(req));
  }

  private handleHttp(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!this.authorised(req, url)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('spikedock: this server needs the access token printed when it started (open the URL it printed).\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const headers: Record<string, string> = {
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'content-security-policy': contentSecurityPolicy(req.headers.host ? `http://${req.headers.host}` : null),
    };
    if (url.searchParams.has('token')) {
      headers['set-cookie'] = `${COOKIE}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    const root = normalize(this.opts.rendererDir);
    const file = normalize(join(root, rel));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', ...headers });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  }

  private send(ws: WebSocket, msg: ServerMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage(msg));
  }

  private broadcast(msg: ServerMessage): void {
    const frame = encodeMessage(msg);
    for (const ws of this.sockets) if (ws.readyState === ws.OPEN) ws.send(frame);
  }

  private handleSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    const inflight = new Map<number, AbortController>();
    ws.on('close', () => {
      this.sockets.delete(ws);
      for (const c of inflight.values()) c.abort();
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      let msg: ClientMessage;
      try {
        const bytes = isBinary ? toBytes(data) : new TextEncoder().encode(String(data));
        msg = (isBinary ? decodeMessage(bytes) : JSON.parse(String(data))) as ClientMessage;
      } catch (e) {
        this.send(ws, { type: 'error', id: -1, message: `malformed message: ${(e as Error).message}`, code: 'malformed' });
        return;
      }
      if (!msg || typeof msg !== 'object' || typeof (msg as { id?: unknown }).id !== 'number') {
        this.send(ws, { type: 'error', id: -1, message: 'malformed message: no id', code: 'malformed' });
        return;
      }
      if (msg.type === 'cancel') {
        inflight.get(msg.id)?.abort();
        return;
      }
      if (msg.type !== 'call' || typeof msg.service !== 'string' || typeof msg.method !== 'string') {
        this.send(ws, { type: 'error', id: msg.id, message: 'malformed message: expected a call', code: 'malformed' });
        return;
      }
      const controller = new AbortController();
      inflight.set(msg.id, controller);
      const id = msg.id;
      this.backend
        .call(msg.service, msg.method, msg.args, controller.signal)
        .then(
          (value) => this.send(ws, { type: 'result', id, value: value ?? null }),
          (e: unknown) => {
            const err = e as { message?: string; code?: string; name?: string };
            const code = controller.signal.aborted || err?.name === 'AbortError' ? 'aborted' : typeof err?.code === 'string' ? err.code : 'error';
            this.send(ws, { type: 'error', id, message: err?.message ?? String(e), code });
          },
        )
        .finally(() => inflight.delete(id));
    });
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
