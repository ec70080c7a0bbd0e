/**
 * One spikedock window: a BrowserWindow, the BackendHost that owns its dataset (one dataset per
 * window, as in phy), the menu commands its renderer sent, and its pending cancellable calls.
 */
import { BrowserWindow } from 'electron';
import { BackendHost } from '../src/main/BackendHost';
import type { MenuCommandSpec } from '../src/shared/ipc/bridge';
import { eventChannel } from '../src/shared/ipc/bridge';
import { BACKEND_EVENTS } from '../src/shared/ipc/contract';
import type { DatasetSummary } from '../src/shared/ipc/contract';
import { toCloneable } from './cloneable';
import { windowOptions, type WindowOptionsInput } from './windowOptions';

export class DesktopWindow {
  readonly win: BrowserWindow;
  readonly host: BackendHost;
  /** The resolved dataset location (folder or .kwik) this window shows or is opening; null on the start screen. */
  datasetPath: string | null = null;
  commands: MenuCommandSpec[] = [];
  /** Cancellable calls in flight, by the renderer's call id. */
  readonly calls = new Map<number, AbortController>();
  /** Set once the user answered the "save before closing?" question (or nothing was unsaved). */
  closeConfirmed = false;
  private readonly unsubscribe: Array<() => void> = [];
  private title: string | null = null;

  constructor(options: WindowOptionsInput, host: BackendHost) {
    this.win = new BrowserWindow(windowOptions(options));
    this.host = host;
    this.win.once('ready-to-show', () => this.win.show());
    for (const event of BACKEND_EVENTS) {
      this.unsubscribe.push(
        host.on(event, (payload) => {
          if (!this.win.isDestroyed()) this.win.webContents.send(eventChannel(event), toCloneable(payload));
        }),
      );
    }
    // The title names the dataset (and so the window in the taskbar), whatever the page's <title> says.
    this.unsubscribe.push(
      host.on('onDidOpenDataset', (summary: DatasetSummary) => {
        this.title = `${summary.name} — spikedock`;
        if (!this.win.isDestroyed()) this.win.setTitle(this.title);
      }),
    );
    this.win.on('page-title-updated', (e) => {
      if (this.title) e.preventDefault();
    });
  }

  /** The id IPC events carry (`event.sender.id`). */
  get webContentsId(): number {
    return this.win.webContents.id;
  }

  /** Opens `datasetPath` (already resolved) in this window's host; the renderer hears `onDidOpenDataset`. */
  async open(datasetPath: string): Promise<DatasetSummary> {
    const previous = this.datasetPath;
    this.datasetPath = datasetPath;
    try {
      return await this.host.openDataset(datasetPath);
    } catch (e) {
      // A failed open leaves the previous dataset open (BackendHost closes it only on success).
      this.datasetPath = this.host.current ? previous : null;
      throw e;
    }
  }

  focus(): void {
    if (this.win.isDestroyed()) return;
    if (this.win.isMinimized()) this.win.restore();
    this.win.show();
    this.win.focus();
  }

  /** Cancels pending calls, stops forwarding events, and closes the dataset (the journal already holds every action). */
  async dispose(): Promise<void> {
    for (const c of this.calls.values()) c.abort();
    this.calls.clear();
    for (const u of this.unsubscribe.splice(0)) u();
    await this.host.dispose();
  }
}
