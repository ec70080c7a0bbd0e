/**
 * The dataset paths in a command line: `spikedock <folder | params.py | file.kwik | file.nwb> …`, the
 * arguments the OS passes for "open with" (plain paths, or `file://` URLs from a `.desktop`
 * `%U`), and the argv Electron hands to `second-instance`. Which of them is a dataset is decided
 * later by `resolveDatasetPath`; this only finds the candidates.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DatasetArgvOptions {
  /** Folder relative paths are resolved against (the *calling* process's folder for a second instance). */
  cwd: string;
  /**
   * Paths that name the app itself and are not datasets: in development Electron runs as
   * `electron dist/electron/main.cjs <dataset>` or `electron . <dataset>`.
   */
  appEntries?: string[];
  platform?: NodeJS.Platform;
}

/**
 * The absolute dataset paths named in `argv` (argv[0], the executable, excluded), in order.
 * Options (`--no-sandbox`, `--inspect=0`, macOS's `-psn_0_1234`) are skipped; after `--` every
 * argument is a path, even one starting with `-`.
 */
export function datasetArguments(argv: readonly string[], opts: DatasetArgvOptions): string[] {
  const p = (opts.platform ?? process.platform) === 'win32' ? path.win32 : path.posix;
  const key = (x: string) => ((opts.platform ?? process.platform) === 'win32' ? x.toLowerCase() : x);
  const entries = new Set((opts.appEntries ?? []).map((e) => key(p.resolve(opts.cwd, e))));
  const out: string[] = [];
  let literal = false;
  for (const arg of argv.slice(1)) {
    if (!literal && arg === '--') {
      literal = true;
      continue;
    }
    if (!arg || (!literal && arg.startsWith('-'))) continue;
    // A remote NWB file (decision 0012, slice 5) is opened by its URL as given.
    if (/^https?:\/\//i.test(arg)) {
      out.push(arg);
      continue;
    }
    let candidate = arg;
    if (/^file:\/\//i.test(arg)) {
      try {
        candidate = fileURLToPath(arg, { windows: (opts.platform ?? process.platform) === 'win32' });
      } catch {
        continue;
      }
    }
    const resolved = p.resolve(opts.cwd, candidate);
    if (entries.has(key(resolved))) continue;
    out.push(resolved);
  }
  return out;
}
