/**
 * A lock file (`lock` in the session's state folder) that tells a second process the dataset is
 * being curated: JSON with pid, hostname and start time, created with O_EXCL. A lock whose pid
 * is dead on this host is stale (a crash) and is taken over; a live one, or one from another
 * host (whose pid cannot be checked), refuses the open with a message naming the holder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

/** What the lock file holds. */
export interface LockInfo {
  pid: number;
  hostname: string;
  /** ISO time. */
  started: string;
}

/** The dataset is in use by another live process. */
export class DatasetLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: LockInfo | null,
  ) {
    super(
      holder
        ? `the dataset is in use by process ${holder.pid} on ${holder.hostname} (since ${holder.started}); close it there first, or delete ${lockFile} if that process is gone`
        : `the dataset is in use (lock file ${lockFile} exists but cannot be read); delete it if no other spikedock has the dataset open`,
    );
    this.name = 'DatasetLockedError';
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockInfo | null {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
    return typeof v.pid === 'number' && typeof v.hostname === 'string' ? v : null;
  } catch {
    return null;
  }
}

export class DatasetLock {
  private released = false;

  private constructor(
    readonly file: string,
    readonly info: LockInfo,
    /** The stale lock that was taken over, if any. */
    readonly tookOver: LockInfo | null,
  ) {}

  /** Acquires the lock or throws {@link DatasetLockedError}. */
  static acquire(file: string): DatasetLock {
    const info: LockInfo = { pid: process.pid, hostname: os.hostname(), started: new Date().toISOString() };
    let tookOver: LockInfo | null = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = fs.openSync(file, 'wx');
        try {
          fs.writeSync(fd, JSON.stringify(info) + '\n');
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
        return new DatasetLock(file, info, tookOver);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = readLock(file);
      const stale = holder !== null && holder.hostname === info.hostname && holder.pid !== process.pid && !pidAlive(holder.pid);
      if (!stale) throw new DatasetLockedError(file, holder);
      tookOver = holder;
      fs.rmSync(file, { force: true });
    }
    throw new DatasetLockedError(file, readLock(file));
  }

  /** Removes the lock (only if it is still ours). */
  release(): void {
    if (this.released) return;
    this.released = true;
    const cur = readLock(this.file);
    if (cur && cur.pid === this.info.pid && cur.started === this.info.started) fs.rmSync(this.file, { force: true });
  }
}
