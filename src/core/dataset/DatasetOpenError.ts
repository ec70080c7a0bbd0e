/**
 * The error a dataset loader throws when a `fatal` problem stops the open. It carries every
 * diagnostic collected up to that point, so the user sees all that is wrong at once, not only
 * the first thing.
 */
import { FormatError, formatDiagnostic } from '../diagnostics';
import type { Diagnostic } from '../diagnostics';

export class DatasetOpenError extends FormatError {
  /** Every diagnostic found while opening, the fatal one(s) included. */
  readonly diagnostics: Diagnostic[];

  /** `diagnostics` must contain at least one `fatal` entry; the first one names the error. */
  constructor(diagnostics: Diagnostic[]) {
    const fatals = diagnostics.filter((d) => d.severity === 'fatal');
    const first = fatals[0] ?? diagnostics[0] ?? { file: '', code: 'dataset.unreadable', message: 'the dataset cannot be opened', severity: 'fatal' as const };
    const more = fatals.length > 1 ? ` (and ${fatals.length - 1} more fatal problem${fatals.length > 2 ? 's' : ''})` : '';
    super(first.file, first.code, first.message + more);
    this.name = 'DatasetOpenError';
    this.diagnostics = diagnostics;
  }

  /** Every fatal diagnostic, one line each (for a terminal or a dialog). */
  describe(): string {
    return this.diagnostics.map(formatDiagnostic).join('\n');
  }
}
