/** What every handler gets besides its arguments. */
import type { CancelToken, WorkerDataset } from '../WorkerDataset';

export interface HandlerContext {
  /** This thread's state for the task's dataset. */
  ds: WorkerDataset;
  cancel: CancelToken;
}
