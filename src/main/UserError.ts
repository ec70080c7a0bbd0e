/**
 * An error whose message is meant for the user as is: the CLI prints it as one line (exit code 1
 * or the given one), the backend sends it to the window as a message, never a stack trace.
 * Lowest in src/main so that opening a dataset, sessions and commands can all throw it.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
