import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, toAccelerator, type MenuNode } from '../../../electron/menuTemplate';
import type { MenuCommandSpec } from '../../../src/shared/ipc/bridge';

const commands: MenuCommandSpec[] = [
  { id: 'session.save', title: 'Save', menu: 'File', keys: ['ctrl+s'] },
  { id: 'session.undo', title: 'Undo', menu: 'Edit', section: 'history', keys: ['ctrl+z'] },
  { id: 'session.redo', title: 'Redo', menu: 'Edit', section: 'history', keys: ['ctrl+shift+z', 'ctrl+y'] },
  { id: 'cluster.merge', title: 'Merge', menu: 'Edit', section: 'clustering', keys: ['g'] },
  { id: 'cluster.split', title: 'Split', menu: 'Edit', section: 'clustering', keys: ['k'], enabled: false },
  { id: 'cluster.labelGood', title: 'Move to Good & Next', menu: 'Edit', section: 'label', keys: ['alt+g'] },
  { id: 'wizard.next', title: 'Next Best', menu: 'Select', keys: ['space'] },
  { id: 'wizard.previous', title: 'Previous Best', menu: 'Select', keys: ['shift+space'] },
  { id: 'view.resetLayout', title: 'Reset Layout', menu: 'View' },
  { id: 'help.shortcuts', title: 'Keyboard Shortcuts', menu: 'Help', keys: ['f1'] },
  { id: 'help.about', title: 'About spikedock', menu: 'Help' },
  { id: 'snippet.merge', title: 'Snippet', menu: 'Edit', section: 'label', keys: [':m'] },
  { id: 'view.toggleRaw', title: 'Show Raw Data', menu: 'View', keys: ['alt+r'], checked: true },
];

const top = (menus: MenuNode[]) => menus.map((m) => m.label ?? m.role);
const find = (menus: MenuNode[], label: string) => menus.find((m) => m.label === label)!;
const labels = (m: MenuNode) => m.submenu!.map((i) => (i.type === 'separator' ? '---' : (i.label ?? i.role)));

describe('buildMenuTemplate', () => {
  const linux = buildMenuTemplate({ commands, recent: [], platform: 'linux', appName: 'spikedock', isDev: false });

  it('has File, Edit, Select, View, Help on Linux/Windows', () => {
    expect(top(linux)).toEqual(['&File', '&Edit', '&Select', '&View', '&Help']);
  });

  it('puts the renderer commands in their menus, grouped, with their shortcuts shown but not registered', () => {
    const edit = find(linux, '&Edit');
    expect(labels(edit)).toEqual(['Undo', 'Redo', '---', 'Merge', 'Split', '---', 'Move to Good && Next', 'Snippet']);
    const merge = edit.submenu!.find((i) => i.label === 'Merge')!;
    expect(merge).toEqual({ label: 'Merge', action: { type: 'command', id: 'cluster.merge' }, accelerator: 'G', registerAccelerator: false });
    expect(edit.submenu!.find((i) => i.label === 'Redo')!.accelerator).toBe('CmdOrCtrl+Shift+Z');
    expect(edit.submenu!.find((i) => i.label === 'Split')!.enabled).toBe(false);
    expect(edit.submenu!.find((i) => i.label === 'Snippet')!.accelerator).toBeUndefined();
    expect(labels(find(linux, '&Select'))).toEqual(['Next Best', 'Previous Best']);
    const toggle = find(linux, '&View').submenu!.find((i) => i.label === 'Show Raw Data')!;
    expect(toggle).toMatchObject({ type: 'checkbox', checked: true, accelerator: 'Alt+R' });
  });

  it('has the app items: open folder/kwik, recent, quit, docs, logs, about', () => {
    const file = labels(find(linux, '&File'));
    expect(file.slice(0, 4)).toEqual(['Open Folder…', 'Open File…', 'Open Recent', 'New Window']);
    expect(file).toContain('Save');
    expect(file.at(-1)).toBe('Quit');
    const help = find(linux, '&Help');
    expect(labels(help)).toEqual(['Keyboard Shortcuts', '---', 'Documentation', 'Open Logs Folder', '---', 'About spikedock']);
    // The renderer's own About (a toast) is replaced by the native dialog: listed once.
    expect(help.submenu!.at(-1)!.action).toEqual({ type: 'about' });
    expect(find(linux, '&File').submenu![2].submenu).toEqual([{ label: 'No Recent Datasets', enabled: false }]);
  });

  it('lists recent datasets in Open Recent', () => {
    const menus = buildMenuTemplate({
      commands,
      recent: [{ path: '/data/Maus 1', name: 'Maus 1', format: 'template', openedAt: '2025-01-01T00:00:00Z' }],
      platform: 'linux',
      appName: 'spikedock',
      isDev: false,
    });
    expect(find(menus, '&File').submenu![2].submenu).toEqual([{ label: 'Maus 1 — /data/Maus 1', action: { type: 'open-recent', path: '/data/Maus 1' } }]);
  });

  it('adds reload and devtools only in development', () => {
    expect(labels(find(linux, '&View'))).not.toContain('toggleDevTools');
    const dev = buildMenuTemplate({ commands, recent: [], platform: 'linux', appName: 'spikedock', isDev: true });
    expect(labels(find(dev, '&View'))).toContain('toggleDevTools');
  });

  it('follows macOS conventions: app menu with About, clipboard roles, window menu', () => {
    const mac = buildMenuTemplate({ commands, recent: [], platform: 'darwin', appName: 'spikedock', isDev: false });
    expect(top(mac)).toEqual(['spikedock', '&File', '&Edit', '&Select', '&View', 'windowMenu', '&Help']);
    expect(mac[0].submenu![0]).toEqual({ label: 'About spikedock', action: { type: 'about' } });
    expect(labels(find(mac, '&Edit'))).toContain('copy');
    expect(labels(find(mac, '&Help'))).not.toContain('About spikedock');
  });

  it('still has every menu when the renderer has not sent its commands yet', () => {
    const empty = buildMenuTemplate({ commands: [], recent: [], platform: 'win32', appName: 'spikedock', isDev: false });
    expect(top(empty)).toEqual(['&File', '&Edit', '&Select', '&View', '&Help']);
    for (const m of empty) expect(m.submenu!.length).toBeGreaterThan(0);
  });
});

describe('toAccelerator', () => {
  it("translates phy's shortcut notation", () => {
    expect(toAccelerator('g')).toBe('G');
    expect(toAccelerator('alt+g')).toBe('Alt+G');
    expect(toAccelerator('ctrl+z')).toBe('CmdOrCtrl+Z');
    expect(toAccelerator('shift+ctrl+z')).toBe('CmdOrCtrl+Shift+Z');
    expect(toAccelerator('ctrl+alt+shift+pgdown')).toBe('CmdOrCtrl+Alt+Shift+PageDown');
    expect(toAccelerator('space')).toBe('Space');
    expect(toAccelerator('shift+space')).toBe('Shift+Space');
    expect(toAccelerator('home')).toBe('Home');
    expect(toAccelerator('ctrl+left')).toBe('CmdOrCtrl+Left');
    expect(toAccelerator('F12')).toBe('F12');
    expect(toAccelerator('ctrl++')).toBe('CmdOrCtrl+Plus');
    expect(toAccelerator('ctrl+-')).toBe('CmdOrCtrl+-');
    expect(toAccelerator('ctrl+/')).toBe('CmdOrCtrl+/');
    expect(toAccelerator('esc')).toBe('Escape');
    expect(toAccelerator('?')).toBe('?');
    expect(toAccelerator('+')).toBe('Plus');
    expect(toAccelerator('ctrl+alt+space')).toBe('CmdOrCtrl+Alt+Space');
    expect(toAccelerator('meta+k')).toBe('Super+K');
  });

  it('gives nothing for what a menu cannot show', () => {
    for (const k of [':merge', 'ctrl+', 'hyper+x', 'ctrl+ctrl+x', 'f25', 'é', '']) expect(toAccelerator(k)).toBeUndefined();
  });
});
