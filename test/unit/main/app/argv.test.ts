import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetArguments } from '../../../../src/main/app/argv';

describe('datasetArguments', () => {
  const cwd = '/home/me/recordings';

  it('finds a folder, a params.py and a .kwik, resolved against the folder of the call', () => {
    expect(datasetArguments(['/opt/spikedock/spikedock', 'mouse1', '../other/params.py', '/data/x.kwik'], { cwd, platform: 'linux' })).toEqual([
      '/home/me/recordings/mouse1',
      '/home/me/other/params.py',
      '/data/x.kwik',
    ]);
  });

  it('keeps spaces and unicode', () => {
    expect(datasetArguments(['spikedock', 'Maus 1/été données'], { cwd, platform: 'linux' })).toEqual(['/home/me/recordings/Maus 1/été données']);
  });

  it('skips Chromium/Electron switches and macOS process serial numbers', () => {
    const argv = ['electron', '--inspect=0', '--remote-debugging-port=0', '--no-sandbox', '-psn_0_1234', 'data', '--allow-file-access-from-files'];
    expect(datasetArguments(argv, { cwd, platform: 'linux' })).toEqual(['/home/me/recordings/data']);
  });

  it('skips the app entry of a development launch (electron main.cjs / electron .)', () => {
    const repo = '/work/spikedock';
    const main = path.join(repo, 'dist/electron/main.cjs');
    const opts = { cwd: repo, appEntries: [main, repo], platform: 'linux' as const };
    expect(datasetArguments(['electron', 'dist/electron/main.cjs', '/data/m1'], opts)).toEqual(['/data/m1']);
    expect(datasetArguments(['electron', '.', '/data/m1'], opts)).toEqual(['/data/m1']);
    expect(datasetArguments(['electron', '--inspect=0', main], opts)).toEqual([]);
  });

  it('keeps http(s) URLs (remote NWB files) as given', () => {
    expect(datasetArguments(['spikedock', 'https://dandi.example/assets/1/download/', 'HTTP://h/x.nwb'], { cwd, platform: 'linux' })).toEqual(['https://dandi.example/assets/1/download/', 'HTTP://h/x.nwb']);
  });

  it('accepts file:// URLs (a .desktop entry with %U)', () => {
    expect(datasetArguments(['spikedock', 'file:///data/Maus%201/params.py'], { cwd, platform: 'linux' })).toEqual(['/data/Maus 1/params.py']);
    expect(datasetArguments(['spikedock', 'file://remote-host/x'], { cwd, platform: 'linux' })).toEqual([]);
  });

  it('reads Windows paths and the folder context menu argument', () => {
    expect(datasetArguments(['C:\\Program Files\\spikedock\\spikedock.exe', 'D:\\Sorting\\Maus 1'], { cwd: 'C:\\Users\\me', platform: 'win32' })).toEqual(['D:\\Sorting\\Maus 1']);
    expect(datasetArguments(['spikedock.exe', 'rel\\params.py'], { cwd: 'C:\\Users\\me', platform: 'win32' })).toEqual(['C:\\Users\\me\\rel\\params.py']);
  });

  it('treats everything after -- as a path', () => {
    expect(datasetArguments(['spikedock', '--', '-odd name'], { cwd, platform: 'linux' })).toEqual(['/home/me/recordings/-odd name']);
  });

  it('returns nothing for no argument', () => {
    expect(datasetArguments(['spikedock'], { cwd, platform: 'linux' })).toEqual([]);
    expect(datasetArguments([], { cwd, platform: 'linux' })).toEqual([]);
  });
});
