/**
 * Page object of ClusterView (phy's cluster table): the grid verbs of GridViewPage plus the
 * filter box and the status line's counts.
 */
import type { Page } from 'playwright/test';
import { GridViewPage } from './GridViewPage';

export class ClusterViewPage extends GridViewPage {
  constructor(page: Page) {
    super(page, 'ClusterView');
  }

  /** Types a phy filter expression (`n_spikes > 1000 && group != 'noise'`) and applies it. */
  async filter(expression: string): Promise<void> {
    const box = this.root.getByRole('textbox', { name: 'Filter clusters' });
    await box.fill(expression);
    await box.press('Enter');
  }

  /** The status line's cluster counts: shown and total (`clusters: 12 / 40`). */
  async counts(): Promise<{ shown: number; total: number }> {
    const m = /clusters: (\d+)(?: \/ (\d+))?/.exec(await this.statusText());
    if (!m) throw new Error(`ClusterView status has no counts: ${await this.statusText()}`);
    return { shown: Number(m[1]), total: Number(m[2] ?? m[1]) };
  }
}

/**
 * The grid page object under its earlier name (`new ClusterGridPage(page, 'ClusterView')`), for
 * specs written before one page object per view.
 */
export { GridViewPage as ClusterGridPage } from './GridViewPage';
