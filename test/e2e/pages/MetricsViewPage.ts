/**
 * Page object of MetricsView: the histogram of one metric or the scatter of two (buttons in a row
 * above the plot: `histogram` / `scatter`, metric pickers `metric` or `x metric` / `y metric`, `log x` / `log y`);
 * the axis titles name the metrics; the status line counts the clusters shown and those without a
 * value; a ctrl+click lasso selects the clusters inside when ctrl is released.
 */
import { expect, type Locator, type Page } from 'playwright/test';
import { PlotViewPage, type CanvasPoint } from './PlotViewPage';

export class MetricsViewPage extends PlotViewPage {
  constructor(page: Page) {
    super(page, 'MetricsView');
  }

  /** A button of the controls row above the plot (MetricsView has no toolbar beside its status line). */
  override toolButton(label: string): Locator {
    return this.root.locator('.metrics-controls').getByRole('button', { name: label, exact: true });
  }

  /** Chooses the metric of picker `label` (`metric`, `x metric`, `y metric`). */
  async pickMetric(label: 'metric' | 'x metric' | 'y metric', metric: string): Promise<void> {
    await this.root.getByRole('combobox', { name: label }).selectOption(metric);
    await expect(this.root.getByRole('combobox', { name: label })).toHaveValue(metric);
  }

  /** The axis titles drawn over the plot (tick labels, numbers, left out). */
  async axisTitles(): Promise<string[]> {
    return (await this.overlayTexts()).filter((t) => Number.isNaN(Number(t)));
  }

  /** ctrl+clicks a polygon (fractions of the canvas box), then releases ctrl: the clusters inside are selected. */
  async lassoSelect(points: readonly CanvasPoint[]): Promise<void> {
    await this.drawPolygon(points);
    await expect(this.canvas).toHaveAttribute('data-lasso-points', String(points.length));
    await this.page.keyboard.up('Control');
    await expect(this.canvas).toHaveAttribute('data-lasso-points', '0');
  }
}
