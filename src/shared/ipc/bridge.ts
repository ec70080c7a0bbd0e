/**
 * The Electron transport of the contract: what the preload exposes to the renderer as
 * `window.spikedock` ({@link SpikedockBridge}), the channels it carries, and the checks both ends
 * apply. The preload forwards only `spikedock:` channels; main validates every call again
 * (`validateCall`), so a compromised renderer gains nothing by calling the bridge directly.
 *
 * Channels:
 * - `spikedock:<service>.<method>` — renderer → main calls (`ipcRenderer.invoke`), answered with
 *   an {@link IpcResult}; payload `(callId: number | null, args: unknown[])`.
 * - `spikedock:cancel` — renderer → main, payload `callId`: aborts that call's AbortSignal.
 * - `spikedock:app.setMenu` — renderer → main, payload {@link MenuCommandSpec}[]: the menu bar.
 * - `spikedock:app.openPath` — renderer → main, payload a path: open it (dropped folder or file).
 * - `spikedock:event.<name>` — main → renderer, one per `BackendEvents` name.
 * - `spikedock:command.run` — main → renderer, payload a command id: a menu item was clicked.
 */
import type { BackendEvents } from './contract';

/** The answer to every call: never a thrown Error, so codes survive contextBridge (which keeps only `message`). */
export type IpcResult = { ok: true; value: unknown } | { ok: false; error: IpcError };

export interface IpcError {
  /** One sentence for the user (never a stack trace). */
  message: string;
  /**
   * `invalid-call` (bad service/method/arguments), `no-dataset`, `aborted` (cancelled through
   * `cancel`), `untrusted-sender`, `format` (the dataset's files are not what was expected),
   * `internal` (a bug: details are in the log file).
   */
  code: string;
}

export const CANCEL_CHANNEL = 'spikedock:cancel';
export const SET_MENU_CHANNEL = 'spikedock:app.setMenu';
export const OPEN_PATH_CHANNEL = 'spikedock:app.openPath';
export const COMMAND_RUN_CHANNEL = 'spikedock:command.run';
export const EVENT_CHANNEL_PREFIX = 'spikedock:event.';

/** `spikedock:event.<name>`: the channel main sends a backend event on. */
export function eventChannel(event: keyof BackendEvents): string {
  return EVENT_CHANNEL_PREFIX + event;
}

const CALL_RE = /^spikedock:[A-Za-z]+\.[A-Za-z]+$/;
const EVENT_RE = /^spikedock:event\.on[A-Z][A-Za-z]*$/;

/** Whether the preload may send `channel` to main (calls of the contract and the internal app channels). */
export function isOutgoingChannel(channel: unknown): channel is string {
  return typeof channel === 'string' && channel.length <= 100 && (CALL_RE.test(channel) || channel === CANCEL_CHANNEL);
}

/** Whether the preload may deliver `channel` from main to the renderer (backend events and menu commands). */
export function isIncomingChannel(channel: unknown): channel is string {
  return typeof channel === 'string' && channel.length <= 100 && (EVENT_RE.test(channel) || channel === COMMAND_RUN_CHANNEL);
}

/**
 * The channel a subscription names: a `BackendEvents` name (`onDidChangeSession`) is short for
 * its `spikedock:event.` channel; anything else must already be an incoming channel. Null when
 * the page may not listen to it.
 */
export function incomingChannel(name: unknown): string | null {
  if (typeof name === 'string' && /^on[A-Z][A-Za-z]*$/.test(name) && name.length <= 80) return EVENT_CHANNEL_PREFIX + name;
  return isIncomingChannel(name) ? name : null;
}

/** A call id chosen by the renderer so it can cancel the call: a non-negative safe integer. */
export function isCallId(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/** Menus the renderer's commands can go in, as the command registry names them (the app adds its own items: Open…, Recent, About…). */
export const MENU_NAMES = ['File', 'Edit', 'Select', 'View', 'Help'] as const;
export type MenuName = (typeof MENU_NAMES)[number];

/**
 * One command of the renderer's registry (`Command` with a `menu`, not `hidden`), as the menu
 * bar shows it. Sent once per window on `spikedock:app.setMenu` (and again when keys, predicates
 * or toggles change); a click comes back as `spikedock:command.run` with `id`. Shortcuts are only
 * *shown* in the menu: the renderer's own keyboard handling stays the one place that runs them.
 */
export interface MenuCommandSpec {
  /** Command id, `namespace.verb` (e.g. `cluster.merge`). */
  id: string;
  /** Menu label (e.g. `Merge`). */
  title: string;
  menu: MenuName;
  /** Items of one section stay together; sections are separated by a line, in first-seen order. */
  section?: string;
  /** The command's current shortcuts in the registry's canonical form (`g`, `ctrl+shift+z`, `alt+g`, `pgdown`, `esc`); the first is shown. */
  keys?: string[];
  /** false greys the item out (default true): the command's predicate at the time the menu was sent. */
  enabled?: boolean;
  /** For toggles: shown with a check mark when true. */
  checked?: boolean;
}

/**
 * `window.spikedock`, exposed by the preload in Electron (absent in browser mode).
 *
 * ```ts
 * const r = await window.spikedock.invoke('spikedock:session.merge', null, [[3, 7]]);
 * if (!r.ok) throw new BackendError(r.error.message, r.error.code);
 * const p = window.spikedock.invoke('spikedock:viewData.waveforms', 42, [req]);
 * window.spikedock.cancel(42); // p resolves { ok: false, error: { code: 'aborted', … } }
 * const off = window.spikedock.on('onDidChangeSession', (u) => …);
 * ```
 */
export interface SpikedockBridge {
  /** Bridge API version (bumped on incompatible change). */
  readonly version: 1;
  /** `process.platform` of the app (for shortcut labels). */
  readonly platform: string;
  /**
   * Calls `spikedock:<service>.<method>` with the argument list `args`; typed arrays cross as
   * binary. `callId` (a non-negative integer unique among this window's pending calls, or null)
   * lets {@link cancel} abort the call. Resolves an {@link IpcResult}; never rejects.
   */
  invoke(channel: string, callId: number | null, args: unknown[]): Promise<IpcResult>;
  /** Aborts the call with this id (it resolves `{ ok: false, error: { code: 'aborted' } }`). */
  cancel(callId: number): void;
  /**
   * Subscribes to a backend event by name (`onDidChangeSession`, payload `BackendEvents[name]`)
   * or channel (`spikedock:event.<name>`), or to `spikedock:command.run` (payload: a command id).
   * Returns the unsubscribe function; throws for any other channel.
   */
  on(nameOrChannel: string, listener: (payload: unknown) => void): () => void;
  /** Removes a listener added with {@link on}. */
  off(nameOrChannel: string, listener: (payload: unknown) => void): void;
  /** Sends the menu bar's commands (see {@link MenuCommandSpec}). */
  setMenu(commands: MenuCommandSpec[]): void;
  /** Asks main to open a path (a dropped folder/file) in this window, or a new one if a dataset is open. */
  openPath(path: string): void;
  /** The absolute path of a dropped DOM `File` (Electron's `webUtils.getPathForFile`); '' if none. */
  pathForFile(file: object): string;
}
