import { describe, expect, it } from 'vitest';
import { resolveUserDataDir } from '../../../../src/main/app/userDataDir';

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
