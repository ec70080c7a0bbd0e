/**
 * The options of every spikedock window, as a pure function so the security-relevant ones are
 * unit-tested without Electron. The renderer gets no Node, runs in Chromium's sandbox, and talks
 * to main only through the preload's `window.spikedock`.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowOptionsInput {
  /** Absolute path of the built preload (dist/electron/preload.cjs). */
  preload: string;
  platform?: NodeJS.Platform;
  /** Window icon (Linux/Windows; macOS takes it from the bundle). */
  icon?: string;
  title?: string;
  /** DevTools available (security.ts `devToolsAllowed`: development, or asked for); default false. */
  devTools?: boolean;
}

export function windowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const platform = input.platform ?? process.platform;
  return {
    width: 1600,
    height: 1000,
    minWidth: 900,
    minHeight: 600,
    title: input.title ?? 'spikedock',
    // Shown on 'ready-to-show' so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#1e1e1e',
    ...(input.icon && platform !== 'darwin' ? { icon: input.icon } : {}),
    autoHideMenuBar: false,
    webPreferences: {
      preload: input.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: input.devTools ?? false,
      // The views animate only on demand (frameloop="demand"); keep rendering when covered so a
      // window brought back shows current data at once.
      backgroundThrottling: false,
    },
  };
}
