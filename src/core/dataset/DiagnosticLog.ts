/**
 * Collects the diagnostics of one dataset open. Loaders report every problem here; `fatal`
 * throws a {@link DatasetOpenError} carrying everything collected so far.
 */
import { FormatError } from '../diagnostics';
import type { Diagnostic, Feature, Severity } from '../diagnostics';
import { DatasetOpenError } from './DatasetOpenError';

/** A readable sentence from anything thrown (Node errno errors included), without the file prefix. */
export function errorText(e: unknown, file: string): string {
  if (e instanceof FormatError) {
    const m = e.message;
    return e.file && m.startsWith(`${e.file}: `) ? m.slice(e.file.length + 2) : m;
  }
  const err = e as { code?: unknown; message?: unknown };
  if (err && err.code === 'ENOENT') return 'no such file';
  if (err && (err.code === 'EACCES' || err.code === 'EPERM')) return 'permission denied';
  if (err && err.code === 'EISDIR') return 'is a folder, expected a file';
  const msg = err && typeof err.message === 'string' ? err.message : String(e);
  return file && msg.startsWith(`${file}: `) ? msg.slice(file.length + 2) : msg;
}

/** The code of a thrown error (`FormatError.code`, or `file.unreadable`). */
export function errorCode(e: unknown): string {
  return e instanceof FormatError ? e.code : 'file.unreadable';
}

export class DiagnosticLog {
  /** Everything reported so far, in order. */
  readonly list: Diagnostic[] = [];

  add(severity: Severity, file: string, code: string, message: string, disables?: Feature[]): void {
    this.list.push({ severity, code, file, message, ...(disables && disables.length ? { disables } : {}) });
  }

  /** Reports a fatal problem and stops the open. */
  fatal(file: string, code: string, message: string): never {
    this.add('fatal', file, code, message);
    throw new DatasetOpenError(this.list);
  }

  /** Reports a thrown error (FormatError or I/O error) as a fatal problem of `file` and stops. */
  fatalFrom(e: unknown, file: string, prefix = ''): never {
    if (e instanceof DatasetOpenError) throw e;
    return this.fatal(file, errorCode(e), prefix + errorText(e, file));
  }

  /** Reports a thrown error as a non-fatal problem of `file` that disables `disables`. */
  from(e: unknown, file: string, severity: Severity, disables: Feature[], suffix = ''): void {
    this.add(severity, file, errorCode(e), errorText(e, file) + suffix, disables);
  }
}
