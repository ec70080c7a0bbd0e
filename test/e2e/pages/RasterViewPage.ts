/**
 * Page object of RasterView: every cluster's spikes over time, one row per cluster in
 * ClusterView's order (first at the top); click selects a row's cluster, shift+click adds it.
 */
import type { Page } from 'playwright/test';
import { ClusterOverviewPage } from './ClusterOverviewPage';

export class RasterViewPage extends ClusterOverviewPage {
  constructor(page: Page) {
    super(page, 'RasterView');
  }

  /** Clicks the middle of row `index` (0 = top = ClusterView's first row); `add` holds shift. */
  async clickRow(index: number, { add = false } = {}): Promise<void> {
    const n = await this.clusterCount();
    await this.clickAt([0.5, (index + 0.5) / n], { modifiers: add ? ['Shift'] : [] });
  }
}
