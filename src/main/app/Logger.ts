/**
 * The app's log file: `<userData>/logs/spikedock.log`, one line per event
 * (`<ISO time> <LEVEL> <message>`, then an indented stack or detail). Lines are appended
 * synchronously so the last words before a crash are on disk when the crash dialog names the
 * file. At {@link LoggerOptions.maxBytes} the file rotates to `.1`, `.1` to `.2`, … and the
 * oldest is dropped, so the folder stays a few MB.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LoggerOptions {
  /** Rotate when the file would exceed this many bytes (default 2 MiB). */
  maxBytes?: number;
  /** Rotated files kept besides the current one (default 3). */
  keep?: number;
  /** Also echo to stderr (development). */
  echo?: boolean;
  /** Lowest level written (default `info`; `SPIKEDOCK_DEBUG=1` callers pass `debug`). */
  level?: LogLevel;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export class Logger {
  readonly maxBytes: number;
  readonly keep: number;
  private readonly echo: boolean;
  private readonly level: LogLevel;
  private size: number;
  /** After a failed write (disk full, permissions) we stop trying rather than throw from a log call. */
  private broken = false;

  constructor(
    readonly file: string,
    opts: LoggerOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? 2 * 1024 * 1024;
    this.keep = Math.max(0, opts.keep ?? 3);
    this.echo = opts.echo ?? false;
    this.level = opts.level ?? 'info';
    try {
      mkdirSync(path.dirname(file), { recursive: true });
    } catch {
      this.broken = true;
    }
    this.size = fileSize(file);
  }

  /** The logger of a user data folder: `<userDataDir>/logs/spikedock.log`. */
  static inUserData(userDataDir: string, opts?: LoggerOptions): Logger {
    return new Logger(path.join(userDataDir, 'logs', 'spikedock.log'), opts);
  }

  /** The folder holding the log files (for "Open Logs Folder"). */
  get folder(): string {
    return path.dirname(this.file);
  }

  debug(message: string, detail?: unknown): void {
    this.write('debug', message, detail);
  }

  info(message: string, detail?: unknown): void {
    this.write('info', message, detail);
  }

  warn(message: string, detail?: unknown): void {
    this.write('warn', message, detail);
  }

  error(message: string, detail?: unknown): void {
    this.write('error', message, detail);
  }

  private write(level: LogLevel, message: string, detail: unknown): void {
    if (RANK[level] < RANK[this.level]) return;
    const line = formatLogLine(new Date(), level, message, detail);
    if (this.echo) process.stderr.write(line);
    if (this.broken) return;
    const bytes = Buffer.byteLength(line);
    try {
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      appendFileSync(this.file, line);
      this.size += bytes;
    } catch {
      this.broken = true;
    }
  }

  private rotate(): void {
    if (this.keep === 0) {
      rmSync(this.file, { force: true });
    } else {
      rmSync(`${this.file}.${this.keep}`, { force: true });
      for (let i = this.keep - 1; i >= 1; i--) {
        try {
          renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
        } catch {
          // that generation does not exist yet
        }
      }
      renameSync(this.file, `${this.file}.1`);
    }
    this.size = 0;
  }
}

/** One log record: `2025-01-31T12:00:00.000Z INFO  message`, then the detail indented by two spaces. */
export function formatLogLine(time: Date, level: LogLevel, message: string, detail?: unknown): string {
  let text = `${time.toISOString()} ${level.toUpperCase().padEnd(5)} ${message}\n`;
  if (detail !== undefined) {
    const body = detail instanceof Error ? (detail.stack ?? `${detail.name}: ${detail.message}`) : typeof detail === 'string' ? detail : inspect(detail, { depth: 4, breakLength: 120 });
    text += body.replace(/^/gm, '  ') + '\n';
  }
  return text;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
