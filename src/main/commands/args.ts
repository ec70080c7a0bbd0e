/**
 * A small argument parser for the CLI: `--flag`, `--key value`, `--key=value`, `--no-flag` and
 * positionals. Unknown options are an error that names them.
 */
import { UserError } from './types';

export interface OptionSpec {
  /** Options taking a value. */
  values?: string[];
  /** Boolean flags (`--x`, and `--no-x` for false). */
  flags?: string[];
}

export interface ParsedArgs {
  positionals: string[];
  values: Map<string, string>;
  flags: Map<string, boolean>;
}

export function parseArgs(argv: string[], spec: OptionSpec): ParsedArgs {
  const values = new Map<string, string>();
  const flags = new Map<string, boolean>();
  const positionals: string[] = [];
  const valueNames = new Set(spec.values ?? []);
  const flagNames = new Set(spec.flags ?? []);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (valueNames.has(name)) {
        const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new UserError(`option --${name} needs a value`, 2);
        values.set(name, v);
      } else if (flagNames.has(name) && eq < 0) {
        flags.set(name, true);
      } else if (name.startsWith('no-') && flagNames.has(name.slice(3)) && eq < 0) {
        flags.set(name.slice(3), false);
      } else {
        throw new UserError(`unknown option --${name}`, 2);
      }
    } else {
      positionals.push(a);
    }
  }
  return { positionals, values, flags };
}

/** Parses a number option, with a clear error naming the option. */
export function numberOption(args: ParsedArgs, name: string, fallback: number): number {
  const v = args.values.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UserError(`--${name} must be a number (got '${v}')`, 2);
  return n;
}

/** Parses `3,7,12` or `3-6` lists of integers. */
export function intList(text: string, what: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(-?\d+)-(\d+)$/.exec(part);
    if (m) {
      for (let k = Number(m[1]); k <= Number(m[2]); k++) out.push(k);
    } else if (/^-?\d+$/.test(part)) {
      out.push(Number(part));
    } else {
      throw new UserError(`${what}: '${part}' is not an integer or a range`, 2);
    }
  }
  return out;
}
