// The command line of `npm start [-- [options] [<folder | params.py | file.kwik>] [options]]`,
// parsed apart from scripts/start.mjs so it is unit-tested without building or starting anything
// (test/unit/scripts/startArgs.test.ts). Options may come before or after the dataset.

/** `spikedock serve` options that take a value (src/main/commands/serve.ts). */
const SERVE_VALUES = ['port', 'host', 'token', 'autosave'];
/** `spikedock serve` flags (`--open`, `--no-open`). */
const SERVE_FLAGS = ['open'];
/** Options the desktop app understands (electron/main.ts). */
const ELECTRON_FLAGS = ['devtools'];

export const START_USAGE =
  'usage: npm start -- [<folder | params.py | file.kwik>] [--devtools] [--port N] [--host H] [--token T] [--autosave S] [--no-open]\n' +
  '  --devtools gives the desktop app DevTools (View → Toggle Developer Tools); --port, --host, --token, --autosave and --no-open are for browser mode (spikedock serve)';

/**
 * Splits `argv` (what follows `npm start --`) into the dataset and the options for each mode.
 * `serveArgs` go to `spikedock serve` (browser mode), `electronArgs` to the desktop app, and
 * `serveOnly` names the serve options given, which the desktop app ignores (start.mjs says so).
 * Throws an Error naming an unknown option, a missing value, or a second dataset.
 *
 * @param {readonly string[]} argv
 * @returns {{ dataset: string | null, serveArgs: string[], electronArgs: string[], serveOnly: string[] }}
 */
export function parseStartArgs(argv) {
  let dataset = null;
  const serveArgs = [];
  const electronArgs = [];
  const serveOnly = [];
  const setDataset = (a) => {
    if (dataset !== null) throw new Error(`one dataset at a time: got '${dataset}' and '${a}'\n${START_USAGE}`);
    dataset = a;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      for (const rest of argv.slice(i + 1)) setDataset(rest);
      break;
    }
    if (!a.startsWith('--') || a.length === 2) {
      if (a.startsWith('-') && a.length > 1) throw new Error(`unknown option ${a}\n${START_USAGE}`);
      setDataset(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (SERVE_VALUES.includes(name)) {
      const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new Error(`option --${name} needs a value\n${START_USAGE}`);
      serveArgs.push(`--${name}`, value);
      serveOnly.push(`--${name}`);
    } else if (eq < 0 && (SERVE_FLAGS.includes(name) || (name.startsWith('no-') && SERVE_FLAGS.includes(name.slice(3))))) {
      serveArgs.push(a);
      serveOnly.push(a);
    } else if (eq < 0 && ELECTRON_FLAGS.includes(name)) {
      electronArgs.push(a);
    } else {
      throw new Error(`unknown option --${name}\n${START_USAGE}`);
    }
  }
  return { dataset, serveArgs, electronArgs, serveOnly };
}
