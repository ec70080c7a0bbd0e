/**
 * The Content-Security-Policy of every spikedock page, in Electron (`app://` responses) and in
 * `spikedock serve` (HTTP header): scripts only from the app (no inline, no eval), no plugins, no
 * frames, no remote connections. `'unsafe-inline'` styles are needed by React's style attributes
 * and golden-layout; `blob:` workers by the renderer's web workers.
 *
 * @param origin an extra origin allowed for scripts and connections (the dev server, or the
 *   serving host, e.g. `http://127.0.0.1:8765`); its WebSocket twin (`ws://…`) is allowed too.
 */
export function contentSecurityPolicy(origin?: string | null): string {
  const self = origin ? `'self' ${origin}` : `'self'`;
  const connect = origin ? `'self' ${origin} ${origin.replace(/^http/, 'ws')}` : `'self'`;
  return [
    `default-src 'none'`,
    `script-src ${self}`,
    `style-src ${self} 'unsafe-inline'`,
    `img-src ${self} data: blob:`,
    `font-src ${self} data:`,
    `connect-src ${connect}`,
    `worker-src ${self} blob:`,
    `manifest-src 'self'`,
    `object-src 'none'`,
    `frame-src 'none'`,
    `frame-ancestors 'none'`,
    `base-uri 'none'`,
    `form-action 'none'`,
  ].join('; ');
}
