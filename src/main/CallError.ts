/** A call failed for a reason meant for the user (bad arguments, a request over a limit, no dataset open…). */
export class CallError extends Error {
  constructor(
    message: string,
    /** `invalid-call` (bad arguments or over a limit of `REQUEST_LIMITS`), `no-dataset`, … */
    readonly code: string,
  ) {
    super(message);
    this.name = 'CallError';
  }
}
