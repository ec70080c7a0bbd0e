/**
 * Browser mode: serves the renderer over HTTP and the Backend contract over a WebSocket, for
 * curating data that stays on a remote machine (through an SSH tunnel) and for our end-to-end
 * tests. Binds to 127.0.0.1 unless told otherwise. What it guards, in the order it checks (the
 * README's "Security model of `spikedock serve`" says why):
 * 1. the request target parses (else 400) — nothing from the client is trusted before that;
 * 2. the `Host` names this server (a loopback name or the `--host` given; else 421), so a DNS
 *    rebinding page (evil.example resolving to 127.0.0.1) is refused; `Host` is never copied
 *    into a response;
 * 3. the random access token, in the URL's `?token=` or in the cookie `spikedock_token_<port>`
 *    (HttpOnly, SameSite=Strict, one name per port so two servers do not overwrite each other's);
 *    a request carrying only the cookie must also come from this origin (`Sec-Fetch-Site`),
 *    because browsers send 127.0.0.1 cookies to every port;
 * 4. WebSocket upgrades: same-origin `Origin` (a page of another local port is refused even with
 *    the cookie); without `Origin` (not a browser) only with `?token=`;
 * 5. every socket has an 'error' handler (bad UTF-8, frames over `messageBytes`) and every view
 *    request is bounded by `REQUEST_LIMITS` (`src/shared/ipc/limits.ts`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { isIP } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { decodeMessage, encodeMessage, type ClientMessage, type ServerMessage } from '../../shared/ipc/codec';
import { BACKEND_EVENTS } from '../../shared/ipc/contract';
import { REQUEST_LIMITS } from '../../shared/ipc/limits';
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

/** The cookie's name for the server on `port`: cookies ignore ports, names do not collide. */
export function tokenCookieName(port: number): string {
  return `spikedock_token_${port}`;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);
/** Fetch metadata of a request the page itself made (or the user typed): anything else is another page's. */
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

export interface ServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Folder of the built renderer (dist/renderer). */
  rendererDir: string;
  /** Fixed token (tests); random 32 bytes otherwise. */
  token?: string;
}

/** A refusal: status and one sentence for whoever reads it (a person with curl, or the e2e log). */
type Refusal = { status: number; text: string };

const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };

export class SpikedockServer {
  readonly token: string;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly unsubscribe: Array<() => void> = [];
  /** The port listened on (known after {@link listen}). */
  private port = 0;

  constructor(
    private readonly backend: BackendHost,
    private readonly opts: ServerOptions,
  ) {
    this.token = opts.token ?? randomBytes(24).toString('hex');
    this.http = createServer((req, res) => {
      try {
        this.handleHttp(req, res);
      } catch (e) {
        // A bug must cost one request, never the server (and the curation it holds).
        if (!res.headersSent) res.writeHead(500, TEXT);
        res.end(`spikedock: internal error: ${(e as Error).message}\n`);
      }
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: REQUEST_LIMITS.messageBytes });
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(req, socket, head));
    for (const event of BACKEND_EVENTS) {
      this.unsubscribe.push(backend.on(event, (payload) => this.broadcast({ type: 'event', event, payload })));
    }
  }

  /** Starts listening; resolves with the URL to open (with the token). */
  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.opts.port, this.opts.host, () => {
        const addr = this.http.address();
        this.port = typeof addr === 'object' && addr ? addr.port : this.opts.port;
        resolve(`http://${bracketed(this.opts.host)}:${this.port}/?token=${this.token}`);
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
    const name = tokenCookieName(this.port);
    for (const part of header.split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === name) return v.join('=');
    }
    return null;
  }

  /**
   * The origin (`http://host:port`) the request was sent to, when its `Host` names this
   * server, else null. Only hostnames are checked, not the port: through an SSH tunnel the
   * browser's port may differ from ours. A hostname that is an IP literal cannot be a DNS
   * rebinding, so a server bound to all interfaces (0.0.0.0) accepts any IP literal.
   */
  private ownOrigin(req: IncomingMessage): string | null {
    const host = req.headers.host;
    if (typeof host !== 'string' || host.length > 300) return null;
    const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(host);
    if (!m) return null;
    const name = m[1].toLowerCase();
    const bound = this.opts.host.toLowerCase();
    const allowed =
      LOOPBACK_NAMES.includes(name) ||
      name === bracketed(bound) ||
      (WILDCARD_HOSTS.has(bound) && isIP(name.replace(/^\[|\]$/g, '')) !== 0);
    if (!allowed) return null;
    return `http://${name}${m[2] ? `:${Number(m[2])}` : ''}`;
  }

  /** Parses the request target; null when it is not a path (`//`, `http://[`, `*`): answered 400. */
  private parseTarget(req: IncomingMessage): URL | null {
    const raw = req.url ?? '';
    if (!raw.startsWith('/') || raw.startsWith('//')) return null;
    try {
      return new URL(raw, 'http://spikedock.invalid');
    } catch {
      return null;
    }
  }

  /**
   * Checks 1–3 of the module comment, shared by pages and sockets. A request authorised by the
   * cookie alone must not come from another site's page (`Sec-Fetch-Site`).
   */
  private admit(req: IncomingMessage): { url: URL; origin: string; byQuery: boolean } | Refusal {
    const url = this.parseTarget(req);
    if (!url) return { status: 400, text: 'spikedock: bad request target (expected a path such as /index.html)' };
    const origin = this.ownOrigin(req);
    if (!origin) return { status: 421, text: 'spikedock: this server answers only to its own address (127.0.0.1, localhost, [::1] or its --host): the Host header names another' };
    const byQuery = this.tokenMatches(url.searchParams.get('token'));
    if (!byQuery && !this.tokenMatches(this.cookieToken(req))) {
      return { status: 401, text: 'spikedock: this server needs the access token printed when it started (open the URL it printed)' };
    }
    const site = req.headers['sec-fetch-site'];
    if (!byQuery && typeof site === 'string' && !OWN_FETCH_SITES.has(site)) {
      return { status: 403, text: `spikedock: requests from other pages are refused (Sec-Fetch-Site: ${site === 'same-site' ? 'same-site' : 'cross-site'})` };
    }
    return { url, origin, byQuery };
  }

  private handleHttp(req: IncomingMessage, res: ServerResponse): void {
    const a = this.admit(req);
    if ('status' in a) {
      res.writeHead(a.status, TEXT);
      res.end(`${a.text}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...TEXT, allow: 'GET, HEAD' }).end();
      return;
    }
    const headers: Record<string, string> = {
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      // The origin is rebuilt from the checked hostname and port, never the raw Host header.
      'content-security-policy': contentSecurityPolicy(a.origin),
    };
    if (a.byQuery) {
      headers['set-cookie'] = `${tokenCookieName(this.port)}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(a.url.pathname);
    } catch {
      res.writeHead(400, TEXT);
      res.end('spikedock: bad percent escape in the path\n');
      return;
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    const root = normalize(this.opts.rendererDir);
    const file = normalize(join(root, rel));
    if (rel.includes('\0') || !file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { ...TEXT, ...headers });
      res.end('not found\n');
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A reset or garbage from the client before the handshake ends must not throw.
    socket.on('error', () => socket.destroy());
    const a = this.admit(req);
    let refusal: Refusal | null = 'status' in a ? a : null;
    if (!refusal && !('status' in a)) {
      const origin = req.headers.origin;
      if (a.url.pathname !== '/ws') refusal = { status: 404, text: 'spikedock: the only socket is /ws' };
      else if (origin === undefined ? !a.byQuery : origin !== a.origin) {
        refusal = { status: 403, text: origin === undefined ? 'spikedock: a socket without Origin needs ?token=' : 'spikedock: sockets from other origins are refused' };
      }
    }
    if (refusal) {
      const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 421: 'Misdirected Request' }[refusal.status] ?? 'Refused';
      socket.end(`HTTP/1.1 ${refusal.status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${refusal.text}\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.handleSocket(ws));
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
    // ws closes the socket itself on a protocol error (invalid UTF-8: 1007, a frame over
    // maxPayload: 1009); without a listener its 'error' event would throw and end the process.
    ws.on('error', () => undefined);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      let msg: ClientMessage;
      try {
        const bytes = toBytes(data);
        msg = (isBinary ? decodeMessage(bytes) : JSON.parse(UTF8.decode(bytes))) as ClientMessage;
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
      if (inflight.size >= REQUEST_LIMITS.socketCalls || inflight.has(msg.id)) {
        const message = inflight.has(msg.id) ? `call id ${msg.id} is already running` : `${REQUEST_LIMITS.socketCalls} calls are already running on this socket (socketCalls): wait for them`;
        this.send(ws, { type: 'error', id: msg.id, message, code: 'invalid-call' });
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

/** Text frames are JSON in UTF-8: bytes that are not UTF-8 are a malformed message, not U+FFFD. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** An IPv6 address as a URL host (`[::1]`); names and IPv4 unchanged. */
function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
