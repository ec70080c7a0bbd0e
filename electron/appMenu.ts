/** The menu bar as Electron objects: menuTemplate.ts's nodes with their clicks wired, and the File → Open dialogs. */
import type { MenuItemConstructorOptions, OpenDialogOptions } from 'electron';
import type { MenuAction, MenuNode } from './menuTemplate';

/** Electron menu items from menu nodes; a node's `action` runs `run` when clicked. */
export function toElectronMenu(nodes: MenuNode[], run: (action: MenuAction) => void): MenuItemConstructorOptions[] {
  return nodes.map((n) => {
    const { action, submenu, role, type, ...rest } = n;
    const item: MenuItemConstructorOptions = { ...rest };
    if (type === 'separator') item.type = 'separator';
    if (role) item.role = role as MenuItemConstructorOptions['role'];
    if (submenu) item.submenu = toElectronMenu(submenu, run);
    if (action) item.click = () => run(action);
    return item;
  });
}

/** The open dialog of File → Open Folder (a sorting output folder) or Open File (a .kwik, .nwb or params.py). */
export function openDialogOptions(folder: boolean): OpenDialogOptions {
  return folder
    ? { title: 'Open a sorting output folder', buttonLabel: 'Open', properties: ['openDirectory'] }
    : { title: 'Open a Kwik file, an NWB file or a params.py', buttonLabel: 'Open', properties: ['openFile'], filters: [{ name: 'Kwik, NWB or params.py', extensions: ['kwik', 'nwb', 'py'] }] };
}
