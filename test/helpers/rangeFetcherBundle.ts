/**
 * Builds the helper thread that fetches blocks of remote files (`dist/native-workers/rangeFetcher.mjs`)
 * with the options of `scripts/build.mjs`, so the tests of remote files need no prior build.
 */
import { buildNodeBundle } from '../integration/compute/workerBundle';

let built: Promise<string> | undefined;

/** The bundle's path, built once per test file. */
export function ensureRangeFetcherBundle(): Promise<string> {
  return (built ??= buildNodeBundle('src/main/io/rangeFetcher.worker.ts', 'native-workers/rangeFetcher.mjs'));
}
