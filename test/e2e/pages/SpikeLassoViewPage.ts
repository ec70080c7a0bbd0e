/**
 * The shared page object of the spike scatter views whose lasso splits (FeatureView,
 * AmplitudeView, SpikeAttributeView): ctrl+click a polygon (PlotViewPage.lasso), then `k`
 * splits the selected clusters on it; Escape or the "clear lasso" button drops it.
 */
import { expect } from 'playwright/test';
import { PlotViewPage } from './PlotViewPage';

export class SpikeLassoViewPage extends PlotViewPage {
  /** `k` with the view focused: splits every spike inside the lasso into a new cluster. */
  async split(): Promise<void> {
    await this.press('k');
  }

  /** Clears the lasso with the toolbar's "clear lasso" button. */
  async clearLasso(): Promise<void> {
    await this.toolButton('clear lasso').click();
    await expect(this.canvas).toHaveAttribute('data-lasso-points', '0');
  }
}
