/**
 * The main-process side of the bridge, without Electron objects: finds the window a message
 * comes from, refuses untrusted senders, keeps the renderer's call ids for cancellation, runs the
 * call on the window's BackendHost (which validates the arguments against the contract's
 * schemas), and turns the outcome into an {@link IpcResult} whose typed arrays can cross IPC.
 * DesktopApp feeds it `ipcMain` events; the unit tests feed it the same fields.
 */
import type { IpcResult } from '../src/shared/ipc/bridge';
import { isCallId } from '../src/shared/ipc/bridge';
import { toCloneable } from './cloneable';
import { classifyError } from './ipcErrors';
import { isTrustedSender } from './security';

/** What main knows of a message's sender: `event.sender.id` and `event.senderFrame`. */
export interface IpcSender {
  senderId: number;
  frame: { url: string; isMainFrame: boolean } | null;
}

/** The per-window state the router needs. */
export interface RoutedWindow {
  host: { call(service: string, method: string, args: unknown, signal?: AbortSignal): Promise<unknown> };
  /** Pending cancellable calls by call id. */
  readonly calls: Map<number, AbortController>;
}

export interface IpcRouterOptions<W extends RoutedWindow> {
  origins: readonly string[];
  /** The log file named in messages about internal errors. */
  logFile: string;
  windowOf(senderId: number): W | undefined;
  /** Called for refused senders and internal errors. */
  log(level: 'warn' | 'error', message: string, detail?: unknown): void;
  /** Calls main answers itself instead of the host (e.g. `app.openDataset`, which may pick another window); null to use the host. */
  intercept?(w: W, service: string, method: string, args: unknown): Promise<unknown> | null;
}

export class IpcRouter<W extends RoutedWindow> {
  constructor(private readonly opts: IpcRouterOptions<W>) {}

  /** The sender's window when the message comes from its main frame on a trusted origin; null otherwise (and logged). */
  trustedWindow(sender: IpcSender): W | null {
    const w = this.opts.windowOf(sender.senderId);
    if (w && isTrustedSender(sender.frame, this.opts.origins)) return w;
    this.opts.log('warn', `refused an IPC message from an untrusted sender (${sender.frame?.url.slice(0, 200) ?? 'no frame'})`);
    return null;
  }

  /** One `spikedock:<service>.<method>` call; never rejects. */
  async call(sender: IpcSender, service: string, method: string, callId: unknown, args: unknown): Promise<IpcResult> {
    const w = this.trustedWindow(sender);
    if (!w) return { ok: false, error: { message: 'refused: the call did not come from a spikedock window', code: 'untrusted-sender' } };
    if (callId !== null && !isCallId(callId)) return { ok: false, error: { message: 'a call id is null or a non-negative integer', code: 'invalid-call' } };
    if (callId !== null && w.calls.has(callId)) return { ok: false, error: { message: `call id ${callId} is already in use`, code: 'invalid-call' } };
    const controller = new AbortController();
    if (callId !== null) w.calls.set(callId, controller);
    try {
      const run = this.opts.intercept?.(w, service, method, args) ?? w.host.call(service, method, args, controller.signal);
      const value = await untilAborted(run, controller.signal);
      return { ok: true, value: toCloneable(value) };
    } catch (e) {
      const { error, internal } = classifyError(e, controller.signal.aborted, this.opts.logFile);
      if (internal) this.opts.log('error', `${service}.${method} failed`, e);
      return { ok: false, error };
    } finally {
      if (callId !== null && w.calls.get(callId) === controller) w.calls.delete(callId);
    }
  }

  /** `spikedock:cancel`: aborts the sender's call with this id (unknown ids are ignored: the call already ended). */
  cancel(sender: IpcSender, callId: unknown): void {
    const w = this.trustedWindow(sender);
    if (w && isCallId(callId)) w.calls.get(callId)?.abort();
  }
}

/** Resolves like `run`, or rejects as soon as `signal` aborts (a view request superseded by a newer one). */
function untilAborted<T>(run: Promise<T>, signal: AbortSignal): Promise<T> {
  const aborted = () => Object.assign(new Error('aborted'), { name: 'AbortError' });
  if (signal.aborted) {
    run.catch(() => undefined);
    return Promise.reject(aborted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    run.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
