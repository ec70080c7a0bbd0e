/**
 * How a failed call is reported to the renderer: one sentence and a code (the same codes as the
 * WebSocket transport of `spikedock serve`: `aborted`, the error's own `code`, else `error`).
 * Errors that are not meant for the user (a bug) are flagged `internal` so main logs their stack
 * and the message points at the log file instead of showing a stack trace.
 */
import type { IpcError } from '../src/shared/ipc/bridge';

/** Errors whose message is written for the user. */
const USER_FACING = new Set(['CallError', 'UserError', 'FormatError', 'DatasetOpenError', 'ClusteringError', 'StaleResultError']);

export interface ClassifiedError {
  error: IpcError;
  /** A bug or an unexpected failure: log it with its stack. */
  internal: boolean;
}

export function classifyError(e: unknown, aborted: boolean, logFile: string): ClassifiedError {
  const err = (e && typeof e === 'object' ? e : { message: String(e) }) as { name?: string; message?: string; code?: unknown; path?: unknown };
  if (aborted || err.name === 'AbortError') return { error: { message: 'aborted', code: 'aborted' }, internal: false };
  const code = typeof err.code === 'string' && err.code ? err.code : 'error';
  const message = typeof err.message === 'string' && err.message ? firstLine(err.message) : 'unknown error';
  if (err.name && USER_FACING.has(err.name)) return { error: { message, code }, internal: false };
  // File system errors (ENOENT, EACCES…) name a path: say it plainly.
  if (typeof err.path === 'string' && /^E[A-Z]+$/.test(code)) {
    const what = code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : message;
    return { error: { message: `${err.path}: ${what}`, code }, internal: false };
  }
  return { error: { message: `${message} (this is a bug; details are in ${logFile})`, code: code === 'error' ? 'internal' : code }, internal: true };
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0];
  return line.length > 2000 ? line.slice(0, 2000) + '…' : line;
}
