/**
 * Keeps the store's review queue (`AppState.review.list`) in step with the backend: fetched at
 * start and on every `onDidChangeReview` (a decision, an import, new suggestions, or a session
 * change that moved a state). Latest wins: an answer older than one already committed is dropped.
 * A command that got a list from its own call (`review.decide`) commits it directly.
 */
import type { BackendClient } from '../backend/BackendClient';
import type { ReviewList } from '../../shared/ipc/contract';
import type { AppStore } from './appStore';

export class ReviewSync {
  private request = 0;
  private committed = 0;

  constructor(
    private readonly backend: BackendClient,
    private readonly store: AppStore,
    private readonly onError: (text: string) => void,
  ) {}

  /** Subscribes to the queue's event and fetches the first list; returns the unsubscribe function. */
  start(): () => void {
    const off = this.backend.on('onDidChangeReview', () => void this.refresh());
    void this.refresh();
    return off;
  }

  /** Fetches the list and commits it (unless a newer one was committed meanwhile). */
  async refresh(): Promise<ReviewList | null> {
    const req = ++this.request;
    try {
      const list = await this.backend.review.list();
      this.commit(list, req);
      return list;
    } catch (e) {
      this.onError(`Could not read the review queue: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  }

  /** Commits a list an answer carried; `req` orders it against fetches (default: newer than all so far). */
  commit(list: ReviewList, req = ++this.request): void {
    if (req < this.committed) return;
    this.committed = req;
    this.store.update((d) => {
      d.review.list = list;
      if (d.review.current && !list.items.some((it) => it.id === d.review.current)) d.review.current = null;
    }, { capture: 'none' });
  }
}
