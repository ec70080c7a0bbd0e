/**
 * Atomic small-file writes for app files (recent list): the session's durable write
 * (`src/main/io/durableFs.ts`: temp file, fsync, rename, fsync folder), creating the folder first.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomicSync } from '../io/durableFs';

/** Writes `data` to `file` atomically, creating its folder if needed. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  writeFileAtomicSync(file, [data]);
}
