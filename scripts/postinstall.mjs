#!/usr/bin/env node
// `npm install`'s last step: fetch Electron's desktop binary when this machine can.
// package.json's allowScripts denies Electron's own postinstall, which fails the whole install
// when the download is impossible (offline, a firewall, a build machine with no internet). Here
// the same download is attempted, and its failure is a warning: `npm start` then serves the
// same app to a browser, and the desktop app can be fetched later with
// `node node_modules/electron/install.js`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const installer = join(root, 'node_modules/electron/install.js');

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('spikedock: ELECTRON_SKIP_BINARY_DOWNLOAD is set: the desktop binary was not fetched (`npm start` will use browser mode).');
} else if (existsSync(installer)) {
  const r = spawnSync(process.execPath, [installer], { cwd: dirname(installer), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 600_000 });
  if (r.status === 0) {
    console.log('spikedock: Electron desktop binary installed.');
  } else {
    const why = (r.stderr || r.error?.message || `exit ${r.status}`).split('\n').find((l) => l.trim()) ?? 'unknown error';
    console.warn(
      `spikedock: could not download Electron's desktop binary (${why.trim()}).\n` +
        '  Everything else is installed: `npm start` opens the app in your browser instead, and `npm test` runs.\n' +
        '  For the desktop app, run `node node_modules/electron/install.js` on a machine that can reach the download.',
    );
  }
}
