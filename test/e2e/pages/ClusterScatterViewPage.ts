/**
 * Page object of ClusterScatterView: every cluster at (amplitude, depth); a ctrl+click lasso
 * selects the clusters inside when ctrl is released (or on Enter, ctrl still held).
 */
import { expect, type Page } from 'playwright/test';
import { PlotViewPage, type CanvasPoint } from './PlotViewPage';

export class ClusterScatterViewPage extends PlotViewPage {
  constructor(page: Page) {
    super(page, 'ClusterScatterView');
  }

  /**
   * ctrl+clicks a polygon (fractions of the canvas box), checks the view holds it, then releases
   * ctrl: the clusters inside are selected and the lasso is gone.
   */
  async lassoSelect(points: readonly CanvasPoint[]): Promise<void> {
    await this.drawPolygon(points);
    await expect(this.canvas).toHaveAttribute('data-lasso-points', String(points.length));
    await this.page.keyboard.up('Control');
    await expect(this.canvas).toHaveAttribute('data-lasso-points', '0');
  }
}
