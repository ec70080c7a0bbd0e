/**
 * Page object of TemplateView: every cluster's template on its best channels, one column per
 * cluster in ClusterView's order; click selects a column's cluster, shift+click adds it.
 */
import type { Page } from 'playwright/test';
import { ClusterOverviewPage } from './ClusterOverviewPage';

export class TemplateViewPage extends ClusterOverviewPage {
  constructor(page: Page) {
    super(page, 'TemplateView');
  }

  /** Clicks the middle of column `index` (0 = ClusterView's first row); `add` holds shift. */
  async clickColumn(index: number, { add = false } = {}): Promise<void> {
    const n = await this.clusterCount();
    await this.clickAt([(index + 0.5) / n, 0.5], { modifiers: add ? ['Shift'] : [] });
  }
}
