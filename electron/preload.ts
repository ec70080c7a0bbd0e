/**
 * The preload of every spikedock window (sandboxed, context-isolated). It exposes exactly one
 * object to the page, `window.spikedock` (type `SpikedockBridge` in src/shared/ipc/bridge.ts),
 * and forwards only `spikedock:` channels; main checks the sender and validates every argument
 * again, so nothing here is a security boundary on its own.
 *
 *   window.spikedock.version                       1
 *   window.spikedock.platform                      'linux' | 'win32' | 'darwin'
 *   window.spikedock.invoke(channel, callId, args) → Promise<IpcResult>
 *       channel `spikedock:<service>.<method>` of the contract (e.g. `spikedock:session.merge`),
 *       callId a non-negative integer unique among the window's pending calls (or null), args
 *       the argument list; resolves `{ ok: true, value }` or `{ ok: false, error: { message,
 *       code } }`, never rejects. Typed arrays in args and results cross as binary.
 *   window.spikedock.cancel(callId)                sends `spikedock:cancel`; the call resolves
 *                                                   `{ ok: false, error: { code: 'aborted' } }`
 *   window.spikedock.on(name, listener)            → unsubscribe; name `onDid…` (a BackendEvents
 *                                                   name, payload = BackendEvents[name]), its
 *                                                   channel `spikedock:event.onDid…`, or
 *                                                   `spikedock:command.run` (payload = command id)
 *   window.spikedock.off(name, listener)
 *   window.spikedock.setMenu(commands)             MenuCommandSpec[] → the menu bar (send once;
 *                                                   again when the list changes)
 *   window.spikedock.openPath(path)                open a folder/params.py/.kwik/.nwb in this window
 *                                                   (or a new one when a dataset is already open)
 *   window.spikedock.pathForFile(file)             absolute path of a dropped DOM File
 *
 * Dropping a folder or file on the window opens it, unless the page handled the drop itself
 * (called `preventDefault()` on the `drop` event before it reached `window`).
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  CANCEL_CHANNEL,
  OPEN_PATH_CHANNEL,
  SET_MENU_CHANNEL,
  incomingChannel,
  isCallId,
  isOutgoingChannel,
  type IpcResult,
  type MenuCommandSpec,
  type SpikedockBridge,
} from '../src/shared/ipc/bridge';

type Listener = (payload: unknown) => void;
/** Per channel: the page's listener → the wrapper registered with ipcRenderer (so `off` can find it). */
const listeners = new Map<string, Map<Listener, (event: IpcRendererEvent, payload: unknown) => void>>();

function refused(message: string): IpcResult {
  return { ok: false, error: { message, code: 'invalid-call' } };
}

async function call(channel: string, callId: number | null, args: unknown[]): Promise<IpcResult> {
  if (!isOutgoingChannel(channel) || channel === CANCEL_CHANNEL) return refused(`'${String(channel)}' is not a spikedock call`);
  if (callId !== null && !isCallId(callId)) return refused('a call id is null or a non-negative integer');
  if (!Array.isArray(args)) return refused(`the arguments of ${channel} must be a list`);
  try {
    return (await ipcRenderer.invoke(channel, callId, args)) as IpcResult;
  } catch (e) {
    // Only reached when main has no handler for the channel (or the window is closing).
    return refused(`${channel}: ${(e as Error)?.message ?? String(e)}`);
  }
}

const bridge: SpikedockBridge = {
  version: 1,
  platform: process.platform,
  invoke: (channel, callId, args) => call(channel, callId ?? null, args),
  cancel(callId) {
    if (isCallId(callId)) ipcRenderer.send(CANCEL_CHANNEL, callId);
  },
  on(name, listener) {
    const channel = incomingChannel(name);
    if (!channel || typeof listener !== 'function') throw new Error(`cannot listen to '${String(name)}'`);
    let byListener = listeners.get(channel);
    if (!byListener) listeners.set(channel, (byListener = new Map()));
    if (!byListener.has(listener)) {
      // The event object is never handed to the page (it would expose `sender`).
      const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      byListener.set(listener, wrapped);
      ipcRenderer.on(channel, wrapped);
    }
    return () => bridge.off(channel, listener);
  },
  off(name, listener) {
    const channel = incomingChannel(name);
    if (!channel) return;
    const wrapped = listeners.get(channel)?.get(listener);
    if (!wrapped) return;
    ipcRenderer.removeListener(channel, wrapped);
    listeners.get(channel)!.delete(listener);
  },
  setMenu(commands: MenuCommandSpec[]) {
    ipcRenderer.send(SET_MENU_CHANNEL, commands);
  },
  openPath(path: string) {
    if (typeof path === 'string' && path) ipcRenderer.send(OPEN_PATH_CHANNEL, path);
  },
  pathForFile(file: object) {
    try {
      return webUtils.getPathForFile(file as File);
    } catch {
      return '';
    }
  },
};

contextBridge.exposeInMainWorld('spikedock', bridge);

function hasFiles(event: DragEvent): boolean {
  return !!event.dataTransfer && Array.from(event.dataTransfer.types).includes('Files');
}

window.addEventListener('dragover', (event) => {
  if (!hasFiles(event)) return;
  event.preventDefault();
  event.dataTransfer!.dropEffect = 'copy';
});

window.addEventListener('drop', (event) => {
  if (!hasFiles(event)) return;
  // The page's listeners on elements and document ran first (bubbling): they claim a drop with preventDefault.
  const claimed = event.defaultPrevented;
  // Without this Chromium would try to show the dropped file.
  event.preventDefault();
  if (claimed) return;
  const file = event.dataTransfer!.files[0];
  const path = file ? bridge.pathForFile(file) : '';
  if (path) ipcRenderer.send(OPEN_PATH_CHANNEL, path);
});
