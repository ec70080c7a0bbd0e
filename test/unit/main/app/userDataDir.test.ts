import { describe, expect, it } from 'vitest';
import { resolveUserCacheDir, resolveUserDataDir } from '../../../../src/main/app/userDataDir';

describe('resolveUserDataDir', () => {
  it('uses XDG_DATA_HOME on Linux, and ~/.local/share without it', () => {
    expect(resolveUserDataDir({ platform: 'linux', env: { XDG_DATA_HOME: '/data/me' }, homedir: '/home/me' })).toBe('/data/me/spikedock');
    expect(resolveUserDataDir({ platform: 'linux', env: {}, homedir: '/home/me' })).toBe('/home/me/.local/share/spikedock');
  });

  it('ignores a relative XDG_DATA_HOME, as the XDG spec requires', () => {
    expect(resolveUserDataDir({ platform: 'linux', env: { XDG_DATA_HOME: 'rel/dir' }, homedir: '/home/me' })).toBe('/home/me/.local/share/spikedock');
  });

  it('uses %APPDATA% on Windows, and the roaming folder without it', () => {
    expect(resolveUserDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\Me\\AppData\\Roaming' }, homedir: 'C:\\Users\\Me' })).toBe(
      'C:\\Users\\Me\\AppData\\Roaming\\spikedock',
    );
    expect(resolveUserDataDir({ platform: 'win32', env: {}, homedir: 'C:\\Users\\Me' })).toBe('C:\\Users\\Me\\AppData\\Roaming\\spikedock');
  });

  it('uses Application Support on macOS', () => {
    expect(resolveUserDataDir({ platform: 'darwin', env: { XDG_DATA_HOME: '/ignored' }, homedir: '/Users/me' })).toBe('/Users/me/Library/Application Support/spikedock');
  });

  it('lets SPIKEDOCK_USER_DATA override every platform, with spaces and unicode kept', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      expect(resolveUserDataDir({ platform, env: { SPIKEDOCK_USER_DATA: '/tmp/my données/sd' }, homedir: '/home/me' })).toBe('/tmp/my données/sd');
    }
    expect(resolveUserDataDir({ platform: 'win32', env: { SPIKEDOCK_USER_DATA: 'D:\\portable\\data', APPDATA: 'C:\\x' }, homedir: 'C:\\Users\\Me' })).toBe('D:\\portable\\data');
  });
});

describe('resolveUserCacheDir', () => {
  it('follows each OS convention, SPIKEDOCK_CACHE, and keeps a SPIKEDOCK_USER_DATA install in one folder', () => {
    expect(resolveUserCacheDir({ platform: 'linux', env: {}, homedir: '/home/u' })).toBe('/home/u/.cache/spikedock');
    expect(resolveUserCacheDir({ platform: 'linux', env: { XDG_CACHE_HOME: '/c' }, homedir: '/home/u' })).toBe('/c/spikedock');
    expect(resolveUserCacheDir({ platform: 'linux', env: { XDG_CACHE_HOME: 'rel' }, homedir: '/home/u' })).toBe('/home/u/.cache/spikedock');
    expect(resolveUserCacheDir({ platform: 'darwin', env: {}, homedir: '/Users/u' })).toBe('/Users/u/Library/Caches/spikedock');
    expect(resolveUserCacheDir({ platform: 'win32', env: { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, homedir: 'C:\\Users\\u' })).toBe('C:\\Users\\u\\AppData\\Local\\spikedock\\Cache');
    expect(resolveUserCacheDir({ platform: 'linux', env: { SPIKEDOCK_USER_DATA: '/p/data' }, homedir: '/home/u' })).toBe('/p/data/cache');
    expect(resolveUserCacheDir({ platform: 'linux', env: { SPIKEDOCK_USER_DATA: '/p/data', SPIKEDOCK_CACHE: '/fast' }, homedir: '/home/u' })).toBe('/fast');
  });
});
