#!/usr/bin/env node
// Session benchmark (issue 3): bundles src/main/session/bench.ts with esbuild and runs it on a
// synthetic 10 M-spike / 500-cluster session built in memory.
// Usage: node bench/session.mjs [--json]   (writes only to a temp folder, removed afterwards)
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/bench/session.mjs');
mkdirSync(dirname(out), { recursive: true });
await build({ entryPoints: [join(root, 'src/main/session/bench.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', logLevel: 'warning', absWorkingDir: root });
const { runSessionBench } = await import(pathToFileURL(out).href);
const args = process.argv.slice(2);
const json = args.includes('--json');
const result = await runSessionBench(undefined, json ? () => {} : (l) => console.log(l));
if (json) console.log(JSON.stringify(result));
