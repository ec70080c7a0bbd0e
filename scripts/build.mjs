#!/usr/bin/env node
// Builds everything that runs outside vitest: the CLI/server bundle (Node), the worker bundle
// (Node worker_threads), the Electron main + preload, and the renderer (vite).
// Usage: node scripts/build.mjs [--no-renderer]
import { build } from 'esbuild';
import { existsSync, rmSync, mkdirSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const args = new Set(process.argv.slice(2));
mkdirSync(dist, { recursive: true });

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  packages: 'external',
  logLevel: 'warning',
  absWorkingDir: root,
};

const jobs = [];
const entry = (src, outfile, extra = {}) => {
  if (!existsSync(join(root, src))) return;
  jobs.push(build({ ...nodeCommon, entryPoints: [src], outfile: join(dist, outfile), format: 'esm', ...extra }));
};
entry('src/main/cli.ts', 'main/cli.mjs', { banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
entry('src/main/bench/index.ts', 'main/bench.mjs', { banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
entry('src/native-workers/worker.ts', 'native-workers/worker.mjs');
// The helper thread that fetches blocks of remote files (main process and compute workers alike).
entry('src/main/io/rangeFetcher.worker.ts', 'native-workers/rangeFetcher.mjs');
// The assistant's worker thread (metrics, suggestions): the backend's code, so its source is in
// src/main; bundled beside the pool's worker so a packaged app unpacks both (electron-builder.yml).
entry('src/main/assistant/assistant.worker.ts', 'native-workers/assistant.mjs', { banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
// ESM like the CLI: h5wasm/node is import-only and the main services locate their files with
// import.meta.url, neither of which works from a CommonJS bundle (Electron >= 28 loads ESM mains).
entry('electron/main.ts', 'electron/main.mjs', { external: ['electron'], banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
entry('electron/preload.ts', 'electron/preload.cjs', { format: 'cjs', external: ['electron'], packages: undefined, bundle: true });
await Promise.all(jobs);

if (!args.has('--no-renderer') && existsSync(join(root, 'src/renderer/index.html'))) {
  // Build beside the live folder, then swap: a running `spikedock serve` (or a test) never sees
  // a half-written or missing renderer.
  const tmp = join(dist, `.renderer-${process.pid}`);
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', tmp, '--emptyOutDir'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    process.exit(r.status ?? 1);
  }
  const old = join(dist, `.renderer-old-${process.pid}`);
  if (existsSync(join(dist, 'renderer'))) renameSync(join(dist, 'renderer'), old);
  renameSync(tmp, join(dist, 'renderer'));
  rmSync(old, { recursive: true, force: true });
}
console.log('build: ok');
