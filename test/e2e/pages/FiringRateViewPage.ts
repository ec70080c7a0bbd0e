/**
 * Page object of FiringRateView: the firing rate over the recording per selected cluster, the
 * number of bins through phy's snippet (`:frn`), status "[0 s, 60.0 s], 200 bins".
 */
import { expect, type Page } from 'playwright/test';
import { HistogramViewPage } from './HistogramViewPage';
import { runSnippet } from './snippet';

export class FiringRateViewPage extends HistogramViewPage {
  constructor(page: Page) {
    super(page, 'FiringRateView');
  }

  /** `:frn <n>`; waits for the status line. */
  async setBins(n: number): Promise<void> {
    await runSnippet(this.page, `frn ${n}`);
    await expect(this.statusLine).toContainText(`, ${n} bins`);
  }

  async bins(): Promise<number> {
    return Number(/(\d+) bins/.exec(await this.statusText())?.[1]);
  }
}
