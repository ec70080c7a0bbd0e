/**
 * A {@link FileSystem} that shows files held in memory under one folder and passes every other
 * path to a base file system. A Zarr analyzer is read this way: its arrays, decoded at open, are
 * `.npy` files of the `binary_folder` layout under the store's path, so the `binary_folder`
 * reader reads them unchanged, while a recording the analyzer names beside the store is still
 * read from disk.
 */
import { MemoryByteSource, type ByteSource } from './ByteSource';
import { FormatError } from '../diagnostics';
import type { FileStat, FileSystem } from './FileSystem';

const utf8 = new TextDecoder();

export class OverlayFileSystem implements FileSystem {
  private readonly dirs = new Map<string, Set<string>>();
  private readonly files = new Map<string, Uint8Array>();

  /**
   * @param root the folder the memory files are under (absolute, in `base`'s syntax); it and its
   *   sub-folders list only memory entries
   * @param entries path relative to `root` (`/`-separated) → bytes; a path ending in `/` is a
   *   folder (its bytes are ignored), so an empty folder can be shown
   */
  constructor(
    private readonly base: FileSystem,
    readonly root: string,
    entries: ReadonlyMap<string, Uint8Array>,
  ) {
    this.dirs.set(root, new Set());
    for (const [rel, bytes] of entries) {
      const isDir = rel.endsWith('/');
      const parts = (isDir ? rel.slice(0, -1) : rel).split('/');
      let dir = root;
      for (let i = 0; i < parts.length; i++) {
        this.dirs.get(dir)!.add(parts[i]);
        const p = base.join(dir, parts[i]);
        if (i === parts.length - 1 && !isDir) this.files.set(p, bytes);
        else if (!this.dirs.has(p)) this.dirs.set(p, new Set());
        dir = p;
      }
    }
  }

  /** The memory file at `path`, or undefined. */
  memoryFile(path: string): Uint8Array | undefined {
    return this.files.get(path);
  }

  join(...parts: string[]): string {
    return this.base.join(...parts);
  }
  dirname(path: string): string {
    return this.base.dirname(path);
  }
  basename(path: string): string {
    return this.base.basename(path);
  }
  resolve(path: string): string {
    return this.base.resolve(path);
  }

  stat(path: string): FileStat | null {
    const f = this.files.get(path);
    if (f) return { size: f.byteLength, isDirectory: false };
    if (this.dirs.has(path)) return { size: 0, isDirectory: true };
    return this.base.stat(path);
  }

  list(dir: string): string[] | null {
    const d = this.dirs.get(dir);
    return d ? [...d] : this.base.list(dir);
  }

  open(path: string): ByteSource {
    const f = this.files.get(path);
    if (f) return new MemoryByteSource(f, path);
    if (this.dirs.has(path)) throw new FormatError(path, 'file.unreadable', 'a folder, not a file');
    return this.base.open(path);
  }

  readText(path: string): string {
    const f = this.files.get(path);
    return f ? utf8.decode(f) : this.base.readText(path);
  }
}
