/**
 * Typed diagnostics: every problem found while opening a dataset names the file and the problem,
 * and says what it disables. A `fatal` diagnostic stops the open; any other only disables the
 * features listed in `disables` and the app keeps working with what is valid.
 */
export type Severity = 'fatal' | 'error' | 'warning' | 'info';

/** Features that a non-fatal problem can disable. */
export type Feature =
  | 'raw'
  | 'waveforms'
  | 'traces'
  | 'features'
  | 'templateFeatures'
  | 'templates'
  | 'amplitudes'
  | 'similarity'
  | 'spikeAttributes'
  | 'clusterTable'
  | 'saving';

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. `npy.truncated`, `lengths.mismatch`, `raw.missing`. */
  code: string;
  /** The file concerned (as given to the reader, usually an absolute path); empty when none. */
  file: string;
  /** One human sentence: what is wrong and what it means for the user. */
  message: string;
  /** What this problem disables (empty for info and warnings that disable nothing). */
  disables?: Feature[];
}

/** Thrown by readers for a problem in one file; carries the diagnostic to report. */
export class FormatError extends Error {
  constructor(
    readonly file: string,
    readonly code: string,
    message: string,
  ) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'FormatError';
  }

  /** The diagnostic for this error at a given severity. */
  toDiagnostic(severity: Severity = 'fatal', disables?: Feature[]): Diagnostic {
    return { severity, code: this.code, file: this.file, message: this.message, ...(disables ? { disables } : {}) };
  }
}

/** Formats a diagnostic as one line for a terminal: `error [npy.truncated] file: message`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file && !d.message.startsWith(d.file) ? `${d.file}: ` : '';
  const off = d.disables && d.disables.length ? ` (disables: ${d.disables.join(', ')})` : '';
  return `${d.severity} [${d.code}] ${where}${d.message}${off}`;
}
