/**
 * Electron's main process entry (built to dist/electron/main.mjs). Order matters here: the user
 * data folder, the app:// scheme and the single-instance lock must all be settled before the app
 * is ready. Everything else lives in DesktopApp.
 *
 * Usage: `spikedock [--devtools] [<folder | params.py | file.kwik | analyzer folder | file.nwb> …]`; with no argument the start
 * screen (or, on the very first start, the demo dataset) is shown. `--devtools` (or
 * `SPIKEDOCK_DEVTOOLS=1`) gives a packaged build DevTools.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from 'electron';
import { Logger } from '../src/main/app/Logger';
import { RecentDatasets } from '../src/main/app/RecentDatasets';
import { resolveUserDataDir } from '../src/main/app/userDataDir';
import { DesktopApp, registerAppScheme } from './DesktopApp';
import { devToolsAllowed } from './security';

function main(): void {
  // dist/electron/main.mjs → the folder with package.json (app.asar when packaged).
  const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const pkg = readPackage(appRoot);
  app.setName('spikedock');
  const userDataDir = resolveUserDataDir();
  app.setPath('userData', userDataDir);
  // Chromium's own caches go to a subfolder, so the user data folder stays readable.
  app.setPath('sessionData', path.join(userDataDir, 'chromium'));
  const logger = Logger.inUserData(userDataDir, { echo: !app.isPackaged, level: process.env.SPIKEDOCK_DEBUG ? 'debug' : 'info' });
  logger.info(`spikedock ${pkg.version} starting (Electron ${process.versions.electron}, ${process.platform}), user data ${userDataDir}`);

  const devUrl = !app.isPackaged && process.env.SPIKEDOCK_DEV_URL ? process.env.SPIKEDOCK_DEV_URL : null;
  const desktop = new DesktopApp({
    appRoot,
    userDataDir,
    version: pkg.version,
    docsUrl: pkg.homepage,
    logger,
    recent: RecentDatasets.inUserData(userDataDir),
    devUrl,
    // Packaged builds have DevTools only with --devtools or SPIKEDOCK_DEVTOOLS=1.
    devTools: devToolsAllowed({ isPackaged: app.isPackaged, argv: process.argv, env: process.env }),
  });
  process.on('uncaughtException', (e) => desktop.reportCrash('uncaught exception', e));
  process.on('unhandledRejection', (e) => logger.error('unhandled promise rejection in the main process', e));

  registerAppScheme();
  if (!app.requestSingleInstanceLock()) {
    // Another spikedock runs: it received our argv through 'second-instance' and opens the datasets.
    logger.info('another instance is running; handing the command line over to it');
    app.quit();
    return;
  }

  // macOS sends files and folders ("Open With", dock drops) as 'open-file', possibly before ready.
  const pending: string[] = [];
  let ready = false;
  app.on('open-file', (event, p) => {
    event.preventDefault();
    if (ready) void desktop.openPath(null, p);
    else pending.push(p);
  });
  app.on('second-instance', (_event, argv, workingDirectory) => void desktop.onSecondInstance(argv, workingDirectory));
  app.on('web-contents-created', (_event, contents) => desktop.guardContents(contents));
  app.on('activate', () => {
    if (ready) desktop.onActivate();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    // Close the journals and the worker pool before the process ends.
    event.preventDefault();
    void desktop.dispose().finally(() => {
      disposed = true;
      logger.info('spikedock quit');
      app.quit();
    });
  });

  app
    .whenReady()
    .then(async () => {
      ready = true;
      await desktop.start(process.argv, process.cwd(), pending.splice(0));
    })
    .catch((e) => desktop.reportCrash('start-up failure', e));
}

function readPackage(appRoot: string): { version: string; homepage: string } {
  try {
    const pkg = JSON.parse(readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version?: string; homepage?: string };
    return { version: pkg.version ?? 'unknown', homepage: pkg.homepage ?? '' };
  } catch {
    return { version: 'unknown', homepage: '' };
  }
}

main();
