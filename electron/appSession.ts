/**
 * The app:// protocol and the default session's security (request filter, CSP on the dev
 * server's pages, permissions, downloads), and the guard put on every WebContents. The
 * decisions are security.ts's pure functions; this file wires them to Electron.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { protocol, session, type WebContents } from 'electron';
import type { Logger } from '../src/main/app/Logger';
import { APP_SCHEME, isAllowedRequest, isPermissionAllowed, mimeType, navigationDecision, resolveAppRequest } from './security';

/** Serves dist/renderer at app://spikedock/ with the CSP header on every response. */
export function registerProtocol(appRoot: string, csp: string): void {
  const rendererDir = path.join(appRoot, 'dist', 'renderer');
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppRequest(request.url, rendererDir);
    if (!file) return new Response('not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, { headers: { 'content-type': mimeType(file), 'content-security-policy': csp, 'x-content-type-options': 'nosniff' } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

/** Requests only to trusted origins, the CSP on the dev server's pages, permissions by policy, no downloads. */
export function secureSession(origins: string[], csp: string, devUrl: string | null, log: Logger): void {
  const ses = session.defaultSession;
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, origins);
    if (!allowed) log.warn(`blocked a request to ${details.url.slice(0, 200)}`);
    callback({ cancel: !allowed });
  });
  // The dev server's pages get the same CSP as app:// (whose handler sets it itself).
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    if (devUrl && details.url.startsWith(devUrl)) headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
  ses.setPermissionRequestHandler((wc, permission, callback) => callback(isPermissionAllowed(permission, wc.getURL(), origins)));
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin, origins));
  ses.on('will-download', (e) => e.preventDefault());
}

/** What {@link guardContents} does with the navigations it does not simply block. */
export interface ContentsGuard {
  origins: string[];
  /** The help links that may open in the user's browser. */
  links: string[];
  log: Logger;
  /** A file dropped on the window (a `file://` navigation): open it as a dataset. */
  openPath(contents: WebContents, path: string): void;
  /** A help link: open it in the browser once the user agrees. */
  openHelpLink(contents: WebContents, url: string): void;
}

/** Applied to every WebContents (windows and DevTools): no navigation away, no popups, no webviews. */
export function guardContents(contents: WebContents, g: ContentsGuard): void {
  contents.on('will-attach-webview', (e) => e.preventDefault());
  const onNavigate = (e: Electron.Event, url: string) => {
    const d = navigationDecision(url, g.origins, process.platform, g.links);
    if (d.action === 'allow') return;
    e.preventDefault();
    if (d.action === 'open-path') g.openPath(contents, d.path);
    else if (d.action === 'external') g.openHelpLink(contents, d.url);
    else g.log.warn(`blocked a navigation to ${url.slice(0, 200)}`);
  };
  contents.on('will-navigate', onNavigate);
  contents.on('will-redirect', onNavigate);
  contents.setWindowOpenHandler(({ url }) => {
    const d = navigationDecision(url, g.origins, process.platform, g.links);
    if (d.action === 'external') g.openHelpLink(contents, d.url);
    else g.log.warn(`blocked a pop-up to ${url.slice(0, 200)}`);
    return { action: 'deny' };
  });
}
