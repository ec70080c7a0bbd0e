/**
 * The desktop shell's dialogs: what each asks or says, in one place. Each takes the window it
 * belongs to (null: app-modal) and returns the user's answer; the decisions stay in DesktopApp.
 */
import path from 'node:path';
import { dialog, type BrowserWindow } from 'electron';
import { classifyError } from './ipcErrors';

/** "Cannot open this dataset", with what spikedock opens. */
export function showOpenError(win: BrowserWindow | null, input: string, e: unknown, logFile: string): void {
  const { error } = classifyError(e, false, logFile);
  const options = {
    type: 'warning' as const,
    title: 'Cannot open this dataset',
    message: `spikedock cannot open ${path.basename(input) || input}`,
    detail: `${error.message}\n\nspikedock opens a Kilosort/phy output folder (the folder with params.py), its params.py, a Kwik .kwik file, a SpikeInterface SortingAnalyzer folder (binary_folder), or an NWB .nwb file with a Units table.`,
  };
  if (win && !win.isDestroyed()) void dialog.showMessageBox(win, options);
  else void dialog.showMessageBox(options);
}

/** Asks before a help link leaves the app for the user's browser; true when the user agrees. */
export async function confirmOpenInBrowser(url: string, win: BrowserWindow | null): Promise<boolean> {
  const options = {
    type: 'question' as const,
    buttons: ['Open in Browser', 'Cancel'],
    defaultId: 0,
    cancelId: 1,
    message: 'Open this page in your web browser?',
    detail: url,
  };
  const { response } = win && !win.isDestroyed() ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
  return response === 0;
}

/** What the About box shows. */
export interface AboutInfo {
  version: string;
  userDataDir: string;
  logFile: string;
}

/** The About box: version, runtime versions, where the user data and the log are. */
export async function showAbout(win: BrowserWindow | null, info: AboutInfo): Promise<void> {
  const options = {
    type: 'info' as const,
    title: 'About spikedock',
    message: `spikedock ${info.version}`,
    detail: [
      'Manual curation of spike-sorting results (Kilosort/phy folders, Kwik files, SpikeInterface analyzers, NWB files).',
      '',
      `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
      `User data: ${info.userDataDir}`,
      `Log: ${info.logFile}`,
    ].join('\n'),
  };
  if (win) await dialog.showMessageBox(win, options);
  else await dialog.showMessageBox(options);
}

/** Before closing a window with unsaved changes: 'save', 'discard' or 'cancel'. */
export async function askSaveBeforeClose(win: BrowserWindow): Promise<'save' | 'discard' | 'cancel'> {
  const { response } = await dialog.showMessageBox(win, {
    type: 'question',
    buttons: ['Save', "Don't Save", 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    message: 'Save the curation to the dataset files before closing?',
    detail: "Either way nothing is lost: every action is in the session journal, and reopening the folder restores it. Don't Save leaves cluster_group.tsv and spike_clusters.npy as they were.",
  });
  return response === 0 ? 'save' : response === 1 ? 'discard' : 'cancel';
}

/** The save before closing failed: the window stays open. */
export async function showSaveFailed(win: BrowserWindow, err: unknown, logFile: string): Promise<void> {
  const { error } = classifyError(err, false, logFile);
  await dialog.showMessageBox(win, { type: 'error', message: 'The curation could not be saved', detail: `${error.message}\n\nThe window stays open; the journal still holds every action.` });
}

/** A window's renderer stopped: 'reload' or 'close'. */
export async function askAfterRendererGone(win: BrowserWindow, reason: string, logFile: string): Promise<'reload' | 'close'> {
  const { response } = await dialog.showMessageBox(win, {
    type: 'error',
    buttons: ['Reload', 'Close Window'],
    message: 'This window stopped unexpectedly',
    detail: `Reason: ${reason}. Your curation is safe: every action is in the session journal.\nThe log is ${logFile}.`,
  });
  return response === 0 ? 'reload' : 'close';
}

/**
 * An uncaught error in main (the journal is fsync'd per action, so nothing is lost): an error box
 * before the app is ready, else a choice; true when the user chose Quit.
 */
export function showCrash(appReady: boolean, error: unknown, logFile: string): boolean {
  const message = error instanceof Error ? error.message : String(error);
  const detail = `${message}\n\nYour curation is safe: every action was written to the session journal before it was shown.\nDetails are in ${logFile}.`;
  if (!appReady) {
    dialog.showErrorBox('spikedock hit an unexpected error', detail);
    return false;
  }
  const response = dialog.showMessageBoxSync({ type: 'error', title: 'spikedock', message: 'spikedock hit an unexpected error', detail, buttons: ['Keep Working', 'Quit'], defaultId: 0, cancelId: 0 });
  return response === 1;
}
