/** The JSON files of a SpikeInterface analyzer, read and reported like the `.npy` files. */
import type { Feature } from '../../diagnostics';
import { errorText } from '../DiagnosticLog';
import type { TemplateFolderReader } from '../kilosort/folder';

/**
 * Parses JSON as Python's `json.dump` writes it: `NaN`, `Infinity` and `-Infinity` (which it
 * writes for float properties) are read as null.
 */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // Only bare tokens outside strings: a string holding "NaN" keeps its quotes.
    const fixed = text.replace(/("(?:[^"\\]|\\.)*")|-?\b(?:NaN|Infinity)\b/g, (m, str: string | undefined) => str ?? 'null');
    if (fixed === text) throw e;
    return JSON.parse(fixed);
  }
}

/** A JSON object (not an array or a value). */
export type JsonObject = Record<string, unknown>;

/**
 * `name` in `r`'s folder as a JSON object. Missing: fatal when `required` (the text says what it
 * gives), else null. Unreadable or not an object: fatal when required, else an error disabling
 * `disables` and null.
 */
export function readJsonFile(r: TemplateFolderReader, name: string, required: false | string, disables: Feature[] = []): JsonObject | null {
  const file = r.path(name);
  if (!r.names.includes(name)) {
    if (required) r.log.fatal(file, 'file.missing', `${name} not found (required: ${required})`);
    return null;
  }
  let v: unknown;
  try {
    v = parsePythonJson(r.fs.readText(file));
  } catch (e) {
    const message = `not readable as JSON (${errorText(e, file)})`;
    if (required) r.log.fatal(file, 'json.syntax', message);
    r.log.add('error', file, 'json.syntax', message, disables);
    return null;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    if (required) r.log.fatal(file, 'json.shape', 'expected a JSON object');
    r.log.add('error', file, 'json.shape', 'expected a JSON object', disables);
    return null;
  }
  return v as JsonObject;
}
