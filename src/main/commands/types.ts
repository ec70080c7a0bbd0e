/** What a CLI command gets: its arguments (after the command name) and where to print. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input as text (for `--script -`). */
  readStdin(): Promise<string>;
}

/** A CLI command: resolves to the process exit code. Errors for the user are printed as one line, never a stack trace. */
export interface Command {
  name: string;
  /** One line for `spikedock --help`. */
  summary: string;
  /** Usage lines for `spikedock <name> --help`. */
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

export { UserError } from '../UserError';
