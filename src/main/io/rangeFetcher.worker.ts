/**
 * Entry of the helper thread that fetches blocks of remote files for a thread that reads them
 * synchronously (bundled to `dist/native-workers/rangeFetcher.mjs`; started by
 * {@link openHelperBlockSource} in the main process and by the compute workers). It answers
 * {@link BlockRequest}s through the on-disk block cache (`HttpRangeSource.ts`) while the asking
 * thread waits on `Atomics.wait` (`src/shared/rangeProtocol.ts`).
 */
import { parentPort } from 'node:worker_threads';
import { answerBlockRequest, type BlockRequest } from '../../shared/rangeProtocol';
import { HttpBlockCache } from './HttpRangeSource';

/** One cache object per cache folder (a thread usually reads one). */
const caches = new Map<string, HttpBlockCache>();

parentPort?.on('message', (req: BlockRequest) => {
  const key = `${req.spec.cacheDir}\n${req.spec.cacheBytes}\n${req.spec.blockBytes}`;
  let cache = caches.get(key);
  if (!cache) caches.set(key, (cache = new HttpBlockCache({ cacheDir: req.spec.cacheDir, cacheBytes: req.spec.cacheBytes, blockBytes: req.spec.blockBytes })));
  const c = cache;
  // One request at a time per helper (its reader waits): the counter's difference is this request's.
  void answerBlockRequest(req, async (spec, first, count) => {
    const before = c.stats.bytesFetched;
    const bytes = await c.readBlocks(spec, first, count);
    return { bytes, networkBytes: c.stats.bytesFetched - before };
  });
});
