/**
 * Where spikedock keeps its per-user files (recent list, logs, the demo dataset, journals of
 * read-only datasets). Follows each OS's convention so the folder is where users and backup tools
 * expect it; `SPIKEDOCK_USER_DATA` overrides it (tests, portable installs).
 */
import { homedir } from 'node:os';
import path from 'node:path';

/** The folder name under the OS's per-user data folder. */
export const APP_FOLDER = 'spikedock';

export interface UserDataEnvironment {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homedir: string;
}

/** The platform, environment, home folder and path flavour of `environment` (defaults: this process's). */
function host(environment: Partial<UserDataEnvironment>) {
  const platform = environment.platform ?? process.platform;
  return { platform, env: environment.env ?? process.env, home: environment.homedir ?? homedir(), p: platform === 'win32' ? path.win32 : path.posix };
}

/**
 * The per-user data folder (absolute):
 * - `SPIKEDOCK_USER_DATA` when set (resolved against the current folder),
 * - Linux and others: `$XDG_DATA_HOME/spikedock`, else `~/.local/share/spikedock`,
 * - Windows: `%APPDATA%\spikedock`, else `~\AppData\Roaming\spikedock`,
 * - macOS: `~/Library/Application Support/spikedock`.
 */
export function resolveUserDataDir(environment: Partial<UserDataEnvironment> = {}): string {
  const { platform, env, home, p } = host(environment);
  const override = env.SPIKEDOCK_USER_DATA?.trim();
  if (override) return p.resolve(override);
  if (platform === 'win32') {
    const appData = env.APPDATA?.trim();
    return p.join(appData && p.isAbsolute(appData) ? appData : p.join(home, 'AppData', 'Roaming'), APP_FOLDER);
  }
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', APP_FOLDER);
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME?.trim();
  return p.join(xdg && p.isAbsolute(xdg) ? xdg : p.join(home, '.local', 'share'), APP_FOLDER);
}

/**
 * The per-user cache folder (absolute; what it holds can be deleted at any time — the block cache
 * of remote files):
 * - `SPIKEDOCK_CACHE` when set; else `<SPIKEDOCK_USER_DATA>/cache` when that is set (tests,
 *   portable installs keep everything in one place),
 * - Linux and others: `$XDG_CACHE_HOME/spikedock`, else `~/.cache/spikedock`,
 * - Windows: `%LOCALAPPDATA%\spikedock\Cache`, else `~\AppData\Local\spikedock\Cache`,
 * - macOS: `~/Library/Caches/spikedock`.
 */
export function resolveUserCacheDir(environment: Partial<UserDataEnvironment> = {}): string {
  const { platform, env, home, p } = host(environment);
  const override = env.SPIKEDOCK_CACHE?.trim();
  if (override) return p.resolve(override);
  if (env.SPIKEDOCK_USER_DATA?.trim()) return p.join(resolveUserDataDir(environment), 'cache');
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA?.trim();
    return p.join(local && p.isAbsolute(local) ? local : p.join(home, 'AppData', 'Local'), APP_FOLDER, 'Cache');
  }
  if (platform === 'darwin') return p.join(home, 'Library', 'Caches', APP_FOLDER);
  const xdg = env.XDG_CACHE_HOME?.trim();
  return p.join(xdg && p.isAbsolute(xdg) ? xdg : p.join(home, '.cache'), APP_FOLDER);
}
