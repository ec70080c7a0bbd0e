import { describe, expect, it } from 'vitest';
import { windowOptions } from '../../../electron/windowOptions';

describe('windowOptions', () => {
  const opts = windowOptions({ preload: '/app/dist/electron/preload.cjs', platform: 'linux', icon: '/app/assets/icon.png' });
  const web = opts.webPreferences!;

  it('isolates the renderer: context isolation, sandbox, no Node anywhere', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and the risky features off', () => {
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
    expect(web.navigateOnDragDrop).toBe(false);
  });

  it('gives DevTools only when asked (devToolsAllowed decides: packaged builds need --devtools)', () => {
    expect(web.devTools).toBe(false);
    expect(windowOptions({ preload: '/p.cjs', devTools: true }).webPreferences!.devTools).toBe(true);
  });

  it('loads our preload and nothing else', () => {
    expect(web.preload).toBe('/app/dist/electron/preload.cjs');
    expect(Object.keys(web)).not.toContain('additionalArguments');
  });

  it('waits for ready-to-show, and sets the icon except on macOS', () => {
    expect(opts.show).toBe(false);
    expect(opts.icon).toBe('/app/assets/icon.png');
    expect(windowOptions({ preload: '/p', platform: 'darwin', icon: '/i.png' }).icon).toBeUndefined();
  });
});
