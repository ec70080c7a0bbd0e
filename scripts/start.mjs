#!/usr/bin/env node
// `npm start [-- [<folder | params.py | file.kwik>] [options]]`: builds, makes sure the demo dataset
// exists in the user data folder, then opens the dataset (the demo when none is given) in the
// desktop app — or, where Electron's binary is not installed, in browser mode (`spikedock serve`).
// Options (before or after the dataset; scripts/startArgs.mjs) go to `serve` in browser mode
// (`--port N`, `--host`, `--token`, `--autosave`, `--no-open`) and to the desktop app (`--devtools`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { parseStartArgs } from './startArgs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The Electron executable, or null when the package was installed without its binary. */
function electronBinary() {
  try {
    const p = createRequire(join(root, 'package.json'))('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function run(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (e) => {
    console.error(`spikedock: cannot start ${cmd}: ${e.message}`);
    process.exit(1);
  });
}

async function main() {
  let parsed;
  try {
    parsed = parseStartArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`spikedock: ${e.message}`);
    process.exit(2);
  }
  const arg = parsed.dataset;
  // npm runs scripts from the package folder; a relative path is meant from where npm was called.
  const dataset = arg ? resolve(process.env.INIT_CWD ?? process.cwd(), arg) : null;

  const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);

  let target = dataset;
  if (!target) {
    // The demo helpers are TypeScript: bundle them once into dist/ and load them.
    const out = join(root, 'dist/main/demo.mjs');
    await build({
      stdin: {
        contents: "export { ensureDemoDataset } from './src/main/app/ensureDemoDataset'; export { resolveUserDataDir } from './src/main/app/userDataDir';",
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      outfile: out,
      logLevel: 'warning',
    });
    const { ensureDemoDataset, resolveUserDataDir } = await import(pathToFileURL(out).href);
    target = await ensureDemoDataset(resolveUserDataDir(), { onGenerate: (dir) => console.log(`spikedock: generating the demo dataset in ${dir} (once)…`) });
  }

  const electron = electronBinary();
  if (electron) {
    if (parsed.serveOnly.length) console.warn(`spikedock: ${parsed.serveOnly.join(', ')} only apply to browser mode (spikedock serve); the desktop app ignores them`);
    const args = [join(root, 'dist/electron/main.mjs'), ...parsed.electronArgs, target];
    // Chromium refuses to run as root with its sandbox on (containers, CI); say so rather than fail.
    if (process.platform === 'linux' && process.getuid?.() === 0) {
      console.warn('spikedock: running as root: starting Electron with --no-sandbox (do not do this on a desktop)');
      args.unshift('--no-sandbox');
    }
    run(electron, args);
  } else {
    console.log(
      "spikedock: Electron's desktop binary is not installed here (its download was skipped or failed during npm install; `node node_modules/electron/install.js` fetches it); opening browser mode instead — open the URL below.",
    );
    run(process.execPath, [join(root, 'bin/spikedock.mjs'), 'serve', target, ...parsed.serveArgs]);
  }
}

main().catch((e) => {
  console.error(`spikedock: ${e?.message ?? e}`);
  process.exit(1);
});
