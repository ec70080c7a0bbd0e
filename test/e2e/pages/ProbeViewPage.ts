/**
 * Page object of ProbeView: the probe's channel layout with the selected clusters' best
 * channels highlighted; the toolbar's "labels" shows the channel ids.
 */
import type { Page } from 'playwright/test';
import { PlotViewPage } from './PlotViewPage';

export class ProbeViewPage extends PlotViewPage {
  constructor(page: Page) {
    super(page, 'ProbeView');
  }

  /** Toolbar "labels": channel ids next to the sites, on or off. */
  async toggleLabels(): Promise<void> {
    await this.toggleTool('labels');
  }

  async showsLabels(): Promise<boolean> {
    return this.isToolPressed('labels');
  }

  /** Channel ids drawn next to the sites (empty when labels are off). */
  async channelLabels(): Promise<string[]> {
    return this.overlayTexts();
  }
}
