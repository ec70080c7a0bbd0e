/**
 * The desktop shell: windows, opening datasets (argv, File → Open, drops, recent list, the OS's
 * "open with", second instances), the IPC bridge to each window's BackendHost, menus, the app://
 * protocol, session security and the crash dialog. Everything that decides (channel filters,
 * sender checks, navigation, CSP, menus, argv) is a pure function tested without Electron; this
 * class wires those decisions to Electron's objects.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, shell, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { BackendHost } from '../src/main/BackendHost';
import { WorkerPool } from '../src/main/compute/WorkerPool';
import { resolveDatasetPath } from '../src/main/openDataset';
import { ensureDemoDataset } from '../src/main/app/ensureDemoDataset';
import { datasetArguments } from '../src/main/app/argv';
import type { Logger } from '../src/main/app/Logger';
import type { RecentDatasets } from '../src/main/app/RecentDatasets';
import { CANCEL_CHANNEL, OPEN_PATH_CHANNEL, SET_MENU_CHANNEL, COMMAND_RUN_CHANNEL } from '../src/shared/ipc/bridge';
import { callSchemas, channelName, validateCall } from '../src/shared/ipc/schemas';
import type { DatasetSummary, SessionSnapshot } from '../src/shared/ipc/contract';
import { DesktopWindow } from './DesktopWindow';
import { openDialogOptions, toElectronMenu } from './appMenu';
import { guardContents, registerProtocol, secureSession } from './appSession';
import { askAfterRendererGone, askSaveBeforeClose, confirmOpenInBrowser, showAbout, showCrash, showOpenError, showSaveFailed } from './dialogs';
import { IpcRouter, type IpcSender } from './IpcRouter';
import { menuSpecSchema } from './menuSpec';
import { buildMenuTemplate, type MenuAction, type MenuNode } from './menuTemplate';
import { APP_ENTRY_URL, APP_SCHEME, contentSecurityPolicy, helpLinks, isHelpLink, trustedOrigins } from './security';

export interface DesktopAppOptions {
  /** The folder holding package.json and dist/ (inside app.asar when packaged). */
  appRoot: string;
  userDataDir: string;
  version: string;
  docsUrl: string;
  logger: Logger;
  recent: RecentDatasets;
  /** The Vite dev server to load instead of the built renderer (development only). */
  devUrl: string | null;
  /** Whether windows get DevTools (security.ts `devToolsAllowed`). */
  devTools: boolean;
}

/** Must run before the app is ready: app:// behaves like https (standard, secure, fetch). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
}

export class DesktopApp {
  private readonly windows = new Map<number, DesktopWindow>();
  private readonly origins: string[];
  private readonly csp: string;
  /** The only https links that may leave the app (security.ts `helpLinks`). */
  private readonly links: string[];
  private pool: WorkerPool | null = null;
  /** Windows whose session is still closing (the pool must outlive them). */
  private readonly closing = new Set<Promise<void>>();
  private disposed = false;
  private crashDialogOpen = false;

  private readonly router: IpcRouter<DesktopWindow>;

  constructor(private readonly opts: DesktopAppOptions) {
    this.origins = trustedOrigins(opts.devUrl);
    this.csp = contentSecurityPolicy(opts.devUrl);
    this.links = helpLinks(opts.docsUrl);
    this.router = new IpcRouter<DesktopWindow>({
      origins: this.origins,
      logFile: opts.logger.file,
      windowOf: (id) => this.windows.get(id),
      log: (level, message, detail) => opts.logger[level](message, detail),
      intercept: (w, service, method, args) => (service === 'app' && method === 'openDataset' ? this.openFromRenderer(w, args) : null),
    });
  }

  private get log(): Logger {
    return this.opts.logger;
  }

  // -------------------------------------------------------------------------------------------
  // Start-up

  /** Call once the app is ready: protocol, session security, IPC, then the first windows. */
  async start(argv: readonly string[], cwd: string, pendingPaths: string[]): Promise<void> {
    registerProtocol(this.opts.appRoot, this.csp);
    secureSession(this.origins, this.csp, this.opts.devUrl, this.log);
    this.registerIpc();
    Menu.setApplicationMenu(Menu.buildFromTemplate(this.toElectronMenu(this.template(null, []), null)));
    const paths = [...this.datasetArgs(argv, cwd), ...pendingPaths];
    if (paths.length) {
      for (const p of paths) await this.openPath(null, p);
    } else if ((await this.opts.recent.list()).length === 0) {
      // First start: show the demo so a new user sees the app working at once.
      const w = this.createWindow();
      try {
        const demo = await ensureDemoDataset(this.opts.userDataDir, { onGenerate: (dir) => this.log.info(`generating the demo dataset in ${dir}`) });
        await this.openPath(w, demo);
      } catch (e) {
        this.log.error('the demo dataset could not be made', e);
      }
    } else {
      this.createWindow();
    }
    if (this.windows.size === 0) this.createWindow();
  }

  /** Dataset paths in a command line (ours or a second instance's). */
  datasetArgs(argv: readonly string[], cwd: string): string[] {
    return datasetArguments(argv, { cwd, appEntries: [app.getAppPath(), path.join(this.opts.appRoot, 'dist', 'electron', 'main.mjs')] });
  }

  /** `second-instance`: open its datasets in this app, or bring a window forward. */
  async onSecondInstance(argv: readonly string[], cwd: string): Promise<void> {
    const paths = this.datasetArgs(argv, cwd);
    if (!paths.length) {
      const w = this.lastFocused();
      if (w) w.focus();
      else this.createWindow();
      return;
    }
    for (const p of paths) await this.openPath(null, p);
  }

  /** macOS: the dock, Finder "Open With", or a window closed and the dock icon clicked. */
  onActivate(): void {
    if (this.windows.size === 0) this.createWindow();
  }

  // -------------------------------------------------------------------------------------------
  // Windows and datasets

  createWindow(): DesktopWindow {
    this.pool ??= new WorkerPool({ workerFile: unpacked(path.join(this.opts.appRoot, 'dist', 'native-workers', 'worker.mjs')) });
    const host = new BackendHost({
      userDataDir: this.opts.userDataDir,
      recent: this.opts.recent,
      version: this.opts.version,
      pool: this.pool,
      assistantWorkerFile: unpacked(path.join(this.opts.appRoot, 'dist', 'native-workers', 'assistant.mjs')),
      rangeFetcherFile: unpacked(path.join(this.opts.appRoot, 'dist', 'native-workers', 'rangeFetcher.mjs')),
      autosaveSeconds: 120,
    });
    const w = new DesktopWindow(
      { preload: path.join(this.opts.appRoot, 'dist', 'electron', 'preload.cjs'), icon: path.join(this.opts.appRoot, 'assets', 'icons', '512x512.png'), devTools: this.opts.devTools },
      host,
    );
    const id = w.webContentsId;
    this.windows.set(id, w);
    this.applyMenu(w);
    w.win.on('focus', () => this.applyMenu(w));
    w.win.on('close', (e) => this.onClose(w, e));
    w.win.on('closed', () => {
      this.windows.delete(id);
      // BackendHost.close remembers the review progress in the recent list.
      const closing = w
        .dispose()
        .catch((err) => this.log.error('closing a window failed', err))
        .finally(() => this.closing.delete(closing));
      this.closing.add(closing);
    });
    w.win.webContents.on('render-process-gone', (_e, details) => this.onRendererGone(w, details.reason));
    void w.win.loadURL(this.opts.devUrl ?? APP_ENTRY_URL).catch((e) => this.log.error('the window could not load', e));
    this.log.info(`window ${id} created`);
    return w;
  }

  /**
   * Opens a folder, params.py or .kwik the user pointed at (argv, menu, drop, OS): in `target`
   * when it shows the start screen, else in a new window; a dataset already open is brought
   * forward instead of being opened twice (two sessions must never share a journal). Problems are
   * shown in a dialog that says what was expected.
   */
  async openPath(target: DesktopWindow | null, input: string): Promise<void> {
    let location: string;
    try {
      location = resolveDatasetPath(input).path;
    } catch (e) {
      this.showOpenError(target, input, e);
      return;
    }
    const existing = this.windowOf(location);
    if (existing) {
      existing.focus();
      return;
    }
    const w = target && !target.datasetPath && !target.win.isDestroyed() ? target : this.createWindow();
    this.log.info(`opening ${location}`);
    try {
      await w.open(location);
      app.addRecentDocument(location);
      this.refreshMenus();
    } catch (e) {
      this.log.warn(`opening ${location} failed`, e);
      this.showOpenError(w, input, e);
    }
  }

  /** `app.openDataset` from a renderer (start screen): same rules, but the answer goes back to the caller. */
  private async openFromRenderer(w: DesktopWindow, args: unknown): Promise<DatasetSummary> {
    const v = validateCall('app', 'openDataset', args);
    if (!v.ok) throw Object.assign(new Error(v.error), { name: 'CallError', code: 'invalid-call' });
    const location = resolveDatasetPath(v.args[0] as string).path;
    const existing = this.windowOf(location);
    if (existing && existing !== w) {
      existing.focus();
      throw Object.assign(new Error(`${location} is already open in another window`), { name: 'CallError', code: 'already-open' });
    }
    const summary = await w.open(location);
    app.addRecentDocument(location);
    this.refreshMenus();
    return summary;
  }

  private windowOf(location: string): DesktopWindow | null {
    const key = (p: string) => (process.platform === 'win32' || process.platform === 'darwin' ? p.toLowerCase() : p);
    for (const w of this.windows.values()) if (w.datasetPath && key(w.datasetPath) === key(location)) return w;
    return null;
  }

  private lastFocused(): DesktopWindow | null {
    const focused = BrowserWindow.getFocusedWindow();
    const all = [...this.windows.values()];
    return all.find((w) => w.win === focused) ?? all.at(-1) ?? null;
  }

  private showOpenError(w: DesktopWindow | null, input: string, e: unknown): void {
    showOpenError(w ? w.win : null, input, e, this.log.file);
  }

  /** Asks before closing a window with changes not yet written to the phy files (they are safe in the journal either way). */
  private onClose(w: DesktopWindow, e: Electron.Event): void {
    if (w.closeConfirmed || !w.host.current) return;
    e.preventDefault();
    void (async () => {
      let dirty = false;
      try {
        const snap: SessionSnapshot = await w.host.current!.session.snapshot();
        dirty = snap.dirty;
      } catch (err) {
        this.log.warn('reading the session before closing failed', err);
      }
      if (dirty && !w.win.isDestroyed()) {
        const answer = await askSaveBeforeClose(w.win);
        if (answer === 'cancel') return;
        if (answer === 'save') {
          try {
            await w.host.call('session', 'save', []);
          } catch (err) {
            this.log.error('saving before closing failed', err);
            await showSaveFailed(w.win, err, this.log.file);
            return;
          }
        }
      }
      w.closeConfirmed = true;
      if (!w.win.isDestroyed()) w.win.close();
    })();
  }

  private async onRendererGone(w: DesktopWindow, reason: string): Promise<void> {
    this.log.error(`the window's renderer stopped (${reason})`);
    if (reason === 'clean-exit' || w.win.isDestroyed()) return;
    const answer = await askAfterRendererGone(w.win, reason, this.log.file);
    if (w.win.isDestroyed()) return;
    if (answer === 'reload') w.win.webContents.reload();
    else w.win.destroy();
  }

  // -------------------------------------------------------------------------------------------
  // IPC

  private registerIpc(): void {
    for (const [service, methods] of Object.entries(callSchemas)) {
      for (const method of Object.keys(methods)) {
        ipcMain.handle(channelName(service, method), (event, callId: unknown, args: unknown) => this.router.call(senderOf(event), service, method, callId, args));
      }
    }
    ipcMain.on(CANCEL_CHANNEL, (event, callId: unknown) => this.router.cancel(senderOf(event), callId));
    ipcMain.on(SET_MENU_CHANNEL, (event, commands: unknown) => {
      const w = this.trustedWindow(event);
      if (!w) return;
      const r = menuSpecSchema.safeParse(commands);
      if (!r.success) {
        this.log.warn(`ignored a malformed menu from window ${w.webContentsId}: ${r.error.issues[0]?.message}`);
        return;
      }
      w.commands = r.data;
      this.applyMenu(w);
    });
    ipcMain.on(OPEN_PATH_CHANNEL, (event, p: unknown) => {
      const w = this.trustedWindow(event);
      if (w && typeof p === 'string' && p.length > 0 && p.length <= 4096 && !p.includes('\0')) void this.openPath(w, p);
    });
  }

  /** The window of a message, when the message comes from its main frame on our origin; null otherwise. */
  private trustedWindow(event: IpcMainEvent): DesktopWindow | null {
    return this.router.trustedWindow(senderOf(event));
  }

  // -------------------------------------------------------------------------------------------
  // Protocol and session security

  /** Applied to every WebContents (windows and DevTools): see appSession.ts `guardContents`. */
  guardContents(contents: WebContents): void {
    guardContents(contents, {
      origins: this.origins,
      links: this.links,
      log: this.log,
      openPath: (c, p) => {
        const w = this.windows.get(c.id);
        if (w) void this.openPath(w, p);
      },
      openHelpLink: (c, url) => void this.openHelpLink(url, this.windows.get(c.id) ?? null),
    });
  }

  /** Opens one of the app's help links in the user's browser once the user confirms; any other URL is refused. */
  private async openHelpLink(url: string, w: DesktopWindow | null): Promise<void> {
    if (!isHelpLink(url, this.links)) {
      this.log.warn(`refused to open ${url.slice(0, 200)}: not one of the app's help links`);
      return;
    }
    if (await confirmOpenInBrowser(url, w ? w.win : null)) await shell.openExternal(url);
  }

  // -------------------------------------------------------------------------------------------
  // Menus

  private template(w: DesktopWindow | null, recent: Awaited<ReturnType<RecentDatasets['list']>>): MenuNode[] {
    return buildMenuTemplate({ commands: w?.commands ?? [], recent, platform: process.platform, appName: 'spikedock', isDev: this.opts.devTools });
  }

  /** Linux/Windows: each window has its own menu bar; macOS: the focused window's menu is the app's. */
  private applyMenu(w: DesktopWindow): void {
    void this.opts.recent.list().then(
      (recent) => {
        if (w.win.isDestroyed()) return;
        const menu = Menu.buildFromTemplate(this.toElectronMenu(this.template(w, recent), w));
        if (process.platform === 'darwin') {
          if (BrowserWindow.getFocusedWindow() === w.win || this.windows.size === 1) Menu.setApplicationMenu(menu);
        } else {
          w.win.setMenu(menu);
        }
      },
      (e) => this.log.warn('building the menu failed', e),
    );
  }

  private refreshMenus(): void {
    for (const w of this.windows.values()) this.applyMenu(w);
  }

  private toElectronMenu(nodes: MenuNode[], w: DesktopWindow | null): ReturnType<typeof toElectronMenu> {
    return toElectronMenu(nodes, (action) => void this.runMenuAction(action, w));
  }

  private async runMenuAction(action: MenuAction, w: DesktopWindow | null): Promise<void> {
    const target = w && !w.win.isDestroyed() ? w : this.lastFocused();
    switch (action.type) {
      case 'command':
        if (target) target.win.webContents.send(COMMAND_RUN_CHANNEL, action.id);
        return;
      case 'open-folder':
      case 'open-kwik': {
        const options = openDialogOptions(action.type === 'open-folder');
        const r = target ? await dialog.showOpenDialog(target.win, options) : await dialog.showOpenDialog(options);
        if (!r.canceled && r.filePaths[0]) await this.openPath(target, r.filePaths[0]);
        return;
      }
      case 'open-recent':
        await this.openPath(target, action.path);
        return;
      case 'new-window':
        this.createWindow();
        return;
      case 'about':
        await showAbout(target ? target.win : null, { version: this.opts.version, userDataDir: this.opts.userDataDir, logFile: this.log.file });
        return;
      case 'docs':
        for (const url of this.links) await this.openHelpLink(url, target);
        return;
      case 'logs':
        await shell.openPath(this.log.folder);
        return;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Crashes and shutdown

  /** An uncaught error in main: log it, and tell the user where the log is. The journal is fsync'd per action, so nothing is lost. */
  reportCrash(kind: string, error: unknown): void {
    this.log.error(`${kind} in the main process`, error);
    if (this.crashDialogOpen) return;
    this.crashDialogOpen = true;
    try {
      if (showCrash(app.isReady(), error, this.log.file)) app.quit();
    } finally {
      this.crashDialogOpen = false;
    }
  }

  /** Closes every dataset and the worker pool; resolves once the journals are closed. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const all = [...this.windows.values()];
    this.windows.clear();
    await Promise.allSettled([
      ...this.closing,
      ...all.map((w) => w.dispose()),
    ]);
    await this.pool?.close();
    this.pool = null;
  }
}

/** The sender fields the router checks (`senderFrame.parent === null` is the main frame). */
function senderOf(event: IpcMainEvent | IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  return { senderId: event.sender.id, frame: frame ? { url: frame.url, isMainFrame: frame.parent === null } : null };
}

/** A path inside app.asar that workers must load from the unpacked copy (see asarUnpack in electron-builder.yml). */
function unpacked(p: string): string {
  return p.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}
