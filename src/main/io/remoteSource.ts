/**
 * The synchronous byte source of a remote file in the main process (and the assistant's thread):
 * a {@link BlockByteSource} whose blocks a helper thread (`rangeFetcher.worker.ts`) fetches
 * through the on-disk cache while this thread waits. Compute workers make the same source in
 * `src/native-workers/WorkerHdf5.ts` with their own helper.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { BlockByteSource, RemoteFileSpec } from '../../core/formats/BlockByteSource';
import { helperBlockSource } from '../../shared/rangeProtocol';

/** Starts a helper thread from `helperFile` (the `rangeFetcher.mjs` bundle) and returns the source; closing it stops the helper. */
export function openHelperBlockSource(spec: RemoteFileSpec, helperFile: string): BlockByteSource {
  // A helper that cannot start would leave the reader waiting for its backstop timeout.
  if (!existsSync(helperFile)) throw new Error(`${spec.url}: the helper thread of remote files (${helperFile}) is missing: run \`npm run build\``);
  const helper = new Worker(helperFile, { name: 'spikedock range fetcher' });
  // Never keeps the process alive: it only works while a reader waits for it.
  helper.unref();
  return helperBlockSource(spec, (req) => helper.postMessage(req), () => void helper.terminate());
}
