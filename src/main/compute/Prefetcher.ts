/**
 * Prefetch of the selection-following views' data: remembers each view's latest request and
 * asks the same, ahead of time, for the selection the user will probably look at next (the
 * wizard's next best cluster), into the shared result cache.
 */

/** The view-data methods that follow the cluster selection (and can be prefetched). */
export const PREFETCH_METHODS = ['waveforms', 'features', 'amplitudes', 'correlograms', 'mergePreview', 'isi', 'firingRate', 'spikeAttribute'] as const;
export type PrefetchMethod = (typeof PREFETCH_METHODS)[number];

/** Runs one view-data request of `method` (the facade's method of that name). */
export type PrefetchDispatch = (method: PrefetchMethod, req: { clusterIds: number[] }, signal: AbortSignal) => Promise<unknown>;

export class Prefetcher {
  private readonly lastRequests = new Map<PrefetchMethod, { clusterIds: number[] }>();
  private prefetching: { key: string; controller: AbortController } | null = null;
  private closed = false;

  constructor(private readonly dispatch: PrefetchDispatch) {}

  /**
   * Remembers the latest request of a selection-following view (the renderer's own parameters:
   * spike counts, bins, amplitude type…) so that {@link prefetch} can ask the same for the
   * selection the user will probably look at next. A request for another selection than the
   * one being prefetched cancels that prefetch: the prediction was wrong, the cores are the user's.
   */
  noteRequest(method: PrefetchMethod, req: { clusterIds: number[] }): void {
    this.lastRequests.set(method, req);
    if (this.prefetching && this.prefetching.key !== JSON.stringify(req.clusterIds)) {
      this.prefetching.controller.abort();
      this.prefetching = null;
    }
  }

  /**
   * Computes, ahead of time, what the selection-following views asked for last, but for
   * `clusterIds`. A later request for the same data is a cache hit, or joins the computation
   * still running.
   */
  async prefetch(clusterIds: number[]): Promise<void> {
    if (this.closed || clusterIds.length === 0) return;
    const key = JSON.stringify(clusterIds);
    if (this.prefetching?.key === key) return;
    this.prefetching?.controller.abort();
    const controller = new AbortController();
    const current = { key, controller };
    this.prefetching = current;
    // A request that throws before it returns a promise (e.g. features on a channel the checks
    // refuse, remembered from a refused call) must fail as its job, not out of prefetch: its
    // rejection would go unhandled and end a `spikedock serve` (the fuzz test found it).
    const jobs = [...this.lastRequests].map(([method, req]) => Promise.resolve().then(() => this.dispatch(method, { ...req, clusterIds }, controller.signal)));
    await Promise.allSettled(jobs);
    if (this.prefetching === current) this.prefetching = null;
  }

  /** Cancels the prefetch running and refuses new ones. */
  close(): void {
    this.closed = true;
    this.prefetching?.controller.abort();
  }
}
