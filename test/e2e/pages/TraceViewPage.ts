/**
 * Page object of TraceView: the time window of the recording (status "[1.250 s – 1.500 s]
 * high_pass"), going to a time (`:tg`), paging (toolbar ◀ ▶), the previous/next spike of the
 * selected cluster (alt+pgup / alt+pgdown) and the "all spikes" toggle.
 */
import { expect, type Page } from 'playwright/test';
import { PlotViewPage } from './PlotViewPage';
import { runSnippet } from './snippet';

export interface TraceWindow {
  /** Seconds. */
  t0: number;
  /** Seconds. */
  t1: number;
}

export class TraceViewPage extends PlotViewPage {
  constructor(page: Page) {
    super(page, 'TraceView');
  }

  /** The window shown, from the status line (the data's window, so it changes when the traces arrive). */
  async window(): Promise<TraceWindow> {
    const m = /^\[([\d.]+) s – ([\d.]+) s\]/.exec(await this.statusText());
    if (!m) throw new Error(`TraceView status has no window: ${await this.statusText()}`);
    return { t0: Number(m[1]), t1: Number(m[2]) };
  }

  /** Centres the window on `t` seconds (phy's `:tg`), clamped to the recording. */
  async goTo(t: number): Promise<void> {
    await runSnippet(this.page, `tg ${t}`);
  }

  /** alt+pgdown: centres the next spike of the selected cluster. */
  async nextSpike(): Promise<void> {
    await this.press('Alt+PageDown');
  }

  /** alt+pgup: centres the previous spike of the selected cluster. */
  async previousSpike(): Promise<void> {
    await this.press('Alt+PageUp');
  }

  /** Toolbar ◀: half a window to the left. */
  async goLeft(): Promise<void> {
    await this.toolButton('◀').click();
  }

  /** Toolbar ▶: half a window to the right. */
  async goRight(): Promise<void> {
    await this.toolButton('▶').click();
  }

  /** Toolbar "all spikes": every cluster's spikes, or the selected clusters' only. */
  async toggleAllSpikes(): Promise<void> {
    await this.toggleTool('all spikes');
  }

  async showsAllSpikes(): Promise<boolean> {
    return this.isToolPressed('all spikes');
  }

  /** Waits until the shown window differs from `previous` and returns it. */
  async expectWindowChangedFrom(previous: TraceWindow): Promise<TraceWindow> {
    await expect.poll(async () => (await this.window()).t0, { timeout: 15_000 }).not.toBe(previous.t0);
    return this.window();
  }
}
