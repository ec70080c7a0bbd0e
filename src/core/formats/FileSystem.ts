/**
 * The file-system seam of the pure readers: `src/core` never imports `node:fs`; loaders get a
 * `FileSystem` (the Node one lives in `src/main/io/NodeFileSystem.ts`; tests may use an
 * in-memory one). Paths are plain strings in the host's syntax.
 */
import type { ByteSource } from './ByteSource';

export interface FileStat {
  size: number;
  isDirectory: boolean;
}

export interface FileSystem {
  /** Joins path segments in the host's syntax. */
  join(...parts: string[]): string;
  dirname(path: string): string;
  basename(path: string): string;
  /** Absolute, normalised form of `path`. */
  resolve(path: string): string;
  /** Stat, or null when the path does not exist or cannot be read. */
  stat(path: string): FileStat | null;
  /** Names in a folder (not paths), or null when unreadable. */
  list(dir: string): string[] | null;
  /** Opens a file for random reads. Throws a `FormatError` naming the file when it cannot. */
  open(path: string): ByteSource;
  /** Reads a small text file whole (UTF-8). */
  readText(path: string): string;
}

/** Splits a path written on any OS (POSIX or Windows) into its segments. */
export function pathSegments(p: string): string[] {
  return p.split(/[\\/]+/).filter((s) => s.length > 0);
}

/** The file name of a path written on any OS (`C:\\data\\rec.bin` → `rec.bin`). */
export function anyBasename(p: string): string {
  const s = pathSegments(p);
  return s.length ? s[s.length - 1] : '';
}

/** True for an absolute path on POSIX or Windows (`/x`, `C:\\x`, `\\\\server\\x`). */
export function isAbsoluteAnyOs(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}
