/**
 * The Node implementation of the core {@link FileSystem} seam: paths via `node:path`, metadata
 * and small text files via `node:fs`, random reads via {@link FileByteSource} sharing one
 * {@link PageCache} per instance (pass the same cache to several instances to share a budget).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileStat, FileSystem } from '../../core/formats/FileSystem';
import { FileByteSource, fileError } from './FileByteSource';
import { PageCache } from './PageCache';

export class NodeFileSystem implements FileSystem {
  readonly cache: PageCache;

  constructor(cache?: PageCache) {
    this.cache = cache ?? new PageCache();
  }

  join(...parts: string[]): string {
    return path.join(...parts);
  }

  dirname(p: string): string {
    return path.dirname(p);
  }

  basename(p: string): string {
    return path.basename(p);
  }

  resolve(p: string): string {
    return path.resolve(p);
  }

  stat(p: string): FileStat | null {
    try {
      const st = fs.statSync(p, { throwIfNoEntry: false });
      return st ? { size: st.size, isDirectory: st.isDirectory() } : null;
    } catch {
      return null;
    }
  }

  list(dir: string): string[] | null {
    try {
      return fs.readdirSync(dir);
    } catch {
      return null;
    }
  }

  /** Opens `p` through the shared page cache (close it when done). Throws a FormatError naming the file. */
  open(p: string): FileByteSource {
    return FileByteSource.open(p, this.cache);
  }

  /** Reads a UTF-8 text file whole. Throws a FormatError (`file.missing` / `file.unreadable`). */
  readText(p: string): string {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch (e) {
      throw fileError(p, e);
    }
  }
}
