/**
 * Builds the worker bundle the pool runs (`dist/native-workers/worker.mjs`) with the same esbuild
 * options as `scripts/build.mjs`, so these tests need no prior `npm run build` and do not depend
 * on the rest of the tree bundling.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/phyData';

export async function buildWorkerBundle(): Promise<string> {
  const outfile = join(repoRoot, 'dist', 'native-workers', 'worker.mjs');
  await build({
    entryPoints: [join(repoRoot, 'src/native-workers/worker.ts')],
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
