import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  contentSecurityPolicy,
  devToolsAllowed,
  helpLinks,
  isAllowedRequest,
  isHelpLink,
  isPermissionAllowed,
  isTrustedSender,
  mimeType,
  navigationDecision,
  resolveAppRequest,
  trustedOrigins,
} from '../../../electron/security';

describe('isTrustedSender', () => {
  const origins = trustedOrigins();

  it('trusts the main frame of our app:// page', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, isMainFrame: true }, origins)).toBe(true);
    expect(isTrustedSender({ url: `${APP_ORIGIN}/index.html#/curate`, isMainFrame: true }, origins)).toBe(true);
  });

  it('refuses subframes, other origins, file:// pages and gone frames', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, isMainFrame: false }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'app://other/index.html', isMainFrame: true }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'file:///home/me/index.html', isMainFrame: true }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'about:blank', isMainFrame: true }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'not a url', isMainFrame: true }, origins)).toBe(false);
    expect(isTrustedSender(null, origins)).toBe(false);
  });

  it('trusts a loopback dev server only when one is configured', () => {
    expect(isTrustedSender({ url: 'http://localhost:5173/', isMainFrame: true }, origins)).toBe(false);
    const dev = trustedOrigins('http://localhost:5173/');
    expect(isTrustedSender({ url: 'http://localhost:5173/src/index.html', isMainFrame: true }, dev)).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5174/', isMainFrame: true }, dev)).toBe(false);
    expect(trustedOrigins('https://cdn.example/')).toEqual([APP_ORIGIN]);
  });
});

describe('navigationDecision', () => {
  const origins = trustedOrigins();

  it('allows our own pages (reload, hash routes)', () => {
    expect(navigationDecision(`${APP_ORIGIN}/index.html`, origins)).toEqual({ action: 'allow' });
  });

  it('turns a dropped folder or file into an open request, spaces and unicode decoded', () => {
    expect(navigationDecision('file:///data/Maus%201/', origins, 'linux')).toEqual({ action: 'open-path', path: '/data/Maus 1' });
    expect(navigationDecision('file:///data/%C3%A9t%C3%A9/x.kwik', origins, 'linux')).toEqual({ action: 'open-path', path: '/data/été/x.kwik' });
    expect(navigationDecision('file:///D:/Sorting/params.py', origins, 'win32')).toEqual({ action: 'open-path', path: 'D:\\Sorting\\params.py' });
  });

  it("offers only the app's own help links to the browser and denies everything else, other https pages included", () => {
    const links = helpLinks('https://example.invalid/spikedock');
    expect(navigationDecision('https://example.invalid/spikedock', origins, 'linux', links)).toEqual({ action: 'external', url: 'https://example.invalid/spikedock' });
    // Before: any https page was opened in the browser at once.
    expect(navigationDecision('https://phy.readthedocs.io/', origins, 'linux', links)).toEqual({ action: 'deny' });
    expect(navigationDecision('https://phy.readthedocs.io/', origins)).toEqual({ action: 'deny' });
    expect(navigationDecision('https://example.invalid/spikedock/../evil', origins, 'linux', links)).toEqual({ action: 'deny' });
    expect(navigationDecision('https://example.invalid.evil.example/spikedock', origins, 'linux', links)).toEqual({ action: 'deny' });
    expect(navigationDecision('https://user:pw@example.com/', origins)).toEqual({ action: 'deny' });
    expect(navigationDecision('http://example.com/', origins)).toEqual({ action: 'deny' });
    expect(navigationDecision('javascript:alert(1)', origins)).toEqual({ action: 'deny' });
    expect(navigationDecision('data:text/html,<script>1</script>', origins)).toEqual({ action: 'deny' });
    expect(navigationDecision('file://remote/share', origins, 'linux')).toEqual({ action: 'deny' });
  });
});

describe('contentSecurityPolicy', () => {
  const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const));

  it('allows scripts only from the app: no inline, no eval, no remote', () => {
    const d = directives(contentSecurityPolicy());
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-eval|https:|http:|\*/);
  });

  it('adds only the dev server (and its HMR socket) in development', () => {
    const d = directives(contentSecurityPolicy('http://localhost:5173/'));
    expect(d.get('script-src')).toEqual(["'self'", 'http://localhost:5173']);
    expect(d.get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
  });
});

describe('resolveAppRequest', () => {
  const root = path.resolve('/app/dist/renderer');

  it('maps app://spikedock/ paths into the renderer folder', () => {
    expect(resolveAppRequest('app://spikedock/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppRequest('app://spikedock/index.html?x=1#y', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppRequest('app://spikedock/assets/index-abc.js', root)).toBe(path.join(root, 'assets', 'index-abc.js'));
    expect(resolveAppRequest('app://spikedock/assets/font%20name.woff2', root)).toBe(path.join(root, 'assets', 'font name.woff2'));
  });

  it('refuses other hosts, other schemes and any escape from the folder', () => {
    expect(resolveAppRequest('app://other/index.html', root)).toBeNull();
    expect(resolveAppRequest('file:///etc/passwd', root)).toBeNull();
    const insideOrRefused = (p: string | null) => p === null || p.startsWith(root + path.sep);
    for (const escape of ['app://spikedock/../../etc/passwd', 'app://spikedock/%2e%2e/%2e%2e/etc/passwd', 'app://spikedock/..%2f..%2fetc%2fpasswd', 'app://spikedock/assets/../../../x']) {
      expect(resolveAppRequest(escape, root)).toSatisfy(insideOrRefused);
    }
    expect(resolveAppRequest('app://spikedock/a%5c..%5c..%5cx', root)).toBeNull();
    expect(resolveAppRequest('app://spikedock/%00', root)).toBeNull();
    expect(resolveAppRequest('app://spikedock/%E0%A4%A', root)).toBeNull();
  });

  it('names content types', () => {
    expect(mimeType('a/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeType('a/x.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeType('h5wasm.wasm')).toBe('application/wasm');
    expect(mimeType('noext')).toBe('application/octet-stream');
  });
});

describe('isAllowedRequest', () => {
  const origins = trustedOrigins();

  it('lets the app load its own files, inline data and DevTools', () => {
    for (const url of [`${APP_ORIGIN}/assets/index.js`, 'data:image/png;base64,AAAA', 'blob:app://spikedock/1234', 'devtools://devtools/bundled/inspector.html']) {
      expect(isAllowedRequest(url, origins)).toBe(true);
    }
  });

  it('refuses remote content and local files', () => {
    for (const url of ['https://cdn.example/lib.js', 'http://localhost:5173/', 'ws://localhost:5173/', 'wss://x.example/', 'file:///etc/passwd', 'app://other/x', 'ftp://x/y', 'nonsense']) {
      expect(isAllowedRequest(url, origins)).toBe(false);
    }
  });

  it('allows the dev server and its HMR socket only in development', () => {
    const dev = trustedOrigins('http://localhost:5173');
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5173/', dev)).toBe(true);
    expect(isAllowedRequest('https://cdn.example/lib.js', dev)).toBe(false);
  });
});

describe('isPermissionAllowed', () => {
  const origins = trustedOrigins();

  it('grants clipboard writes and fullscreen to our pages only', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', APP_ENTRY_URL, origins)).toBe(true);
    expect(isPermissionAllowed('fullscreen', APP_ORIGIN, origins)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', origins)).toBe(false);
  });

  it('refuses everything else', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem', 'unknown']) {
      expect(isPermissionAllowed(p, APP_ENTRY_URL, origins)).toBe(false);
    }
  });
});

describe('helpLinks and isHelpLink (the allow-list of links that may leave the app)', () => {
  it("holds package.json's https homepage, normalised, and nothing that is not https", () => {
    expect(helpLinks('https://Example.invalid/spikedock')).toEqual(['https://example.invalid/spikedock']);
    expect(helpLinks('http://example.invalid/spikedock')).toEqual([]);
    expect(helpLinks('https://u:p@example.invalid/')).toEqual([]);
    expect(helpLinks('')).toEqual([]);
  });

  it('matches the exact link only', () => {
    const links = helpLinks('https://example.invalid/spikedock');
    expect(isHelpLink('https://example.invalid/spikedock', links)).toBe(true);
    expect(isHelpLink('https://EXAMPLE.invalid/spikedock', links)).toBe(true);
    expect(isHelpLink('https://example.invalid/spikedock?x=1', links)).toBe(false);
    expect(isHelpLink('https://example.invalid/other', links)).toBe(false);
    expect(isHelpLink('http://example.invalid/spikedock', links)).toBe(false);
    expect(isHelpLink('not a url', links)).toBe(false);
  });
});

describe('devToolsAllowed', () => {
  it('allows DevTools when not packaged (development)', () => {
    expect(devToolsAllowed({ isPackaged: false, argv: ['electron'], env: {} })).toBe(true);
  });

  it('refuses them in a packaged build unless --devtools or SPIKEDOCK_DEVTOOLS=1 asks', () => {
    expect(devToolsAllowed({ isPackaged: true, argv: ['/opt/spikedock/spikedock', '/data/ks'], env: {} })).toBe(false);
    expect(devToolsAllowed({ isPackaged: true, argv: ['/opt/spikedock/spikedock', '--devtools', '/data/ks'], env: {} })).toBe(true);
    expect(devToolsAllowed({ isPackaged: true, argv: ['/opt/spikedock/spikedock'], env: { SPIKEDOCK_DEVTOOLS: '1' } })).toBe(true);
    expect(devToolsAllowed({ isPackaged: true, argv: ['/opt/spikedock/spikedock'], env: { SPIKEDOCK_DEVTOOLS: '0' } })).toBe(false);
    // After `--` it is a dataset path, not the flag.
    expect(devToolsAllowed({ isPackaged: true, argv: ['/opt/spikedock/spikedock', '--', '--devtools'], env: {} })).toBe(false);
  });
});
