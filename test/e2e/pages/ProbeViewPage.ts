/**
 * Page object of ProbeView: the probe's channel layout with the selected clusters' best
 * channels highlighted; the toolbar's "labels" shows the channel ids.
 */
import { expect, type Page } from 'playwright/test';
import { PlotViewPage } from './PlotViewPage';

export class ProbeViewPage extends PlotViewPage {
  constructor(page: Page) {
    super(page, 'ProbeView');
  }

  /** Toolbar "labels": channel ids next to the sites, on or off. */
  async toggleLabels(): Promise<void> {
    const was = await this.showsLabels();
    await this.toolButton('labels').click();
    await expect(this.toolButton('labels')).toHaveAttribute('aria-pressed', String(!was));
  }

  async showsLabels(): Promise<boolean> {
    return (await this.toolButton('labels').getAttribute('aria-pressed')) === 'true';
  }

  /** Channel ids drawn next to the sites (empty when labels are off). */
  async channelLabels(): Promise<string[]> {
    return this.overlayTexts();
  }
}
