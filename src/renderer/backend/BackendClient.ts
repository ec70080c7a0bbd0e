/**
 * What the renderer sees of the backend: the services of `src/shared/ipc/contract.ts`, where
 * each view-data call also takes an AbortSignal (latest wins: a new selection aborts the old
 * request), plus typed event subscriptions. Implemented over WebSocket (`spikedock serve`) and
 * over the Electron preload bridge; views never know which.
 */
import type { AppApi, BackendEvents, DatasetApi, ProposalApi, QualityApi, ReviewApi, SessionApi, ViewDataApi } from '../../shared/ipc/contract';

/** ViewDataApi with an optional trailing AbortSignal on every call. */
export type CancellableViewDataApi = {
  [K in keyof ViewDataApi]: (req: Parameters<ViewDataApi[K]>[0], signal?: AbortSignal) => ReturnType<ViewDataApi[K]>;
};

export interface BackendClient {
  app: AppApi;
  dataset: DatasetApi;
  session: SessionApi;
  review: ReviewApi;
  viewData: CancellableViewDataApi;
  quality: QualityApi;
  proposal: ProposalApi;
  /** Subscribes to a backend event; returns the unsubscribe function. */
  on<E extends keyof BackendEvents>(event: E, listener: (payload: BackendEvents[E]) => void): () => void;
  /** When the last view-data call was sent (performance.now()) and how many are unanswered (prefetch waits for the views). */
  viewDataActivity(): { lastStartedAt: number; inFlight: number };
  /** `websocket` (browser mode) or `electron`. */
  readonly transport: 'websocket' | 'electron';
}

/** An error from the backend, with the message meant for the user. */
export class BackendError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

/** Thrown (rejected) when a call was aborted by its AbortSignal. */
export class AbortedError extends Error {
  constructor() {
    super('aborted');
    this.name = 'AbortError';
  }
}
