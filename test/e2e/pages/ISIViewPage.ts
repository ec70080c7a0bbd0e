/**
 * Page object of ISIView: inter-spike-interval histograms of the selected clusters, bin and
 * range through phy's snippets (`:isib`, `:isimax`), status "[0 ms, 50 ms], bin 1 ms".
 */
import { expect, type Page } from 'playwright/test';
import { HistogramViewPage } from './HistogramViewPage';
import { runSnippet } from './snippet';

export class ISIViewPage extends HistogramViewPage {
  constructor(page: Page) {
    super(page, 'ISIView');
  }

  /** `:isib <ms>`; waits for the status line. */
  async setBin(ms: number): Promise<void> {
    await runSnippet(this.page, `isib ${ms}`);
    await expect(this.statusLine).toContainText(`bin ${ms} ms`);
  }

  /** `:isimax <ms>`; waits for the status line. */
  async setMax(ms: number): Promise<void> {
    await runSnippet(this.page, `isimax ${ms}`);
    await expect(this.statusLine).toContainText(`[0 ms, ${ms} ms]`);
  }
}
