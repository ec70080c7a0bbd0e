/**
 * Locations of the app's own files, found by walking up from this module to the folder that
 * holds spikedock's package.json — the same code works from `src/` (vitest), from `dist/`
 * bundles and from a packaged app.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding spikedock's package.json. */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'spikedock') return dir;
      } catch {
        // not ours: keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find spikedock's package.json above ${from}`);
    dir = up;
  }
}

/** spikedock's version from package.json. */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The built renderer (dist/renderer), or null when not built. */
export function rendererDir(): string | null {
  const d = join(packageRoot(), 'dist', 'renderer');
  return existsSync(join(d, 'index.html')) ? d : null;
}

/**
 * The helper thread that fetches blocks of remote files: beside the running bundle when it is
 * one of `dist/native-workers/` (the assistant's thread, whose package root may be an unpacked
 * asar copy without package.json), else `dist/native-workers/rangeFetcher.mjs` of the package.
 */
export function rangeFetcherFile(): string {
  const beside = fileURLToPath(new URL('./rangeFetcher.mjs', import.meta.url));
  return existsSync(beside) ? beside : join(packageRoot(), 'dist', 'native-workers', 'rangeFetcher.mjs');
}
