/**
 * The one owner of the byte caps of the backend's caches (issue 16, decision 0013 "Memory
 * model"): each is a fixed share of the machine's memory (`os.totalmem()`), clamped so a small
 * laptop keeps room for the per-spike columns and a large workstation does not hoard RAM it
 * would not use. On a 16 GiB machine the caps are what they were as constants before (256 MiB
 * page cache, 256 MiB results, 64 MiB for the assistant's thread).
 *
 * Caches it sizes: the main thread's {@link PageCache} (`openDataset`), the ComputeService's
 * result cache (`ResultCache`), the assistant thread's page cache. The per-spike columns are
 * not caches: their memory is the dataset's (see `SpikeTimes`, `sharedSpikeColumns`).
 */
import { totalmem } from 'node:os';

const MiB = 1024 * 1024;

/** Byte caps of the backend's caches. */
export interface CacheBudget {
  /** The main thread's page cache of the dataset's lazy files (raw windows, PC-feature rows, templates). */
  pageCacheBytes: number;
  /** The ComputeService's cache of view results (correlograms, waveforms…). */
  resultCacheBytes: number;
  /** The assistant thread's page cache (it reads each cluster's spikes about once). */
  assistantPageCacheBytes: number;
}

/** `share` of `total`, within [lo, hi], in whole MiB. */
function clampShare(total: number, share: number, lo: number, hi: number): number {
  return Math.floor(Math.min(hi, Math.max(lo, total * share)) / MiB) * MiB;
}

/**
 * The caps for a machine of `totalBytes` of memory (default: this one's): page cache and
 * results 1/64 each within [32, 512] MiB, the assistant's page cache 1/256 within [16, 128] MiB
 * (4 GiB machine: 64 + 64 + 16 MiB; 16 GiB: 256 + 256 + 64 MiB; 32 GiB: 512 + 512 + 128 MiB).
 */
export function cacheBudget(totalBytes: number = totalmem()): CacheBudget {
  const total = Number.isFinite(totalBytes) && totalBytes > 0 ? totalBytes : 16 * 1024 * MiB;
  return {
    pageCacheBytes: clampShare(total, 1 / 64, 32 * MiB, 512 * MiB),
    resultCacheBytes: clampShare(total, 1 / 64, 32 * MiB, 512 * MiB),
    assistantPageCacheBytes: clampShare(total, 1 / 256, 16 * MiB, 128 * MiB),
  };
}
