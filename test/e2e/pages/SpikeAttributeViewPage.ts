/**
 * Page object of SpikeAttributeView: a per-spike attribute file (`spike_<name>.npy`) against
 * time or as an (x, y) scatter, or a placeholder when the dataset has none; the lasso + `k`
 * split of SpikeLassoViewPage.
 */
import type { Page } from 'playwright/test';
import { SpikeLassoViewPage } from './SpikeLassoViewPage';

export class SpikeAttributeViewPage extends SpikeLassoViewPage {
  constructor(page: Page) {
    super(page, 'SpikeAttributeView');
  }

  /** The attribute shown (`positions` for spike_positions.npy), or null when there is none. */
  async attribute(): Promise<string | null> {
    return /spike_(.+?)\.npy/.exec(await this.statusText())?.[1] ?? null;
  }

  /** Chooses another attribute in the toolbar (only when the dataset has several). */
  async chooseAttribute(name: string): Promise<void> {
    await this.root.getByRole('combobox', { name: 'spike attribute' }).selectOption(name);
  }
}
