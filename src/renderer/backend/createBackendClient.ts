/**
 * Creates the renderer's BackendClient: over the Electron preload bridge when the app runs in
 * Electron (`window.spikedock`), else over the WebSocket of `spikedock serve` (browser mode).
 * Both carry typed arrays as binary and cancel calls whose AbortSignal fires.
 */
import type { SpikedockBridge } from '../../shared/ipc/bridge';
import { decodeMessage, encodeMessage, type ClientMessage, type ServerMessage } from '../../shared/ipc/codec';
import { BACKEND_METHODS, type BackendEvents } from '../../shared/ipc/contract';
import { AbortedError, BackendError, type BackendClient } from './BackendClient';

/** The preload bridge exposed by electron/preload.ts as `window.spikedock` (see `SpikedockBridge`). */
export type ElectronBridge = Pick<SpikedockBridge, 'invoke' | 'cancel' | 'on'>;

type Invoke = (service: string, method: string, args: unknown[], signal?: AbortSignal) => Promise<unknown>;
type Subscribe = (event: string, listener: (payload: unknown) => void) => () => void;


function build(invoke: Invoke, subscribe: Subscribe, transport: BackendClient['transport']): BackendClient {
  let inFlight = 0;
  let lastStartedAt = -Infinity;
  const viewDataCall = (method: string, req: unknown, signal?: AbortSignal) => {
    inFlight++;
    if (method !== 'prefetch') lastStartedAt = performance.now();
    const done = () => void inFlight--;
    const p = invoke('viewData', method, [req], signal);
    p.then(done, done);
    return p;
  };
  const proxy = (service: keyof typeof BACKEND_METHODS) => {
    const out: Record<string, (...a: unknown[]) => Promise<unknown>> = {};
    for (const method of BACKEND_METHODS[service]) {
      out[method] =
        service === 'viewData'
          ? (req: unknown, signal?: unknown) => viewDataCall(method, req, signal as AbortSignal | undefined)
          : (...args: unknown[]) => {
              while (args.length && args[args.length - 1] === undefined) args.pop();
              return invoke(service, method, args);
            };
    }
    return out;
  };
  return {
    app: proxy('app') as unknown as BackendClient['app'],
    dataset: proxy('dataset') as unknown as BackendClient['dataset'],
    session: proxy('session') as unknown as BackendClient['session'],
    review: proxy('review') as unknown as BackendClient['review'],
    viewData: proxy('viewData') as unknown as BackendClient['viewData'],
    quality: proxy('quality') as unknown as BackendClient['quality'],
    proposal: proxy('proposal') as unknown as BackendClient['proposal'],
    viewDataActivity: () => ({ lastStartedAt, inFlight }),
    on: <E extends keyof BackendEvents>(event: E, listener: (p: BackendEvents[E]) => void) => subscribe(event, listener as (p: unknown) => void),
    transport,
  };
}

/** Connects over WebSocket to the `spikedock serve` that served this page. */
export function connectWebSocket(url: string): Promise<BackendClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    let nextId = 1;
    const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
    const listeners = new Map<string, Set<(p: unknown) => void>>();
    let closedError: Error | null = null;

    ws.onopen = () => resolve(build(invoke, subscribe, 'websocket'));
    ws.onerror = () => {
      if (ws.readyState !== WebSocket.OPEN) reject(new BackendError('cannot reach the spikedock server (is `spikedock serve` still running?)', 'unreachable'));
    };
    ws.onclose = () => {
      closedError = new BackendError('the connection to the spikedock server was closed', 'closed');
      for (const p of pending.values()) p.reject(closedError);
      pending.clear();
      for (const l of listeners.get('onDidMessage') ?? []) l({ level: 'error', text: closedError.message });
    };
    ws.onmessage = (ev: MessageEvent) => {
      const msg = decodeMessage(new Uint8Array(ev.data as ArrayBuffer)) as ServerMessage;
      if (msg.type === 'event') {
        for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
        return;
      }
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.type === 'result') p.resolve(msg.value);
      else p.reject(msg.code === 'aborted' ? new AbortedError() : new BackendError(msg.message, msg.code));
    };

    function send(m: ClientMessage): void {
      ws.send(encodeMessage(m));
    }

    function invoke(service: string, method: string, args: unknown[], signal?: AbortSignal): Promise<unknown> {
      if (closedError) return Promise.reject(closedError);
      if (signal?.aborted) return Promise.reject(new AbortedError());
      const id = nextId++;
      return new Promise((res, rej) => {
        pending.set(id, { resolve: res, reject: rej });
        signal?.addEventListener(
          'abort',
          () => {
            if (!pending.has(id)) return;
            pending.delete(id);
            send({ type: 'cancel', id });
            rej(new AbortedError());
          },
          { once: true },
        );
        send({ type: 'call', id, service, method, args });
      });
    }

    function subscribe(event: string, listener: (p: unknown) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set!.delete(listener);
    }
  });
}

/** Wraps the Electron preload bridge. */
export function connectElectron(bridge: ElectronBridge): BackendClient {
  let nextId = 1;
  const invoke: Invoke = (service, method, args, signal) => {
    if (signal?.aborted) return Promise.reject(new AbortedError());
    const id = nextId++;
    return new Promise((resolve, reject) => {
      let done = false;
      signal?.addEventListener(
        'abort',
        () => {
          if (done) return;
          done = true;
          bridge.cancel(id);
          reject(new AbortedError());
        },
        { once: true },
      );
      bridge.invoke(`spikedock:${service}.${method}`, id, args).then(
        (r) => {
          if (!done) {
            done = true;
            // The bridge resolves an IpcResult so the error code survives contextBridge.
            if (r.ok) resolve(r.value);
            else reject(r.error.code === 'aborted' ? new AbortedError() : new BackendError(r.error.message, r.error.code));
          }
        },
        (e: unknown) => {
          if (!done) {
            done = true;
            const message = String((e as Error)?.message ?? e).replace(/^Error invoking remote method '[^']+': (Error: )?/, '');
            reject(new BackendError(message));
          }
        },
      );
    });
  };
  return build(invoke, (event, listener) => bridge.on(event, listener), 'electron');
}

/** The backend of this window, whichever transport the app runs on. */
export async function createBackendClient(): Promise<BackendClient> {
  const bridge = (globalThis as { spikedock?: ElectronBridge }).spikedock;
  if (bridge && typeof bridge.invoke === 'function') return connectElectron(bridge);
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  // The token also lives in an HttpOnly cookie set by the server, so a reload without it works.
  const url = `${proto}//${location.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  return connectWebSocket(url);
}
