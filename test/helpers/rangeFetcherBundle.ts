/**
 * Builds the helper thread that fetches blocks of remote files (`dist/native-workers/rangeFetcher.mjs`)
 * with the options of `scripts/build.mjs`, so the tests of remote files need no prior build.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { repoRoot } from './phyData';

let built: Promise<string> | undefined;

/** The bundle's path, built once per test file. */
export function ensureRangeFetcherBundle(): Promise<string> {
  return (built ??= (async () => {
    const outfile = join(repoRoot, 'dist', 'native-workers', 'rangeFetcher.mjs');
    await build({
      entryPoints: [join(repoRoot, 'src/main/io/rangeFetcher.worker.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      sourcemap: 'linked',
      logLevel: 'warning',
      absWorkingDir: repoRoot,
    });
    return outfile;
  })());
}
