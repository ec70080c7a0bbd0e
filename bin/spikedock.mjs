#!/usr/bin/env node
// The `spikedock` command: runs the bundled CLI (built by `npm run build`).
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/main/cli.mjs');
if (!existsSync(cli)) {
  process.stderr.write('spikedock: not built yet — run `npm run build` in ' + root + '\n');
  process.exit(1);
}
process.env.SPIKEDOCK_CLI = '1';
// V8's code cache on disk (Node ≥ 22.1; in the OS temp folder): a command-line call then skips
// compiling the bundle's ≈ 0.8 MB again, which is a good part of a short call such as `info`.
module.enableCompileCache?.();
await import(pathToFileURL(cli).href);
