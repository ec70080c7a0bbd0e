/**
 * Durable file writes for the session (GUIDE §3): every file is written to a temp file in the
 * same folder, fsync'd, renamed over the target, and the folder is fsync'd so the rename itself
 * survives a power cut. A crash at any moment leaves the old file or the new one, never a
 * truncated one. Synchronous on purpose: a save must be complete before it is reported.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** fsyncs a folder so a rename or create in it is durable (a no-op where folders cannot be opened, e.g. Windows). */
export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw e;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** Temp path next to `file` (same folder, so the rename is atomic). */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}.tmp`);
}

/** Names {@link tempPathFor} makes: `.<target name>.<pid>.<base-36 time + random>.tmp`. */
const TEMP_NAME = /^\..+\.\d+\.[0-9a-z]+\.tmp$/;

/**
 * Removes the temp files {@link tempPathFor} left in `dir` (a save interrupted by a crash or a
 * kill between create and rename); returns their names. Only names of exactly that shape are
 * touched. Call it only while holding the dataset's lock, so that no live save of ours is using
 * one. A file that cannot be removed (read-only folder) is left and not returned.
 */
export function removeStrayTemps(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    if (!TEMP_NAME.test(n)) continue;
    try {
      const p = path.join(dir, n);
      if (!fs.lstatSync(p).isFile()) continue;
      fs.rmSync(p);
      removed.push(n);
    } catch {
      // Left for a later open.
    }
  }
  return removed;
}

/** Writes the concatenation of `chunks` to `file` atomically (temp file, fsync, rename, fsync folder). */
export function writeFileAtomicSync(file: string, chunks: ReadonlyArray<Uint8Array | string>, opts: { syncDir?: boolean } = {}): void {
  const tmp = tempPathFor(file);
  const fd = fs.openSync(tmp, 'w');
  try {
    for (const c of chunks) {
      const buf = typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
      let off = 0;
      while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
    }
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  if (opts.syncDir !== false) fsyncDir(path.dirname(file));
}

/**
 * Copies `src` to a temp file next to `dst`, lets `edit` change the copy in place, fsyncs it,
 * renames it over `dst` and fsyncs the folder. On any error the temp file is removed and `dst`
 * is untouched.
 */
function replaceWithCopySync(src: string, dst: string, edit?: (tmp: string) => void): void {
  const tmp = tempPathFor(dst);
  try {
    fs.copyFileSync(src, tmp);
    edit?.(tmp);
    const fd = fs.openSync(tmp, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, dst);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(path.dirname(dst));
}

/** Copies `src` to `dst` atomically (used for the one-time backups). */
export function copyFileAtomicSync(src: string, dst: string): void {
  replaceWithCopySync(src, dst);
}

/**
 * Edits `file` atomically: `edit` receives the path of a copy next to it (same folder) and
 * changes it in place (e.g. an HDF5 file opened read-write); the copy then replaces `file` as in
 * {@link writeFileAtomicSync}. If `edit` throws, `file` is unchanged and the copy is removed.
 */
export function editFileAtomicSync(file: string, edit: (tmp: string) => void): void {
  replaceWithCopySync(file, file, edit);
}

/** True when `dir` exists (or can be created) and a file can be created in it. */
export function isWritableDir(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const probe = path.join(dir, `.write-probe-${process.pid}-${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
    return true;
  } catch {
    return false;
  }
}
