/**
 * Builds the worker bundle the pool runs (`dist/native-workers/worker.mjs`) with the same esbuild
 * options as `scripts/build.mjs`, so these tests need no prior `npm run build` and do not depend
 * on the rest of the tree bundling.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/phyData';

export function buildWorkerBundle(): Promise<string> {
  return buildNodeBundle('src/native-workers/worker.ts', 'native-workers/worker.mjs');
}

/** Bundles `entry` (relative to the repository) to `dist/<out>` as `scripts/build.mjs` bundles Node code. */
export async function buildNodeBundle(entry: string, out: string): Promise<string> {
  const outfile = join(repoRoot, 'dist', out);
  await build({
    entryPoints: [join(repoRoot, entry)],
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
}
