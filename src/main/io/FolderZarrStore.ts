/**
 * A Zarr store in a local folder (the {@link ZarrStore} seam of `core/formats/zarr.ts`): key
 * `/a/b/.zarray` is the file `<folder>/a/b/.zarray`. Keys never leave the folder.
 */
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ZarrStore } from '../../core/formats/zarr';

export class FolderZarrStore implements ZarrStore {
  readonly name: string;

  constructor(readonly folder: string) {
    this.name = path.resolve(folder);
  }

  private file(key: string): string | null {
    const rel = key.replace(/^\/+/, '');
    const p = path.resolve(this.name, rel);
    return p === this.name || p.startsWith(this.name + path.sep) ? p : null;
  }

  async get(key: `/${string}`): Promise<Uint8Array | undefined> {
    const p = this.file(key);
    if (!p) return undefined;
    try {
      const b = await readFile(p);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
      throw e;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const p = this.file(prefix);
    if (!p) return [];
    try {
      return (await readdir(p)).sort();
    } catch {
      return [];
    }
  }
}
