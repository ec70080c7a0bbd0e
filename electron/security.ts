/**
 * The security decisions of the desktop shell as pure functions (no Electron import), so they are
 * unit-tested without the Electron binary: which frames may call the backend, what a navigation
 * may do, which links may leave the app, whether DevTools are available, the
 * Content-Security-Policy, and how `app://spikedock/…` URLs map to the built renderer.
 */
import path from 'node:path';
import { contentSecurityPolicy as sharedCsp } from '../src/shared/csp';

/** The renderer is served from this privileged scheme (standard, secure), never from file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'spikedock';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the windows load. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Origins whose main frame may call the backend: ours, plus the dev server in development. */
export function trustedOrigins(devUrl?: string | null): string[] {
  const out = [APP_ORIGIN];
  if (devUrl) {
    const origin = originOf(devUrl);
    if (origin && (origin.startsWith('http://localhost:') || origin.startsWith('http://127.0.0.1:'))) out.push(origin);
  }
  return out;
}

/**
 * Whether an IPC message comes from a frame we trust: the main frame of a page loaded from one of
 * `origins`. Subframes (an `<iframe>` the renderer never creates) and frames that navigated away
 * are refused, as are messages whose frame is already gone (`senderFrame` null).
 */
export function isTrustedSender(frame: { url: string; isMainFrame: boolean } | null | undefined, origins: readonly string[]): boolean {
  if (!frame || !frame.isMainFrame) return false;
  const origin = originOf(frame.url);
  return origin !== null && origins.includes(origin);
}

/** What to do with a navigation the page attempts. */
export type NavigationDecision =
  | { action: 'allow' }
  | { action: 'deny' }
  /** A folder or file dropped on the window makes Chromium navigate to its file:// URL: open it instead. */
  | { action: 'open-path'; path: string }
  /** One of the app's own help links: open it in the user's browser, after the user confirms. */
  | { action: 'external'; url: string };

/**
 * The links the app itself puts in its help (Help → Documentation: package.json's `homepage`),
 * the only ones that may leave the app: https only, no credentials. One owner, so the menu and
 * the navigation guards cannot disagree.
 */
export function helpLinks(docsUrl: string): string[] {
  const u = parseHttps(docsUrl);
  return u ? [u.href] : [];
}

/** Whether `url` is exactly one of `links` (after URL normalisation; a different path, query or host is refused). */
export function isHelpLink(url: string, links: readonly string[]): boolean {
  const u = parseHttps(url);
  return u !== null && links.includes(u.href);
}

function parseHttps(url: string): URL | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && !u.username && !u.password ? u : null;
  } catch {
    return null;
  }
}

/**
 * `will-navigate` and `window.open`: stay on our origins, open dropped paths, offer the app's own
 * help links (`links`, from {@link helpLinks}) to the browser, deny everything else — any other
 * https page included, since a link in the data or a compromised page must not open the browser.
 */
export function navigationDecision(url: string, origins: readonly string[], platform: NodeJS.Platform = process.platform, links: readonly string[] = []): NavigationDecision {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { action: 'deny' };
  }
  if (origins.includes(originOf(url) ?? '')) return { action: 'allow' };
  if (u.protocol === 'file:') {
    const p = fileUrlToPath(u, platform);
    return p ? { action: 'open-path', path: p } : { action: 'deny' };
  }
  if (isHelpLink(url, links)) return { action: 'external', url: u.href };
  return { action: 'deny' };
}

/**
 * Whether the window gets DevTools. Unpackaged (development): yes. Packaged: only when asked for,
 * with `--devtools` on the command line or `SPIKEDOCK_DEVTOOLS=1`, so a user's installed app does
 * not hand a console with the backend bridge to whoever sits at it.
 */
export function devToolsAllowed(input: { isPackaged: boolean; argv: readonly string[]; env: Readonly<Record<string, string | undefined>> }): boolean {
  if (!input.isPackaged) return true;
  if (input.env.SPIKEDOCK_DEVTOOLS === '1') return true;
  // Only before `--`: after it every argument is a dataset path (src/main/app/argv.ts).
  const end = input.argv.indexOf('--');
  return (end < 0 ? input.argv : input.argv.slice(0, end)).includes('--devtools');
}

/**
 * The Content-Security-Policy of every page (src/shared/csp.ts); in development the dev server's
 * origin (and its HMR WebSocket) is added.
 */
export function contentSecurityPolicy(devUrl?: string | null): string {
  return sharedCsp(devUrl ? originOf(devUrl) : null);
}

/**
 * The file under `rendererDir` an `app://spikedock/<path>` request names, or null when the URL is
 * not ours or escapes the folder (`..`, encoded separators). `/` is `index.html`.
 */
export function resolveAppRequest(url: string, rendererDir: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  if (rel === '' || rel === '/') rel = '/index.html';
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, '.' + path.posix.normalize(rel));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type the app protocol answers with for a file. */
export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    // Non-special schemes such as app: report origin "null"; ours is registered standard, so build it.
    if (u.protocol === `${APP_SCHEME}:`) return u.host ? `${APP_SCHEME}://${u.host}` : null;
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
}

function fileUrlToPath(u: URL, platform: NodeJS.Platform): string | null {
  try {
    const pathname = decodeURIComponent(u.pathname);
    if (platform === 'win32') {
      const drive = /^\/([A-Za-z]:)(\/.*)?$/.exec(pathname);
      if (u.host) return `\\\\${u.host}${pathname.replace(/\//g, '\\')}`;
      if (!drive) return null;
      return drive[1] + (drive[2] ?? '\\').replace(/\//g, '\\');
    }
    if (u.host && u.host !== 'localhost') return null;
    // Chromium adds a trailing slash when a folder is dropped.
    return pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  } catch {
    return null;
  }
}

/**
 * Whether the page may load `url` at all (checked for every request of the session): the app's
 * own scheme, inline data, DevTools, and the dev server in development. Everything remote (http,
 * https, ws, ftp) and every local file is refused: the renderer never reads the disk itself.
 */
export function isAllowedRequest(url: string, origins: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (['data:', 'blob:', 'devtools:', `${APP_SCHEME}:`].includes(u.protocol)) return u.protocol !== `${APP_SCHEME}:` || u.host === APP_HOST;
  if (u.protocol === 'ws:') return origins.includes(`http://${u.host}`);
  return origins.includes(originOf(url) ?? '');
}

/** Browser permissions a spikedock page may get: writing to the clipboard (copy cluster ids) and fullscreen. */
export function isPermissionAllowed(permission: string, requestingUrl: string, origins: readonly string[]): boolean {
  if (!['clipboard-sanitized-write', 'fullscreen'].includes(permission)) return false;
  return origins.includes(originOf(requestingUrl) ?? '');
}
